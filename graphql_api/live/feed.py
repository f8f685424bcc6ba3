"""The process's audit feed: subscribers wait here until their team has new events.

A wake-up carries no events; the subscriber reads them from the database
after its last eventId. A lost or duplicated wake-up therefore never loses
or repeats an event, it only delays one until the next wake-up or poll.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Iterable


class AuditFeed:
    """Waiters per team, woken when that team's audit log grows."""

    def __init__(self) -> None:
        self._waiters: dict[str, set[asyncio.Event]] = defaultdict(set)

    def waiter(self, team_id: str) -> asyncio.Event:
        """A new event flag for `team_id`; pass it to `forget` when done."""
        event = asyncio.Event()
        self._waiters[team_id].add(event)
        return event

    def forget(self, team_id: str, event: asyncio.Event) -> None:
        """Stop waking `event`."""
        waiters = self._waiters.get(team_id)
        if waiters is not None:
            waiters.discard(event)
            if not waiters:
                del self._waiters[team_id]

    def wake(self, team_ids: Iterable[str]) -> None:
        """Tell everyone waiting on these teams to look again."""
        for team_id in team_ids:
            for event in self._waiters.get(team_id, ()):
                event.set()

    def wake_all(self) -> None:
        """Tell every subscriber to look again (after a gap in notifications)."""
        self.wake(list(self._waiters))

    def subscriber_count(self) -> int:
        """How many subscribers wait, over all teams."""
        return sum(len(w) for w in self._waiters.values())


# One per process: SQLite has a single writer process, so in-process wake-ups
# reach every subscriber there; on PostgreSQL the LISTEN connection wakes it.
AUDIT_FEED = AuditFeed()
