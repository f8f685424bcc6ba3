"""Report answers served from memory until anything they were read from changes.

A compiled report operation (Summary, Team APIs, `lastUpdatedAt`: every plan whose
roots are all reports) answers the same for the same operation, variables, day and viewer
access until a refresh folds new facts in or the team's catalog, members, grants or
plan change. So its `data` is kept, keyed by those four, with the versions of
`REPORT_CHANGES` and `ACCESS_CHANGES` (db/table_changes.py) read before it was
fetched: a change that commits while it is being read makes it stale at once.

On PostgreSQL other processes' changes arrive through LISTEN, and answers are used
only while that connection is open; on SQLite they are not seen, so an answer is
reused for at most `seconds`. Only answers without errors are kept (a plan hands
every error to the executor), and the viewer's access is part of the key, so a
gate is passed by whoever passed it before with the same roles, groups and plan.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass
from datetime import date
from typing import Any

from graphql_api.auth.viewer import Viewer
from graphql_api.db.access_changes import ACCESS_CHANGES
from graphql_api.db.report_changes import REPORT_CHANGES

Versions = tuple[int, int]


@dataclass(frozen=True)
class _Entry:
    data: dict[str, Any]
    versions: Versions
    read_at: float  # time.monotonic()


class ReportAnswers:
    """Report answers by (operation, variables, day, viewer access), bounded in count."""

    def __init__(self, seconds: float, *, needs_listener: bool, max_entries: int = 256) -> None:
        self.seconds = seconds
        # On PostgreSQL other processes' changes arrive only through the listener; on
        # SQLite `seconds` bounds how long they go unseen.
        self.needs_listener = needs_listener
        self.max_entries = max_entries
        self._entries: OrderedDict[Hashable, _Entry] = OrderedDict()
        self.hits = 0
        self.misses = 0

    def usable(self) -> bool:
        """Whether a kept answer can be trusted right now."""
        if self.seconds <= 0:
            return False
        return not self.needs_listener or (ACCESS_CHANGES.listening and REPORT_CHANGES.listening)

    @staticmethod
    def versions() -> Versions:
        """The versions to keep an answer with: read before its data is."""
        return ACCESS_CHANGES.version, REPORT_CHANGES.version

    @staticmethod
    def key(
        operation: Hashable, variables: bytes | None, today: date, viewer: Viewer
    ) -> Hashable | None:
        """What an answer is kept by (`variables` as `checks.written_variables` writes
        them), or None when the variables could not be written down."""
        if variables is None:
            return None
        access = (viewer.team_id, viewer.user_id, viewer.plan, viewer.roles, viewer.group_ids)
        return operation, variables, today, access

    def get(self, key: Hashable) -> dict[str, Any] | None:
        """The kept `data` of `key` if it is still good, else None."""
        entry = self._entries.get(key)
        if entry is None or not self._fresh(entry):
            self.misses += 1
            return None
        self._entries.move_to_end(key)
        self.hits += 1
        return entry.data

    def put(self, key: Hashable, data: dict[str, Any], versions: Versions) -> None:
        """Keep `data`, read at `versions`, for the requests to come."""
        if versions != self.versions():
            return  # something changed while it was read: already stale
        self._entries[key] = _Entry(data, versions, time.monotonic())
        self._entries.move_to_end(key)
        while len(self._entries) > self.max_entries:
            self._entries.popitem(last=False)

    def _fresh(self, entry: _Entry) -> bool:
        if entry.versions != self.versions():
            return False
        return self.needs_listener or time.monotonic() - entry.read_at < self.seconds
