"""The sessions of one request: one at a time, and for a query one database snapshot.

A GraphQL request resolves its fields concurrently, and each field or loader
opens a session with `async with ctx.db() as session`. Those blocks share a
gate here: while one is open the next waits for it, so a request holds at most
one connection at a time, and the pool a server needs is the number of
requests it serves at once plus its background workers.

A query operation reads one snapshot (`RequestSessions.use_snapshot`): its
blocks share one session and one transaction, begun as REPEATABLE READ (read
only) on PostgreSQL and with an explicit BEGIN on SQLite (whose WAL reader then
keeps the state it first read), so every field of one response reads the same
state, and the request pays one BEGIN and one ROLLBACK, not one pair per field.
The session closes when the request ends (`close`). Mutations and
subscriptions keep a fresh session per block: a mutation's writes commit in
their block and what it returns must see them; a subscription reads new events
for as long as its socket lives.

The rule the gate imposes: never await a loader (or anything else that opens a
session of the same request) while a session is open. In the same task that
raises at once; across tasks it would wait forever.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from types import TracebackType
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession

from graphql_api.db.engine import create_sessionmaker
from graphql_api.db.turns import take_turn
from graphql_api.errors import ApiError


class SessionGate:
    """Admits one session block of a request at a time."""

    def __init__(self) -> None:
        self._lock = asyncio.Lock()
        self._holder: asyncio.Task[Any] | None = None

    async def enter(self) -> None:
        """Wait for the request's open block, if any, to end."""
        task = asyncio.current_task()
        if self._lock.locked() and self._holder is task:
            # Waiting here would wait for ourselves: fail loudly instead of hanging.
            raise RuntimeError("a request's session was opened inside another of its sessions")
        await self._lock.acquire()
        self._holder = task

    def leave(self) -> None:
        """Let the next block in."""
        self._holder = None
        self._lock.release()


class RequestSessions:
    """What `ctx.db` is: `async with ctx.db() as session` opens a block of the request."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine
        self._factory = create_sessionmaker(engine)
        self._gate = SessionGate()
        self._snapshot_wanted = False
        self._shared: AsyncSession | None = None

    def use_snapshot(self) -> None:
        """From now on every block reads the request's one snapshot (query operations)."""
        self._snapshot_wanted = True

    def __call__(self) -> SessionBlock:
        return SessionBlock(self)

    @contextlib.asynccontextmanager
    async def autocommit_connection(self) -> AsyncIterator[AsyncConnection]:
        """A block holding a bare connection outside any transaction, for a read whose
        one statement is its one state: no ORM session to open and close (about 5 %
        of a compiled request's time)."""
        await take_turn()
        await self._gate.enter()
        try:
            async with self._engine.connect() as connection:
                await connection.execution_options(isolation_level="AUTOCOMMIT")
                yield connection
        finally:
            self._gate.leave()

    async def open(self) -> AsyncSession:
        """The session for a block that has passed the gate."""
        if not self._snapshot_wanted:
            return self._factory()
        if self._shared is None:
            self._shared = await _snapshot_session(self._factory())
        return self._shared

    async def end_block(self, session: AsyncSession, failed: bool) -> None:
        """End a block: close its own session, or keep the shared one for the next
        block unless the block failed (an aborted PostgreSQL transaction reads nothing
        more, so the next block starts a new snapshot)."""
        if session is not self._shared:
            await session.close()
        elif failed:
            await self.close()

    async def close(self) -> None:
        """End the request's snapshot, if one was opened (its transaction rolls back)."""
        shared, self._shared = self._shared, None
        if shared is not None:
            await shared.close()


async def _snapshot_session(session: AsyncSession) -> AsyncSession:
    """`session` with its transaction begun as one read-only snapshot."""
    if session.get_bind().dialect.name == "postgresql":
        await session.connection(
            execution_options={"isolation_level": "REPEATABLE READ", "postgresql_readonly": True}
        )
    else:
        # pysqlite begins a transaction only before a write; without this each
        # SELECT would read whatever was committed when it ran.
        await session.execute(text("BEGIN"))
    return session


class SessionBlock:
    """One `async with ctx.db() as session` block: the gate held from enter to exit."""

    def __init__(self, sessions: RequestSessions) -> None:
        self._sessions = sessions
        self._session: AsyncSession | None = None

    async def __aenter__(self) -> AsyncSession:
        # What follows (building and running statements, reading rows) is CPU work.
        await take_turn()
        await self._sessions._gate.enter()
        try:
            self._session = await self._sessions.open()
        except BaseException:
            self._sessions._gate.leave()
            raise
        return self._session

    async def __aexit__(
        self,
        type_: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        try:
            assert self._session is not None
            # An error the API reports on purpose (NOT_FOUND, FORBIDDEN, ...) leaves the
            # transaction as it was; any other may have aborted it.
            failed = value is not None and not isinstance(value, ApiError)
            await self._sessions.end_block(self._session, failed=failed)
        finally:
            self._session = None
            self._sessions._gate.leave()


def request_sessions(engine: AsyncEngine) -> RequestSessions:
    """The sessions of one request (or one WebSocket connection)."""
    return RequestSessions(engine)
