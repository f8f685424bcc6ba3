"""Audit-event queries: filters, retention and the two orders (docs/concepts.md#the-audit-log)."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from graphql_api.auth.viewer import Viewer
from graphql_api.db.models import AuditEvent
from graphql_api.domain.enums import AUDIT_RETENTION_DAYS, Plan
from graphql_api.repositories.pagination import AnySelect, SortKey

AUDIT_COLUMNS = tuple(AuditEvent.__table__.columns)

# Timestamp ties are broken by eventId so pages never repeat or skip a row.
SORT_KEYS = {
    ("TIMESTAMP", True): SortKey("audit:timestamp", (AuditEvent.at, AuditEvent.event_id), True),
    ("TIMESTAMP", False): SortKey("audit:timestamp", (AuditEvent.at, AuditEvent.event_id), False),
    ("EVENT_ID", True): SortKey("audit:event_id", (AuditEvent.event_id,), True),
    ("EVENT_ID", False): SortKey("audit:event_id", (AuditEvent.event_id,), False),
}


@dataclass(frozen=True)
class AuditQuery:
    """Filters on the audit log; every one is optional."""

    since: datetime | None = None
    until: datetime | None = None
    actions: Sequence[str] = ()
    categories: Sequence[str] = ()
    actor_ids: Sequence[str] = ()
    search: str | None = None


def retention_start(plan: Plan, now: datetime) -> datetime | None:
    """The oldest instant the plan keeps, or None if the plan has no audit log."""
    days = AUDIT_RETENTION_DAYS.get(plan)
    return None if days is None else now - timedelta(days=days)


@functools.lru_cache(maxsize=1024)
def newest_events_statement(team_id: str, retained: bool) -> AnySelect:
    """`audit_events_statement` with no filter, its retention cutoff (when the plan keeps
    a limited history, `retained`) left as the bind parameter `oldest`.

    The cutoff moves with the clock, so built with it a page's statement was new on
    every request: built again, its cache key computed again, its first-page form
    too, about a tenth of a compiled audit page's time. One per team serves them all.
    """
    statement = select(*AUDIT_COLUMNS).where(AuditEvent.team_id == team_id)
    if retained:
        statement = statement.where(AuditEvent.at >= bindparam("oldest"))
    return statement


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def audit_events_statement(viewer: Viewer, query: AuditQuery, now: datetime) -> AnySelect:
    """The viewer's team's events matching `query`, never older than the plan keeps."""
    oldest = retention_start(viewer.plan, now)
    statement = select(*AUDIT_COLUMNS).where(AuditEvent.team_id == viewer.team_id)
    since = query.since if oldest is None or query.since is None else max(query.since, oldest)
    since = since or oldest
    if since is not None:
        statement = statement.where(AuditEvent.at >= since)
    if query.until is not None:
        statement = statement.where(AuditEvent.at <= query.until)
    if query.actions:
        statement = statement.where(AuditEvent.action.in_(query.actions))
    if query.categories:
        statement = statement.where(AuditEvent.category.in_(query.categories))
    if query.actor_ids:
        statement = statement.where(AuditEvent.actor_id.in_(query.actor_ids))
    if query.search:
        pattern = f"%{_escape_like(query.search.lower())}%"
        statement = statement.where(func.lower(AuditEvent.message).like(pattern, escape="\\"))
    return statement


async def audit_events_by_ids(
    session: AsyncSession, viewer: Viewer, event_ids: Sequence[int], now: datetime
) -> dict[int, Any]:
    """The viewer's team's events among `event_ids` that retention still keeps."""
    statement = audit_events_statement(viewer, AuditQuery(), now).where(
        AuditEvent.event_id.in_(event_ids)
    )
    return {row.event_id: row for row in await session.execute(statement)}


async def last_event_id(session: AsyncSession, team_id: str) -> int | None:
    """The newest eventId of the team, if it has any event."""
    return await session.scalar(
        select(func.max(AuditEvent.event_id)).where(AuditEvent.team_id == team_id)
    )
