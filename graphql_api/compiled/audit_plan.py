"""Compiling `{ team { auditEvents(first/after/last/before) { ... } } }` into a plan.

The plan knows which statements the operation needs (the page; its COUNT only
if `totalCount` is selected; the page-flag probe only if that flag is) and holds
one writer per level, which turns what was fetched into the response's JSON
values in the document's order. Anything outside the shapes below (fragments,
directives, arguments other than the four page arguments, `actor.user`,
`timestamp(timezone:)`, a response key given twice) is not compiled.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from operator import itemgetter
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    GraphQLField,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLSchema,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    get_named_type,
)

from graphql_api.domain import enums as domain
from graphql_api.domain.audit_actions import ACTIONS
from graphql_api.domain.global_ids import to_global_id
from graphql_api.repositories.audit import AUDIT_COLUMNS
from graphql_api.repositories.pagination import Page

Writer = Callable[[Any], Any]
# Compiles one field (its node and definition) into the writer of its value, or None.
FieldCompiler = Callable[[FieldNode, GraphQLField, "Compiling"], Writer | None]

PAGE_ARGUMENTS = frozenset({"first", "after", "last", "before"})


@dataclass(frozen=True)
class Fetched:
    """What a plan's statements returned: the page, and the count when it was asked."""

    page: Page[Any]
    count: int | None


@dataclass(frozen=True)
class AuditPagePlan:
    """A compiled audit-page operation."""

    document: DocumentNode
    operation: OperationDefinitionNode
    operation_name: str | None  # as the request named it
    connection: FieldNode
    connection_definition: GraphQLField
    count: bool
    flags: frozenset[str]
    write: Writer  # Fetched -> the response's `data`


class Compiling:
    """What compiling one operation has found so far."""

    def __init__(self) -> None:
        self.connection: tuple[FieldNode, GraphQLField] | None = None
        self.count = False
        self.flags: set[str] = set()


def _leaf(get: Writer) -> FieldCompiler:
    def compile_leaf(node: FieldNode, _d: GraphQLField, _c: Compiling) -> Writer | None:
        return None if node.arguments or node.selection_set else get

    return compile_leaf


def _object(
    fields: Mapping[str, FieldCompiler], get: Writer, *, many: bool = False
) -> FieldCompiler:
    def compile_object(node: FieldNode, definition: GraphQLField, c: Compiling) -> Writer | None:
        if node.arguments or node.selection_set is None:
            return None
        inner = object_writer(node.selection_set, get_named_type(definition.type), fields, c)
        if inner is None:
            return None
        if many:
            return lambda source: [inner(item) for item in get(source)]
        return lambda source: inner(get(source))

    return compile_object


def object_writer(
    selection_set: SelectionSetNode,
    type_: GraphQLNamedType,
    fields: Mapping[str, FieldCompiler],
    c: Compiling,
) -> Writer | None:
    """The writer of an object's selected fields, in order, or None if one is not known."""
    if not isinstance(type_, GraphQLObjectType):
        return None
    parts: list[tuple[str, Writer]] = []
    for node in selection_set.selections:
        if not isinstance(node, FieldNode) or node.directives:
            return None
        key = node.alias.value if node.alias else node.name.value
        if any(key == k for k, _ in parts):
            return None  # GraphQL would merge the two selections; not handled here
        name = node.name.value
        if name == "__typename":
            parts.append((key, _constant(type_.name)))
            continue
        compiler = fields.get(name)
        definition = type_.fields.get(name)
        if compiler is None or definition is None:
            return None
        writer = compiler(node, definition, c)
        if writer is None:
            return None
        parts.append((key, writer))
    frozen = tuple(parts)
    return lambda source: {key: write(source) for key, write in frozen}


def _constant(value: str) -> Writer:
    return lambda _source: value


# Rows are read by position: a Row's attribute lookup costs several times an index,
# and a page of 50 events reads about 500 values.
_AT = {column.key: i for i, column in enumerate(AUDIT_COLUMNS)}


def _column(name: str) -> Writer:
    return itemgetter(_AT[name])


def _category(row: Any) -> str:
    return domain.AuditCategory(row[_CATEGORY]).name


_CATEGORY, _ACTION, _EVENT_ID = _AT["category"], _AT["action"], _AT["event_id"]
_ACTOR_ID, _AT_TIME = _AT["actor_id"], _AT["at"]

ACTOR: dict[str, FieldCompiler] = {
    "id": _leaf(lambda row: to_global_id("User", row[_ACTOR_ID])),
    "name": _leaf(_column("actor_name")),
    "username": _leaf(_column("actor_username")),
    "email": _leaf(_column("actor_email")),
}

EVENT: dict[str, FieldCompiler] = {
    "id": _leaf(lambda row: to_global_id("AuditEvent", row[_EVENT_ID])),
    "eventId": _leaf(_column("event_id")),
    "action": _leaf(_column("action")),
    "actionName": _leaf(lambda row: ACTIONS[row[_ACTION]].display_name),
    "actionCode": _leaf(lambda row: ACTIONS[row[_ACTION]].code),
    "category": _leaf(_category),
    "actor": _object(ACTOR, lambda row: row),
    "ip": _leaf(_column("ip")),
    "userAgent": _leaf(_column("user_agent")),
    "message": _leaf(_column("message")),
    "data": _leaf(_column("data")),
    # DateTime is written as strawberry's scalar writes it.
    "timestamp": _leaf(lambda row: row[_AT_TIME].isoformat()),
}


def _flag(flag: str) -> FieldCompiler:
    leaf = _leaf(lambda page: getattr(page, flag))

    def compile_flag(node: FieldNode, definition: GraphQLField, c: Compiling) -> Writer | None:
        c.flags.add(flag)
        return leaf(node, definition, c)

    return compile_flag


def _cursor_at(index: int) -> Writer:
    return lambda page: page.cursors[index] if page.rows else None


PAGE_INFO: dict[str, FieldCompiler] = {
    "hasNextPage": _flag("has_next_page"),
    "hasPreviousPage": _flag("has_previous_page"),
    "startCursor": _leaf(_cursor_at(0)),
    "endCursor": _leaf(_cursor_at(-1)),
}

EDGE: dict[str, FieldCompiler] = {
    "cursor": _leaf(lambda edge: edge[0].cursors[edge[1]]),
    "node": _object(EVENT, lambda edge: edge[0].rows[edge[1]]),
}


def _total_count(node: FieldNode, definition: GraphQLField, c: Compiling) -> Writer | None:
    c.count = True
    return _leaf(lambda fetched: fetched.count)(node, definition, c)


CONNECTION: dict[str, FieldCompiler] = {
    "nodes": _object(EVENT, lambda fetched: fetched.page.rows, many=True),
    "edges": _object(
        EDGE, lambda fetched: [(fetched.page, i) for i in range(len(fetched.page.rows))], many=True
    ),
    "pageInfo": _object(PAGE_INFO, lambda fetched: fetched.page),
    "totalCount": _total_count,
}


def _audit_events(node: FieldNode, definition: GraphQLField, c: Compiling) -> Writer | None:
    if c.connection is not None or node.selection_set is None:
        return None
    if any(argument.name.value not in PAGE_ARGUMENTS for argument in node.arguments or ()):
        return None
    c.connection = (node, definition)
    return object_writer(node.selection_set, get_named_type(definition.type), CONNECTION, c)


TEAM: dict[str, FieldCompiler] = {"auditEvents": _audit_events}
ROOT: dict[str, FieldCompiler] = {"team": _object(TEAM, lambda fetched: fetched)}


def compile_audit_page(
    schema: GraphQLSchema, document: DocumentNode, operation_name: str | None
) -> AuditPagePlan | None:
    """The plan of `document`'s operation, or None when it is not an audit page this
    module compiles. `document` must already have passed validation."""
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if len(operations) != len(document.definitions) or len(operations) != 1:
        return None  # fragments, or several operations
    operation = operations[0]
    if operation.operation is not OperationType.QUERY or operation.directives:
        return None
    if operation_name is not None and (
        operation.name is None or operation.name.value != operation_name
    ):
        return None
    c = Compiling()
    write = object_writer(operation.selection_set, schema.query_type, ROOT, c)  # type: ignore[arg-type]
    if write is None or c.connection is None:
        return None
    node, definition = c.connection
    return AuditPagePlan(
        document=document,
        operation=operation,
        operation_name=operation_name,
        connection=node,
        connection_definition=definition,
        count=c.count,
        flags=frozenset(c.flags),
        write=write,
    )
