"""Glue between a connection field and keyset pagination: one page plus a deferred count."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from graphql_api.repositories.pagination import (
    AnySelect,
    Page,
    PageArgs,
    SortKey,
    count_of,
    fetch_page,
)
from graphql_api.schema.context import Info
from graphql_api.schema.selections import selects


async def keyset_page(
    info: Info,
    statement: AnySelect,
    sort: SortKey,
    args: PageArgs,
    *,
    count_statement: Any = None,
) -> tuple[Page[Any], Callable[[], Awaitable[int]]]:
    """Fetch one page of `statement`; `totalCount` runs its COUNT only if it is selected.

    `count_statement` can give a cheaper way to count the same rows.
    """
    ctx = info.context
    # A flag nobody reads costs no EXISTS (clients paging forwards rarely ask for
    # hasPreviousPage).
    flags = [
        flag
        for flag, name in (
            ("has_next_page", "hasNextPage"),
            ("has_previous_page", "hasPreviousPage"),
        )
        if selects(info, "pageInfo", name)
    ]
    async with ctx.db() as session:
        fetched = await fetch_page(
            session,
            statement,
            sort,
            args,
            ctx.codec,
            default_size=ctx.settings.default_page_size,
            max_size=ctx.settings.max_page_size,
            flags=flags,
        )

    async def count() -> int:
        async with ctx.db() as session:
            counting = count_statement if count_statement is not None else count_of(statement)
            return int((await session.execute(counting)).scalar_one())

    return fetched, count
