"""Restricted rows in report tables: counted, never described."""

from __future__ import annotations

from typing import Any

from sqlalchemy import case, select


def masked(figures: Any, name: str) -> Any:
    """`figures` (a subquery with `id`, `readable` and anything else) with every column but
    `id` and `readable` NULL where the viewer cannot access the row's element.

    Masking happens in SQL, before any sort or page is taken, so nothing about a
    restricted element leaves the database.
    """
    shown = [
        case((figures.c.readable, column), else_=None).label(column.key)
        for column in figures.c
        if column.key not in ("id", "readable")
    ]
    return select(figures.c.id, figures.c.readable, *shown).subquery(name)
