"""Ingest a batch of NDJSON lines: all or nothing, every bad line reported.

Entities are upserted (the later version in the batch, and a later batch,
wins); facts are inserted once per id (a re-send is a no-op). Everything is
written in one transaction, after every line has been checked. What each
record type is, names and feeds is declared in `graphql_api.ingest.specs`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from graphql_api.ingest.batch import Batch
from graphql_api.ingest.outcome import BatchRejected, IngestResult, LineError
from graphql_api.ingest.parsing import parse_lines
from graphql_api.ingest.validation import check_batch
from graphql_api.ingest.writing import write_batch

__all__ = ["BatchRejected", "IngestResult", "LineError", "ingest_lines", "parse_lines"]


async def ingest_lines(
    sessionmaker: async_sessionmaker[AsyncSession], lines: Iterable[str | bytes]
) -> IngestResult:
    """Check and write one batch. Raises `BatchRejected` (nothing written) on any bad line."""
    parsed, errors = parse_lines(lines)
    batch = Batch(parsed)
    async with sessionmaker() as session, session.begin():
        errors += await check_batch(batch, session)
        if errors:
            raise BatchRejected(errors)
        try:
            await write_batch(batch, session)
        except IntegrityError as exc:
            # The checks above should catch every conflict; if one slips
            # through, the batch is still refused whole, with a reason.
            reason = str(exc.orig).splitlines()[0] if exc.orig else "integrity error"
            raise BatchRejected([LineError(0, f"conflicts with stored data: {reason}")]) from exc
    counts = Counter(rec.type for _, rec in parsed)  # type: ignore[attr-defined]
    return IngestResult(lines=len(parsed), counts=dict(sorted(counts.items())))
