"""The series points' drill-downs as connections, loaded in batches.

Every point of a series asks its loader for its page; the loader answers all
the points asked with the same arguments from one statement
(repositories/reports/points.py). The page is checked, and its cursors
decoded, here, so a bad argument is reported on each field as a single page's
would be. `totalCount` is computed in that statement when the query selects
it; otherwise a late ask costs one more batch.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import replace
from typing import Any

from strawberry.dataloader import DataLoader

from graphql_api.repositories.pagination import PageArgs, SortKey
from graphql_api.repositories.reports.drilldown_batches import (
    ContentPointQuery,
    FindingsPointQuery,
    MemberPointQuery,
    TeamApiPointQuery,
    content_point_sort,
    findings_point_sort,
    member_point_sort,
    team_api_point_sort,
)
from graphql_api.repositories.reports.points import (
    PagePlan,
    PointKey,
    PointPage,
    Series,
    page_of,
)
from graphql_api.repositories.reports.points import page_plan as checked_plan
from graphql_api.repositories.reports.ranges import DayRange
from graphql_api.schema.context import Info
from graphql_api.schema.reports.connections import (
    ApiFindingsConnection,
    ContentElementConnection,
    MemberActivityConnection,
    TeamApiConnection,
    TeamApiEdge,
    member_order,
    report_sources,
    team_api_order,
)
from graphql_api.schema.reports.inputs import MemberActivityOrder, TeamApiOrder
from graphql_api.schema.reports.types import (
    ApiFindingsRow,
    ContentElementRow,
    MemberActivity,
    TeamApiRow,
)
from graphql_api.schema.selections import selects


def _plan(info: Info, args: PageArgs, sort: SortKey) -> PagePlan:
    settings = info.context.settings
    return checked_plan(
        args,
        sort,
        info.context.codec,
        default_size=settings.default_page_size,
        max_size=settings.max_page_size,
        count=selects(info, "totalCount"),
    )


async def _load(
    loader: DataLoader[PointKey[Any], PointPage], key: PointKey[Any]
) -> tuple[PointPage, Callable[[], Awaitable[int]]]:
    """The point's page, and its `totalCount` (computed with it when selected)."""
    page = await loader.load(key)

    async def count() -> int:
        if page.total is not None:
            return page.total
        counted = replace(key.query, plan=replace(key.query.plan, count=True))
        return (await loader.load(replace(key, query=counted))).total or 0

    return page, count


async def team_apis(
    info: Info,
    days: DayRange,
    series: Series | None,
    sources: tuple[list[str], list[str]],
    args: PageArgs,
    order_by: TeamApiOrder | None,
) -> TeamApiConnection:
    """A Summary point's Team APIs rows, as `connections.team_apis` gives them for `days`."""
    ctx = info.context
    field, descending = team_api_order(order_by)
    sort = team_api_point_sort(field, descending)
    plan = _plan(info, args, sort)
    query = TeamApiPointQuery(tuple(sources[0]), tuple(sources[1]), field, descending, plan)
    page, count = await _load(ctx.loaders.team_apis_by_point, PointKey(days, query, series=series))
    hidden, refreshed = page.extra
    return TeamApiConnection.from_page(
        page_of(page, sort, ctx.codec),
        lambda row: TeamApiRow.from_row(row, refreshed),
        count,
        edge_class=TeamApiEdge,
        restricted_count=hidden,
    )


async def content_elements(
    info: Info,
    days: DayRange,
    kind: str,
    series: Series | None,
    element_id: str | None,
    args: PageArgs,
) -> ContentElementConnection:
    """The elements of `kind` with content events in a point, most first."""
    ctx = info.context
    sort = content_point_sort()
    query = ContentPointQuery(element_id, _plan(info, args, sort))
    key = PointKey(days, query, kind, series)
    page, count = await _load(ctx.loaders.content_elements_by_point, key)
    return ContentElementConnection.from_page(
        page_of(page, sort, ctx.codec), ContentElementRow.from_row, count
    )


async def api_findings(
    info: Info, days: DayRange, series: Series | None, args: PageArgs
) -> ApiFindingsConnection:
    """APIs by findings open at a trend point's end."""
    ctx = info.context
    sort = findings_point_sort()
    query = FindingsPointQuery(_plan(info, args, sort))
    page, count = await _load(
        ctx.loaders.api_findings_by_point, PointKey(days, query, series=series)
    )
    return ApiFindingsConnection.from_page(
        page_of(page, sort, ctx.codec), ApiFindingsRow.from_row, count
    )


async def members(
    info: Info,
    days: DayRange,
    series: Series | None,
    args: PageArgs,
    order_by: MemberActivityOrder | None,
) -> MemberActivityConnection:
    """The members who sent a request in a point, with their requests in it (from the
    default sources), as `connections.members` gives them."""
    ctx = info.context
    field, descending = member_order(order_by)
    sort = member_point_sort(field, descending)
    request_sources, _ = report_sources(None)
    query = MemberPointQuery(tuple(request_sources), field, descending, _plan(info, args, sort))
    page, count = await _load(ctx.loaders.members_by_point, PointKey(days, query, series=series))
    return MemberActivityConnection.from_page(
        page_of(page, sort, ctx.codec), MemberActivity.from_row, count
    )
