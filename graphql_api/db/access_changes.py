"""Knowing when who-may-do-what changed, so a cached answer to "whose key is this?" is
dropped at once.

A key's viewer (auth/key_cache.py) is read from five tables. Any write to one of
them bumps `ACCESS_CHANGES.version`, and cached viewers of an older version are
not used:
- in this process, every engine's statements are watched (`watch_engines`): a
  write that names one of the tables bumps the version when it commits (at once
  in autocommit), whoever made it (ingest, a mutation, the CLI, a test);
- on PostgreSQL, triggers (migration 0011) NOTIFY `ACCESS_CHANNEL` when another
  process commits such a write; the listener (live/listener.py) bumps the
  version on each notification and marks the cache usable only while it is
  connected (`listening`), since a notification sent while it was away is lost.
On SQLite no other process can tell us; the cache's time limit bounds what a
writer in another process (the `ingest` command, another worker) can leave stale.
"""

from __future__ import annotations

import re
import weakref
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine

# The PostgreSQL channel the access triggers notify.
ACCESS_CHANNEL = "graphql_api_access"
ACCESS_TABLES = ("api_keys", "teams", "memberships", "groups", "group_members")
# Execution option of a write that changes nothing a viewer is made of (a key's lastUsedAt).
ACCESS_NEUTRAL = "access_neutral"

_NAMES = re.compile(r"\b(" + "|".join(ACCESS_TABLES) + r")\b", re.IGNORECASE)
# Connections whose open transaction wrote to an access table. Kept apart from the
# connection (not in `Connection.info`, which reconnects an invalidated connection
# and raises while a cancelled request is being rolled back).
_PENDING: weakref.WeakSet[Connection] = weakref.WeakSet()


class AccessChanges:
    """A counter of access changes this process has learnt of."""

    def __init__(self) -> None:
        self.version = 0
        # On PostgreSQL: whether the listener is connected, so other processes'
        # changes reach us.
        self.listening = False

    def bump(self) -> None:
        """Something a viewer is made of changed: cached viewers are stale."""
        self.version += 1


ACCESS_CHANGES = AccessChanges()


def _names_access(statement: str) -> bool:
    # Reads are by far the most statements: skip them before the pattern (looking at
    # the head only, not copying a long statement to strip it).
    head = statement[:16].lstrip()[:6].upper()
    return head != "SELECT" and _NAMES.search(statement) is not None


def _after_execute(
    connection: Connection, _cursor: Any, statement: str, _params: Any, context: Any, _many: bool
) -> None:
    if not _names_access(statement):
        return
    if context is not None and context.execution_options.get(ACCESS_NEUTRAL):
        return
    if connection.get_execution_options().get("isolation_level") == "AUTOCOMMIT":
        ACCESS_CHANGES.bump()
    else:
        _PENDING.add(connection)


def _on_commit(connection: Connection) -> None:
    if connection in _PENDING:
        _PENDING.discard(connection)
        ACCESS_CHANGES.bump()


def _on_rollback(connection: Connection) -> None:
    _PENDING.discard(connection)


def watch_engines() -> None:
    """Watch every engine of this process (idempotent)."""
    if not event.contains(Engine, "after_cursor_execute", _after_execute):
        event.listen(Engine, "after_cursor_execute", _after_execute)
        event.listen(Engine, "commit", _on_commit)
        event.listen(Engine, "rollback", _on_rollback)
