"""One batch's records, grouped by type, and the entities they may name."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from graphql_api.ingest.records import Record
from graphql_api.ingest.references import Known


class Batch:
    """The parsed lines of one batch by record type; `known` is filled while checking."""

    def __init__(self, parsed: list[tuple[int, Record]]) -> None:
        self.lines: dict[str, list[tuple[int, Any]]] = defaultdict(list)
        for number, record in parsed:
            self.lines[record.type].append((number, record))  # type: ignore[attr-defined]
        self.known = Known()

    def latest(self, record_type: str) -> dict[str, tuple[int, Any]]:
        """Entities: the last line for each id wins."""
        return {rec.id: (n, rec) for n, rec in self.lines.get(record_type, [])}

    def first(self, record_type: str) -> dict[str, tuple[int, Any]]:
        """Facts: the first line for each id counts; repeats are no-ops."""
        out: dict[str, tuple[int, Any]] = {}
        for n, rec in self.lines.get(record_type, []):
            out.setdefault(rec.id, (n, rec))
        return out
