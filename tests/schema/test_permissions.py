"""Every field that reads team data declares its gate, or is allowed to every member here.

The rule, checked over the built schema:

* Data reaches a client only through a resolver: a plain attribute field shows what
  the resolver above it read. So a field *reads* when it has its own resolver.
* Walking from the roots (Query, Mutation, Subscription), a field reached without
  passing a gate is *open*. Each open field that reads must declare a gate (a
  strawberry permission: `permission_classes=[...]`, or a `PermissionExtension`
  such as `StreamGates`) or be listed in OPEN_TO_EVERY_MEMBER with its reason.
  Below a gated field everything is guarded by it, so the walk stops there.
* `node(id:)` reads any Node type: the node registry (graphql_api.schema.nodes)
  is its resolver. A type it serves without a gate must be open through ordinary
  fields too (then `node` shows no more than they do) or be listed in
  OPEN_BY_ID_ONLY; its fields are walked like any open field's.

Fields are named by the class that declares them (`Element.workspace` for every
element type, `KeysetConnection.nodes` for every connection). A listed field that
now declares a gate, or no longer exists, fails too: the lists stay true.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from graphql import (
    GraphQLField,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLUnionType,
    get_named_type,
)
from strawberry.permission import PermissionExtension
from strawberry.schema.schema_converter import GraphQLCoreConverter
from strawberry.types.field import StrawberryField

from graphql_api.auth.viewer import Viewer
from graphql_api.domain.enums import Plan, TeamRole
from graphql_api.errors import ApiError
from graphql_api.exports.tables import TABLES, ExportKind
from graphql_api.schema import build_schema
from graphql_api.schema.nodes import REGISTRY, type_name

# Open fields that read, each visible to every member of the team, and why.
OPEN_TO_EVERY_MEMBER = {
    "Node.id": "the global id of an object already read",
    "KeysetConnection.nodes": "the page the field that opened the connection read",
    "KeysetConnection.totalCount": "counts what the field that opened the connection selects",
    "Query.node": "each type's gate is in the node registry (see OPEN_BY_ID_ONLY)",
    "Query.nodes": "each type's gate is in the node registry (see OPEN_BY_ID_ONLY)",
    "Query.viewer": "the API key's own user",
    "Query.team": "the viewer's own team: its id, name, slug and plan",
    "Team.members": "the team's directory: every member sees who else is in it",
    "Membership.user": "a member of the viewer's team",
    "Membership.invitedBy": "a member of the viewer's team",
    "Team.elements": "only the elements the viewer can access",
    "Element.workspace": "null unless the viewer can access the workspace",
    "Element.createdBy": "a member of the viewer's team",
    "Team.reports": "a container: each report below declares its own gate",
    "Reports.lastUpdatedAt": "when the summaries were refreshed, no figure of the team",
    "Reports.publicWorkspaces": "public workspace metrics: every member, every plan",
    "User.apiKeys": "the viewer's own keys; another user's are FORBIDDEN",
    "ApiKey.isCurrent": "whether the key is the one of this request",
    "User.exports": "the viewer's own exports; another user's are FORBIDDEN",
    "ExportJob.downloadUrl": "a link to the viewer's own export",
    "Mutation.createApiKey": "a key for the viewer themself",
    "Mutation.revokeApiKey": "the viewer's own keys (any of the team's for an admin)",
    "Mutation.exportPublicWorkspaces": "public workspace metrics: every member, every plan",
}
# Node types node(id:) serves without a gate though no open field returns them.
OPEN_BY_ID_ONLY = {
    "Group": "the team's groups and their roles: every member may see them",
}
ROOTS = ("Query", "Mutation", "Subscription")
BY_ID = {"Query.node", "Query.nodes"}


def _definition(graphql_field: GraphQLField) -> StrawberryField:
    return graphql_field.extensions[GraphQLCoreConverter.DEFINITION_BACKREF]


def _name(type_name_: str, name: str, definition: StrawberryField) -> str:
    """`Declarer.field`: named by the class that declares the field."""
    origin = definition.origin
    declarer = getattr(getattr(origin, "__strawberry_definition__", None), "name", None)
    return f"{declarer or type_name_}.{name}"


def _gates(definition: StrawberryField) -> list[str]:
    return [
        type(permission).__name__
        for extension in definition.extensions
        if isinstance(extension, PermissionExtension)
        for permission in extension.permissions
    ]


@dataclass
class Walk:
    """What a walk from the roots finds: open fields that read, open types, gated fields."""

    schema: GraphQLSchema
    open_types: set[str] = field(default_factory=set)
    reads: dict[str, str] = field(default_factory=dict)  # name -> first path to it
    gated: set[str] = field(default_factory=set)

    def enter(self, type_name_: str, path: str) -> None:
        if type_name_ in self.open_types:
            return
        self.open_types.add(type_name_)
        graphql_type = self.schema.type_map[type_name_]
        assert isinstance(graphql_type, GraphQLObjectType | GraphQLInterfaceType)
        for name, graphql_field in graphql_type.fields.items():
            definition = _definition(graphql_field)
            full = _name(type_name_, name, definition)
            here = f"{path}.{name}" if path else f"{type_name_}.{name}"
            if _gates(definition):
                self.gated.add(full)
                continue
            if definition.base_resolver is not None:
                self.reads.setdefault(full, here)
            if full not in BY_ID:
                self.follow(get_named_type(graphql_field.type), here)

    def follow(self, target: object, path: str) -> None:
        if isinstance(target, GraphQLObjectType):
            self.enter(target.name, path)
        elif isinstance(target, GraphQLInterfaceType | GraphQLUnionType):
            for possible in self.schema.get_possible_types(target):
                self.enter(possible.name, f"{path}<{possible.name}>")


def _walk() -> Walk:
    walk = Walk(build_schema()._schema)
    for root in ROOTS:
        walk.enter(root, "")
    through_fields = set(walk.open_types)
    for entry in REGISTRY:
        if entry.gate is None:
            walk.enter(type_name(entry.type), f"node(id:)<{type_name(entry.type)}>")
    walk.open_types = through_fields
    return walk


WALK = _walk()


def test_every_open_field_that_reads_declares_a_gate_or_is_open_to_every_member():
    ungated = {name: path for name, path in WALK.reads.items() if name not in OPEN_TO_EVERY_MEMBER}
    assert ungated == {}, (
        "These fields read team data with no gate: declare one "
        "(permission_classes=[...] from graphql_api.schema.permissions) or, when every "
        "member may read them, add them to OPEN_TO_EVERY_MEMBER with the reason "
        f"(name: first path reaching it): {ungated}"
    )


def test_node_by_id_serves_no_type_without_a_gate_that_its_fields_guard():
    guarded_only = sorted(
        type_name(entry.type)
        for entry in REGISTRY
        if entry.gate is None
        and type_name(entry.type) not in WALK.open_types
        and type_name(entry.type) not in OPEN_BY_ID_ONLY
    )
    assert guarded_only == [], (
        f"node(id:) serves {guarded_only} with no gate, while every field returning them "
        "declares one: give their registry entries (graphql_api/schema/nodes.py) the "
        "same gate, or list them in OPEN_BY_ID_ONLY with the reason"
    )


def test_the_allow_lists_are_true():
    stale = sorted(
        (set(OPEN_TO_EVERY_MEMBER) - set(WALK.reads))
        | {name for name in OPEN_BY_ID_ONLY if name in WALK.open_types}
    )
    assert stale == [], (
        f"{stale} are listed as open but now declare a gate, are reached through ordinary "
        "fields, or are gone: remove them from the lists"
    )
    assert all(OPEN_TO_EVERY_MEMBER.values()) and all(OPEN_BY_ID_ONLY.values())


# Each export mutation and the table it starts (whose gate also guards the download).
EXPORTS = {
    "exportAuditEvents": ExportKind.AUDIT_EVENTS,
    "exportTeamApis": ExportKind.TEAM_APIS,
    "exportMembers": ExportKind.MEMBERS,
    "exportPublicWorkspaces": ExportKind.PUBLIC_WORKSPACES,
    "exportContentElements": ExportKind.CONTENT_ELEMENTS,
    "exportApiFindings": ExportKind.API_FINDINGS,
}
VIEWERS = [
    Viewer(user_id="u", team_id="t", plan=plan, roles=frozenset({role}), group_ids=(), api_key_id=1)
    for plan in Plan
    for role in TeamRole
]


def _refusal(check, viewer: Viewer) -> str | None:
    try:
        check(viewer)
    except ApiError as error:
        return error.code.value
    return None


def _declared(viewer: Viewer, field_name: str) -> str | None:
    definition = _definition(WALK.schema.type_map["Mutation"].fields[field_name])
    for extension in definition.extensions:
        if isinstance(extension, PermissionExtension):
            for permission in extension.permissions:
                refusal = _refusal(permission.check, viewer)
                if refusal is not None:
                    return refusal
    return None


def test_each_export_mutation_declares_the_gate_of_the_table_it_exports():
    differing = [
        (field_name, viewer.plan.value, sorted(r.value for r in viewer.roles))
        for field_name, kind in EXPORTS.items()
        for viewer in VIEWERS
        if _declared(viewer, field_name) != _refusal(TABLES[kind].gate, viewer)
    ]
    assert differing == [], f"declared gate and table gate disagree for {differing}"
