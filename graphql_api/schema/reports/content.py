"""The Content activity report as GraphQL types."""

from __future__ import annotations

from datetime import date
from typing import Any

import strawberry

from graphql_api.domain import enums as domain
from graphql_api.repositories.pagination import PageArgs
from graphql_api.repositories.reports.content import ApiUsage, ContentActivity
from graphql_api.repositories.reports.points import Series
from graphql_api.repositories.reports.ranges import DayRange, Granularity, point_days
from graphql_api.schema.context import Info
from graphql_api.schema.directory.enums import ElementKind
from graphql_api.schema.directory.types import Api, User, element_from_row, load_user
from graphql_api.schema.reports import connections, drilldowns
from graphql_api.schema.reports.types import DateRange


@strawberry.type(description="Content events per action.")
class ContentActionCounts:
    created: int = strawberry.field(description="Elements created.")
    updated: int = strawberry.field(description="Elements updated.")
    deleted: int = strawberry.field(description="Elements deleted.")
    forked: int = strawberry.field(description="Elements forked.")
    merged: int = strawberry.field(description="Forks merged.")
    commented: int = strawberry.field(description="Comments left.")

    @classmethod
    def from_row(cls, row: dict[str, int]) -> ContentActionCounts:
        """`row`: events per action, as ContentActivity counts them."""
        return cls(**{action.lower(): n for action, n in row.items()})


@strawberry.type(description="Content events of one element kind on one point of the series.")
class ContentActivityPoint:
    date: date = strawberry.field(description="First day of the point (UTC).")
    kind: ElementKind = strawberry.field(description="The element kind.")
    counts: ContentActionCounts = strawberry.field(description="Events per action.")
    days: strawberry.Private[DayRange]
    element_id: strawberry.Private[str | None]
    # Every point of the series, so one batch loads all their drill-downs.
    series: strawberry.Private[Series | None] = None

    @strawberry.field(
        description="Drill-down: the elements of this kind with events in this point, most "
        "first; restricted ones masked and last."
    )
    async def elements(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> connections.ContentElementConnection:
        return await drilldowns.content_elements(
            info,
            self.days,
            self.kind.value,
            self.series,
            self.element_id,
            PageArgs(first, after, last, before),
        )


@strawberry.type(description="Responses of one status class (2 for 2xx ... 5 for 5xx).")
class StatusClassCount:
    status_class: int = strawberry.field(description="2, 3, 4 or 5: the first digit.")
    count: int = strawberry.field(description="Responses in that class.")


@strawberry.type(
    description="Content activity, team-wide or for one API. Totals and series count every "
    "element, including those the viewer cannot access."
)
class ContentActivityReport:
    range: DateRange = strawberry.field(description="The days covered.")
    totals: ContentActionCounts = strawberry.field(description="Events per action.")
    series: list[ContentActivityPoint] = strawberry.field(
        description="Events per point of the series and element kind."
    )
    api: Api | None = strawberry.field(description="The API, when the report is for one.")
    request_count: int | None = strawberry.field(description="The API's requests.")
    error_rate: float | None = strawberry.field(description="Share answered 4xx or 5xx.")
    avg_response_time_ms: float | None = strawberry.field(description="Average response time.")
    avg_response_size_bytes: float | None = strawberry.field(description="Average response size.")
    failed_test_runs: int | None = strawberry.field(
        description="Runs of the API's collections with a failed test."
    )
    response_codes: list[StatusClassCount] | None = strawberry.field(
        description="The API's responses per status class."
    )
    days: strawberry.Private[DayRange]
    element_id: strawberry.Private[str | None]
    creator_id: strawberry.Private[str | None]

    @strawberry.field(description="Who created the API, when the report is for one.")
    async def creator(self, info: Info) -> User | None:
        return await load_user(info, self.creator_id)

    @strawberry.field(description="Elements with the most content events, most first.")
    async def top_elements(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> connections.ContentElementConnection:
        return await connections.content_elements(
            info, self.days, self.element_id, PageArgs(first, after, last, before)
        )

    @classmethod
    def from_row(
        cls,
        row: ContentActivity,
        days: DayRange,
        granularity: Granularity,
        api: Any | None = None,
        usage: ApiUsage | None = None,
    ) -> ContentActivityReport:
        """`api` (its element row) and its `usage` when the report is for one API."""
        figures = usage.requests if usage else None
        points = {
            (start, kind): point_days(start, granularity, days)
            for start, kind in sorted(row.series)
        }
        series = Series((point, kind) for (_, kind), point in points.items())
        return cls(
            range=DateRange(from_=days.first, to=days.last),
            totals=ContentActionCounts.from_row(row.totals),
            series=[
                ContentActivityPoint(
                    date=start,
                    kind=domain.ElementKind(kind),
                    counts=ContentActionCounts.from_row(counts),
                    days=points[(start, kind)],
                    element_id=api.id if api is not None else None,
                    series=series,
                )
                for (start, kind), counts in sorted(row.series.items())
            ],
            api=element_from_row(api) if api is not None else None,  # type: ignore[arg-type]
            request_count=figures.requests if figures else None,
            error_rate=figures.error_rate if figures else None,
            avg_response_time_ms=figures.avg_response_time_ms if figures else None,
            avg_response_size_bytes=(
                figures.response_size_bytes_sum / figures.requests
                if figures and figures.requests
                else None
            ),
            failed_test_runs=usage.failed_test_runs if usage else None,
            response_codes=(
                [StatusClassCount(status_class=c, count=n) for c, n in usage.status_classes.items()]
                if usage
                else None
            ),
            days=days,
            element_id=api.id if api is not None else None,
            creator_id=api.created_by_id if api is not None else None,
        )
