"""Billing: invoices, metered usage against allowances, and the billing-activity timeline."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import func, literal, select, union_all
from sqlalchemy.ext.asyncio import AsyncSession

from graphql_api.auth.viewer import Viewer
from graphql_api.db.models import AuditEvent, Invoice, Membership, SeatChange, UsageRecord
from graphql_api.domain.enums import AuditCategory, MembershipStatus
from graphql_api.repositories.audit import AuditQuery, audit_events_statement
from graphql_api.repositories.pagination import AnySelect, SortKey

INVOICE_COLUMNS = tuple(Invoice.__table__.columns)
INVOICE_SORT = SortKey("invoices:issued", (Invoice.at, Invoice.seq), descending=True)

# The kinds of entry in the billing-activity timeline.
AUDIT_ENTRY = "AUDIT_EVENT"
INVOICE_ENTRY = "INVOICE"


@dataclass(frozen=True)
class InvoiceQuery:
    """Filters on invoices; each optional. A period matches when it overlaps [from, to]."""

    statuses: Sequence[str] = ()
    period_from: date | None = None
    period_to: date | None = None


def invoices_statement(viewer: Viewer, query: InvoiceQuery) -> AnySelect:
    """The team's invoices matching `query`."""
    statement = select(*INVOICE_COLUMNS).where(Invoice.team_id == viewer.team_id)
    if query.statuses:
        statement = statement.where(Invoice.status.in_(query.statuses))
    if query.period_from is not None:
        statement = statement.where(Invoice.period_end >= query.period_from)
    if query.period_to is not None:
        statement = statement.where(Invoice.period_start <= query.period_to)
    return statement


async def invoices_by_ext_ids(
    session: AsyncSession, viewer: Viewer, ext_ids: Sequence[str]
) -> dict[str, Any]:
    """The team's invoices among `ext_ids` (their client-chosen ids)."""
    rows = await session.execute(
        invoices_statement(viewer, InvoiceQuery()).where(Invoice.ext_id.in_(ext_ids))
    )
    return {row.ext_id: row for row in rows}


async def seats_total(session: AsyncSession, team_id: str, last_day: date) -> int | None:
    """Licenses bought, from the last seat change up to the end of `last_day`."""
    end = datetime.combine(last_day + timedelta(days=1), time(), tzinfo=UTC)
    return await session.scalar(
        select(SeatChange.seats)
        .where(SeatChange.team_id == team_id, SeatChange.at < end)
        .order_by(SeatChange.at.desc(), SeatChange.seq.desc())
        .limit(1)
    )


async def seats_used(session: AsyncSession, team_id: str) -> int:
    """Licenses in use: the team's active members."""
    used = await session.scalar(
        select(func.count()).where(
            Membership.team_id == team_id, Membership.status == MembershipStatus.ACTIVE.value
        )
    )
    return int(used or 0)


def month_bounds(month: date) -> tuple[datetime, datetime]:
    """The first instant of `month`'s month and of the next one (UTC)."""
    first = month.replace(day=1)
    following = (
        first.replace(year=first.year + 1, month=1)
        if first.month == 12
        else (first.replace(month=first.month + 1))
    )
    return (
        datetime.combine(first, time(), tzinfo=UTC),
        datetime.combine(following, time(), tzinfo=UTC),
    )


async def usage_in_month(session: AsyncSession, team_id: str, month: date) -> dict[str, int]:
    """Quantity used per resource in the month of `month`, read from the facts themselves.

    Billing figures must be exact and current, so this reads the usage facts
    (indexed by team, resource and time; a month holds few) rather than the
    refreshed summary.
    """
    start, end = month_bounds(month)
    rows = await session.execute(
        select(UsageRecord.resource, func.sum(UsageRecord.quantity))
        .where(UsageRecord.team_id == team_id, UsageRecord.at >= start, UsageRecord.at < end)
        .group_by(UsageRecord.resource)
    )
    return {resource: int(quantity) for resource, quantity in rows}


ACTIVITY_SORT_COLUMNS = ("at", "kind", "ref")


def billing_activity_statement(viewer: Viewer, now: datetime) -> tuple[AnySelect, SortKey]:
    """One timeline of the team's BILLING audit events (within retention) and its invoices.

    Each entry is (at, kind, ref): ref is the audit eventId or the invoice's
    seq, so (at, kind, ref) is unique and pages by keyset.
    """
    audit = audit_events_statement(
        viewer, AuditQuery(categories=[AuditCategory.BILLING.value]), now
    ).with_only_columns(
        AuditEvent.at.label("at"),
        literal(AUDIT_ENTRY).label("kind"),
        AuditEvent.event_id.label("ref"),
    )
    invoices = select(
        Invoice.at.label("at"), literal(INVOICE_ENTRY).label("kind"), Invoice.seq.label("ref")
    ).where(Invoice.team_id == viewer.team_id)
    timeline = union_all(audit, invoices).subquery("billing_activity")
    sort = SortKey(
        "billing:activity",
        (timeline.c.at, timeline.c.kind, timeline.c.ref),
        descending=True,
    )
    return select(timeline.c.at, timeline.c.kind, timeline.c.ref), sort


async def activity_entries(
    session: AsyncSession, viewer: Viewer, rows: Sequence[Any], now: datetime
) -> list[tuple[Any, Any]]:
    """(audit row, invoice row) for each timeline row, one of them None; two queries at most."""
    event_ids = [row.ref for row in rows if row.kind == AUDIT_ENTRY]
    seqs = [row.ref for row in rows if row.kind == INVOICE_ENTRY]
    events: dict[int, Any] = {}
    invoices: dict[int, Any] = {}
    if event_ids:
        statement = audit_events_statement(viewer, AuditQuery(), now).where(
            AuditEvent.event_id.in_(event_ids)
        )
        events = {row.event_id: row for row in await session.execute(statement)}
    if seqs:
        statement = invoices_statement(viewer, InvoiceQuery()).where(Invoice.seq.in_(seqs))
        invoices = {row.seq: row for row in await session.execute(statement)}
    return [
        (events.get(row.ref), None) if row.kind == AUDIT_ENTRY else (None, invoices.get(row.ref))
        for row in rows
    ]
