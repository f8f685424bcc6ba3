"""Keyset pagination over a SQLAlchemy select: one statement per page, never OFFSET.

A connection declares its sort key (columns sorted the same direction, the
last one unique) and hands a filtered select to `fetch_page`, which adds the
cursor bounds, the order and a LIMIT of one more than asked (to learn whether
another page follows).
"""

from __future__ import annotations

import weakref
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, TypeVar, overload

from sqlalchemy import ColumnElement, Select, and_, bindparam, func, or_, select, tuple_
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from graphql_api.db.driver_reads import connection_of, read_rows
from graphql_api.errors import BadUserInput
from graphql_api.repositories.cursors import CursorCodec

RowT = TypeVar("RowT")
# A select of any columns (SQLAlchemy 2.1 types selects by their column tuple).
AnySelect = Select[*tuple[Any, ...]]
SortColumn = ColumnElement[Any] | InstrumentedAttribute[Any]


@dataclass(frozen=True)
class PageArgs:
    """The Relay arguments of one connection field."""

    first: int | None = None
    after: str | None = None
    last: int | None = None
    before: str | None = None


@dataclass(frozen=True)
class SortKey:
    """How a connection is ordered: columns, the last unique, none NULL.

    `descending` is one direction for every column, or one per column.
    """

    scope: str
    columns: Sequence[SortColumn]
    descending: bool | tuple[bool, ...]

    @property
    def directions(self) -> tuple[bool, ...]:
        """Whether each column sorts descending."""
        if isinstance(self.descending, bool):
            return (self.descending,) * len(self.columns)
        return self.descending

    def values_of(self, row: Any) -> list[Any]:
        """The JSON-ready sort key of a result row (read by column name)."""
        out: list[Any] = []
        for column in self.columns:
            value = getattr(row, column.key)  # type: ignore[arg-type]
            out.append(value.isoformat() if isinstance(value, datetime) else value)
        return out

    def parse(self, values: list[Any]) -> list[Any]:
        """Turn a decoded cursor's values back into column values; reject ill-typed ones."""
        parsed: list[Any] = []
        for column, value in zip(self.columns, values, strict=True):
            python_type = column.type.python_type
            try:
                if python_type is datetime:
                    parsed.append(datetime.fromisoformat(value))
                elif python_type is int and not isinstance(value, bool):
                    parsed.append(int(value))
                elif python_type is float and isinstance(value, int | float):
                    parsed.append(float(value))
                elif python_type is str and isinstance(value, str):
                    parsed.append(value)
                else:
                    raise TypeError(value)
            except (TypeError, ValueError) as exc:
                raise BadUserInput("Malformed cursor.") from exc
        return parsed


# Relay's two page flags, by their names on `Page`.
PAGE_FLAGS = frozenset({"has_next_page", "has_previous_page"})


@dataclass(frozen=True)
class Page(Generic[RowT]):
    """One page of rows with their cursors and Relay's page flags."""

    rows: list[RowT]
    cursors: Sequence[str]
    has_next_page: bool
    has_previous_page: bool


class LazyCursors(Sequence[str]):
    """The cursors of a page's rows, each encrypted when first read.

    Encrypting costs about as much as building the row's node: a client that asks
    for `pageInfo.endCursor` only (the usual way to page) pays for one, not one
    per row.
    """

    def __init__(self, codec: CursorCodec, sort: SortKey, rows: Sequence[Any]) -> None:
        self._codec = codec
        self._sort = sort
        self._rows = rows
        self._done: dict[int, str] = {}

    def __len__(self) -> int:
        return len(self._rows)

    @overload
    def __getitem__(self, index: int) -> str: ...

    @overload
    def __getitem__(self, index: slice) -> list[str]: ...

    def __getitem__(self, index: int | slice) -> str | list[str]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        position = range(len(self._rows))[index]  # IndexError as a list's
        if position not in self._done:
            row = self._rows[position]
            self._done[position] = self._codec.encode(self._sort.scope, self._sort.values_of(row))
        return self._done[position]


def page_size(args: PageArgs, *, default: int, maximum: int) -> tuple[int, bool]:
    """Validate first/last; return (size, forward). Bad values are BAD_USER_INPUT."""
    if args.first is not None and args.last is not None:
        raise BadUserInput("Pass either `first` or `last`, not both.")
    for name, value in (("first", args.first), ("last", args.last)):
        if value is not None and value < 0:
            raise BadUserInput(f"`{name}` must not be negative.", argument=name)
        if value is not None and value > maximum:
            raise BadUserInput(f"`{name}` must be at most {maximum}, got {value}.", argument=name)
    if not _forward(args):
        return (args.last if args.last is not None else default), False
    return (args.first if args.first is not None else default), True


def _forward(args: PageArgs) -> bool:
    return args.last is None and (args.before is None or args.first is not None)


def probes_other_side(args: PageArgs, flags: Collection[str]) -> bool:
    """Whether `fetch_page` runs its second statement, the EXISTS for the flag of the
    direction it does not page in (which needs the cursor it pages from)."""
    if _forward(args):
        return args.after is not None and "has_previous_page" in flags
    return args.before is not None and "has_next_page" in flags


def rows_beyond(sort: SortKey, values: list[Any], *, after: bool) -> ColumnElement[bool]:
    """Rows strictly after (or before) `values` in the connection's order."""
    bounds = [bindparam(None, v, type_=c.type) for c, v in zip(sort.columns, values, strict=True)]
    directions = sort.directions
    if len(set(directions)) == 1:
        # One direction: a row-value comparison, which an index can serve.
        key, bound = tuple_(*sort.columns), tuple_(*bounds)
        return (key < bound) if directions[0] == after else (key > bound)
    # Mixed directions: lexicographic, column by column.
    alternatives = []
    for i, (column, limit, descending) in enumerate(
        zip(sort.columns, bounds, directions, strict=True)
    ):
        step = (column < limit) if descending == after else (column > limit)
        ties = [c == b for c, b in zip(sort.columns[:i], bounds[:i], strict=True)]
        alternatives.append(and_(*ties, step))
    return or_(*alternatives)


def cursor_position(
    sort: SortKey, codec: CursorCodec, cursor: str | None, argument: str
) -> list[Any] | None:
    """The column values `cursor` stands for in `sort`, or None without a cursor."""
    if cursor is None:
        return None
    return sort.parse(codec.decode(sort.scope, cursor, len(sort.columns), argument=argument))


async def fetch_page(
    session: AsyncSession | AsyncConnection,
    statement: AnySelect,
    sort: SortKey,
    args: PageArgs,
    codec: CursorCodec,
    *,
    default_size: int,
    max_size: int,
    flags: Collection[str] = PAGE_FLAGS,
    params: Mapping[str, Any] | None = None,
) -> Page[Any]:
    """Fetch one page of `statement` (already filtered) in `sort` order.

    Costs one statement, plus one cheap EXISTS when `after`/`before` is given
    and Relay's flag for the other direction is among `flags` (the page flags
    the caller will show; one left out reads False). `params` binds the named
    parameters `statement` leaves open.
    """
    size, forward = page_size(args, default=default_size, maximum=max_size)
    after = cursor_position(sort, codec, args.after, "after")
    before = cursor_position(sort, codec, args.before, "before")

    bounded = statement
    if after is not None:
        bounded = bounded.where(rows_beyond(sort, after, after=True))
    if before is not None:
        bounded = bounded.where(rows_beyond(sort, before, after=False))

    if after is None and before is None:
        page_statement = first_page_statement(statement, sort, forward, size + 1)
    else:
        page_statement = ordered(bounded, sort, forward).limit(size + 1)
    # On the session's connection: the ORM layer only adds work to these plain selects
    # (its row loading was a tenth of a Team APIs page's time).
    connection = await connection_of(session)
    rows = list(await read_rows(connection, page_statement, params))
    more = len(rows) > size
    rows = rows[:size]
    if not forward:
        rows.reverse()

    # Relay: the flag for the direction we did not page in says whether rows
    # exist beyond the cursor we started from.
    other_side: list[Any] | None = after if forward else before
    beyond_other = False
    if other_side is not None and probes_other_side(args, flags):
        # Ordered as the keyset index is, so that a prepared statement's generic plan
        # (which cannot see the cursor) still walks that index from the cursor
        # instead of scanning the team's rows: without it PostgreSQL switched to a
        # sequential scan after five executions (13 ms at 100,000 events).
        probe = ordered(
            statement.where(rows_beyond(sort, other_side, after=not forward)), sort, not forward
        ).limit(1)
        beyond = await connection.execute(select(probe.exists()), params)
        beyond_other = beyond.scalar() or False

    return Page(
        rows=rows,
        cursors=LazyCursors(codec, sort, rows),
        has_next_page=more if forward else beyond_other,
        has_previous_page=beyond_other if forward else more,
    )


# First pages of statements, by statement. SQLAlchemy walks every new statement object
# to find its cached compilation; a report whose statement is itself reused (a memoized
# subquery, as Team APIs has) reuses its first page's statement too, and that walk is
# done once. Held weakly, so statements built per request take theirs with them.
_FIRST_PAGES: weakref.WeakKeyDictionary[Any, dict[tuple[int, bool, int], Any]] = (
    weakref.WeakKeyDictionary()
)


def first_page_statement(statement: AnySelect, sort: SortKey, forward: bool, limit: int) -> Any:
    """`statement` ordered by `sort` and limited, built once per statement object."""
    pages = _FIRST_PAGES.setdefault(statement, {})
    key = (id(sort), forward, limit)
    found = pages.get(key)
    if found is None or found[0] is not sort:
        found = pages[key] = (sort, ordered(statement, sort, forward).limit(limit))
    return found[1]


def ordered(statement: AnySelect, sort: SortKey, forward: bool = True) -> AnySelect:
    """`statement` in `sort`'s order (reversed when paging backwards)."""
    return statement.order_by(
        *(
            c.desc() if descending == forward else c.asc()
            for c, descending in zip(sort.columns, sort.directions, strict=True)
        )
    )


def count_of(statement: AnySelect) -> Select[int]:
    """A COUNT(*) over the same filtered rows as `statement`."""
    return select(func.count()).select_from(statement.order_by(None).subquery())
