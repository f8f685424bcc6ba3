"""Compiling `team { reports { summary(...) { ... } lastUpdatedAt } }` into a plan.

The Summary's figures are read as the executor reads them (the same one
statement) and written straight from them: every field but the series
points' drill-downs (`teamApis`), which leave the operation to the executor.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from operator import attrgetter

from graphql_api.compiled.writers import (
    FieldCompiler,
    enum_name,
    float_leaf,
    leaf,
    object_field,
    root_field,
)
from graphql_api.repositories.reports.ranges import DayRange
from graphql_api.repositories.reports.summary import SummaryData


@dataclass(frozen=True)
class SummaryFetched:
    """What a Summary plan read: the report (with when the summaries were last refreshed,
    `lastUpdatedAt`) and its days."""

    data: SummaryData
    days: DayRange

    @property
    def refreshed_at(self) -> datetime | None:
        """When the summaries were last refreshed, read in the same statement."""
        return self.data.refreshed_at


def _figures(name: str) -> FieldCompiler:
    """A request figure of the report's totals (strawberry writes the same property)."""
    get = attrgetter(f"data.totals.requests.{name}")
    return leaf(get) if name == "requests" else float_leaf(get)


def _point_figure(name: str) -> FieldCompiler:
    get = attrgetter(f"requests.{name}")
    return leaf(get) if name == "requests" else float_leaf(get)


def _count(name: str) -> FieldCompiler:
    return leaf(attrgetter(f"data.{name}"))


RANGE: dict[str, FieldCompiler] = {
    "from": leaf(lambda days: days.first.isoformat()),
    "to": leaf(lambda days: days.last.isoformat()),
}

POINT: dict[str, FieldCompiler] = {
    "date": leaf(lambda point: point.start.isoformat()),
    "requestCount": _point_figure("requests"),
    "errorRate": _point_figure("error_rate"),
    "avgResponseTimeMs": _point_figure("avg_response_time_ms"),
    "p95ResponseTimeMs": _point_figure("p95_response_time_ms"),
    "uptime": float_leaf(attrgetter("uptime")),
}

REPORT: dict[str, FieldCompiler] = {
    "range": object_field(RANGE, attrgetter("days")),
    "requestCount": _figures("requests"),
    "errorRate": _figures("error_rate"),
    "avgResponseTimeMs": _figures("avg_response_time_ms"),
    "p95ResponseTimeMs": _figures("p95_response_time_ms"),
    "avgResponseSizeBytes": _figures("avg_response_size_bytes"),
    "uptime": float_leaf(attrgetter("data.totals.uptime")),
    "apiCount": _count("api_count"),
    "apisWithTests": _count("apis_with_tests"),
    "apisWithDocumentation": _count("apis_with_documentation"),
    "apisWithMonitor": _count("apis_with_monitor"),
    "apisWithMock": _count("apis_with_mock"),
    "testRuns": _count("test_runs"),
    "failedTestRuns": _count("failed_test_runs"),
    "testsPassed": _count("tests_passed"),
    "testsFailed": _count("tests_failed"),
    "emptyReason": leaf(lambda fetched: enum_name(fetched.data.empty_reason)),
    "series": object_field(POINT, attrgetter("data.series"), many=True),
}


summary = root_field("summary", REPORT)
