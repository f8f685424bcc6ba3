"""Report types: figures only, built from what the report resolvers return."""

from __future__ import annotations

from datetime import date
from typing import Any

import strawberry
from strawberry import relay

from graphql_api.domain import enums as domain
from graphql_api.repositories.freshness import last_refreshed_at
from graphql_api.repositories.pagination import PageArgs
from graphql_api.repositories.reports.ranges import DayRange, Granularity, point_days
from graphql_api.repositories.reports.summary import EmptyReason as DomainEmptyReason
from graphql_api.repositories.reports.summary import SeriesPoint, SummaryData
from graphql_api.repositories.reports.team_apis import (
    TeamApiSort,
    api_count_statement,
    restricted_count,
    sorted_rows,
    team_api_subquery,
)
from graphql_api.schema.context import Info
from graphql_api.schema.directory.types import Api, Workspace
from graphql_api.schema.ordering import OrderDirection
from graphql_api.schema.paging import keyset_page
from graphql_api.schema.relay import KeysetConnection
from graphql_api.schema.reports.enums import EmptyReason
from graphql_api.schema.reports.inputs import TeamApiOrder


@strawberry.type(description="The days a report covers (UTC, inclusive).")
class DateRange:
    from_: date = strawberry.field(name="from", description="First day.")
    to: date = strawberry.field(description="Last day.")


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

    @strawberry.field(description="Drill-down: the Team APIs rows behind this point.")
    async def team_apis(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
        order_by: TeamApiOrder | None = None,
    ) -> TeamApiConnection:
        return await team_apis_connection(
            info, self.days, *self.sources, PageArgs(first, after, last, before), order_by
        )

    @classmethod
    def from_point(
        cls, point: SeriesPoint, days: DayRange, sources: tuple[list[str], list[str]]
    ) -> SummaryPoint:
        r = point.requests
        return cls(
            date=point.start,
            request_count=r.requests,
            error_rate=r.error_rate,
            avg_response_time_ms=r.avg_response_time_ms,
            p95_response_time_ms=r.p95_response_time_ms,
            uptime=point.uptime,
            days=days,
            sources=sources,
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
    def from_data(
        cls,
        data: SummaryData,
        days: DayRange,
        granularity: Granularity,
        sources: tuple[list[str], list[str]],
    ) -> SummaryReport:
        first, last = days.first, days.last
        t = data.totals.requests
        return cls(
            range=DateRange(from_=first, to=last),
            request_count=t.requests,
            error_rate=t.error_rate,
            avg_response_time_ms=t.avg_response_time_ms,
            p95_response_time_ms=t.p95_response_time_ms,
            avg_response_size_bytes=(
                t.response_size_bytes_sum / t.requests if t.requests else None
            ),
            uptime=data.totals.uptime,
            api_count=data.api_count,
            apis_with_tests=data.apis_with_tests,
            apis_with_documentation=data.apis_with_documentation,
            apis_with_monitor=data.apis_with_monitor,
            apis_with_mock=data.apis_with_mock,
            test_runs=data.test_runs,
            failed_test_runs=data.failed_test_runs,
            tests_passed=data.tests_passed,
            tests_failed=data.tests_failed,
            empty_reason=data.empty_reason,
            series=[
                SummaryPoint.from_point(p, point_days(p.start, granularity, days), sources)
                for p in data.series
            ],
        )


@strawberry.type(
    description="One API in the Team APIs report. When `restricted`, the viewer cannot "
    "access the API: its name, link and every figure are null, but it still counts."
)
class TeamApiRow:
    restricted: bool = strawberry.field(description="The viewer cannot access this API.")
    api: Api | None = strawberry.field(description="The API; null when restricted.")
    name: str | None = strawberry.field(description="The API's name; null when restricted.")
    request_count: int | None = strawberry.field(description="Requests in the range.")
    error_rate: float | None = strawberry.field(description="Share (0 to 1) answered 4xx/5xx.")
    avg_response_time_ms: float | None = strawberry.field(description="Average response time.")
    p95_response_time_ms: float | None = strawberry.field(
        description="95th percentile response time."
    )
    uptime: float | None = strawberry.field(
        description="Percent of successful runs of monitors running a linked collection."
    )
    failed_test_runs: int | None = strawberry.field(
        description="Runs of linked collections with a failed test."
    )
    has_documentation: bool | None = strawberry.field(description="Has a documentation link.")
    has_tests: bool | None = strawberry.field(description="Has a linked test collection.")
    has_monitor: bool | None = strawberry.field(description="Has a monitor link.")
    has_mock: bool | None = strawberry.field(description="Has a mock server link.")
    linked_collection_count: int | None = strawberry.field(
        description="Collections linked to the API."
    )
    empty_reason: EmptyReason | None = strawberry.field(
        description="Why the API has no requests, when it has none (null when restricted)."
    )

    @classmethod
    def from_row(cls, row: Any, refreshed: bool = True) -> TeamApiRow:
        readable = bool(row.readable)
        empty = None
        if readable and not row.request_count:
            if not row.linked_collection_count:
                empty = DomainEmptyReason.NO_LINKED_COLLECTION
            elif not refreshed:
                empty = DomainEmptyReason.NOT_REFRESHED_YET
            else:
                empty = DomainEmptyReason.NO_REQUESTS

        def flag(value: Any) -> bool | None:
            return None if value is None else bool(value)

        api = None
        if readable:
            api = Api(
                id=row.id,
                kind=domain.ElementKind.API,
                name=row.name,
                created_at=row.created_at,
                workspace_id=row.workspace_id,
                created_by_id=row.created_by_id,
            )
        return cls(
            restricted=not readable,
            api=api,
            name=row.name,
            request_count=row.request_count,
            error_rate=row.error_rate,
            avg_response_time_ms=row.avg_response_time_ms,
            p95_response_time_ms=row.p95_response_time_ms,
            uptime=row.uptime,
            failed_test_runs=row.failed_test_runs,
            has_documentation=flag(row.has_documentation),
            has_tests=flag(row.has_tests),
            has_monitor=flag(row.has_monitor),
            has_mock=flag(row.has_mock),
            linked_collection_count=row.linked_collection_count,
            empty_reason=empty,
        )


@strawberry.type(name="TeamApiEdge", description="A row of the Team APIs report.")
class TeamApiEdge(relay.Edge[TeamApiRow]):  # type: ignore[type-var]
    pass


@strawberry.type(description="A page of the Team APIs report.")
class TeamApiConnection(KeysetConnection[TeamApiRow]):  # type: ignore[type-var]
    edges: list[TeamApiEdge] = strawberry.field(description="The rows of this page.")  # type: ignore[assignment]
    restricted_count: int = strawberry.field(
        description="How many APIs the viewer cannot access (counted, never named)."
    )


@strawberry.type(description="Views, watchers and forks of one public workspace in the range.")
class PublicWorkspaceMetric:
    workspace: Workspace = strawberry.field(description="The public workspace.")
    name: str = strawberry.field(description="The workspace's name.")
    views: int = strawberry.field(description="Views in the range.")
    watchers: int = strawberry.field(description="New watchers in the range.")
    forks: int = strawberry.field(description="Forks in the range.")

    @classmethod
    def from_row(cls, row: Any) -> PublicWorkspaceMetric:
        return cls(
            workspace=Workspace.from_row(row),
            name=row.name,
            views=int(row.views),
            watchers=int(row.watchers),
            forks=int(row.forks),
        )


@strawberry.type(description="A page of public workspace metrics.")
class PublicWorkspaceMetricConnection(KeysetConnection[PublicWorkspaceMetric]):  # type: ignore[type-var]
    pass


def team_api_order(order_by: TeamApiOrder | None) -> tuple[TeamApiSort, bool]:
    """The sort and direction asked for; by request count, largest first, by default."""
    if order_by is None:
        return TeamApiSort.REQUEST_COUNT, True
    return TeamApiSort(order_by.field.value), order_by.direction is OrderDirection.DESC


async def team_apis_connection(
    info: Info,
    days: DayRange,
    request_sources: list[str],
    test_sources: list[str],
    args: PageArgs,
    order_by: TeamApiOrder | None,
) -> TeamApiConnection:
    """The Team APIs rows over `days`, masked and sorted as asked."""
    ctx = info.context
    field, descending = team_api_order(order_by)
    rows = team_api_subquery(ctx.viewer, days, request_sources, test_sources)
    statement, sort = sorted_rows(rows, field, descending)
    fetched, count = await keyset_page(
        info, statement, sort, args, count_statement=api_count_statement(ctx.viewer)
    )
    async with ctx.db() as session:
        hidden = await restricted_count(session, ctx.viewer)
        refreshed = await last_refreshed_at(session) is not None
    return TeamApiConnection.from_page(
        fetched,
        lambda row: TeamApiRow.from_row(row, refreshed),
        count,
        edge_class=TeamApiEdge,
        restricted_count=hidden,
    )
