"""The server's connection pool, and what it tells `/metrics` about itself.

SQLAlchemy's default pool (5 kept, 10 more opened on demand and closed again
on return) opened and closed a PostgreSQL session for nearly every burst past
five: 6.7 new sessions a second under a steady mixed load, each with its own
TLS attempt and statement cache. The server keeps as many connections as its
own concurrency needs (`GRAPHQL_API_DB_POOL_SIZE`), opened lazily and then
reused, and counts what it opens and how often a checkout had to wait.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.pool import AsyncAdaptedQueuePool, ConnectionPoolEntry


@dataclass
class PoolStats:
    """Counts since the engine was created (they survive `engine.dispose()`)."""

    opened: int = 0
    closed: int = 0
    waits: int = 0
    wait_seconds: float = 0.0


class MeasuredPool(AsyncAdaptedQueuePool):
    """A queue pool that counts checkouts that found no connection free and none to open."""

    stats: PoolStats

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.stats = PoolStats()

    def _do_get(self) -> ConnectionPoolEntry:
        max_overflow = self._max_overflow
        exhausted = max_overflow > -1 and self.overflow() >= max_overflow and self.checkedin() == 0
        if not exhausted:
            return super()._do_get()
        started = time.perf_counter()
        try:
            return super()._do_get()
        finally:
            self.stats.waits += 1
            self.stats.wait_seconds += time.perf_counter() - started

    def recreate(self) -> MeasuredPool:
        pool = super().recreate()
        assert isinstance(pool, MeasuredPool)
        pool.stats = self.stats
        return pool


def pool_options(pool_size: int, max_overflow: int) -> dict[str, Any]:
    """Engine keyword arguments for a measured pool of this size.

    Last in, first out: the connection just returned is the next one given, so a
    server that is not busy keeps using one warm PostgreSQL backend (its caches, its
    prepared statements) instead of turning through all of them; asyncpg's own pool
    does the same."""
    return {
        "poolclass": MeasuredPool,
        "pool_size": pool_size,
        "max_overflow": max_overflow,
        "pool_use_lifo": True,
    }


def count_connections(engine: AsyncEngine) -> None:
    """Count each DBAPI connection the engine's pool opens and closes."""
    sync_engine = engine.sync_engine

    def stats() -> PoolStats | None:
        pool = sync_engine.pool
        return pool.stats if isinstance(pool, MeasuredPool) else None

    def opened(_dbapi_connection: Any, _record: Any) -> None:
        if (found := stats()) is not None:
            found.opened += 1

    def closed(_dbapi_connection: Any, _record: Any) -> None:
        if (found := stats()) is not None:
            found.closed += 1

    event.listen(sync_engine, "connect", opened)
    event.listen(sync_engine, "close", closed)
