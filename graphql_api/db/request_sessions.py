"""Sessions of one request, opened one after another.

A GraphQL request resolves its fields concurrently, and each field or loader
opened its own session: one report request held up to five connections at
once, so eight concurrent requests overflowed a pool of twenty and the pool
opened and closed connections on every burst. A request's sessions share a
gate here: while one is open the next waits for it, so a request holds at
most one connection at a time, gives it back when its block ends, and the
pool a server needs is the number of requests it serves at once plus its
background workers.

The rule this imposes: never await a loader (or anything else that opens a
session of the same request) while a session is open. In the same task that
raises at once; across tasks it would wait forever.
"""

from __future__ import annotations

import asyncio
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from graphql_api.db.engine import create_sessionmaker
from graphql_api.db.turns import take_turn


class SessionGate:
    """Admits one session of a request at a time."""

    def __init__(self) -> None:
        self._lock = asyncio.Lock()
        self._holder: asyncio.Task[Any] | None = None

    async def enter(self) -> None:
        task = asyncio.current_task()
        if self._lock.locked() and self._holder is task:
            # Waiting here would wait for ourselves: fail loudly instead of hanging.
            raise RuntimeError("a request's session was opened inside another of its sessions")
        await self._lock.acquire()
        self._holder = task

    def leave(self) -> None:
        self._holder = None
        self._lock.release()


class GatedSession(AsyncSession):
    """An AsyncSession that holds its request's gate from `async with` until it closes."""

    def __init__(self, *args: Any, gate: SessionGate, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._gate = gate
        self._entered = False

    async def __aenter__(self) -> GatedSession:
        # What follows (building and running statements, reading rows) is CPU work.
        await take_turn()
        await self._gate.enter()
        self._entered = True
        return self

    async def __aexit__(self, type_: Any, value: Any, traceback: Any) -> None:
        try:
            await super().__aexit__(type_, value, traceback)
        finally:
            if self._entered:
                self._entered = False
                self._gate.leave()


def request_sessions(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """A session factory for one request (or one WebSocket connection)."""
    return create_sessionmaker(engine, class_=GatedSession, gate=SessionGate())
