"""The Billing object: `team.billing`, for SUPER_ADMIN, ADMIN and BILLING members.

`Team.billing` declares the gate (`permissions.BillingReader`); the fields here
are reached only through it.
"""

from __future__ import annotations

from datetime import date

import strawberry

from graphql_api.repositories import billing
from graphql_api.repositories.pagination import PageArgs
from graphql_api.repositories.reports.billing import MonthlyUsage
from graphql_api.schema import arguments
from graphql_api.schema.billing import connections
from graphql_api.schema.billing.inputs import InvoiceFilter
from graphql_api.schema.billing.types import BillingUsage, ResourceUsage, Seats
from graphql_api.schema.context import Info
from graphql_api.schema.directory.enums import Plan


@strawberry.type(
    description="The team's billing: plan, seats, invoices, metered usage against the plan's "
    "allowances and the billing-activity timeline."
)
class Billing:
    plan: Plan = strawberry.field(description="The team's plan.")

    @strawberry.field(description="Licenses bought and in use, now.")
    async def seats(self, info: Info) -> Seats:
        ctx = info.context
        async with ctx.db() as session:
            total = await billing.seats_total(session, ctx.viewer.team_id, ctx.now.date())
            used = await billing.seats_used(session, ctx.viewer.team_id)
        return Seats(total=total, used=used)

    @strawberry.field(description="The team's invoices, newest first.")
    async def invoices(
        self,
        info: Info,
        filter: InvoiceFilter | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> connections.InvoiceConnection:
        return await connections.invoices(info, filter, PageArgs(first, after, last, before))

    @strawberry.field(
        description="Metered usage in one calendar month (UTC; default: the current one) "
        "against the plan's monthly allowances, with the overage. Read from the usage facts, "
        "so it is exact up to the last ingested record."
    )
    async def usage(self, info: Info, month: date | None = None) -> BillingUsage:
        ctx = info.context
        first_day = (arguments.day("month", month) or ctx.now.date()).replace(day=1)
        async with ctx.db() as session:
            used = await billing.usage_in_month(session, ctx.viewer.team_id, first_day)
        allowances = ctx.settings.allowances_by_plan.get(ctx.viewer.plan.value, {})
        resources = sorted(set(used) | set(allowances))
        return BillingUsage(
            month=first_day,
            resources=[
                ResourceUsage.from_row(
                    MonthlyUsage(
                        first_day, resource, used.get(resource, 0), allowances.get(resource)
                    )
                )
                for resource in resources
            ],
        )

    @strawberry.field(
        description="BILLING audit events (within the plan's audit retention) and invoices "
        "in one timeline, newest first."
    )
    async def activity(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> connections.BillingActivityConnection:
        return await connections.activity(info, PageArgs(first, after, last, before))
