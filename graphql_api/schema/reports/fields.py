"""The `Reports` object: each report a field, gated by plan, computed from the summaries."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import strawberry

from graphql_api.auth.gates import (
    require_billing_reader,
    require_members_report_reader,
    require_report_reader,
)
from graphql_api.auth.viewer import Viewer
from graphql_api.db.engine import Session
from graphql_api.domain.allowances import parse_allowances
from graphql_api.domain.enums import RequestSource
from graphql_api.errors import BadUserInput, Forbidden, NotFound
from graphql_api.repositories import directory
from graphql_api.repositories.freshness import last_refreshed_at
from graphql_api.repositories.pagination import PageArgs
from graphql_api.repositories.reports.billing import billing_overview
from graphql_api.repositories.reports.content import api_usage, content_activity
from graphql_api.repositories.reports.members import members_overview
from graphql_api.repositories.reports.public_workspaces import (
    PublicWorkspaceSort,
    public_workspace_count,
    public_workspace_subquery,
    sorted_public_rows,
)
from graphql_api.repositories.reports.ranges import DayRange, resolve_range
from graphql_api.repositories.reports.ranges import Granularity as DomainGranularity
from graphql_api.repositories.reports.ranges import RangePreset as DomainRangePreset
from graphql_api.repositories.reports.security import security_overview
from graphql_api.repositories.reports.summary import summary_report
from graphql_api.schema import arguments
from graphql_api.schema.context import Info
from graphql_api.schema.ordering import OrderDirection
from graphql_api.schema.paging import keyset_page
from graphql_api.schema.relay import node_ids_of
from graphql_api.schema.reports.billing import BillingOverviewReport
from graphql_api.schema.reports.content import ContentActivityReport
from graphql_api.schema.reports.enums import Granularity
from graphql_api.schema.reports.enums import RequestSource as RequestSourceEnum
from graphql_api.schema.reports.inputs import (
    DateRangeInput,
    PublicWorkspaceOrder,
    TeamApiOrder,
)
from graphql_api.schema.reports.members import MembersReport
from graphql_api.schema.reports.security import ApiSecurityReport
from graphql_api.schema.reports.types import (
    PublicWorkspaceMetric,
    PublicWorkspaceMetricConnection,
    SummaryReport,
    TeamApiConnection,
    team_apis_connection,
)


def public_workspace_order(
    order_by: PublicWorkspaceOrder | None,
) -> tuple[PublicWorkspaceSort, bool]:
    """The sort and direction asked for; by views, largest first, by default."""
    if order_by is None:
        return PublicWorkspaceSort.VIEWS, True
    return PublicWorkspaceSort(order_by.field.value), order_by.direction is OrderDirection.DESC


async def readable_api(session: Session, viewer: Viewer, api: strawberry.ID) -> Any:
    """The element row of an Api the viewer may access; NOT_FOUND or FORBIDDEN otherwise."""
    (api_id,) = node_ids_of([api], "Api", argument="api")
    found = (await directory.elements_with_access(session, viewer, [api_id])).get(api_id)
    if found is None or found[0].kind != "API":
        raise NotFound(f"No Api with id {api!r} in this team.")
    if not found[1]:
        raise Forbidden(f"You do not have access to Api {api!r}.")
    return found[0]


def report_days(info: Info, range: DateRangeInput | None) -> DayRange:
    """The UTC days a report covers; each day given must lie in the server's calendar."""
    given = range or DateRangeInput()
    preset = DomainRangePreset(given.preset.value) if given.preset is not None else None
    return resolve_range(
        arguments.day("range.from", given.from_),
        arguments.day("range.to", given.to),
        preset,
        info.context.now.date(),
    )


def report_sources(sources: list[RequestSourceEnum] | None) -> tuple[list[str], list[str]]:
    """Request sources (request builder by default) and test-run sources (collection runs)."""
    if sources is not None and not sources:
        raise BadUserInput("`sources` must name at least one source.", argument="sources")
    if sources is None:
        return [RequestSource.REQUEST_BUILDER.value], [RequestSource.COLLECTION_RUN.value]
    chosen = arguments.distinct(s.value for s in sources)
    return chosen, chosen


@strawberry.type(
    description="Usage reports, computed from summaries refreshed in the background. They "
    "need the ENTERPRISE plan (otherwise null with PLAN_REQUIRED). Elements the viewer cannot "
    "access still count in every total; their rows are marked `restricted`."
)
class Reports:
    @strawberry.field(description="When the summaries were last refreshed; null if never.")
    async def last_updated_at(self, info: Info) -> datetime | None:
        async with info.context.db() as session:
            return await last_refreshed_at(session)

    @strawberry.field(
        description="Request volume, errors, response times, uptime, API coverage and test "
        "runs. Requests count the request builder unless `sources` says otherwise; test runs "
        "count collection runs unless `sources` says otherwise."
    )
    async def summary(
        self,
        info: Info,
        range: DateRangeInput | None = None,
        granularity: Granularity = Granularity.DAY,
        sources: list[RequestSourceEnum] | None = None,
    ) -> SummaryReport | None:
        ctx = info.context
        require_report_reader(ctx.viewer)
        days = report_days(info, range)
        request_sources, test_sources = report_sources(sources)
        async with ctx.db() as session:
            refreshed = await last_refreshed_at(session) is not None
            data = await summary_report(
                session,
                ctx.viewer.team_id,
                days,
                DomainGranularity(granularity.value),
                request_sources,
                test_sources,
                refreshed,
            )
        return SummaryReport.from_data(
            data, days, DomainGranularity(granularity.value), (request_sources, test_sources)
        )

    @strawberry.field(
        description="One row per API of the team, restricted ones included (masked), "
        "sortable by every figure; by request count, largest first, unless ordered otherwise."
    )
    async def team_apis(
        self,
        info: Info,
        range: DateRangeInput | None = None,
        sources: list[RequestSourceEnum] | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
        order_by: TeamApiOrder | None = None,
    ) -> TeamApiConnection | None:
        ctx = info.context
        require_report_reader(ctx.viewer)
        days = report_days(info, range)
        request_sources, test_sources = report_sources(sources)
        return await team_apis_connection(
            info,
            days,
            request_sources,
            test_sources,
            PageArgs(first, after, last, before),
            order_by,
        )

    @strawberry.field(
        description="Views, watchers and forks per public workspace. Every plan has it; by "
        "views, largest first, unless ordered otherwise."
    )
    async def public_workspaces(
        self,
        info: Info,
        range: DateRangeInput | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
        order_by: PublicWorkspaceOrder | None = None,
    ) -> PublicWorkspaceMetricConnection | None:
        ctx = info.context
        days = report_days(info, range)
        field, descending = public_workspace_order(order_by)
        rows = public_workspace_subquery(ctx.viewer, days)
        statement, sort = sorted_public_rows(rows, field, descending)
        fetched, count = await keyset_page(
            info,
            statement,
            sort,
            PageArgs(first, after, last, before),
            count_statement=public_workspace_count(ctx.viewer),
        )
        return PublicWorkspaceMetricConnection.from_page(
            fetched, PublicWorkspaceMetric.from_row, count
        )

    @strawberry.field(
        description="Members by status and role, seats, activity, invites, joins and "
        "removals, and the member list with usage per member. For SUPER_ADMIN and ADMIN "
        "(otherwise null with FORBIDDEN)."
    )
    async def members(
        self,
        info: Info,
        range: DateRangeInput | None = None,
        granularity: Granularity = Granularity.DAY,
    ) -> MembersReport | None:
        ctx = info.context
        require_members_report_reader(ctx.viewer)
        days = report_days(info, range)
        async with ctx.db() as session:
            overview = await members_overview(
                session, ctx.viewer, days, DomainGranularity(granularity.value)
            )
        return MembersReport.from_overview(overview, days, DomainGranularity(granularity.value))

    @strawberry.field(
        description="Content created, updated, deleted, forked, merged and commented, by "
        "element kind, and the most active elements; with `api`, the same for one API plus "
        "its creator, requests, failed test runs, response times, sizes and codes."
    )
    async def content_activity(
        self,
        info: Info,
        range: DateRangeInput | None = None,
        api: strawberry.ID | None = None,
        granularity: Granularity = Granularity.DAY,
        sources: list[RequestSourceEnum] | None = None,
    ) -> ContentActivityReport | None:
        ctx = info.context
        require_report_reader(ctx.viewer)
        days = report_days(info, range)
        request_sources, test_sources = report_sources(sources)
        grain = DomainGranularity(granularity.value)
        async with ctx.db() as session:
            if api is None:
                activity = await content_activity(session, ctx.viewer, days, grain)
                return ContentActivityReport.build(activity, days, grain)
            api_row = await readable_api(session, ctx.viewer, api)
            activity = await content_activity(session, ctx.viewer, days, grain, api_row.id)
            usage = await api_usage(
                session, ctx.viewer, api_row.id, days, request_sources, test_sources
            )
        return ContentActivityReport.build(activity, days, grain, api_row, usage)

    @strawberry.field(
        description="Security findings open, found and resolved by severity and rule, their "
        "trend, APIs ranked by open findings, and token-scanner alerts."
    )
    async def api_security(
        self,
        info: Info,
        range: DateRangeInput | None = None,
        granularity: Granularity = Granularity.DAY,
    ) -> ApiSecurityReport | None:
        ctx = info.context
        require_report_reader(ctx.viewer)
        days = report_days(info, range)
        async with ctx.db() as session:
            overview = await security_overview(
                session, ctx.viewer, days, DomainGranularity(granularity.value)
            )
        return ApiSecurityReport.build(overview, days, DomainGranularity(granularity.value))

    @strawberry.field(
        description="Plan, seats, invoiced spend per month, and metered usage per month "
        "against the plan's allowance with the overage. For SUPER_ADMIN, ADMIN and BILLING."
    )
    async def billing_overview(
        self, info: Info, range: DateRangeInput | None = None
    ) -> BillingOverviewReport | None:
        ctx = info.context
        require_report_reader(ctx.viewer)
        require_billing_reader(ctx.viewer)
        days = report_days(info, range)
        allowances = parse_allowances(ctx.settings.plan_allowances)
        async with ctx.db() as session:
            overview = await billing_overview(session, ctx.viewer, days, allowances)
        return BillingOverviewReport.build(overview, days, ctx.viewer.plan)
