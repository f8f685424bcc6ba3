"""Transaction-scoped locks that keep numbered rows visible in the order they are numbered."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

# Serialises every transaction that hands out sequence numbers (ingest, and
# the server's own audit events) on PostgreSQL, so that numbers (audit
# eventIds, fact seqs) become visible in the order they were handed out: a
# reader tailing by id can then never see 101 while 100 is uncommitted.
# SQLite serialises writers by itself.
INGEST_LOCK_KEY = 7_270_001


async def take_event_order_lock(session: AsyncSession) -> None:
    """Serialise writers of numbered rows on PostgreSQL until the transaction ends."""
    if session.get_bind().dialect.name == "postgresql":
        await session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": INGEST_LOCK_KEY})
