"""Compiling `team { reports { teamApis(...) { ... } } }` into a plan.

The page is read as the executor reads it (the same sorted, masked statement and
keyset), with its count, the restricted count and the refresh time only when a
field asks for them. Every row field compiles but `api` (an Element node), which
leaves the operation to the executor.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from operator import attrgetter
from typing import Any

from graphql import (
    FieldNode,
    GraphQLField,
)

from graphql_api.compiled.connections import connection_fields
from graphql_api.compiled.writers import (
    Compiling,
    FieldCompiler,
    Writer,
    enum_name,
    float_leaf,
    leaf,
    root_field,
)
from graphql_api.repositories.pagination import Page
from graphql_api.schema.reports.types import why_team_api_is_empty


@dataclass(frozen=True)
class TeamApisFetched:
    """What a Team APIs plan read: the page, and what else its fields asked for."""

    page: Page[Any]
    count: int | None
    restricted: int | None
    refreshed_at: datetime | None


def _column(name: str) -> Writer:
    """A column of the node's row. A node is (row, fetched): a row's empty reason
    depends on the refresh."""
    get = attrgetter(name)
    return lambda node: get(node[0])


def _float(name: str) -> FieldCompiler:
    return float_leaf(_column(name))


def _flag(name: str) -> FieldCompiler:
    get = _column(name)

    def write(node: Any) -> bool | None:
        value = get(node)
        return None if value is None else bool(value)

    return leaf(write)


def _empty_reason(node: FieldNode, definition: GraphQLField, c: Compiling) -> Writer | None:
    c.refreshed_at = True

    def write(pair: Any) -> str | None:
        row, fetched = pair
        if not row.readable:
            return None
        return enum_name(why_team_api_is_empty(row, fetched.refreshed_at is not None))

    return leaf(write)(node, definition, c)


ROW: dict[str, FieldCompiler] = {
    "restricted": leaf(lambda node: not node[0].readable),
    "name": leaf(_column("name")),
    "requestCount": leaf(_column("request_count")),
    "errorRate": _float("error_rate"),
    "avgResponseTimeMs": _float("avg_response_time_ms"),
    "p95ResponseTimeMs": _float("p95_response_time_ms"),
    "uptime": _float("uptime"),
    "failedTestRuns": leaf(_column("failed_test_runs")),
    "hasDocumentation": _flag("has_documentation"),
    "hasTests": _flag("has_tests"),
    "hasMonitor": _flag("has_monitor"),
    "hasMock": _flag("has_mock"),
    "linkedCollectionCount": leaf(_column("linked_collection_count")),
    "emptyReason": _empty_reason,
}


def _restricted_count(node: FieldNode, definition: GraphQLField, c: Compiling) -> Writer | None:
    c.restricted = True
    return leaf(attrgetter("restricted"))(node, definition, c)


CONNECTION: dict[str, FieldCompiler] = {
    **connection_fields(ROW, lambda fetched, row: (row, fetched)),
    "restrictedCount": _restricted_count,
}


team_apis = root_field("teamApis", CONNECTION)
