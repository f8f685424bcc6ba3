"""The Billing overview report as GraphQL types."""

from __future__ import annotations

from datetime import date

import strawberry

from graphql_api.domain import enums as domain
from graphql_api.repositories.reports.billing import BillingOverview, MonthlyUsage
from graphql_api.repositories.reports.ranges import DayRange
from graphql_api.schema.describe import described_enum
from graphql_api.schema.directory.enums import Plan
from graphql_api.schema.reports.types import DateRange

UsageResource = described_enum(
    domain.UsageResource,
    "A metered resource with a monthly allowance.",
    {
        "MONITOR_REQUESTS": "Requests made by monitors.",
        "MOCK_REQUESTS": "Requests served by mock servers.",
        "POSTMAN_API_CALLS": "Calls to the platform's API.",
        "FLOWS_REQUESTS": "Requests made by flows.",
        "CUSTOM_DOMAINS": "Custom domains in use.",
    },
)


@strawberry.type(description="What the team was billed for one month, in one currency.")
class MonthlySpend:
    month: date = strawberry.field(description="First day of the month billed.")
    currency: str = strawberry.field(description="ISO 4217 currency code.")
    amount_cents: int = strawberry.field(description="Total of open, paid and unpaid invoices.")


@strawberry.type(description="One resource's use in one month against the plan's allowance.")
class ResourceUsage:
    month: date = strawberry.field(description="First day of the month.")
    resource: UsageResource = strawberry.field(description="The resource.")  # type: ignore[valid-type]
    used: int = strawberry.field(description="Quantity used in the month (within the range).")
    allowance: int | None = strawberry.field(
        description="The plan's monthly allowance; null when the plan sets none."
    )
    overage: int = strawberry.field(description="Quantity used beyond the allowance.")

    @classmethod
    def from_usage(cls, usage: MonthlyUsage) -> ResourceUsage:
        return cls(
            month=usage.month,
            resource=domain.UsageResource(usage.resource),
            used=usage.used,
            allowance=usage.allowance,
            overage=usage.overage,
        )


@strawberry.type(description="Plan, seats, spend and metered usage against allowances.")
class BillingOverviewReport:
    range: DateRange = strawberry.field(description="The days covered.")
    plan: Plan = strawberry.field(description="The team's plan.")
    seats_total: int | None = strawberry.field(description="Licenses bought.")
    seats_used: int = strawberry.field(description="Licenses in use: the active members.")
    spend: list[MonthlySpend] = strawberry.field(description="Invoiced spend per month.")
    usage: list[ResourceUsage] = strawberry.field(description="Metered usage per month.")

    @classmethod
    def build(
        cls, overview: BillingOverview, days: DayRange, plan: domain.Plan
    ) -> BillingOverviewReport:
        return cls(
            range=DateRange(from_=days.first, to=days.last),
            plan=plan,
            seats_total=overview.seats_total,
            seats_used=overview.seats_used,
            spend=[MonthlySpend(month=m, currency=c, amount_cents=n) for m, c, n in overview.spend],
            usage=[ResourceUsage.from_usage(u) for u in overview.usage],
        )
