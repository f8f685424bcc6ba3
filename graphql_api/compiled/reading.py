"""Reading a plan's data in one database state."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

from sqlalchemy.ext.asyncio import AsyncSession

from graphql_api.compiled.checks import NotCompiled
from graphql_api.db.request_sessions import RequestSessions
from graphql_api.errors import ApiError


@contextlib.asynccontextmanager
async def one_state(sessions: RequestSessions, several: bool) -> AsyncIterator[AsyncSession]:
    """The session a plan reads with: outside any transaction for one statement (one
    statement is one state), in the request's snapshot for `several`. An ApiError
    raised inside (a bad cursor or page size) hands the request to strawberry, which
    words it."""
    if several:
        sessions.use_snapshot()
    try:
        async with sessions() as session:
            if not several:
                await session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})
            yield session
    except ApiError as exc:
        raise NotCompiled from exc
