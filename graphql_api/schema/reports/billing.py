"""The Billing overview report as GraphQL types (its usage rows are billing's `ResourceUsage`)."""

from __future__ import annotations

from datetime import date

import strawberry

from graphql_api.domain import enums as domain
from graphql_api.repositories.reports.billing import BillingOverview
from graphql_api.repositories.reports.ranges import DayRange
from graphql_api.schema.billing.types import ResourceUsage
from graphql_api.schema.directory.enums import Plan
from graphql_api.schema.reports.types import DateRange


@strawberry.type(description="What the team was billed for one month, in one currency.")
class MonthlySpend:
    month: date = strawberry.field(description="First day of the month billed.")
    currency: str = strawberry.field(description="ISO 4217 currency code.")
    amount_cents: int = strawberry.field(description="Total of open, paid and unpaid invoices.")


@strawberry.type(description="Plan, seats, spend and metered usage against allowances.")
class BillingOverviewReport:
    range: DateRange = strawberry.field(description="The days covered.")
    plan: Plan = strawberry.field(description="The team's plan.")
    seats_total: int | None = strawberry.field(description="Licenses bought.")
    seats_used: int = strawberry.field(description="Licenses in use: the active members.")
    spend: list[MonthlySpend] = strawberry.field(description="Invoiced spend per month.")
    usage: list[ResourceUsage] = strawberry.field(description="Metered usage per month.")

    @classmethod
    def from_row(
        cls, row: BillingOverview, days: DayRange, plan: domain.Plan
    ) -> BillingOverviewReport:
        return cls(
            range=DateRange(from_=days.first, to=days.last),
            plan=plan,
            seats_total=row.seats_total,
            seats_used=row.seats_used,
            spend=[MonthlySpend(month=m, currency=c, amount_cents=n) for m, c, n in row.spend],
            usage=[ResourceUsage.from_row(u) for u in row.usage],
        )
