"""Engine and session factory for SQLite (aiosqlite) and PostgreSQL (asyncpg)."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from graphql_api.db.access_changes import watch_engines


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    # WAL lets readers go on while ingest writes; foreign keys are off by
    # default in SQLite and we want the same integrity as on PostgreSQL.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def create_engine(database_url: str, **kwargs: Any) -> AsyncEngine:
    """Create the async engine for a URL, with the per-backend settings we rely on."""
    # Cached viewers must learn of this process's writes to who-may-do-what.
    watch_engines()
    if database_url.startswith("sqlite"):
        engine = create_async_engine(database_url, **kwargs)
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        return engine
    # No pre-ping: it cost a round trip (BEGIN; ; ROLLBACK) at every checkout. A
    # connection that died with its server fails its first statement instead; that
    # request answers 503 with Retry-After (db/faults.py) and SQLAlchemy drops every
    # pooled connection older than the failure, so the next requests reconnect.
    return create_async_engine(database_url, **kwargs)


def create_sessionmaker(engine: AsyncEngine, **kwargs: Any) -> async_sessionmaker[AsyncSession]:
    """Sessions that keep loaded objects usable after commit."""
    return async_sessionmaker(engine, expire_on_commit=False, **kwargs)


# The names the layers above use for a session and a factory of them, so that
# only the data-access layers import SQLAlchemy (pyproject.toml, [tool.importlinter]).
# A factory is anything `async with factory() as session` works on: a sessionmaker,
# or a request's gated sessions (db/request_sessions.py).
Session = AsyncSession
SessionFactory = Callable[[], AbstractAsyncContextManager[AsyncSession]]
