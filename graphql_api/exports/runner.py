"""Running one export job: stream the rows into a CSV file, then send the link.

The file is written under a temporary name and renamed when complete, so a
link never serves half a file. The rows come from one read transaction,
streamed in batches (bounded memory at any size).
"""

from __future__ import annotations

import asyncio
import logging
import secrets
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from graphql_api.auth.credentials import viewer_for_member
from graphql_api.config import Settings
from graphql_api.db.base import utcnow
from graphql_api.db.models import ExportJob
from graphql_api.errors import ApiError
from graphql_api.exports import mail
from graphql_api.exports.csv_format import write_csv
from graphql_api.exports.links import download_path, sign_download
from graphql_api.exports.tables import TABLES, ExportKind
from graphql_api.repositories import directory, export_jobs

log = logging.getLogger("graphql_api.exports")

# Rows fetched per round trip while streaming.
STREAM_BATCH = 2_000


def download_url(settings: Settings, job: ExportJob) -> str | None:
    """The signed link to a finished job's file, while it works."""
    if not export_jobs.downloadable(job, utcnow()):
        return None
    assert job.expires_at is not None  # downloadable says so
    base = settings.public_url or job.base_url.rstrip("/")
    return base + download_path(sign_download(settings.secret_key, job.id, job.expires_at))


def export_path(settings: Settings, file_name: str) -> Path:
    """Where a job's file lives."""
    return Path(settings.export_dir) / file_name


async def run_job(db: async_sessionmaker[AsyncSession], settings: Settings, job: ExportJob) -> None:
    """Do one claimed job to the end: SUCCEEDED with a file, or FAILED with a reason."""
    table = TABLES[ExportKind(job.kind)]
    async with db() as session:
        viewer = await viewer_for_member(session, job.team_id, job.requested_by_id)
    if viewer is None:
        await _fail(db, job.id, "The requester is no longer an active member of the team.")
        return
    try:
        table.gate(viewer)
    except ApiError as exc:  # rights changed since the export was asked for
        await _fail(db, job.id, exc.message)
        return
    folder = Path(settings.export_dir)
    await asyncio.to_thread(folder.mkdir, parents=True, exist_ok=True)
    name = f"{job.id}-{secrets.token_hex(8)}-{table.file_stem}.csv"
    partial = folder / (name + ".partial")
    # The heartbeat runs beside the export, so a slow first row (a big sort)
    # does not look like a dead worker.
    heartbeat = asyncio.create_task(_beat_forever(db, job.id))
    try:
        async with db() as session, session.begin():
            statement = table.statement(viewer, job.parameters, utcnow())
            result = await session.stream(statement.execution_options(yield_per=STREAM_BATCH))
            rows = (table.cells(row, job.parameters) async for row in result)
            count = await write_csv(partial, table.header, rows)
        partial.rename(folder / name)
    except asyncio.CancelledError:
        # The server is stopping: the job stays RUNNING and, its heartbeat
        # gone stale, is taken over by the next worker; its half file goes.
        partial.unlink(missing_ok=True)
        raise
    except Exception:
        partial.unlink(missing_ok=True)
        log.exception("export job %s failed", job.id)
        await _fail(db, job.id, "The export failed on the server; try again.")
        return
    finally:
        heartbeat.cancel()
    now = utcnow()
    async with db() as session, session.begin():
        await export_jobs.succeed(
            session,
            job.id,
            row_count=count,
            file_name=name,
            now=now,
            link_ttl=timedelta(seconds=settings.export_link_ttl),
        )
        finished = await export_jobs.job_by_id(session, job.id)
    log.info("export job %s wrote %d rows to %s", job.id, count, name)
    if finished is not None and mail.smtp_configured(settings):
        await _email(db, settings, finished, table.title)


async def _beat_forever(db: async_sessionmaker[AsyncSession], job_id: int) -> None:
    """Tell other workers this job is alive, until cancelled."""
    while True:
        await asyncio.sleep(export_jobs.HEARTBEAT_INTERVAL.total_seconds())
        try:
            async with db() as session, session.begin():
                await export_jobs.beat(session, job_id, utcnow())
        except Exception as exc:  # a missed beat is retried; the job goes on
            log.warning("heartbeat of export job %s failed: %s", job_id, exc)


async def _fail(db: async_sessionmaker[AsyncSession], job_id: int, reason: str) -> None:
    async with db() as session, session.begin():
        await export_jobs.fail(session, job_id, reason, utcnow())


async def _email(
    db: async_sessionmaker[AsyncSession], settings: Settings, job: ExportJob, title: str
) -> None:
    """Send the link to the requester; a failure is recorded on the job, not raised."""
    url = download_url(settings, job)
    async with db() as session:
        email = await directory.user_email(session, job.requested_by_id)
    error = None
    if url is None or email is None or job.expires_at is None:
        error = "nothing to send"
    else:
        message = mail.link_message(settings, email, title, url, job.row_count or 0, job.expires_at)
        try:
            await mail.send(settings, message)
        except Exception as exc:  # any SMTP failure: the link still works from GraphQL
            log.warning("emailing export job %s failed: %s", job.id, exc)
            error = f"email not sent: {exc}"[:500]
    async with db() as session, session.begin():
        await export_jobs.record_email(session, job.id, utcnow(), error)


async def delete_expired_files(
    db: async_sessionmaker[AsyncSession], settings: Settings, now: datetime
) -> int:
    """Remove files whose links have expired; return how many went."""
    async with db() as session, session.begin():
        expired = await export_jobs.expired_files(session, now)
        for job_id, name in expired:
            export_path(settings, name).unlink(missing_ok=True)
            await export_jobs.forget_file(session, job_id)
    return len(expired)
