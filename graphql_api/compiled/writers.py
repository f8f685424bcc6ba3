"""Writers: a compiled operation's response, built field by field once, run per request.

Compiling walks the operation's selections with a map per GraphQL type from
field name to a `FieldCompiler`; each returns the `Writer` of its field's JSON
value from the object fetched for its parent, or None when it cannot (an
argument, a directive, a field the map does not hold), and then the whole
operation is left to strawberry's executor.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, cast

from graphql import (
    DocumentNode,
    FieldNode,
    GraphQLField,
    GraphQLNamedType,
    GraphQLObjectType,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    get_named_type,
)

from graphql_api.compiled.checks import Checked

Writer = Callable[[Any], Any]
# Compiles one field (its node and definition) into the writer of its value, or None.
FieldCompiler = Callable[[FieldNode, GraphQLField, "Compiling"], Writer | None]


# A connection root: at most one per plan, so the page flags and counts are its own.
CONNECTION_ROOTS = frozenset({"auditEvents", "teamApis"})
# Roots that may share a plan (a dashboard's first screen): report roots.
REPORT_ROOTS = frozenset({"summary", "teamApis"})


class Compiling:
    """What compiling one operation has found so far: the fields whose data the plan
    fetches (`roots`: kind, node and definition of each), and what else it must read."""

    def __init__(self) -> None:
        self.roots: list[tuple[str, FieldNode, GraphQLField]] = []
        self.count = False
        self.flags: set[str] = set()
        self.refreshed_at = False
        self.restricted = False

    def claim(self, kind: str, node: FieldNode, definition: GraphQLField) -> bool:
        """Make `node` a root of the plan; False when the plan cannot hold it beside the
        roots it has (one of each kind, one connection, reports only with reports)."""
        kinds = {k for k, _, _ in self.roots}
        if kinds and (kind in kinds or not kinds | {kind} <= REPORT_ROOTS):
            return False
        if kind in CONNECTION_ROOTS and kinds & CONNECTION_ROOTS:
            return False
        self.roots.append((kind, node, definition))
        return True


@dataclass(frozen=True)
class Root:
    """A field whose data a plan fetches."""

    kind: str  # its name: auditEvents, summary, teamApis or viewer
    field: FieldNode
    field_definition: GraphQLField


@dataclass(frozen=True)
class Plan:
    """A compiled operation: the fields whose data it fetches and what else it reads.

    Its writer takes a mapping from each root's kind to what was fetched for it, and
    `refreshed_at` (when the summaries were last refreshed, if anything asked)."""

    roots: tuple[Root, ...]
    document: DocumentNode
    operation: OperationDefinitionNode
    operation_name: str | None  # as the request named it
    count: bool  # the connection's totalCount is selected
    restricted: bool  # restrictedCount is selected
    refreshed: bool  # lastUpdatedAt (or a row's emptyReason) is selected
    flags: frozenset[str]  # the connection's page flags selected
    write: Writer  # {kind: fetched, "refreshed_at": ...} -> the response's `data`
    # Price and arguments by variables, for the requests to come (checks.Checked).
    checked: Checked = field(default_factory=Checked, compare=False)

    def root(self, kind: str) -> Root | None:
        """The root of `kind`, if the plan has one."""
        return next((r for r in self.roots if r.kind == kind), None)

    @classmethod
    def of(
        cls,
        c: Compiling,
        document: DocumentNode,
        operation: OperationDefinitionNode,
        operation_name: str | None,
        write: Writer,
    ) -> Plan:
        """The plan of an operation whose compiling found its roots (`c.roots`)."""
        return cls(
            tuple(Root(kind, node, definition) for kind, node, definition in c.roots),
            document,
            operation,
            operation_name,
            c.count,
            c.restricted,
            c.refreshed_at,
            frozenset(c.flags),
            write,
        )


def root_field(kind: str, fields: Mapping[str, FieldCompiler]) -> FieldCompiler:
    """A root of `kind` whose object has `fields`: written from what was fetched for it."""

    def compile_root(node: FieldNode, definition: GraphQLField, c: Compiling) -> Writer | None:
        if node.selection_set is None or not c.claim(kind, node, definition):
            return None
        inner = object_writer(node.selection_set, get_named_type(definition.type), fields, c)
        if inner is None:
            return None
        return lambda fetched: inner(fetched[kind])

    return compile_root


def leaf(get: Writer) -> FieldCompiler:
    """A scalar or enum field without arguments, written as `get` gives it."""

    def compile_leaf(node: FieldNode, _d: GraphQLField, _c: Compiling) -> Writer | None:
        return None if node.arguments or node.selection_set else get

    return compile_leaf


def enum_name(value: StrEnum | None) -> str | None:
    """An enum as GraphQL writes it (the schema's enums are named by their values)."""
    return None if value is None else value.value


def float_leaf(get: Writer) -> FieldCompiler:
    """A Float field: GraphQL writes a whole number given for it as a float."""

    def write(source: Any) -> float | None:
        value = get(source)
        return None if value is None else float(value)

    return leaf(write)


def object_field(
    fields: Mapping[str, FieldCompiler], get: Writer, *, many: bool = False
) -> FieldCompiler:
    """An object (or a list of them, `many`) without arguments, from `get`."""

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
    return _dict_writer(parts)


def _dict_writer(parts: list[tuple[str, Writer]]) -> Writer:
    """One function writing the object's dict literally, `{"key": writer(source), ...}`:
    a comprehension over the parts cost twice as much per row (a Team APIs page of 100
    has 500 values). Keys are GraphQL names, so they are safe to write into code."""
    items = ", ".join(f"{key!r}: w{i}(source)" for i, (key, _) in enumerate(parts))
    scope = {f"w{i}": write for i, (_, write) in enumerate(parts)}
    return cast(Writer, eval(f"lambda source: {{{items}}}", scope))


def _constant(value: str) -> Writer:
    return lambda _source: value


def single_query(
    document: DocumentNode, operation_name: str | None
) -> OperationDefinitionNode | None:
    """The document's one query operation, if that is all it holds and it is the one
    asked for; None otherwise (fragments, several operations, a mutation)."""
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if len(operations) != len(document.definitions) or len(operations) != 1:
        return None
    operation = operations[0]
    if operation.operation is not OperationType.QUERY or operation.directives:
        return None
    if operation_name is not None and (
        operation.name is None or operation.name.value != operation_name
    ):
        return None
    return operation
