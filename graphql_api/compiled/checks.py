"""What every plan checks before it reads: the operation's price and its arguments."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from datetime import date
from typing import Any, TypeVar

import orjson
from graphql import DocumentNode, FieldNode, GraphQLField, GraphQLSchema, OperationDefinitionNode
from graphql.execution.values import get_argument_values, get_variable_values
from strawberry.types.arguments import convert_arguments

from graphql_api.auth.gates import require_report_reader
from graphql_api.auth.viewer import Viewer
from graphql_api.config import Settings
from graphql_api.errors import ApiError
from graphql_api.repositories.reports.ranges import DayRange
from graphql_api.schema.cost import CostCalculator, Price
from graphql_api.schema.reports.connections import days_asked, report_sources


class NotCompiled(Exception):
    """This request is for strawberry to answer (it will say what is wrong, if anything)."""


T = TypeVar("T")


class Checked:
    """What one plan worked out from the variables of its recent requests: the
    operation's price and each root's coerced arguments, by name.

    Both are pure functions of the document and the variables, so a request whose
    variables were seen lately skips coercing and pricing them again (about a fifth
    of a compiled report request's own time, issue 10). What depends on the viewer or
    the day (gates, days, retention) is still worked out per request. The last
    `size` sets of variables are kept; hits and misses are counted for /metrics."""

    hits = 0
    misses = 0

    def __init__(self, size: int = 64) -> None:
        self.size = size
        self._entries: OrderedDict[bytes, dict[str, Any]] = OrderedDict()

    def entry(self, key: bytes | None) -> dict[str, Any]:
        """The worked-out values of the variables written as `key` (`written_variables`)
        so far: an empty dict the first time, filled by `remembered`."""
        if key is None:  # variables orjson cannot write: not kept
            return {}
        found = self._entries.get(key)
        if found is not None:
            Checked.hits += 1
            self._entries.move_to_end(key)
            return found
        Checked.misses += 1
        found = self._entries[key] = {}
        while len(self._entries) > self.size:
            self._entries.popitem(last=False)
        return found


def written_variables(variables: dict[str, Any]) -> bytes | None:
    """A request's variables written down canonically (keys sorted), what a plan's
    recent variables and kept report answers are found by; None when orjson cannot
    write them (an integer past 64 bits)."""
    try:
        return orjson.dumps(variables, option=orjson.OPT_SORT_KEYS)
    except orjson.JSONEncodeError:
        return None


def remembered(entry: dict[str, Any], name: str, work_out: Callable[[], T]) -> T:
    """`entry[name]`, worked out once (an exception leaves nothing behind)."""
    if name not in entry:
        entry[name] = work_out()
    value: T = entry[name]
    return value


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


def resolver_arguments(
    strawberry_schema: Any,
    type_name: str,
    operation: OperationDefinitionNode,
    node: FieldNode,
    definition: GraphQLField,
    variables: dict[str, Any],
) -> dict[str, Any]:
    """The keyword arguments strawberry would pass the resolver of `node` (a field of
    `type_name`): its input objects and enums built by strawberry from the same values."""
    values = argument_values(strawberry_schema._schema, operation, node, definition, variables)
    field = strawberry_schema.get_field_for_type(node.name.value, type_name)
    return convert_arguments(
        values,
        field.arguments,
        scalar_registry=strawberry_schema.schema_converter.scalar_registry,
        config=strawberry_schema.config,
    )


def report_arguments(
    strawberry_schema: Any,
    operation: OperationDefinitionNode,
    node: FieldNode,
    definition: GraphQLField,
    variables: dict[str, Any],
    *,
    viewer: Viewer,
    today: date,
    entry: dict[str, Any],
) -> tuple[dict[str, Any], DayRange, tuple[list[str], list[str]]]:
    """A report field's resolver arguments (remembered in `entry`, a `Checked` entry),
    with its gate checked and its days and sources worked out as the resolvers do;
    NotCompiled where they would refuse."""
    kwargs = remembered(
        entry,
        node.name.value,
        lambda: resolver_arguments(
            strawberry_schema, "Reports", operation, node, definition, variables
        ),
    )
    try:
        require_report_reader(viewer)
        days = days_asked(kwargs.get("range"), today)
        sources = report_sources(kwargs.get("sources"))
    except ApiError as exc:
        raise NotCompiled from exc
    return kwargs, days, sources
