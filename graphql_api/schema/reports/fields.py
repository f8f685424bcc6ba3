"""The `Reports` object: each report a field, gated by plan, computed from the summaries.

Each field declares its gate (`permission_classes`), which runs before the
resolver; the arguments are translated by connections.py.
"""

from __future__ import annotations

from datetime import datetime

import strawberry

from graphql_api.repositories.freshness import last_refreshed_at
from graphql_api.repositories.pagination import PageArgs
from graphql_api.repositories.reports.billing import billing_overview
from graphql_api.repositories.reports.content import api_usage, content_activity
from graphql_api.repositories.reports.members import members_overview
from graphql_api.repositories.reports.ranges import Granularity as DomainGranularity
from graphql_api.repositories.reports.security import security_overview
from graphql_api.repositories.reports.summary import summary_report
from graphql_api.schema.context import Info
from graphql_api.schema.permissions import BillingReader, MembersReportReader, ReportReader
from graphql_api.schema.reports import connections
from graphql_api.schema.reports.billing import BillingOverviewReport
from graphql_api.schema.reports.content import ContentActivityReport
from graphql_api.schema.reports.enums import Granularity, RequestSource
from graphql_api.schema.reports.inputs import DateRangeInput, PublicWorkspaceOrder, TeamApiOrder
from graphql_api.schema.reports.members import MembersReport
from graphql_api.schema.reports.security import ApiSecurityReport
from graphql_api.schema.reports.summary import SummaryReport


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
        "count collection runs unless `sources` says otherwise.",
        permission_classes=[ReportReader],
    )
    async def summary(
        self,
        info: Info,
        range: DateRangeInput | None = None,
        granularity: Granularity = Granularity.DAY,
        sources: list[RequestSource] | None = None,
    ) -> SummaryReport | None:
        ctx = info.context
        days = connections.report_days(info, range)
        request_sources, test_sources = connections.report_sources(sources)
        grain = DomainGranularity(granularity.value)
        async with ctx.db() as session:
            data = await summary_report(
                session, ctx.viewer.team_id, days, grain, request_sources, test_sources
            )
        return SummaryReport.from_row(data, days, grain, (request_sources, test_sources))

    @strawberry.field(
        description="One row per API of the team, restricted ones included (masked), "
        "sortable by every figure; by request count, largest first, unless ordered otherwise.",
        permission_classes=[ReportReader],
    )
    async def team_apis(
        self,
        info: Info,
        range: DateRangeInput | None = None,
        sources: list[RequestSource] | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
        order_by: TeamApiOrder | None = None,
    ) -> connections.TeamApiConnection | None:
        days = connections.report_days(info, range)
        return await connections.team_apis(
            info,
            days,
            connections.report_sources(sources),
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
    ) -> connections.PublicWorkspaceMetricConnection | None:
        days = connections.report_days(info, range)
        return await connections.public_workspaces(
            info, days, PageArgs(first, after, last, before), order_by
        )

    @strawberry.field(
        description="Members by status and role, seats, activity, invites, joins and "
        "removals, and the member list with usage per member. For SUPER_ADMIN and ADMIN "
        "(otherwise null with FORBIDDEN).",
        permission_classes=[MembersReportReader],
    )
    async def members(
        self,
        info: Info,
        range: DateRangeInput | None = None,
        granularity: Granularity = Granularity.DAY,
    ) -> MembersReport | None:
        ctx = info.context
        days = connections.report_days(info, range)
        grain = DomainGranularity(granularity.value)
        async with ctx.db() as session:
            overview = await members_overview(session, ctx.viewer, days, grain)
        return MembersReport.from_row(overview, days, grain)

    @strawberry.field(
        description="Content created, updated, deleted, forked, merged and commented, by "
        "element kind, and the most active elements; with `api`, the same for one API plus "
        "its creator, requests, failed test runs, response times, sizes and codes.",
        permission_classes=[ReportReader],
    )
    async def content_activity(
        self,
        info: Info,
        range: DateRangeInput | None = None,
        api: strawberry.ID | None = None,
        granularity: Granularity = Granularity.DAY,
        sources: list[RequestSource] | None = None,
    ) -> ContentActivityReport | None:
        ctx = info.context
        days = connections.report_days(info, range)
        request_sources, test_sources = connections.report_sources(sources)
        grain = DomainGranularity(granularity.value)
        async with ctx.db() as session:
            if api is None:
                activity = await content_activity(session, ctx.viewer, days, grain)
                return ContentActivityReport.from_row(activity, days, grain)
            api_row = await connections.readable_api(session, ctx.viewer, api)
            activity = await content_activity(session, ctx.viewer, days, grain, api_row.id)
            usage = await api_usage(
                session, ctx.viewer, api_row.id, days, request_sources, test_sources
            )
        return ContentActivityReport.from_row(activity, days, grain, api_row, usage)

    @strawberry.field(
        description="Security findings open, found and resolved by severity and rule, their "
        "trend, APIs ranked by open findings, and token-scanner alerts.",
        permission_classes=[ReportReader],
    )
    async def api_security(
        self,
        info: Info,
        range: DateRangeInput | None = None,
        granularity: Granularity = Granularity.DAY,
    ) -> ApiSecurityReport | None:
        ctx = info.context
        days = connections.report_days(info, range)
        grain = DomainGranularity(granularity.value)
        async with ctx.db() as session:
            overview = await security_overview(session, ctx.viewer, days, grain)
        return ApiSecurityReport.from_row(overview, days, grain)

    @strawberry.field(
        description="Plan, seats, invoiced spend per month, and metered usage per month "
        "against the plan's allowance with the overage. For SUPER_ADMIN, ADMIN and BILLING.",
        # In this order: a team without the plan hears PLAN_REQUIRED before FORBIDDEN.
        permission_classes=[ReportReader, BillingReader],
    )
    async def billing_overview(
        self, info: Info, range: DateRangeInput | None = None
    ) -> BillingOverviewReport | None:
        ctx = info.context
        days = connections.report_days(info, range)
        async with ctx.db() as session:
            overview = await billing_overview(
                session, ctx.viewer, days, ctx.settings.allowances_by_plan
            )
        return BillingOverviewReport.from_row(overview, days, ctx.viewer.plan)
