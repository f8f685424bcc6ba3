"""Announce new audit events once the transaction that wrote them commits."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import event, text
from sqlalchemy.ext.asyncio import AsyncSession

from graphql_api.live.feed import AUDIT_FEED

# The PostgreSQL channel every server process LISTENs on.
AUDIT_CHANNEL = "graphql_api_audit_events"


async def announce_audit_events(session: AsyncSession, team_ids: Collection[str]) -> None:
    """Wake subscribers of `team_ids` when the session's transaction commits.

    On PostgreSQL a NOTIFY is delivered on commit (and dropped on rollback)
    to every listening process. On SQLite the one process that writes wakes
    its own subscribers after commit.
    """
    if not team_ids:
        return
    if session.get_bind().dialect.name == "postgresql":
        for team_id in sorted(set(team_ids)):
            await session.execute(
                text("SELECT pg_notify(:channel, :team)"),
                {"channel": AUDIT_CHANNEL, "team": team_id},
            )
        return
    teams = frozenset(team_ids)
    event.listen(session.sync_session, "after_commit", lambda _s: AUDIT_FEED.wake(teams), once=True)
