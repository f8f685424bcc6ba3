"""Incremental refresh: fold in only facts ingested since each summary's watermark.

Facts are numbered in ingestion order (`seq`) and, because ingest serialises
its transactions (PostgreSQL advisory lock; SQLite has one writer), every
seq at or below the largest committed one is itself committed: the watermark
can be `max(seq)` without skipping a fact that commits late. Late facts (old
timestamps, new seqs) are therefore folded in like any other.

Each refresh runs in one transaction with its watermarks, so a crash leaves
the summaries as they were. A second process does not refresh at the same
time: on PostgreSQL it fails to take the advisory lock and skips; on SQLite
it waits for the write lock and then finds nothing new.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, select, text, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from graphql_api.db.models import RefreshState
from graphql_api.refresh.summaries import SUMMARIES, Summary
from graphql_api.resolvers.audit import purge_expired_audit_events

REFRESH_LOCK_KEY = 7_270_002


@dataclass(frozen=True)
class RefreshResult:
    """What one refresh did."""

    ran: bool
    folded: dict[str, int]
    purged: int


async def _fold(session: AsyncSession, summary: Summary, low: int, high: int) -> None:
    dialect = session.get_bind().dialect.name
    keys = summary.keys(dialect)
    measures = summary.measures()
    source = (
        select(*[e.label(n) for n, e in keys.items()], *[e.label(n) for n, e in measures.items()])
        .where(summary.order > low, summary.order <= high)
        .where(*([summary.where()] if summary.where is not None else []))
        .group_by(*keys.values())
    )
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    stmt = insert(summary.table).from_select([*keys, *measures], source)
    stmt = stmt.on_conflict_do_update(
        index_elements=list(keys),
        set_={n: summary.table.__table__.c[n] + stmt.excluded[n] for n in measures},
    )
    await session.execute(stmt)


async def _take_refresh_lock(session: AsyncSession, names: list[str], now: datetime) -> bool:
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        got = await session.scalar(
            text("SELECT pg_try_advisory_xact_lock(:key)"), {"key": REFRESH_LOCK_KEY}
        )
        if not got:
            return False
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    # Also the transaction's first write, so SQLite takes its write lock
    # before any watermark is read.
    await session.execute(
        insert(RefreshState)
        .values([{"name": n, "watermark": 0, "refreshed_at": now} for n in names])
        .on_conflict_do_nothing(index_elements=["name"])
    )
    return True


async def refresh(
    db: async_sessionmaker[AsyncSession], now: datetime, *, full: bool = False
) -> RefreshResult:
    """Bring every summary up to date (from scratch when `full`) and purge expired events."""
    folded: dict[str, int] = {}
    async with db() as session, session.begin():
        names = [s.name for s in SUMMARIES]
        if not await _take_refresh_lock(session, names, now):
            return RefreshResult(ran=False, folded={}, purged=0)
        if full:
            for summary in SUMMARIES:
                await session.execute(delete(summary.table))
            await session.execute(update(RefreshState).values(watermark=0))
        marks = dict(
            (await session.execute(select(RefreshState.name, RefreshState.watermark))).all()
        )
        tops: dict[object, int] = {}
        for summary in SUMMARIES:
            if summary.fact not in tops:
                tops[summary.fact] = (await session.scalar(select(func.max(summary.order)))) or 0
            low, high = marks[summary.name], tops[summary.fact]
            if high > low:
                await _fold(session, summary, low, high)
                folded[summary.name] = high - low
            await session.execute(
                update(RefreshState)
                .where(RefreshState.name == summary.name)
                .values(watermark=max(high, low), refreshed_at=now)
            )
        purged = await purge_expired_audit_events(session, now)
    return RefreshResult(ran=True, folded=folded, purged=purged)


async def last_refreshed_at(session: AsyncSession) -> datetime | None:
    """When the last completed refresh finished, or None if none has."""
    return await session.scalar(select(func.min(RefreshState.refreshed_at)))
