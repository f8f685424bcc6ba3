"""The gates an operation passes before it costs anything: its size (tokens, fields once
fragments are expanded) before parsing and validation, and its cost before it runs;
every operation's cost is reported in `extensions.cost`."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
)
from graphql import ExecutionResult as GraphQLExecutionResult
from strawberry.extensions import SchemaExtension

from graphql_api.config import Settings
from graphql_api.errors import ErrorCode
from graphql_api.schema.cost import CostCalculator, Price


def operation_name(document: DocumentNode, given: str | None) -> str | None:
    """The name of the operation that runs: the one asked for, or the only one's."""
    if given:
        return given
    names = [
        d.name.value if d.name else None
        for d in document.definitions
        if isinstance(d, OperationDefinitionNode)
    ]
    return names[0] if len(names) == 1 else None


# Fields an operation may hold once its fragments are expanded. Validation rules
# (depth, overlapping fields) walk the expanded tree, so a fragment that spreads
# itself twice n levels deep is 2^n fields of work hidden in a few hundred bytes.
MAX_EXPANDED_FIELDS = 10_000


def expanded_field_count(document: DocumentNode) -> int:
    """How many fields the document's operations select once every fragment is expanded
    (each fragment counted once per spread; a cycle, refused by validation, counts 0)."""
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    sizes: dict[str, int] = {}
    open_fragments: set[str] = set()

    def size(selection_set: SelectionSetNode | None) -> int:
        total = 0
        for selection in selection_set.selections if selection_set else ():
            if isinstance(selection, FieldNode):
                total += 1 + size(selection.selection_set)
            elif isinstance(selection, InlineFragmentNode):
                total += size(selection.selection_set)
            elif isinstance(selection, FragmentSpreadNode):
                total += fragment_size(selection.name.value)
            if total > MAX_EXPANDED_FIELDS:  # no need to count further
                return total
        return total

    def fragment_size(name: str) -> int:
        if name not in sizes:
            fragment = fragments.get(name)
            if fragment is None or name in open_fragments:
                return 0
            open_fragments.add(name)
            sizes[name] = size(fragment.selection_set)
            open_fragments.discard(name)
        return sizes[name]

    return sum(
        size(d.selection_set)
        for d in document.definitions
        if isinstance(d, OperationDefinitionNode)
    )


def too_complex(message: str, **extensions: Any) -> GraphQLError:
    """A QUERY_TOO_COMPLEX error: the client must ask for less."""
    return GraphQLError(
        message, extensions={"code": ErrorCode.QUERY_TOO_COMPLEX.value, **extensions}
    )


class DocumentSizeLimiter(SchemaExtension):
    """Bounds a document before the work that grows with it: tokens while parsing (the
    parser stops at the limit), fields after fragment expansion before validation."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def on_operation(self) -> Iterator[None]:
        self.execution_context.parse_options["max_tokens"] = self.settings.max_tokens
        yield

    def on_validate(self) -> Iterator[None]:
        document = self.execution_context.graphql_document
        if document is not None and expanded_field_count(document) > MAX_EXPANDED_FIELDS:
            # Raised rather than recorded, so that no validation rule runs at all.
            raise too_complex(
                f"The operation selects more than {MAX_EXPANDED_FIELDS} fields once its "
                "fragments are expanded.",
                maximumFields=MAX_EXPANDED_FIELDS,
            )
        yield


class QueryCostLimiter(SchemaExtension):
    """Computes the cost with the request's variables; over the maximum: QUERY_TOO_COMPLEX."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.cost: int | None = None

    def on_execute(self) -> Iterator[None]:
        context = self.execution_context
        document = context.graphql_document
        if document is not None:
            price = CostCalculator(
                context.schema._schema,
                document,
                context.variables,
                default_page_size=self.settings.default_page_size,
                max_page_size=self.settings.max_page_size,
            ).price(context.operation_name)
            self.cost = price.cost
            fields = getattr(context.context, "log_fields", None)
            if isinstance(fields, dict):
                fields["cost"] = self.cost
                fields["operation"] = operation_name(document, context.operation_name)
            refusal = self._refusal(price)
            if refusal is not None:
                context.result = GraphQLExecutionResult(data=None, errors=[refusal])
        yield

    def _refusal(self, price: Price) -> GraphQLError | None:
        maximum = self.settings.max_query_cost
        if price.cost > maximum:
            return too_complex(
                f"Query cost {price.cost} exceeds the maximum of {maximum}: ask for smaller "
                "pages, shorter ranges or fewer nested connections.",
                cost=price.cost,
                maximumCost=maximum,
            )
        most = self.settings.max_connections
        if price.connections > most:
            return too_complex(
                f"The operation opens {price.connections} connections; at most {most} are "
                "served at once. A series repeats its drill-downs once per point (and kind), "
                "each with its own statements: use a coarser granularity or a shorter range, "
                "or ask for one point's drill-down.",
                cost=price.cost,
                connections=price.connections,
                maximumConnections=most,
            )
        return None

    def get_results(self) -> dict[str, Any]:
        if self.cost is None:
            return {}
        return {"cost": self.cost, "costLimit": self.settings.max_query_cost}
