"""What every plan checks before it reads: the operation's price and its arguments."""

from __future__ import annotations

from typing import Any

from graphql import DocumentNode, FieldNode, GraphQLField, GraphQLSchema, OperationDefinitionNode
from graphql.execution.values import get_argument_values, get_variable_values

from graphql_api.config import Settings
from graphql_api.schema.cost import CostCalculator, Price


class NotCompiled(Exception):
    """This request is for strawberry to answer (it will say what is wrong, if anything)."""


def checked_price(
    schema: GraphQLSchema,
    document: DocumentNode,
    operation_name: str | None,
    variables: dict[str, Any],
    settings: Settings,
) -> Price:
    """The operation's cost as the cost limiter prices it; NotCompiled over a limit."""
    price = CostCalculator(
        schema,
        document,
        variables,
        default_page_size=settings.default_page_size,
        max_page_size=settings.max_page_size,
    ).price(operation_name)
    if price.cost > settings.max_query_cost or price.connections > settings.max_connections:
        raise NotCompiled
    return price


def argument_values(
    schema: GraphQLSchema,
    operation: OperationDefinitionNode,
    node: FieldNode,
    definition: GraphQLField,
    variables: dict[str, Any],
) -> dict[str, Any]:
    """`node`'s arguments, coerced as the executor coerces them (by GraphQL name)."""
    coerced = get_variable_values(schema, operation.variable_definitions or (), variables)
    if isinstance(coerced, list):
        raise NotCompiled
    return get_argument_values(definition, node, coerced)
