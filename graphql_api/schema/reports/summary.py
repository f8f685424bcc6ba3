"""The Summary report as GraphQL types."""

from __future__ import annotations

from datetime import date

import strawberry

from graphql_api.repositories.pagination import PageArgs
from graphql_api.repositories.reports.points import Series
from graphql_api.repositories.reports.ranges import DayRange, Granularity, point_days
from graphql_api.repositories.reports.summary import SeriesPoint, SummaryData
from graphql_api.schema.context import Info
from graphql_api.schema.reports import connections, drilldowns
from graphql_api.schema.reports.enums import EmptyReason
from graphql_api.schema.reports.inputs import TeamApiOrder
from graphql_api.schema.reports.types import DateRange


@strawberry.type(description="One point of the Summary series.")
class SummaryPoint:
    date: date = strawberry.field(description="First day of the point (UTC).")
    request_count: int = strawberry.field(description="Requests in the point.")
    error_rate: float | None = strawberry.field(
        description="Share (0 to 1) answered 4xx or 5xx; null without requests."
    )
    avg_response_time_ms: float | None = strawberry.field(description="Average response time.")
    p95_response_time_ms: float | None = strawberry.field(
        description="95th percentile response time, from fixed histogram buckets."
    )
    uptime: float | None = strawberry.field(
        description="Percent (0 to 100) of monitor runs that succeeded; null without runs."
    )
    days: strawberry.Private[DayRange]
    sources: strawberry.Private[tuple[list[str], list[str]]]
    # Every point of the series, so one batch loads all their drill-downs.
    series: strawberry.Private[Series | None] = None

    @strawberry.field(description="Drill-down: the Team APIs rows behind this point.")
    async def team_apis(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
        order_by: TeamApiOrder | None = None,
    ) -> connections.TeamApiConnection:
        return await drilldowns.team_apis(
            info,
            self.days,
            self.series,
            self.sources,
            PageArgs(first, after, last, before),
            order_by,
        )

    @classmethod
    def from_row(
        cls,
        row: SeriesPoint,
        days: DayRange,
        sources: tuple[list[str], list[str]],
        series: Series | None = None,
    ) -> SummaryPoint:
        """`days`: the point's own days; `sources` as `connections.report_sources` gives them;
        `series`: every point of the series."""
        r = row.requests
        return cls(
            date=row.start,
            request_count=r.requests,
            error_rate=r.error_rate,
            avg_response_time_ms=r.avg_response_time_ms,
            p95_response_time_ms=r.p95_response_time_ms,
            uptime=row.uptime,
            days=days,
            sources=sources,
            series=series,
        )


@strawberry.type(
    description="The team at a glance. Totals count every element, including those the "
    "viewer cannot access."
)
class SummaryReport:
    range: DateRange = strawberry.field(description="The days covered.")
    request_count: int = strawberry.field(description="Requests from the selected sources.")
    error_rate: float | None = strawberry.field(description="Share (0 to 1) answered 4xx/5xx.")
    avg_response_time_ms: float | None = strawberry.field(description="Average response time.")
    p95_response_time_ms: float | None = strawberry.field(
        description="95th percentile response time."
    )
    avg_response_size_bytes: float | None = strawberry.field(description="Average response size.")
    uptime: float | None = strawberry.field(description="Percent of monitor runs that succeeded.")
    api_count: int = strawberry.field(description="APIs in the team (restricted ones included).")
    apis_with_tests: int = strawberry.field(description="APIs with a linked test collection.")
    apis_with_documentation: int = strawberry.field(description="APIs with documentation.")
    apis_with_monitor: int = strawberry.field(description="APIs with a monitor.")
    apis_with_mock: int = strawberry.field(description="APIs with a mock server.")
    test_runs: int = strawberry.field(description="Test runs (collection runs by default).")
    failed_test_runs: int = strawberry.field(description="Test runs with a failed test.")
    tests_passed: int = strawberry.field(description="Tests that passed, over those runs.")
    tests_failed: int = strawberry.field(description="Tests that failed, over those runs.")
    empty_reason: EmptyReason | None = strawberry.field(
        description="Why there are no requests, when there are none."
    )
    series: list[SummaryPoint] = strawberry.field(
        description="The figures per day, week or month, every point of the range present."
    )

    @classmethod
    def from_row(
        cls,
        row: SummaryData,
        days: DayRange,
        granularity: Granularity,
        sources: tuple[list[str], list[str]],
    ) -> SummaryReport:
        """`sources` as `connections.report_sources` gives them, for the drill-downs."""
        t = row.totals.requests
        points = [point_days(p.start, granularity, days) for p in row.series]
        series = Series((point, None) for point in points)
        return cls(
            range=DateRange(from_=days.first, to=days.last),
            request_count=t.requests,
            error_rate=t.error_rate,
            avg_response_time_ms=t.avg_response_time_ms,
            p95_response_time_ms=t.p95_response_time_ms,
            avg_response_size_bytes=t.avg_response_size_bytes,
            uptime=row.totals.uptime,
            api_count=row.api_count,
            apis_with_tests=row.apis_with_tests,
            apis_with_documentation=row.apis_with_documentation,
            apis_with_monitor=row.apis_with_monitor,
            apis_with_mock=row.apis_with_mock,
            test_runs=row.test_runs,
            failed_test_runs=row.failed_test_runs,
            tests_passed=row.tests_passed,
            tests_failed=row.tests_failed,
            empty_reason=row.empty_reason,
            series=[
                SummaryPoint.from_row(p, point, sources, series)
                for p, point in zip(row.series, points, strict=True)
            ],
        )
