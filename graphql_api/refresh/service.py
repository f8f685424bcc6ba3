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

Retention purges audit events, some of them already folded in. The purge
takes their contributions back out of the summaries in the transaction that
deletes them, so the summaries always equal a full rebuild of what remains
and a crash leaves both as they were. It costs what it purges: the events it
deletes are read once more, grouped, and subtracted from the rows they
counted in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import delete, func, select, text, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from graphql_api.db.models import AuditEvent, RefreshState, Team
from graphql_api.domain.enums import Plan
from graphql_api.refresh.summaries import SUMMARIES, Expr, Summary
from graphql_api.repositories.audit import retention_start

REFRESH_LOCK_KEY = 7_270_002

# The summaries that count audit events, the only facts anything deletes.
PURGED_SUMMARIES = tuple(s for s in SUMMARIES if s.fact is AuditEvent)


@dataclass(frozen=True)
class RefreshResult:
    """What one refresh did."""

    ran: bool
    folded: dict[str, int]
    purged: int


async def _fold(
    session: AsyncSession, summary: Summary, *conditions: Expr, subtract: bool = False
) -> None:
    """Add the summary's facts matching `conditions` into its rows, or take them out."""
    dialect = session.get_bind().dialect.name
    keys = summary.keys(dialect)
    measures = summary.measures()
    if subtract:
        measures = {n: -e for n, e in measures.items()}
    source = (
        select(*[e.label(n) for n, e in keys.items()], *[e.label(n) for n, e in measures.items()])
        .where(*conditions)
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
                await _fold(session, summary, summary.order > low, summary.order <= high)
                folded[summary.name] = high - low
            await session.execute(
                update(RefreshState)
                .where(RefreshState.name == summary.name)
                .values(watermark=max(high, low), refreshed_at=now)
            )
        purged = await purge_expired(session, now)
    return RefreshResult(ran=True, folded=folded, purged=purged)


async def purge_expired(session: AsyncSession, now: datetime) -> int:
    """Delete every audit event older than its team's plan keeps, taking the ones already
    folded in back out of the summaries; return how many events went.

    Runs in the caller's transaction, which must hold the refresh lock (`refresh`
    does, `purge` takes it): a refresh folding between the subtraction and the
    delete would count events that are then gone.
    """
    purged = 0
    for team_id, plan in (await session.execute(select(Team.id, Team.plan))).all():
        oldest = retention_start(Plan(plan), now)
        expired = [AuditEvent.team_id == team_id]
        if oldest is not None:
            expired.append(AuditEvent.at < oldest)
        for summary in PURGED_SUMMARIES:
            # Read in the subtracting statement itself: on SQLite that statement
            # is the purge's first write, so no refresh can commit after the read.
            watermark = (
                select(RefreshState.watermark)
                .where(RefreshState.name == summary.name)
                .scalar_subquery()
            )
            # Events above the watermark were never folded in: nothing to take out.
            await _fold(session, summary, *expired, summary.order <= watermark, subtract=True)
        result = await session.execute(
            delete(AuditEvent).where(*expired).execution_options(synchronize_session=False)
        )
        purged += result.rowcount or 0  # type: ignore[attr-defined]
        for summary in PURGED_SUMMARIES:
            await _drop_emptied_rows(session, summary, team_id, oldest)
    return purged


async def _drop_emptied_rows(
    session: AsyncSession, summary: Summary, team_id: str, oldest: datetime | None
) -> None:
    # A rebuild has no row for a key with no events left. Only the team's days
    # up to the cutoff can have lost any, so the statement reads just those.
    assert summary.count is not None, f"{summary.name} must name the measure that counts facts"
    table = summary.table
    emptied = [table.team_id == team_id, table.__table__.c[summary.count] <= 0]
    if oldest is not None:
        emptied.append(table.day <= oldest.astimezone(UTC).date())
    # The session holds none of these rows: the ORM need not fetch what went to sync them.
    await session.execute(
        delete(table).where(*emptied).execution_options(synchronize_session=False)
    )


async def purge(db: async_sessionmaker[AsyncSession], now: datetime) -> int:
    """Purge expired audit events (as `purge_expired` does) in a transaction of its own."""
    async with db() as session, session.begin():
        if session.get_bind().dialect.name == "postgresql":
            # Wait for a refresh under way rather than skip: a purge asked for should run.
            await session.execute(
                text("SELECT pg_advisory_xact_lock(:key)"), {"key": REFRESH_LOCK_KEY}
            )
        return await purge_expired(session, now)
