"""Reading a plan's data in one database state."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from graphql_api.compiled.checks import NotCompiled
from graphql_api.db.request_sessions import RequestSessions
from graphql_api.errors import ApiError


@contextlib.asynccontextmanager
async def one_state(
    sessions: RequestSessions, several: bool
) -> AsyncIterator[AsyncSession | AsyncConnection]:
    """What a plan reads with: a bare connection outside any transaction for one
    statement (one statement is one state), the request's snapshot session for
    `several`. An ApiError raised inside (a bad cursor or page size) hands the request
    to strawberry, which words it."""
    try:
        if several:
            sessions.use_snapshot()
            async with sessions() as session:
                yield session
        else:
            async with sessions.autocommit_connection() as connection:
                yield connection
    except ApiError as exc:
        raise NotCompiled from exc


def snapshot_session(reader: AsyncSession | AsyncConnection) -> AsyncSession:
    """The session `one_state` gave for several statements."""
    assert isinstance(reader, AsyncSession), "several statements read in the snapshot session"
    return reader
