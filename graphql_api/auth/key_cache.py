"""Recently seen keys' viewers, so that a busy key is not looked up on every request.

A request's first step was one statement (and one round trip) to turn its key into a
viewer. Cached here, the viewer is used until the first of:
- `seconds` have passed since it was read (GRAPHQL_API_KEY_CACHE_SECONDS; 0: no cache);
- the key expires;
- anything a viewer is made of changes (a key revoked, a member removed, a role or
  plan changed): db/access_changes.py learns of it from this process's own writes
  at commit and, on PostgreSQL, from every other process through NOTIFY. On
  PostgreSQL the cache is used only while that notification channel is open.
Only keys that worked are kept: an unknown key is looked up every time (and counted
against its address's failed authentications).
"""

from __future__ import annotations

import time
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime

from graphql_api.auth.viewer import Viewer
from graphql_api.db.access_changes import ACCESS_CHANGES


@dataclass(frozen=True)
class _Entry:
    viewer: Viewer
    expires_at: datetime | None
    read_at: float  # time.monotonic()
    version: int


class KeyCache:
    """Viewers by key hash, bounded in count and age, dropped on any access change."""

    def __init__(self, seconds: float, *, needs_listener: bool, max_keys: int = 10_000) -> None:
        self.seconds = seconds
        # On PostgreSQL other processes' changes arrive only through the listener.
        self.needs_listener = needs_listener
        self.max_keys = max_keys
        self._entries: OrderedDict[str, _Entry] = OrderedDict()
        self.hits = 0
        self.misses = 0

    def usable(self) -> bool:
        """Whether a cached viewer can be trusted right now."""
        return self.seconds > 0 and (ACCESS_CHANGES.listening or not self.needs_listener)

    def get(self, key_hash: str, now: datetime) -> Viewer | None:
        """The cached viewer of `key_hash` if it is still good, else None."""
        if not self.usable():
            return None
        entry = self._entries.get(key_hash)
        if (
            entry is None
            or entry.version != ACCESS_CHANGES.version
            or time.monotonic() - entry.read_at >= self.seconds
            or (entry.expires_at is not None and entry.expires_at <= now)
        ):
            self.misses += 1
            return None
        self.hits += 1
        return entry.viewer

    def put(self, key_hash: str, viewer: Viewer, expires_at: datetime | None, version: int) -> None:
        """Keep a viewer read at access `version` (taken before the read began, so a
        change committed during the read leaves the entry stale)."""
        if self.seconds <= 0:
            return
        self._entries[key_hash] = _Entry(viewer, expires_at, time.monotonic(), version)
        self._entries.move_to_end(key_hash)
        while len(self._entries) > self.max_keys:
            self._entries.popitem(last=False)
