"""Following a team's audit log as it grows: the data side of `auditEventAdded`."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from graphql_api.auth.live_access import LiveAccess
from graphql_api.db.base import utcnow
from graphql_api.db.engine import SessionFactory
from graphql_api.db.models import AuditEvent
from graphql_api.live.feed import AUDIT_FEED
from graphql_api.repositories.audit import AuditQuery, audit_events_statement, last_event_id

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
    db: SessionFactory,
    access: LiveAccess,
    query: AuditQuery,
    poll_seconds: float,
    slots: asyncio.Semaphore,
) -> AsyncIterator[Any]:
    """Yield each event ingested after the call, matching `query`, once, in eventId order.

    It reads by eventId after the last one it yielded, the tailing order that
    never skips (every writer commits numbers in order), whenever the feed
    says the team's log grew, and every `poll_seconds` in case a wake-up was
    lost. At most `slots` such reads run at once in the process.

    Access is verified (`access.verify`, one small query) in the same session
    as each read, so nothing is delivered after a wake-up unless the key still
    grants it, and every `access.interval` seconds while no read happens, so
    a change nothing announces (another process revoking the key, a member
    removed by ingest, an expiry) is noticed too. When access is lost the
    ApiError saying why is raised and the iteration ends.
    """
    team_id = access.viewer.team_id
    async with db() as session:
        last = await last_event_id(session, team_id) or 0
    waiter = AUDIT_FEED.waiter(team_id)
    loop = asyncio.get_running_loop()
    poll_at = loop.time() + poll_seconds
    try:
        # The first read verifies access before anything is delivered.
        read = True
        while True:
            if read:
                # Cleared before reading: a wake-up during the read is not lost.
                waiter.clear()
                async with slots, db() as session:
                    rows = await _verified_batch(session, access, query, last)
                for row in rows:
                    last = row.event_id
                    yield row
                if len(rows) == BATCH:
                    continue
                poll_at = loop.time() + poll_seconds
            elif access.check_in() == 0:
                # A check alone, under the same bound as reads: the checks of
                # many sockets may fall due together.
                async with slots, db() as session:
                    await access.verify(session)
            # The session is closed while waiting: an idle subscription holds
            # no connection between its checks.
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(waiter.wait(), min(poll_at - loop.time(), access.check_in()))
            read = waiter.is_set() or loop.time() >= poll_at
    finally:
        AUDIT_FEED.forget(team_id, waiter)


async def _verified_batch(
    session: AsyncSession, access: LiveAccess, query: AuditQuery, last: int
) -> Sequence[Any]:
    """Verify access, then read up to BATCH events after `last` matching `query`."""
    await access.verify(session)
    # Built after the check: it uses the viewer as just read (its plan).
    statement = (
        audit_events_statement(access.viewer, query, utcnow())
        .where(AuditEvent.event_id > last)
        .order_by(AuditEvent.event_id)
        .limit(BATCH)
    )
    return (await session.execute(statement)).all()
