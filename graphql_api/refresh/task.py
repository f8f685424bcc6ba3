"""The background task that refreshes the summaries every few seconds inside the server."""

from __future__ import annotations

import asyncio
import contextlib
import logging

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from graphql_api.db.base import utcnow
from graphql_api.refresh.service import refresh

log = logging.getLogger("graphql_api.refresh")


async def refresh_forever(
    db: async_sessionmaker[AsyncSession], interval_seconds: float, stop: asyncio.Event
) -> None:
    """Refresh now and then every `interval_seconds` until `stop` is set; never dies of an error."""
    while not stop.is_set():
        try:
            result = await refresh(db, utcnow())
            if result.folded or result.purged:
                # `folded` is how far each summary's watermark moved (ingestion numbers).
                log.info(
                    "refreshed summaries: watermarks advanced %s; purged %d audit events",
                    result.folded,
                    result.purged,
                )
        except Exception:  # a failed run is retried at the next tick
            log.exception("summary refresh failed")
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=interval_seconds)
