"""Running a compiled `viewer` for one request: one statement, outside any transaction."""

from __future__ import annotations

from typing import Any

from graphql_api.auth.viewer import Viewer
from graphql_api.compiled.checks import NotCompiled
from graphql_api.compiled.reading import one_state
from graphql_api.db.request_sessions import RequestSessions
from graphql_api.repositories.directory import user_by_id


async def fetch_viewer(*, viewer: Viewer, sessions: RequestSessions) -> Any:
    """The row of the key's user; NotCompiled when there is none (the executor says so)."""
    async with one_state(sessions, several=False) as reader:
        row = await user_by_id(reader, viewer.user_id)
    if row is None:
        raise NotCompiled
    return row
