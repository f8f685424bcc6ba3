"""Following a team's audit log as it grows: the data side of `auditEventAdded`."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from graphql_api.auth.viewer import Viewer
from graphql_api.db.base import utcnow
from graphql_api.db.models import AuditEvent
from graphql_api.live.feed import AUDIT_FEED
from graphql_api.resolvers.audit import AuditQuery, audit_events_statement, last_event_id

# Events read per round trip when many arrive at once.
BATCH = 500
# Reads one process's subscriptions run at once. Every subscription of a team
# is woken by the same event; without a bound each would take a connection at
# that moment, so the pool would have to grow with the number of open sockets.
READ_SLOTS = 4


def live_read_slots() -> asyncio.Semaphore:
    """The bound one server process puts on its subscriptions' concurrent reads."""
    return asyncio.Semaphore(READ_SLOTS)


async def follow_audit_events(
    db: async_sessionmaker[AsyncSession],
    viewer: Viewer,
    query: AuditQuery,
    poll_seconds: float,
    slots: asyncio.Semaphore,
) -> AsyncIterator[Any]:
    """Yield each event ingested after the call, matching `query`, once, in eventId order.

    It reads by eventId after the last one it yielded, the tailing order that
    never skips (every writer commits numbers in order), whenever the feed
    says the team's log grew, and every `poll_seconds` in case a wake-up was
    lost. At most `slots` such reads run at once in the process.
    """
    async with db() as session:
        last = await last_event_id(session, viewer.team_id) or 0
    waiter = AUDIT_FEED.waiter(viewer.team_id)
    try:
        while True:
            # Cleared before reading: a wake-up during the read is not lost.
            waiter.clear()
            statement = (
                audit_events_statement(viewer, query, utcnow())
                .where(AuditEvent.event_id > last)
                .order_by(AuditEvent.event_id)
                .limit(BATCH)
            )
            async with slots, db() as session:
                rows = (await session.execute(statement)).all()
            for row in rows:
                last = row.event_id
                yield row
            if len(rows) == BATCH:
                continue
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(waiter.wait(), poll_seconds)
    finally:
        AUDIT_FEED.forget(viewer.team_id, waiter)
