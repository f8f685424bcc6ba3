"""The query-cost gate: refuse an operation over the maximum before it runs, and report
every operation's cost in `extensions.cost`."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from graphql import DocumentNode, GraphQLError, OperationDefinitionNode
from graphql import ExecutionResult as GraphQLExecutionResult
from strawberry.extensions import SchemaExtension

from graphql_api.config import Settings
from graphql_api.errors import ErrorCode
from graphql_api.schema.cost import CostCalculator


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


class QueryCostLimiter(SchemaExtension):
    """Computes the cost with the request's variables; over the maximum: QUERY_TOO_COMPLEX."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.cost: int | None = None

    def on_execute(self) -> Iterator[None]:
        context = self.execution_context
        document = context.graphql_document
        if document is not None:
            self.cost = CostCalculator(
                context.schema._schema,
                document,
                context.variables,
                default_page_size=self.settings.default_page_size,
                max_page_size=self.settings.max_page_size,
            ).cost(context.operation_name)
            fields = getattr(context.context, "log_fields", None)
            if isinstance(fields, dict):
                fields["cost"] = self.cost
                fields["operation"] = operation_name(document, context.operation_name)
            if self.cost > self.settings.max_query_cost:
                context.result = GraphQLExecutionResult(
                    data=None,
                    errors=[
                        GraphQLError(
                            f"Query cost {self.cost} exceeds the maximum of "
                            f"{self.settings.max_query_cost}: ask for smaller pages or fewer "
                            "nested connections.",
                            extensions={
                                "code": ErrorCode.QUERY_TOO_COMPLEX.value,
                                "cost": self.cost,
                                "maximumCost": self.settings.max_query_cost,
                            },
                        )
                    ],
                )
        yield

    def get_results(self) -> dict[str, Any]:
        if self.cost is None:
            return {}
        return {"cost": self.cost, "costLimit": self.settings.max_query_cost}
