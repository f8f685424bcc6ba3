"""Telling database faults apart: a statement that ran out of time, a database that
cannot be reached (or has no connection to spare), and everything else (bugs)."""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import exc as sa_exc

# Seconds a client is told to wait before retrying while the database is unavailable.
RETRY_AFTER_SECONDS = 5

# What a database (or the way to it) raises: SQLAlchemy's errors and the socket's.
DATABASE_ERRORS: tuple[type[BaseException], ...] = (sa_exc.SQLAlchemyError, OSError)

# PostgreSQL error codes: statement_timeout and cancel; connection exceptions (class
# 08), shutdown and start-up (57P0x), too many connections.
_PG_TIMEOUT = frozenset({"57014"})
_PG_UNAVAILABLE_PREFIXES = ("08", "57P0", "53300")
# SQLite reports a progress-handler interrupt (our statement deadline) as "interrupted".
_SQLITE_TIMEOUT = ("interrupted",)
_SQLITE_UNAVAILABLE = ("database is locked", "unable to open database file", "disk i/o error")


def _chain(error: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        orig = getattr(current, "orig", None)
        current = orig if isinstance(orig, BaseException) else current.__cause__


def _sqlstate(error: BaseException) -> str | None:
    for name in ("sqlstate", "pgcode"):
        value = getattr(error, name, None)
        if isinstance(value, str):
            return value
    return None


def is_statement_timeout(error: BaseException) -> bool:
    """The database stopped a statement that ran longer than the statement timeout."""
    for link in _chain(error):
        if _sqlstate(link) in _PG_TIMEOUT:
            return True
        if type(link).__module__ == "sqlite3" and str(link).lower() in _SQLITE_TIMEOUT:
            return True
    return False


def is_unavailable(error: BaseException) -> bool:
    """The database cannot be reached, is restarting, is locked or has no connection to
    spare: the request may well succeed if retried a little later."""
    for link in _chain(error):
        if isinstance(link, sa_exc.TimeoutError):  # the pool had no connection to give
            return True
        if isinstance(link, sa_exc.DBAPIError) and link.connection_invalidated:
            return True
        state = _sqlstate(link)
        if state is not None and state.startswith(_PG_UNAVAILABLE_PREFIXES):
            return True
        if type(link).__module__ == "sqlite3" and str(link).lower().startswith(_SQLITE_UNAVAILABLE):
            return True
        if isinstance(link, OSError):  # refused, reset, unreachable host
            return True
        if type(link).__name__ == "ConnectionDoesNotExistError":  # asyncpg: closed mid-query
            return True
    return False
