"""Knowing when a set of tables changed, so what was cached from them is dropped at once.

A `TableChanges` is a counter over some tables. Any write to one of them bumps its
`version`, and whatever was cached at an older version is not used:
- in this process, every engine's statements are watched (`watch_engines`): a
  write that names one of the tables bumps the version when it commits (at once
  in autocommit), whoever made it (ingest, a mutation, the refresher, the CLI, a
  test);
- on PostgreSQL, statement triggers NOTIFY the counter's channel when another
  process commits such a write; the listener (live/listener.py) bumps the version
  on each notification and marks the counter `listening` only while it is
  connected, since a notification sent while it was away is lost.
On SQLite no other process can tell us; a cache's time limit bounds what a writer
in another process (the `ingest` or `refresh` command, another worker) leaves stale.
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Iterable
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine

# Execution option of a write that changes nothing any counter is kept for (a key's
# lastUsedAt).
NEUTRAL_WRITE = "access_neutral"


class TableChanges:
    """A counter of the changes to `tables` this process has learnt of."""

    def __init__(self, channel: str, tables: Iterable[str]) -> None:
        self.channel = channel  # the PostgreSQL channel its triggers notify
        self.tables = tuple(tables)
        self._names = re.compile(r"\b(" + "|".join(self.tables) + r")\b", re.IGNORECASE)
        self.version = 0
        # On PostgreSQL: whether the listener is connected, so other processes'
        # changes reach us.
        self.listening = False
        # Connections whose open transaction wrote to one of the tables. Kept apart
        # from the connection (not in `Connection.info`, which reconnects an
        # invalidated connection and raises while a cancelled request is rolled back).
        self.pending: weakref.WeakSet[Connection] = weakref.WeakSet()
        _WATCHED.append(self)

    def bump(self) -> None:
        """One of the tables changed: what was cached from them is stale."""
        self.version += 1

    def names(self, statement: str) -> bool:
        """Whether `statement` names one of the tables."""
        return self._names.search(statement) is not None


_WATCHED: list[TableChanges] = []


def _is_read(statement: str) -> bool:
    # Reads are by far the most statements: skip them before any pattern (looking at
    # the head only, not copying a long statement to strip it).
    return statement[:16].lstrip()[:6].upper() == "SELECT"


def _after_execute(
    connection: Connection, _cursor: Any, statement: str, _params: Any, context: Any, _many: bool
) -> None:
    if _is_read(statement):
        return
    if context is not None and context.execution_options.get(NEUTRAL_WRITE):
        return
    autocommit = connection.get_execution_options().get("isolation_level") == "AUTOCOMMIT"
    for changes in _WATCHED:
        if changes.names(statement):
            if autocommit:
                changes.bump()
            else:
                changes.pending.add(connection)


def _on_commit(connection: Connection) -> None:
    for changes in _WATCHED:
        if connection in changes.pending:
            changes.pending.discard(connection)
            changes.bump()


def _on_rollback(connection: Connection) -> None:
    for changes in _WATCHED:
        changes.pending.discard(connection)


def watch_engines() -> None:
    """Watch every engine of this process (idempotent)."""
    if not event.contains(Engine, "after_cursor_execute", _after_execute):
        event.listen(Engine, "after_cursor_execute", _after_execute)
        event.listen(Engine, "commit", _on_commit)
        event.listen(Engine, "rollback", _on_rollback)
