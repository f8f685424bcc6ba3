"""The report tables as connections, and the translation of the reports' arguments.

Every argument a report takes (range, sources, `orderBy`, `api`) becomes what
the repositories take here, in one function each; the export mutations use
the same functions, so an export holds what its query shows. Every table is
paged the same way: the repository's statement and sort, `keyset_page`, then
the connection's `from_page` with the row's `from_row`.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import strawberry
from strawberry import relay

from graphql_api.auth.viewer import Viewer
from graphql_api.db.engine import Session
from graphql_api.domain.enums import RequestSource
from graphql_api.errors import BadUserInput, Forbidden, NotFound
from graphql_api.repositories import directory
from graphql_api.repositories.freshness import last_refreshed_at
from graphql_api.repositories.pagination import PageArgs
from graphql_api.repositories.reports.content import sorted_top_elements, top_element_subquery
from graphql_api.repositories.reports.members import (
    MemberSort,
    member_subquery,
    sorted_member_rows,
)
from graphql_api.repositories.reports.public_workspaces import (
    PublicWorkspaceSort,
    public_workspace_count,
    public_workspace_subquery,
    sorted_public_rows,
)
from graphql_api.repositories.reports.ranges import DayRange, resolve_range
from graphql_api.repositories.reports.ranges import RangePreset as DomainRangePreset
from graphql_api.repositories.reports.security import api_findings_subquery, sorted_api_findings
from graphql_api.repositories.reports.team_apis import (
    TeamApiSort,
    api_count_statement,
    restricted_count,
    sorted_team_api_rows,
    team_api_subquery,
)
from graphql_api.schema import arguments
from graphql_api.schema.context import Info
from graphql_api.schema.ordering import OrderDirection
from graphql_api.schema.paging import keyset_page
from graphql_api.schema.relay import KeysetConnection, node_ids_of
from graphql_api.schema.reports.enums import RequestSource as RequestSourceEnum
from graphql_api.schema.reports.inputs import (
    DateRangeInput,
    MemberActivityOrder,
    PublicWorkspaceOrder,
    TeamApiOrder,
)
from graphql_api.schema.reports.types import (
    ApiFindingsRow,
    ContentElementRow,
    MemberActivity,
    PublicWorkspaceMetric,
    TeamApiRow,
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


@strawberry.type(description="A page of public workspace metrics.")
class PublicWorkspaceMetricConnection(KeysetConnection[PublicWorkspaceMetric]):  # type: ignore[type-var]
    pass


@strawberry.type(description="A page of the member list.")
class MemberActivityConnection(KeysetConnection[MemberActivity]):  # type: ignore[type-var]
    pass


@strawberry.type(description="A page of elements ranked by content events.")
class ContentElementConnection(KeysetConnection[ContentElementRow]):  # type: ignore[type-var]
    pass


@strawberry.type(description="A page of APIs ranked by open findings.")
class ApiFindingsConnection(KeysetConnection[ApiFindingsRow]):  # type: ignore[type-var]
    pass


def report_days(info: Info, range: DateRangeInput | None) -> DayRange:
    """The UTC days a report covers; each day given must lie in the server's calendar."""
    return days_asked(range, info.context.now.date())


def days_asked(range: DateRangeInput | None, today: date) -> DayRange:
    """`report_days` with today given."""
    given = range or DateRangeInput()
    preset = DomainRangePreset(given.preset.value) if given.preset is not None else None
    return resolve_range(
        arguments.day("range.from", given.from_),
        arguments.day("range.to", given.to),
        preset,
        today,
    )


def report_sources(sources: list[RequestSourceEnum] | None) -> tuple[list[str], list[str]]:
    """Request sources (request builder by default) and test-run sources (collection runs
    by default); `sources`, when given, sets both."""
    if sources is not None and not sources:
        raise BadUserInput("`sources` must name at least one source.", argument="sources")
    if sources is None:
        return [RequestSource.REQUEST_BUILDER.value], [RequestSource.COLLECTION_RUN.value]
    chosen = arguments.distinct(s.value for s in sources)
    return chosen, chosen


def inactive_days(value: int | None) -> int | None:
    """`inactiveForDays`, if it lies between 0 and MAX_INACTIVE_DAYS."""
    return arguments.whole_number(
        "inactiveForDays", value, minimum=0, maximum=arguments.MAX_INACTIVE_DAYS
    )


def team_api_order(order_by: TeamApiOrder | None) -> tuple[TeamApiSort, bool]:
    """The sort and direction asked for; by request count, largest first, by default."""
    if order_by is None:
        return TeamApiSort.REQUEST_COUNT, True
    return TeamApiSort(order_by.field.value), order_by.direction is OrderDirection.DESC


def public_workspace_order(
    order_by: PublicWorkspaceOrder | None,
) -> tuple[PublicWorkspaceSort, bool]:
    """The sort and direction asked for; by views, largest first, by default."""
    if order_by is None:
        return PublicWorkspaceSort.VIEWS, True
    return PublicWorkspaceSort(order_by.field.value), order_by.direction is OrderDirection.DESC


def member_order(order_by: MemberActivityOrder | None) -> tuple[MemberSort, bool]:
    """The sort and direction asked for; by name, A to Z, by default."""
    if order_by is None:
        return MemberSort.NAME, False
    return MemberSort(order_by.field.value), order_by.direction is OrderDirection.DESC


async def readable_api(session: Session, viewer: Viewer, api: strawberry.ID) -> Any:
    """The element row of an Api the viewer may access; NOT_FOUND or FORBIDDEN otherwise."""
    (api_id,) = node_ids_of([api], "Api", argument="api")
    found = (await directory.elements_with_access(session, viewer, [api_id])).get(api_id)
    if found is None or found[0].kind != "API":
        raise NotFound(f"No Api with id {api!r} in this team.")
    if not found[1]:
        raise Forbidden(f"You do not have access to Api {api!r}.")
    return found[0]


async def team_apis(
    info: Info,
    days: DayRange,
    sources: tuple[list[str], list[str]],
    args: PageArgs,
    order_by: TeamApiOrder | None,
) -> TeamApiConnection:
    """The Team APIs rows over `days` (`sources` as `report_sources` gives them), masked
    and sorted as asked."""
    ctx = info.context
    field, descending = team_api_order(order_by)
    rows = team_api_subquery(ctx.viewer, days, *sources)
    statement, sort = sorted_team_api_rows(rows, field, descending)
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


async def public_workspaces(
    info: Info, days: DayRange, args: PageArgs, order_by: PublicWorkspaceOrder | None
) -> PublicWorkspaceMetricConnection:
    """Views, watchers and forks per public workspace over `days`, sorted as asked."""
    viewer = info.context.viewer
    field, descending = public_workspace_order(order_by)
    rows = public_workspace_subquery(viewer, days)
    statement, sort = sorted_public_rows(rows, field, descending)
    fetched, count = await keyset_page(
        info, statement, sort, args, count_statement=public_workspace_count(viewer)
    )
    return PublicWorkspaceMetricConnection.from_page(fetched, PublicWorkspaceMetric.from_row, count)


async def members(
    info: Info,
    days: DayRange,
    args: PageArgs,
    order_by: MemberActivityOrder | None,
    *,
    sources: list[RequestSourceEnum] | None,
    inactive_for_days: int | None,
) -> MemberActivityConnection:
    """The member list over `days`: filtered, sorted and paged."""
    ctx = info.context
    field, descending = member_order(order_by)
    inactive = inactive_days(inactive_for_days)
    request_sources, _ = report_sources(sources)
    rows = member_subquery(ctx.viewer, days, ctx.now.date(), request_sources, inactive)
    statement, sort = sorted_member_rows(rows, field, descending)
    fetched, count = await keyset_page(info, statement, sort, args)
    return MemberActivityConnection.from_page(fetched, MemberActivity.from_row, count)


async def content_elements(
    info: Info,
    days: DayRange,
    element_id: str | None,
    args: PageArgs,
) -> ContentElementConnection:
    """Elements by content events over `days`, most first; restricted ones masked and
    last. (A series point's drill-down is in `drilldowns.py`.)"""
    rows = top_element_subquery(info.context.viewer, days, element_id)
    statement, sort = sorted_top_elements(rows)
    fetched, count = await keyset_page(info, statement, sort, args)
    return ContentElementConnection.from_page(fetched, ContentElementRow.from_row, count)


async def api_findings(info: Info, days: DayRange, args: PageArgs) -> ApiFindingsConnection:
    """APIs by findings open at the end of `days`, restricted ones masked and last."""
    rows = api_findings_subquery(info.context.viewer, days)
    statement, sort = sorted_api_findings(rows)
    fetched, count = await keyset_page(info, statement, sort, args)
    return ApiFindingsConnection.from_page(fetched, ApiFindingsRow.from_row, count)
