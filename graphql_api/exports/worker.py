"""The background worker inside each server process: claims export jobs and runs them.

Jobs live in the database, so an export outlives the request that asked for
it, and a job whose process died is taken over by another (see
`export_jobs.STALE_AFTER`). A new job wakes this process's worker at once; others'
jobs are found by polling.
"""

from __future__ import annotations

import asyncio
import logging

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from graphql_api.config import Settings
from graphql_api.db.base import utcnow
from graphql_api.exports.runner import delete_expired_files, run_job
from graphql_api.repositories import export_jobs

log = logging.getLogger("graphql_api.exports")

POLL_SECONDS = 5.0


class ExportWorker:
    """Runs export jobs one at a time until stopped."""

    def __init__(self, db: async_sessionmaker[AsyncSession], settings: Settings) -> None:
        self.db = db
        self.settings = settings
        self.wake = asyncio.Event()

    def nudge(self) -> None:
        """A job was just created: look now rather than at the next poll."""
        self.wake.set()

    async def run_pending(self) -> int:
        """Run every job that can be claimed now; return how many ran."""
        ran = 0
        while True:
            async with self.db() as session, session.begin():
                job = await export_jobs.claim_next(session, utcnow())
            if job is None:
                return ran
            await run_job(self.db, self.settings, job)
            ran += 1

    async def run_forever(self, stop: asyncio.Event) -> None:
        """Work until `stop`; an error is logged and the loop goes on."""
        while not stop.is_set():
            self.wake.clear()
            try:
                await self.run_pending()
                await delete_expired_files(self.db, self.settings, utcnow())
            except Exception:
                log.exception("export worker round failed")
            waits = {asyncio.ensure_future(stop.wait()), asyncio.ensure_future(self.wake.wait())}
            await asyncio.wait(waits, timeout=POLL_SECONDS, return_when=asyncio.FIRST_COMPLETED)
            for waiter in waits:
                waiter.cancel()
