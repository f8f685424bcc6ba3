"""The node registry: every Node type, the loader that fetches it by id, and its gate.

`node(id:)` and `nodes(ids:)` serve exactly the types registered here, and the
schema declares them all (`types=`, for those no field returns). A new Node type
is added here, once; tests/schema/test_node_registry.py fails for a Node type of
the schema that is missing or that `node(id:)` cannot fetch.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import strawberry
from strawberry import relay

from graphql_api.auth.viewer import Viewer
from graphql_api.errors import ApiError, NotFound
from graphql_api.repositories import nodes
from graphql_api.schema.api_keys.types import ApiKey
from graphql_api.schema.audit.types import AuditEvent
from graphql_api.schema.billing.types import Invoice
from graphql_api.schema.context import Info
from graphql_api.schema.directory.team import Team
from graphql_api.schema.directory.types import (
    ELEMENT_TYPES,
    Group,
    Membership,
    User,
    Workspace,
    element_from_row,
)
from graphql_api.schema.exports.types import ExportJob
from graphql_api.schema.permissions import AuditReader, BillingReader, Gate
from graphql_api.schema.relay import from_global_id


def type_name(node_type: type[relay.Node]) -> str:
    """The GraphQL name of a strawberry type (what its global ids carry)."""
    return str(node_type.__strawberry_definition__.name)  # type: ignore[attr-defined]


@dataclass(frozen=True)
class NodeType:
    """How `node(id:)` serves one Node type: its rows, how each becomes the type, and
    the gate the type's own fields declare (its error answers every id of the type)."""

    type: type[relay.Node]
    load: nodes.Loader
    build: Callable[[Any], relay.Node]
    gate: Gate | None = None

    async def fetch(
        self, session: Any, viewer: Viewer, ids: Sequence[str], now: datetime
    ) -> list[Any]:
        """The node, or the error saying why it cannot be shown, for each id in order
        (read in `session`, the request's: the schema names no SQLAlchemy type)."""
        if self.gate is not None:
            try:
                self.gate.check(viewer)
            except ApiError as error:
                return [error for _ in ids]
        rows = await self.load(session, viewer, ids, now)
        return [row if isinstance(row, ApiError) else self.build(row) for row in rows]


REGISTRY: tuple[NodeType, ...] = (
    NodeType(Team, nodes.teams, Team.from_row),
    NodeType(User, nodes.users, User.from_row),
    NodeType(Membership, nodes.memberships, Membership.from_row),
    NodeType(Group, nodes.groups, Group.from_row),
    NodeType(Workspace, nodes.workspaces, Workspace.from_row),
    *(
        NodeType(element, nodes.elements_of(kind, type_name(element)), element_from_row)
        for kind, element in ELEMENT_TYPES.items()
    ),
    NodeType(AuditEvent, nodes.audit_events, AuditEvent.from_row, gate=AuditReader()),
    NodeType(ApiKey, nodes.api_keys, ApiKey.from_row),
    NodeType(Invoice, nodes.invoices, Invoice.from_row, gate=BillingReader()),
    NodeType(ExportJob, nodes.export_jobs, ExportJob.from_row),
)
BY_NAME: dict[str, NodeType] = {type_name(entry.type): entry for entry in REGISTRY}
NODE_TYPES: list[type[relay.Node]] = [entry.type for entry in REGISTRY]


async def resolve_nodes(info: Info, ids: list[strawberry.ID], argument: str) -> list[Any]:
    """Each id's node, or the error explaining why it cannot be shown (one query per type)."""
    results: list[Any] = [None] * len(ids)
    wanted: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for index, value in enumerate(ids):
        try:
            gid = from_global_id(value, argument=argument)
        except ApiError as exc:
            results[index] = exc
            continue
        if gid.type_name not in BY_NAME:
            results[index] = NotFound(f"No node type {gid.type_name!r}.")
            continue
        if gid.type_name in nodes.NUMBERED_ID_MAXIMUM:
            try:
                nodes.numbered_id(gid.type_name, gid.node_id, argument)
            except ApiError as exc:
                results[index] = exc
                continue
        wanted[gid.type_name].append((index, gid.node_id))
    ctx = info.context
    async with ctx.db() as session:
        for name, items in wanted.items():
            fetched = await BY_NAME[name].fetch(
                session, ctx.viewer, [node_id for _, node_id in items], ctx.now
            )
            for (index, _), node in zip(items, fetched, strict=True):
                results[index] = node
    return results
