"""Rows of a statement the server runs again and again, read straight through asyncpg.

SQLAlchemy's Core execution costs about 0.3 ms of Python per statement on top of
asyncpg (issue 10, py-spy): it walks the statement for its cache key, builds the
parameters, runs the driver in a greenlet and builds a Result. The hot statements
(a Summary, a Team APIs page, the newest audit page) are statement objects built
once and reused (`functools.cache`, `lru_cache`, pagination's first pages), so
that work can be done once per object instead:

- the second time a statement object is read, it is compiled for PostgreSQL into
  its SQL text with the values it was built with written in as literals, and only
  the parameters it names (`bindparam("team_id")`, given per request) left as
  `$n`; a statement read once (a page after some cursor) keeps SQLAlchemy's path,
  whose cached compilation is cheaper than ours for a statement never seen again;
- the text runs on the pooled connection's own asyncpg connection, through the
  SQLAlchemy adapter's prepared-statement cache and its transaction, so a request
  that reads one snapshot still reads it (the adapter begins it as SQLAlchemy
  would) and a statement over asyncpg's 15 KB cache limit is still prepared once;
- rows keep SQLAlchemy's result conversions and read as its rows do: by
  position, by slice and by column name as an attribute.

Written-in values are safe: they are the values the statement was built with
(team and user ids, dates, enum names, bucket bounds), rendered by SQLAlchemy's
own literal renderers. Any statement this cannot compile (a type without a
literal form, columns sharing a name) keeps SQLAlchemy's path. SQLite always does.
"""

from __future__ import annotations

import contextlib
import weakref
from collections import namedtuple
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, cast

from sqlalchemy import exc as sa_exc
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

Processor = Callable[[Any], Any]


@dataclass
class _Read:
    """One statement compiled for asyncpg."""

    sql: str
    # Each `$n` in order: its parameter's name, its value when the request gives none,
    # and the type's bind conversion.
    arguments: tuple[tuple[str, Any, Processor | None], ...]
    row_type: Any
    result_types: tuple[Any, ...]
    # A record into a row, with SQLAlchemy's conversions, made once the statement has been
    # prepared (the conversions depend on the types PostgreSQL reports).
    make: Callable[[Any], Any] | None = None

    def values(self, params: Mapping[str, Any] | None) -> list[Any]:
        """The positional arguments for one run."""
        given = params or {}
        out = []
        for name, default, process in self.arguments:
            value = given.get(name, default)
            out.append(process(value) if process is not None else value)
        return out


@dataclass
class _Seen:
    """What is known of one statement object: whether it was read before, and its
    compiled forms by the values of its expanding parameters (None: keep SQLAlchemy's
    path)."""

    expanding: tuple[str, ...] | None = None
    reads: dict[tuple[Any, ...], _Read | None] = field(default_factory=dict)


_SEEN: weakref.WeakKeyDictionary[Any, _Seen] = weakref.WeakKeyDictionary()


async def connection_of(reader: AsyncSession | AsyncConnection) -> AsyncConnection:
    """The connection a session reads on, or `reader` itself when it is one."""
    return reader if isinstance(reader, AsyncConnection) else await reader.connection()


async def read_rows(
    connection: AsyncConnection, statement: Any, params: Mapping[str, Any] | None = None
) -> Sequence[Any]:
    """Every row of `statement` with `params` on `connection` (see the module's doc)."""
    read = _read_for(connection, statement, params)
    if read is None:
        return list((await connection.execute(statement, params)).all())
    return await _run(connection, read, read.values(params))


def _read_for(
    connection: AsyncConnection, statement: Any, params: Mapping[str, Any] | None
) -> _Read | None:
    dialect = connection.dialect
    if dialect.driver != "asyncpg":
        return None
    seen = _SEEN.get(statement)
    if seen is None:
        # A statement that cannot be weakly referenced is never reused as an object.
        with contextlib.suppress(TypeError):
            _SEEN[statement] = _Seen()
        return None
    if seen.expanding is None:
        binds = statement.compile(dialect=dialect).binds.values()
        seen.expanding = tuple(b.key for b in binds if b.expanding and not b.unique)
    given = params or {}
    # The lists the request gives its named expanding parameters are written in too: a
    # text per distinct list (a few: they are source and kind names).
    key = tuple(tuple(given[name]) if name in given else None for name in seen.expanding)
    if key not in seen.reads:
        lists = {
            name: list(v) for name, v in zip(seen.expanding, key, strict=True) if v is not None
        }
        seen.reads[key] = _compile(statement, dialect, lists)
    return seen.reads[key]


def _compile(statement: Any, dialect: Any, expanding: dict[str, list[Any]]) -> _Read | None:
    """`statement` as asyncpg text, its own values written in; None when it has no
    such form."""
    if expanding:
        statement = statement.params(expanding)
    try:
        compiled = _compiler(dialect)(dialect, statement)
    except (sa_exc.CompileError, NotImplementedError, TypeError, ValueError):
        return None
    names = [column.keyname for column in compiled._result_columns]
    if len(set(names)) != len(names) or not all(_attribute_name(n) for n in names):
        return None  # a row could not read each column by its name
    arguments = []
    for name in compiled.positiontup or ():
        bind = compiled.binds[name]
        arguments.append((name, bind.effective_value, bind.type._cached_bind_processor(dialect)))
    return _Read(
        sql=compiled.string,
        arguments=tuple(arguments),
        row_type=namedtuple("Row", names),
        result_types=tuple(column.type for column in compiled._result_columns),
    )


def _attribute_name(name: str) -> bool:
    """Whether a namedtuple can hold a column of this name as an attribute."""
    return name.isidentifier() and not name.startswith("_")


_COMPILERS: dict[type, type] = {}


def _compiler(dialect: Any) -> type:
    """The dialect's statement compiler, writing in every value a statement carries
    (the anonymous parameters of its literals, and expanding lists) and leaving the
    named ones as parameters."""
    base = dialect.statement_compiler
    found = _COMPILERS.get(base)
    if found is None:

        class WritingValuesIn(base):  # type: ignore[misc, valid-type]
            def visit_bindparam(self, bindparam: Any, **kw: Any) -> Any:
                if bindparam.unique or bindparam.expanding:
                    kw["literal_binds"] = True
                return super().visit_bindparam(bindparam, **kw)

        found = _COMPILERS[base] = WritingValuesIn
    return found


async def _run(connection: AsyncConnection, read: _Read, arguments: list[Any]) -> list[Any]:
    """`read` on the connection's asyncpg connection, as SQLAlchemy's adapter runs it."""
    raw = await connection.get_raw_connection()
    adapted: Any = raw.dbapi_connection
    dialect: Any = connection.dialect
    # The engine's statement events fire as for any statement (what listens to them,
    # counting statements for instance, sees every one), without a cursor or context.
    sync: Any = connection.sync_connection
    events = sync._has_events or sync.engine._has_events
    if events:
        sync.dispatch.before_cursor_execute(sync, None, read.sql, arguments, None, False)
    try:
        async with adapted._execute_mutex:
            if adapted._transaction is None:
                await adapted._start_transaction()  # a snapshot's BEGIN, as SQLAlchemy's
            prepared, attributes = await adapted._prepare(
                read.sql, dialect._invalidate_schema_cache_asof
            )
            records = await prepared.fetch(*arguments)
    except Exception as error:
        raise await _database_error(connection, adapted, read, arguments, error) from error
    if events:
        sync.dispatch.after_cursor_execute(sync, None, read.sql, arguments, None, False)
    if read.make is None:
        read.make = _row_maker(read.row_type, _processors(dialect, read.result_types, attributes))
    return list(map(read.make, records))


def _processors(
    dialect: Any, types: Sequence[Any], attributes: Sequence[Any]
) -> tuple[tuple[int, Processor], ...]:
    """SQLAlchemy's conversion of each column that has one, by index."""
    found = []
    for index, (type_, attribute) in enumerate(zip(types, attributes, strict=True)):
        processor = type_._cached_result_processor(dialect, attribute.type.oid)
        if processor is not None:
            found.append((index, processor))
    return tuple(found)


def _row_maker(
    row_type: Any, processors: tuple[tuple[int, Processor], ...]
) -> Callable[[Any], Any]:
    """A function from a record to a row, each conversion applied to its column: written
    out for the row's columns, so a page of rows costs no loop per value."""
    if not processors:
        return cast(Callable[[Any], Any], row_type._make)
    converted = dict(processors)
    values = ", ".join(
        f"p{i}(r[{i}])" if i in converted else f"r[{i}]" for i in range(len(row_type._fields))
    )
    scope = {"new": tuple.__new__, "Row": row_type} | {f"p{i}": p for i, p in processors}
    return cast(Callable[[Any], Any], eval(f"lambda r: new(Row, ({values},))", scope))


async def _database_error(
    connection: AsyncConnection, adapted: Any, read: _Read, arguments: list[Any], error: Exception
) -> Exception:
    """The error SQLAlchemy would raise for `error`, the connection invalidated when it
    is lost (so the pool drops it), as SQLAlchemy does."""
    try:
        adapted._handle_exception(error)  # raises the DB-API form of `error`
    except Exception as dbapi_error:
        dialect: Any = connection.dialect
        lost = dialect.is_disconnect(dbapi_error, adapted, None)
        if lost:
            await connection.invalidate(dbapi_error)
        return sa_exc.DBAPIError.instance(
            read.sql,
            arguments,
            dbapi_error,
            adapted.dbapi.Error,
            connection_invalidated=lost,
            dialect=connection.dialect,
        )
    return error
