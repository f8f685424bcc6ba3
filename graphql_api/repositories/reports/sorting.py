"""Keyset sort keys for report tables, where a figure may be missing or masked."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Float, String, case, cast, func, literal, select

from graphql_api.repositories.pagination import AnySelect, SortKey


def figure_sort(
    rows: Any, scope: str, column: str, descending: bool, *, text: bool = False
) -> tuple[AnySelect, SortKey]:
    """Order `rows` (a subquery with `id`) by `column`.

    Restricted rows (a `readable` column that is false) come after all others
    whatever the direction, so where they sort says nothing about them; then
    rows without the figure; then the figure; then the id to break ties.
    """
    value = rows.c[column]
    readable = rows.c.readable if "readable" in rows.c else literal(True)
    keyed = select(
        rows,
        case((readable, 0), else_=1).label("sort_restricted"),
        case((value.is_(None), 1), else_=0).label("sort_missing"),
        (
            func.coalesce(cast(value, String()), literal(""))
            if text
            else cast(func.coalesce(value, literal(0.0)), Float())
        ).label("sort_value"),
    ).subquery("keyed")
    key = SortKey(
        scope,
        (keyed.c.sort_restricted, keyed.c.sort_missing, keyed.c.sort_value, keyed.c.id),
        (False, False, descending, False),
    )
    return select(keyed), key
