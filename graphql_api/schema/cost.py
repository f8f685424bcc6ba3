"""Query cost (CONTRACT section 9), computed from the document before anything runs.

As on GitHub, a connection costs its page size times what each of its items
holds: `team { auditEvents(first: 100) { nodes { actor { user { name } } } } }`
is 1 (team) + 1 + 100 x 3. An object field costs 1 plus its selections, a
scalar nothing. `pageInfo` and `totalCount` are not multiplied. Lists that
are not connections count once (their length is not known in advance);
`nodes(ids:)` counts each id.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    ListValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    VariableNode,
    get_named_type,
)

# Fields of a connection that describe the page, not its items.
_PAGE_FIELDS = frozenset({"pageInfo", "totalCount", "restrictedCount", "__typename"})


def _argument(field: FieldNode, name: str, variables: Mapping[str, Any]) -> Any:
    for argument in field.arguments or ():
        if argument.name.value != name:
            continue
        value = argument.value
        if isinstance(value, VariableNode):
            return variables.get(value.name.value)
        if isinstance(value, IntValueNode):
            return int(value.value)
        if isinstance(value, ListValueNode):
            return list(value.values)
        return None
    return None


class CostCalculator:
    """Walks one operation with the schema's types; `cost()` gives its total."""

    def __init__(
        self,
        schema: GraphQLSchema,
        document: DocumentNode,
        variables: Mapping[str, Any] | None,
        *,
        default_page_size: int,
        max_page_size: int,
    ) -> None:
        self.schema = schema
        self.document = document
        self.variables = variables or {}
        self.default_page_size = default_page_size
        self.max_page_size = max_page_size
        self.fragments = {
            d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
        }

    def cost(self, operation_name: str | None) -> int:
        """The cost of the operation that would run (0 if none can be found)."""
        operations = [
            d for d in self.document.definitions if isinstance(d, OperationDefinitionNode)
        ]
        if operation_name is not None:
            operations = [o for o in operations if o.name and o.name.value == operation_name]
        if len(operations) != 1:
            return 0  # validation reports the problem
        operation = operations[0]
        root = self.schema.get_root_type(operation.operation)
        if root is None:
            return 0
        return self._selections(operation.selection_set, root, frozenset())

    def _page_size(self, field: FieldNode) -> int:
        for name in ("first", "last"):
            value = _argument(field, name, self.variables)
            if isinstance(value, int) and not isinstance(value, bool):
                return max(0, min(value, self.max_page_size))
        return self.default_page_size

    def _selections(
        self, selection_set: SelectionSetNode, parent: Any, seen: frozenset[str]
    ) -> int:
        total = 0
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                total += self._field(selection, parent, seen)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                inner = self.schema.get_type(condition.name.value) if condition else parent
                total += self._selections(selection.selection_set, inner or parent, seen)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                fragment = self.fragments.get(name)
                if fragment is None or name in seen:  # validation rejects cycles
                    continue
                inner = self.schema.get_type(fragment.type_condition.name.value)
                total += self._selections(fragment.selection_set, inner or parent, seen | {name})
        return total

    def _field(self, field: FieldNode, parent: Any, seen: frozenset[str]) -> int:
        if field.selection_set is None or field.name.value.startswith("__"):
            return 0
        if not isinstance(parent, GraphQLObjectType | GraphQLInterfaceType):
            return 0
        definition = parent.fields.get(field.name.value)
        if definition is None:
            return 0
        named = get_named_type(definition.type)
        if named.name.endswith("Connection") and "first" in definition.args:
            items, page = 0, 0
            for selection in field.selection_set.selections:
                if isinstance(selection, FieldNode) and selection.name.value in _PAGE_FIELDS:
                    page += self._field(selection, named, seen)
                else:
                    items += self._selections(
                        SelectionSetNode(selections=(selection,)), named, seen
                    )
            return 1 + page + self._page_size(field) * items
        inner = self._selections(field.selection_set, named, seen)
        if field.name.value == "nodes" and parent is self.schema.query_type:
            ids = _argument(field, "ids", self.variables)
            return 1 + (len(ids) if isinstance(ids, list) else 1) * inner
        return 1 + inner
