"""What the drill-down DataLoaders run: one statement for every point asked together.

Each `*_pages` function pages every point of a list (their days and, for
content activity, element kinds) for one query (the drill-down's arguments)
with one statement built once for the batch (see `points.py`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from graphql_api.auth.viewer import Viewer
from graphql_api.repositories.freshness import last_refreshed_at
from graphql_api.repositories.pagination import AnySelect, SortKey
from graphql_api.repositories.reports.drilldowns import (
    CONTENT_SCOPE,
    FINDINGS_SCOPE,
    active_member_points,
    api_findings_points,
    content_element_points,
    team_api_points,
)
from graphql_api.repositories.reports.members import MemberSort
from graphql_api.repositories.reports.points import (
    PagePlan,
    Point,
    PointPage,
    dialect_of,
    drilldown_sort,
    empty_page,
    paged_per_point,
    point_pages,
    spans_cte,
    spans_json,
)
from graphql_api.repositories.reports.ranges import DayRange
from graphql_api.repositories.reports.team_apis import TeamApiSort, restricted_count


@dataclass(frozen=True)
class TeamApiPointQuery:
    """A Summary point's `teamApis` arguments: sources (requests, test runs) and order."""

    sources: tuple[str, ...]
    test_sources: tuple[str, ...]
    sort: TeamApiSort
    descending: bool
    plan: PagePlan


@dataclass(frozen=True)
class ContentPointQuery:
    """A content activity point's `elements` arguments (and the report's API, if any)."""

    element_id: str | None
    plan: PagePlan


@dataclass(frozen=True)
class FindingsPointQuery:
    """A security trend point's `apis` arguments."""

    plan: PagePlan


@dataclass(frozen=True)
class MemberPointQuery:
    """An activity point's `members` arguments: request sources and order."""

    sources: tuple[str, ...]
    sort: MemberSort
    descending: bool
    plan: PagePlan


def team_api_point_sort(sort: TeamApiSort, descending: bool) -> SortKey:
    return drilldown_sort(f"team_apis:{sort.value}", descending, text=sort is TeamApiSort.NAME)


def content_point_sort() -> SortKey:
    # Cursors carry their scope: a point's drill-down refuses those of `topElements`.
    return drilldown_sort(CONTENT_SCOPE, True, text=False)


def findings_point_sort() -> SortKey:
    return drilldown_sort(FINDINGS_SCOPE, True, text=False)


def member_point_sort(sort: MemberSort, descending: bool) -> SortKey:
    return drilldown_sort(
        f"members:{sort.value}", descending, text=sort is not MemberSort.REQUEST_COUNT
    )


async def _run(
    session: AsyncSession,
    built: tuple[AnySelect, SortKey],
    plan: PagePlan,
    parts: list[str],
    spans: str,
) -> dict[tuple, PointPage]:
    statement, sort = built
    result = await session.execute(
        paged_per_point(statement, sort, plan, parts), {"drill_spans": spans}
    )
    return point_pages(result.all(), plan, parts)


def _indexed(points: Sequence[Point]) -> dict[DayRange, int]:
    """The distinct days of `points`, each with its index (in order)."""
    return {days: n for n, days in enumerate(dict.fromkeys(days for days, _ in points))}


def _pages_of(
    points: Sequence[Point],
    index: dict[DayRange, int],
    pages: dict[tuple, PointPage],
    plan: PagePlan,
) -> dict[Point, PointPage]:
    """Each point's page, found by its partition: (index) or, with a kind, (index, kind)."""
    out = {}
    for days, kind in points:
        partition = (index[days],) if kind is None else (index[days], kind)
        out[(days, kind)] = pages.get(partition) or empty_page(plan)
    return out


async def team_api_pages(
    session: AsyncSession, viewer: Viewer, query: TeamApiPointQuery, points: list[Point]
) -> dict[Point, PointPage]:
    """Team APIs pages of Summary points; `extra` is (restricted count, refreshed)."""
    index = _indexed(points)
    built = team_api_points(
        viewer,
        spans_cte(dialect_of(session)),
        query.sources,
        query.test_sources,
        query.sort,
        query.descending,
    )
    pages = await _run(session, built, query.plan, ["point"], spans_json(index, weeks=True))
    extra = (await restricted_count(session, viewer), await last_refreshed_at(session) is not None)
    answers = _pages_of(points, index, pages, query.plan)
    for page in answers.values():
        page.extra = extra
    return answers


async def content_pages(
    session: AsyncSession, viewer: Viewer, query: ContentPointQuery, points: list[Point]
) -> dict[Point, PointPage]:
    """Element pages of content activity points, one per (days, kind)."""
    index = _indexed(points)
    kinds = sorted({kind for _, kind in points if kind is not None})
    built = content_element_points(viewer, spans_cte(dialect_of(session)), query.element_id, kinds)
    parts = ["point", "point_kind"]
    pages = await _run(session, built, query.plan, parts, spans_json(index))
    return _pages_of(points, index, pages, query.plan)


async def findings_pages(
    session: AsyncSession, viewer: Viewer, query: FindingsPointQuery, points: list[Point]
) -> dict[Point, PointPage]:
    """API pages of security trend points, by findings open at each point's end."""
    index = _indexed(points)
    built = api_findings_points(viewer, spans_cte(dialect_of(session)))
    pages = await _run(session, built, query.plan, ["point"], spans_json(index))
    return _pages_of(points, index, pages, query.plan)


async def member_pages(
    session: AsyncSession, viewer: Viewer, query: MemberPointQuery, points: list[Point]
) -> dict[Point, PointPage]:
    """Member pages of activity points: who sent a request in each."""
    index = _indexed(points)
    built = active_member_points(
        viewer, spans_cte(dialect_of(session)), query.sources, query.sort, query.descending
    )
    pages = await _run(session, built, query.plan, ["point"], spans_json(index))
    return _pages_of(points, index, pages, query.plan)
