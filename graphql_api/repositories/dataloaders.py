"""Per-request dataloaders, one per key shape, so a page of N rows costs one statement per field.

Each loader opens its own short session: loaders run concurrently and an
AsyncSession must not be shared between concurrent tasks.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from strawberry.dataloader import DataLoader

from graphql_api.auth.viewer import Viewer
from graphql_api.db.engine import SessionFactory
from graphql_api.repositories import directory
from graphql_api.repositories.reports import drilldown_batches as drilldowns
from graphql_api.repositories.reports.points import Point, PointKey, PointPage, by_query


class UserByIdLoader(DataLoader[str, Any]):
    """User rows by id (None where unknown)."""

    def __init__(self, db: SessionFactory) -> None:
        async def batch_load(ids: list[str]) -> Sequence[Any]:
            async with db() as session:
                found = await directory.users_by_ids(session, ids)
            return [found.get(i) for i in ids]

        super().__init__(load_fn=batch_load)


class WorkspaceByIdLoader(DataLoader[str, Any]):
    """(workspace row, readable) by id, for the viewer's team (None where not in it)."""

    def __init__(self, db: SessionFactory, viewer: Viewer) -> None:
        async def batch_load(ids: list[str]) -> Sequence[Any]:
            async with db() as session:
                found = await directory.workspaces_with_access(session, viewer, ids)
            return [found.get(i) for i in ids]

        super().__init__(load_fn=batch_load)


class _PointPagesLoader(DataLoader[PointKey[Any], PointPage]):
    """Drill-down pages of series points: one statement for all the points asked with the
    same arguments (see repositories/reports/points.py)."""

    def __init__(
        self,
        db: SessionFactory,
        viewer: Viewer,
        pages: Callable[..., Awaitable[dict[Point, PointPage]]],
    ) -> None:
        # Pages already loaded, for the points whose resolvers started after their
        # series was loaded: their batch must not run the statement again.
        loaded: dict[PointKey[Any], PointPage] = {}

        async def batch_load(keys: list[PointKey[Any]]) -> Sequence[PointPage]:
            if any(key not in loaded for key in keys):
                async with db() as session:
                    # Checked again: an earlier batch may have loaded them meanwhile.
                    missing = [key for key in keys if key not in loaded]
                    if missing:
                        answers, later = await by_query(missing, partial(pages, session, viewer))
                        loaded.update(zip(missing, answers, strict=True))
                        loaded.update(later)
                        # The series' other points find their pages when they ask.
                        self.prime_many(later)
            return [loaded[key] for key in keys]

        super().__init__(load_fn=batch_load)


class TeamApisByPointLoader(_PointPagesLoader):
    """A Summary point's Team APIs page, by (point, `teamApis` arguments)."""

    def __init__(self, db: SessionFactory, viewer: Viewer) -> None:
        super().__init__(db, viewer, drilldowns.team_api_pages)


class ContentElementsByPointLoader(_PointPagesLoader):
    """A content activity point's elements page, by (point and kind, `elements` arguments)."""

    def __init__(self, db: SessionFactory, viewer: Viewer) -> None:
        super().__init__(db, viewer, drilldowns.content_pages)


class ApiFindingsByPointLoader(_PointPagesLoader):
    """A security trend point's APIs page, by (point, `apis` arguments)."""

    def __init__(self, db: SessionFactory, viewer: Viewer) -> None:
        super().__init__(db, viewer, drilldowns.findings_pages)


class MembersByPointLoader(_PointPagesLoader):
    """An activity point's members page, by (point, `members` arguments)."""

    def __init__(self, db: SessionFactory, viewer: Viewer) -> None:
        super().__init__(db, viewer, drilldowns.member_pages)


@dataclass
class DataLoaders:
    """Every loader of one request; built fresh per request so nothing is cached across them."""

    db: SessionFactory
    viewer: Viewer
    user_by_id: UserByIdLoader = field(init=False)
    workspace_by_id: WorkspaceByIdLoader = field(init=False)
    team_apis_by_point: TeamApisByPointLoader = field(init=False)
    content_elements_by_point: ContentElementsByPointLoader = field(init=False)
    api_findings_by_point: ApiFindingsByPointLoader = field(init=False)
    members_by_point: MembersByPointLoader = field(init=False)

    def __post_init__(self) -> None:
        self.user_by_id = UserByIdLoader(self.db)
        self.workspace_by_id = WorkspaceByIdLoader(self.db, self.viewer)
        self.team_apis_by_point = TeamApisByPointLoader(self.db, self.viewer)
        self.content_elements_by_point = ContentElementsByPointLoader(self.db, self.viewer)
        self.api_findings_by_point = ApiFindingsByPointLoader(self.db, self.viewer)
        self.members_by_point = MembersByPointLoader(self.db, self.viewer)
