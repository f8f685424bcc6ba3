"""Series drill-downs in batches: every point of a series paged by one statement.

A report's series points each drill down to a table (the Team APIs of that
day, the elements with content events in that week, ...). Asked point by
point, a 90-day series ran 90 pages; here the points asked together become
rows of one relation, `spans`, and the table is computed per point in one
statement: aggregated per (point, row), numbered per point in the
connection's order with ROW_NUMBER(), each point's page cut from it.

`spans` comes from one JSON parameter (PostgreSQL `json_to_recordset`,
SQLite `json_each`), so the SQL text is the same whatever the number of
points, and SQLAlchemy's compiled cache serves every request of one shape.
Each span is a point's index, a `part` (what the days are for, see `PART_*`)
and its first and last day.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Awaitable, Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Generic, TypeVar

from sqlalchemy import (
    JSON,
    Date,
    Float,
    Integer,
    String,
    and_,
    bindparam,
    case,
    cast,
    column,
    func,
    literal,
    or_,
    select,
)
from sqlalchemy.ext.asyncio import AsyncSession

from graphql_api.repositories.cursors import CursorCodec
from graphql_api.repositories.pagination import (
    AnySelect,
    LazyCursors,
    Page,
    PageArgs,
    SortKey,
    cursor_position,
    page_size,
    rows_beyond,
)
from graphql_api.repositories.reports.ranges import DayRange, split_weeks

# What a span's days are for: the point's whole range; the Mondays of the whole
# weeks read from a weekly rollup; the days around them read from a daily one.
PART_POINT, PART_WEEKS, PART_DAYS = 0, 1, 2

QueryT = TypeVar("QueryT", bound=Hashable)


@dataclass(frozen=True)
class PagePlan:
    """One drill-down page, checked and decoded: the same for every point asked with it."""

    size: int
    forward: bool
    after: tuple[Any, ...] | None
    before: tuple[Any, ...] | None
    count: bool


# A point of a series: its days and, for a series split by element kind, the kind.
Point = tuple[DayRange, str | None]


class Series:
    """Every point of one report's series. The points' keys carry it, so the first batch
    pages every point of the series, not only those whose resolvers had started: a long
    series' resolvers start over several turns of the event loop (db/turns.py), and
    would otherwise be split into several batches."""

    __slots__ = ("points",)

    def __init__(self, points: Iterable[Point]) -> None:
        self.points = tuple(points)


@dataclass(frozen=True)
class PointKey(Generic[QueryT]):
    """A drill-down's DataLoader key: the point's days (and element kind, for a series
    split by kind) and the drill-down's arguments, `query`, batched together when equal.
    `series` (not part of the key) names the point's siblings."""

    days: DayRange
    query: QueryT
    kind: str | None = None
    series: Series | None = field(default=None, compare=False, hash=False)

    @property
    def point(self) -> Point:
        return (self.days, self.kind)


@dataclass
class PointPage:
    """One point's page: rows in the connection's order, Relay's flags, and its total
    when the plan asked for it. `extra` holds what a drill-down adds (restricted count)."""

    rows: list[Any] = field(default_factory=list)
    has_next_page: bool = False
    has_previous_page: bool = False
    total: int | None = None
    extra: Any = None


@lru_cache(maxsize=64)
def drilldown_sort(scope: str, descending: bool, *, text: bool) -> SortKey:
    """The sort key `sorting.figure_sort` gives, by column name, to read cursors with."""
    value = String() if text else Float()
    columns = (
        column("sort_restricted", Integer()),
        column("sort_missing", Integer()),
        column("sort_value", value),
        column("id", String()),
    )
    return SortKey(scope, columns, (False, False, descending, False))


def page_plan(
    args: PageArgs,
    sort: SortKey,
    codec: CursorCodec,
    *,
    default_size: int,
    max_size: int,
    count: bool,
) -> PagePlan:
    """`args` checked as `pagination.fetch_page` checks them (BAD_USER_INPUT otherwise)."""
    size, forward = page_size(args, default=default_size, maximum=max_size)
    after = cursor_position(sort, codec, args.after, "after")
    before = cursor_position(sort, codec, args.before, "before")
    return PagePlan(
        size,
        forward,
        tuple(after) if after is not None else None,
        tuple(before) if before is not None else None,
        count,
    )


def page_of(point: PointPage, sort: SortKey, codec: CursorCodec) -> Page[Any]:
    """A point's page as `pagination.fetch_page` returns one, cursors included (each
    encrypted only when read)."""
    cursors = LazyCursors(codec, sort, point.rows)
    return Page(point.rows, cursors, point.has_next_page, point.has_previous_page)


def spans_cte(dialect: str) -> Any:
    """The `spans` relation (point, part, day_from, day_to) from the JSON parameter
    `drill_spans`; its SQL does not depend on how many spans there are."""
    param = bindparam("drill_spans", type_=String())
    if dialect == "postgresql":
        rows = (
            func.json_to_recordset(cast(param, JSON()))
            .table_valued(
                column("point", Integer()),
                column("part", Integer()),
                column("day_from", Date()),
                column("day_to", Date()),
            )
            .render_derived(name="span_rows", with_types=True)
        )
        return select(rows).cte("spans")
    each = func.json_each(param).table_valued("value").alias("span_rows")

    def field_of(name: str) -> Any:
        return func.json_extract(each.c.value, f"$.{name}")

    # Days stay ISO text, as SQLite stores them.
    return select(
        field_of("point").label("point"),
        field_of("part").label("part"),
        field_of("day_from").label("day_from"),
        field_of("day_to").label("day_to"),
    ).cte("spans")


def spans_json(points: Iterable[DayRange], *, weeks: bool = False) -> str:
    """The value of `drill_spans` for `points` (indexed in order): one PART_POINT span
    each, and with `weeks` its whole weeks (PART_WEEKS) and the days around (PART_DAYS)."""
    spans: list[dict[str, Any]] = []

    def add(point: int, part: int, days: DayRange) -> None:
        spans.append(
            {
                "point": point,
                "part": part,
                "day_from": days.first.isoformat(),
                "day_to": days.last.isoformat(),
            }
        )

    for index, days in enumerate(points):
        add(index, PART_POINT, days)
        if weeks:
            whole, edges = split_weeks(days)
            if whole is not None:
                add(index, PART_WEEKS, whole)
            for edge in edges:
                add(index, PART_DAYS, edge)
    return json.dumps(spans)


def paged_per_point(statement: AnySelect, sort: SortKey, plan: PagePlan, parts: list[str]) -> Any:
    """`statement` (rows with the `parts` columns and `sort`'s, by name) cut to each
    partition's page, with the columns `point_page` reads: `point_in_page`, `point_row`
    and, when asked, `point_total` and `point_beyond`."""
    rows = statement.subquery("drill_rows")
    names = [str(c.key) for c in sort.columns]
    key = SortKey(sort.scope, [rows.c[n] for n in names], sort.descending)
    partition = [rows.c[p] for p in parts]
    bounds = []
    if plan.after is not None:
        bounds.append(rows_beyond(key, list(plan.after), after=True))
    if plan.before is not None:
        bounds.append(rows_beyond(key, list(plan.before), after=False))
    other = plan.after if plan.forward else plan.before
    inside = and_(*bounds) if bounds else literal(True)
    extra = [case((inside, 1), else_=0).label("point_in_page")]
    if plan.count:
        extra.append(func.count().over(partition_by=partition).label("point_total"))
    if other is not None:
        beyond = case((rows_beyond(key, list(other), after=not plan.forward), 1), else_=0)
        extra.append(func.max(beyond).over(partition_by=partition).label("point_beyond"))
    marked = select(rows, *extra).subquery("drill_marked")
    order = [
        (marked.c[n].desc() if descending == plan.forward else marked.c[n].asc())
        for n, descending in zip(names, sort.directions, strict=True)
    ]
    number = func.row_number().over(
        partition_by=[*(marked.c[p] for p in parts), marked.c.point_in_page], order_by=order
    )
    numbered = select(marked, number.label("point_row")).subquery("drill_numbered")
    in_page = and_(numbered.c.point_in_page == 1, numbered.c.point_row <= plan.size + 1)
    # Where no row of a point is in the page, one other row still brings its figures.
    keep = or_(in_page, numbered.c.point_row == 1) if bounds else in_page
    return select(numbered).where(keep)


def point_pages(rows: Sequence[Any], plan: PagePlan, parts: list[str]) -> dict[tuple, PointPage]:
    """The rows of `paged_per_point` as one PointPage per partition found."""
    found: dict[tuple, list[Any]] = defaultdict(list)
    for row in rows:
        found[tuple(getattr(row, p) for p in parts)].append(row)
    pages = {}
    for partition, its_rows in found.items():
        page = sorted((r for r in its_rows if r.point_in_page), key=lambda r: r.point_row)
        more = len(page) > plan.size
        page = page[: plan.size]
        if not plan.forward:
            page.reverse()
        beyond = any(getattr(r, "point_beyond", 0) for r in its_rows)
        pages[partition] = PointPage(
            rows=page,
            has_next_page=more if plan.forward else beyond,
            has_previous_page=beyond if plan.forward else more,
            total=int(its_rows[0].point_total) if plan.count else None,
        )
    return pages


def empty_page(plan: PagePlan) -> PointPage:
    """The page of a point without rows."""
    return PointPage(total=0 if plan.count else None)


async def by_query(
    keys: Sequence[PointKey[QueryT]],
    load: Callable[[QueryT, list[Point]], Awaitable[dict[Point, PointPage]]],
) -> tuple[list[PointPage], dict[PointKey[QueryT], PointPage]]:
    """Answer `keys` in order, `load`ing once per distinct query (usually once) every point
    of their series; also return the pages of the points not asked yet, by their keys."""
    groups: dict[QueryT, dict[Point, None]] = defaultdict(dict)
    for key in keys:
        points = groups[key.query]
        points[key.point] = None
        points.update(dict.fromkeys(key.series.points if key.series else ()))
    found = {query: await load(query, list(points)) for query, points in groups.items()}
    answers = [found[key.query][key.point] for key in keys]
    asked = {(key.query, key.point) for key in keys}
    later = {
        PointKey(point[0], query, point[1]): page
        for query, pages in found.items()
        for point, page in pages.items()
        if (query, point) not in asked
    }
    return answers, later


def dialect_of(session: AsyncSession) -> str:
    """The database the session talks to ("postgresql" or "sqlite")."""
    return session.get_bind().dialect.name
