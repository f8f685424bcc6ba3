"""The statement timeout: no SQL statement a request sends runs longer than it.

On PostgreSQL every connection of the server's pool starts with `statement_timeout`
set (a connection setting costs no statement per request); on SQLite a progress
handler interrupts a statement past its deadline. Background work (the refresher,
exports, ingest) reads and writes far more than a request and is not bound: it
uses `unbounded_sessions`, which lift the limit for their transactions.
"""

from __future__ import annotations

import time
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from sqlalchemy.orm import Session, SessionTransaction
from sqlalchemy.util.concurrency import await_

from graphql_api.db.engine import create_sessionmaker

# connection.info keys: the SQLite connection's deadline holder, and the mark of a
# transaction that is not bound.
_DEADLINE = "graphql_api_statement_deadline"
_UNBOUNDED = "graphql_api_unbounded"
# SQLite virtual-machine steps between deadline checks: often enough to stop within
# milliseconds, rarely enough to cost nothing measurable.
_SQLITE_CHECK_EVERY = 10_000


def connect_args(database_url: str, seconds: float) -> dict[str, Any]:
    """What `create_engine` needs so that PostgreSQL bounds every statement."""
    if database_url.startswith("postgresql"):
        return {"server_settings": {"statement_timeout": str(max(1, round(seconds * 1000)))}}
    return {}


class _Deadline:
    """When the statement running on one SQLite connection must stop (monotonic)."""

    __slots__ = ("at",)

    def __init__(self) -> None:
        self.at: float | None = None

    def passed(self) -> int:
        at = self.at
        return 1 if at is not None and time.monotonic() > at else 0


def bound_statements(engine: AsyncEngine, seconds: float) -> None:
    """On SQLite, interrupt any statement of `engine` running longer than `seconds`
    (PostgreSQL does it itself, given `connect_args`)."""
    if engine.dialect.name != "sqlite":
        return
    sync_engine = engine.sync_engine

    @event.listens_for(sync_engine, "connect")
    def _install(dbapi_connection: Any, record: Any) -> None:
        deadline = _Deadline()
        record.info[_DEADLINE] = deadline
        # The handler runs on aiosqlite's thread, so it is installed there.
        await_(record.driver_connection.set_progress_handler(deadline.passed, _SQLITE_CHECK_EVERY))

    @event.listens_for(sync_engine.pool, "checkin")
    def _bound_again(dbapi_connection: Any, record: Any) -> None:
        record.info.pop(_UNBOUNDED, None)

    @event.listens_for(sync_engine, "before_cursor_execute")
    def _start(connection: Connection, *args: Any) -> None:
        deadline = connection.info.get(_DEADLINE)
        if deadline is not None and not connection.info.get(_UNBOUNDED):
            deadline.at = time.monotonic() + seconds

    @event.listens_for(sync_engine, "after_cursor_execute")
    def _stop(connection: Connection, *args: Any) -> None:
        deadline = connection.info.get(_DEADLINE)
        if deadline is not None:
            deadline.at = None

    @event.listens_for(sync_engine, "handle_error")
    def _stop_on_error(context: Any) -> None:
        connection = context.connection
        deadline = connection.info.get(_DEADLINE) if connection is not None else None
        if deadline is not None:
            deadline.at = None


class UnboundedSyncSession(Session):
    """The sync half of `unbounded_sessions`: lifts the timeout as each transaction
    begins (PostgreSQL: for that transaction; SQLite: until the connection is
    returned to the pool)."""


@event.listens_for(UnboundedSyncSession, "after_begin")
def _lift(session: Session, transaction: SessionTransaction, connection: Connection) -> None:
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql("SET LOCAL statement_timeout = 0")
    else:  # read by the SQLite deadline, cleared when the pool takes the connection back
        connection.info[_UNBOUNDED] = True


def unbounded_sessions(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Sessions for background work, which the statement timeout does not bind."""
    return create_sessionmaker(engine, sync_session_class=UnboundedSyncSession)
