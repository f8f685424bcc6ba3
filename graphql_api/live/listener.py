"""The PostgreSQL LISTEN connection that wakes this process's subscribers and tells it
of access and report changes made by other processes (db/table_changes.py)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

import asyncpg
from sqlalchemy.engine import make_url

from graphql_api.db.access_changes import ACCESS_CHANGES
from graphql_api.db.report_changes import REPORT_CHANGES
from graphql_api.db.table_changes import TableChanges
from graphql_api.live.feed import AUDIT_FEED
from graphql_api.live.notify import AUDIT_CHANNEL

log = logging.getLogger("graphql_api.live")


def asyncpg_dsn(database_url: str) -> str:
    """The SQLAlchemy URL as a plain libpq URL asyncpg accepts."""
    url = make_url(database_url).set(drivername="postgresql")
    return url.render_as_string(hide_password=False)


def _on_notify(_connection: Any, _pid: int, _channel: str, payload: str) -> None:
    AUDIT_FEED.wake([payload])


# Counters of what other processes change, each bumped by its channel's notifications.
WATCHED: tuple[TableChanges, ...] = (ACCESS_CHANGES, REPORT_CHANGES)


def _bumping(changes: TableChanges) -> Any:
    def on_change(_connection: Any, _pid: int, _channel: str, _payload: str) -> None:
        changes.bump()

    return on_change


async def listen_forever(database_url: str, stop: asyncio.Event, retry_seconds: float = 5) -> None:
    """Hold a LISTEN connection until `stop`; reconnect when it drops.

    While it is down subscribers still see every event through their own
    periodic poll, only later.
    """
    while not stop.is_set():
        connection = None
        try:
            connection = await asyncpg.connect(asyncpg_dsn(database_url))
            lost = asyncio.Event()
            connection.add_termination_listener(lambda _c, lost=lost: lost.set())
            await connection.add_listener(AUDIT_CHANNEL, _on_notify)
            for changes in WATCHED:
                await connection.add_listener(changes.channel, _bumping(changes))
            # Anything committed while we were not listening: look again, and
            # forget every viewer and report answer read before now.
            AUDIT_FEED.wake_all()
            for changes in WATCHED:
                changes.bump()
                changes.listening = True
            stopping = asyncio.create_task(stop.wait())
            dropped = asyncio.create_task(lost.wait())
            await asyncio.wait({stopping, dropped}, return_when=asyncio.FIRST_COMPLETED)
            for task in (stopping, dropped):
                task.cancel()
        except (OSError, asyncpg.PostgresError) as exc:
            log.warning("audit LISTEN connection failed (%s); retrying in %s s", exc, retry_seconds)
        finally:
            # Other processes' changes no longer reach us: nothing cached is used.
            for changes in WATCHED:
                changes.listening = False
            if connection is not None and not connection.is_closed():
                with contextlib.suppress(Exception):
                    await connection.close()
        if not stop.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), retry_seconds)
