"""Knowing when who-may-do-what changed, so a cached answer to "whose key is this?" is
dropped at once.

A key's viewer (auth/key_cache.py) is read from five tables; `ACCESS_CHANGES` counts
the writes to them (db/table_changes.py), in this process and, on PostgreSQL, in
every other through the triggers of migration 0011.
"""

from __future__ import annotations

from graphql_api.db.table_changes import NEUTRAL_WRITE, TableChanges, watch_engines

# The PostgreSQL channel the access triggers notify.
ACCESS_CHANNEL = "graphql_api_access"
ACCESS_TABLES = ("api_keys", "teams", "memberships", "groups", "group_members")
# Execution option of a write that changes nothing a viewer is made of (a key's lastUsedAt).
ACCESS_NEUTRAL = NEUTRAL_WRITE

ACCESS_CHANGES = TableChanges(ACCESS_CHANNEL, ACCESS_TABLES)

__all__ = ["ACCESS_CHANGES", "ACCESS_CHANNEL", "ACCESS_NEUTRAL", "ACCESS_TABLES", "watch_engines"]
