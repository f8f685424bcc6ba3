"""Restricted rows in report tables: counted, never described."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, case, select, true

from graphql_api.auth.access import element_readable
from graphql_api.auth.viewer import Viewer
from graphql_api.db.models import Element


def masked(figures: Any, name: str, keep: Sequence[str] = ()) -> Any:
    """`figures` (a subquery with `id`, `readable` and anything else) with every column but
    `id`, `readable` and those named in `keep` NULL where the viewer cannot access the
    row's element.

    Masking happens in SQL, before any sort or page is taken, so nothing about a
    restricted element leaves the database.
    """
    shown = [
        case((figures.c.readable, column), else_=None).label(column.key)
        for column in figures.c
        if column.key not in ("id", "readable", *keep)
    ]
    kept = [figures.c[k] for k in keep]
    return select(figures.c.id, figures.c.readable, *kept, *shown).subquery(name)


def masked_elements(
    viewer: Viewer,
    figures: Sequence[ColumnElement[Any]],
    joins: Sequence[tuple[Any, ColumnElement[bool]]],
    *,
    where: Sequence[ColumnElement[bool]] = (),
    outer: bool = False,
    with_kind: bool = True,
    figures_name: str,
    name: str,
    points: Sequence[ColumnElement[Any]] = (),
    per_point: Any = None,
    fenced: bool = False,
) -> Any:
    """A report table of the viewer's team's elements, restricted rows `masked`.

    Each row holds the element's `id`, whether the viewer may access it
    (`readable`, decided once per row), its `name`, `kind` (unless
    `with_kind` is false), `workspace_id`, `created_by_id` and `created_at`,
    then the labelled `figures`. The element table is joined to each
    `(subquery, on)` of `joins` (left outer joins when `outer`, so elements
    without figures keep a row) and filtered by `where` besides the team.
    `figures_name` names the unmasked subquery, `name` the masked one.

    For a series drill-down (see `points.py`), `points` are labelled columns saying
    which point (and partition) a row belongs to, never masked, and `per_point`, when
    given, a subquery of points every element gets a row for (joined on true).

    `fenced` keeps the unmasked subquery whole (OFFSET 0): PostgreSQL otherwise inlines
    it into every column that masks or sorts by it, and then works out each row's access
    and figures once per such column (the Team APIs page computed its p95 formula and
    access check a dozen times per row, twice the time of the aggregate it needs). Only
    for tables that compute every row anyway (sorted by a figure), since a fence also
    keeps filters from reaching into it.
    """
    statement = select(
        Element.id.label("id"),
        case((element_readable(viewer), True), else_=False).label("readable"),
        Element.name.label("name"),
        *([Element.kind.label("kind")] if with_kind else []),
        Element.workspace_id.label("workspace_id"),
        Element.created_by_id.label("created_by_id"),
        Element.created_at.label("created_at"),
        *points,
        *figures,
    ).select_from(Element)
    if per_point is not None:
        statement = statement.join(per_point, true())
    for target, on in joins:
        statement = statement.join(target, on, isouter=outer)
    statement = statement.where(Element.team_id == viewer.team_id, *where)
    if fenced:
        statement = statement.offset(0)
    raw = statement.subquery(figures_name)
    return masked(raw, name, keep=[str(p.key) for p in points])
