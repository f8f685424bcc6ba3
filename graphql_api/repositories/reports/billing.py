"""Billing overview: plan, seats, spend per month and metered usage against allowances."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from graphql_api.auth.viewer import Viewer
from graphql_api.db.models import DailyUsage, Invoice
from graphql_api.domain.enums import InvoiceStatus
from graphql_api.repositories.billing import seats_total, seats_used
from graphql_api.repositories.reports.ranges import DayRange, team_days

# Drafts are not bills and void invoices were never owed.
SPENT_STATUSES = (
    InvoiceStatus.OPEN.value,
    InvoiceStatus.PAID.value,
    InvoiceStatus.UNCOLLECTIBLE.value,
)


@dataclass(frozen=True)
class MonthlyUsage:
    month: date
    resource: str
    used: int
    allowance: int | None

    @property
    def overage(self) -> int:
        return max(0, self.used - self.allowance) if self.allowance is not None else 0


@dataclass(frozen=True)
class BillingOverview:
    seats_total: int | None
    seats_used: int
    spend: list[tuple[date, str, int]]  # month, currency, cents
    usage: list[MonthlyUsage]


async def billing_overview(
    session: AsyncSession,
    viewer: Viewer,
    days: DayRange,
    allowances: Mapping[str, Mapping[str, int]],
) -> BillingOverview:
    """Allowances are monthly, so usage is compared month by month."""
    team = viewer.team_id
    first_month = days.first.replace(day=1)
    spend: dict[tuple[date, str], int] = defaultdict(int)
    for period_start, currency, cents in await session.execute(
        select(Invoice.period_start, Invoice.currency, Invoice.amount_cents).where(
            Invoice.team_id == team,
            Invoice.status.in_(SPENT_STATUSES),
            Invoice.period_start >= first_month,
            Invoice.period_start <= days.last,
        )
    ):
        spend[(period_start.replace(day=1), currency)] += int(cents)
    monthly: dict[tuple[date, str], int] = defaultdict(int)
    for day, resource, quantity in await session.execute(
        select(DailyUsage.day, DailyUsage.resource, func.sum(DailyUsage.quantity))
        .where(*team_days(DailyUsage, team, days))
        .group_by(DailyUsage.day, DailyUsage.resource)
    ):
        monthly[(day.replace(day=1), resource)] += int(quantity)
    plan_allowances = allowances.get(viewer.plan.value, {})
    return BillingOverview(
        seats_total=await seats_total(session, team, days.last),
        seats_used=await seats_used(session, team),
        spend=sorted((month, currency, cents) for (month, currency), cents in spend.items()),
        usage=[
            MonthlyUsage(month, resource, quantity, plan_allowances.get(resource))
            for (month, resource), quantity in sorted(monthly.items())
        ],
    )
