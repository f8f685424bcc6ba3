"""Per-request dataloaders, one per key shape, so a page of N rows costs one statement per field.

Each loader opens its own short session: loaders run concurrently and an
AsyncSession must not be shared between concurrent tasks.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from strawberry.dataloader import DataLoader

from graphql_api.auth.viewer import Viewer
from graphql_api.repositories import directory


class UserByIdLoader(DataLoader[str, Any]):
    """User rows by id (None where unknown)."""

    def __init__(self, db: async_sessionmaker[AsyncSession]) -> None:
        async def batch_load(ids: list[str]) -> Sequence[Any]:
            async with db() as session:
                found = await directory.users_by_ids(session, ids)
            return [found.get(i) for i in ids]

        super().__init__(load_fn=batch_load)


class WorkspaceByIdLoader(DataLoader[str, Any]):
    """(workspace row, readable) by id, for the viewer's team (None where not in it)."""

    def __init__(self, db: async_sessionmaker[AsyncSession], viewer: Viewer) -> None:
        async def batch_load(ids: list[str]) -> Sequence[Any]:
            async with db() as session:
                found = await directory.workspaces_with_access(session, viewer, ids)
            return [found.get(i) for i in ids]

        super().__init__(load_fn=batch_load)


@dataclass
class DataLoaders:
    """Every loader of one request; built fresh per request so nothing is cached across them."""

    db: async_sessionmaker[AsyncSession]
    viewer: Viewer
    user_by_id: UserByIdLoader = field(init=False)
    workspace_by_id: WorkspaceByIdLoader = field(init=False)

    def __post_init__(self) -> None:
        self.user_by_id = UserByIdLoader(self.db)
        self.workspace_by_id = WorkspaceByIdLoader(self.db, self.viewer)
