"""Writers: a compiled operation's response, built field by field once, run per request.

Compiling walks the operation's selections with a map per GraphQL type from
field name to a `FieldCompiler`; each returns the `Writer` of its field's JSON
value from the object fetched for its parent, or None when it cannot (an
argument, a directive, a field the map does not hold), and then the whole
operation is left to strawberry's executor.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

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

Writer = Callable[[Any], Any]
# Compiles one field (its node and definition) into the writer of its value, or None.
FieldCompiler = Callable[[FieldNode, GraphQLField, "Compiling"], Writer | None]


class Compiling:
    """What compiling one operation has found so far: the one field whose data the plan
    fetches (`root`: its kind, node and definition), and what else it must read."""

    def __init__(self) -> None:
        self.root: tuple[str, FieldNode, GraphQLField] | None = None
        self.count = False
        self.flags: set[str] = set()
        self.refreshed_at = False
        self.restricted = False

    def claim(self, kind: str, node: FieldNode, definition: GraphQLField) -> bool:
        """Make `node` the plan's root; False if the operation already has one."""
        if self.root is not None:
            return False
        self.root = (kind, node, definition)
        return True


@dataclass(frozen=True)
class Plan:
    """A compiled operation: the field whose data it fetches and what else it reads."""

    kind: str  # the root field's name: auditEvents, summary or teamApis
    document: DocumentNode
    operation: OperationDefinitionNode
    operation_name: str | None  # as the request named it
    field: FieldNode
    field_definition: GraphQLField
    count: bool  # totalCount is selected
    restricted: bool  # restrictedCount is selected
    refreshed: bool  # lastUpdatedAt (or a row's emptyReason) is selected
    flags: frozenset[str]  # the page flags selected
    write: Writer  # what was fetched -> the response's `data`

    @classmethod
    def of(
        cls,
        c: Compiling,
        document: DocumentNode,
        operation: OperationDefinitionNode,
        operation_name: str | None,
        write: Writer,
    ) -> Plan:
        """The plan of an operation whose compiling found a root (`c.root`)."""
        assert c.root is not None
        kind, node, definition = c.root
        return cls(
            kind,
            document,
            operation,
            operation_name,
            node,
            definition,
            c.count,
            c.restricted,
            c.refreshed_at,
            frozenset(c.flags),
            write,
        )


def leaf(get: Writer) -> FieldCompiler:
    """A scalar or enum field without arguments, written as `get` gives it."""

    def compile_leaf(node: FieldNode, _d: GraphQLField, _c: Compiling) -> Writer | None:
        return None if node.arguments or node.selection_set else get

    return compile_leaf


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
    frozen = tuple(parts)
    return lambda source: {key: write(source) for key, write in frozen}


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
