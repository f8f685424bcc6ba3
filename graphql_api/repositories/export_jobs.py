"""Export jobs in the database: create, claim (once, across processes), progress, finish."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from graphql_api.auth.viewer import Viewer
from graphql_api.db.models import ExportJob
from graphql_api.repositories.pagination import AnySelect, SortKey

# A running job's worker beats at least this often...
HEARTBEAT_INTERVAL = timedelta(seconds=10)
# ...so one silent for this long lost its worker, and another may take it over.
STALE_AFTER = timedelta(seconds=60)


class ExportStatus(StrEnum):
    PENDING = "PENDING"
    RUNNING = "RUNNING"
    SUCCEEDED = "SUCCEEDED"
    FAILED = "FAILED"


def downloadable(job: Any, now: datetime) -> bool:
    """Whether the job's file can be fetched now: written, kept, and its link unexpired.

    A SUCCEEDED job that is not downloadable has expired (its file is then
    deleted by the worker).
    """
    return (
        job.status == ExportStatus.SUCCEEDED.value
        and bool(job.file_name)
        and job.expires_at is not None
        and job.expires_at > now
    )


async def create_job(
    session: AsyncSession,
    viewer: Viewer,
    kind: str,
    parameters: dict[str, Any],
    base_url: str,
    now: datetime,
) -> int:
    """Record a pending job for the viewer; a worker will claim it."""
    job_id = await session.scalar(
        insert(ExportJob)
        .values(
            team_id=viewer.team_id,
            requested_by_id=viewer.user_id,
            kind=kind,
            parameters=parameters,
            status=ExportStatus.PENDING.value,
            base_url=base_url,
            created_at=now,
        )
        .returning(ExportJob.id)
    )
    assert job_id is not None
    return job_id


async def own_jobs_by_ids(
    session: AsyncSession, viewer: Viewer, ids: Sequence[int]
) -> dict[int, Any]:
    """The viewer's own jobs among `ids` (an export holds what its requester may see)."""
    rows = await session.scalars(
        select(ExportJob).where(
            ExportJob.id.in_(ids),
            ExportJob.team_id == viewer.team_id,
            ExportJob.requested_by_id == viewer.user_id,
        )
    )
    return {job.id: job for job in rows}


EXPORT_SORT = SortKey("exports:created", (ExportJob.created_at, ExportJob.id), descending=True)


def own_jobs_statement(viewer: Viewer) -> AnySelect:
    """The viewer's export jobs in the viewer's team."""
    return select(*ExportJob.__table__.columns).where(
        ExportJob.team_id == viewer.team_id, ExportJob.requested_by_id == viewer.user_id
    )


async def job_by_id(session: AsyncSession, job_id: int) -> ExportJob | None:
    """Any job, for the worker and the download endpoint."""
    return await session.get(ExportJob, job_id)


async def claim_next(session: AsyncSession, now: datetime) -> ExportJob | None:
    """Take the oldest pending job (or one whose worker went silent) for this worker.

    The claim is a conditional UPDATE, so two workers never run one job.
    """
    await session.execute(
        update(ExportJob)
        .where(
            ExportJob.status == ExportStatus.RUNNING.value,
            ExportJob.heartbeat_at < now - STALE_AFTER,
        )
        .values(status=ExportStatus.PENDING.value)
    )
    candidates = await session.scalars(
        select(ExportJob.id)
        .where(ExportJob.status == ExportStatus.PENDING.value)
        .order_by(ExportJob.id)
        .limit(5)
    )
    for job_id in list(candidates):
        claimed = await session.execute(
            update(ExportJob)
            .where(ExportJob.id == job_id, ExportJob.status == ExportStatus.PENDING.value)
            .values(status=ExportStatus.RUNNING.value, started_at=now, heartbeat_at=now)
        )
        if claimed.rowcount:  # type: ignore[attr-defined]
            return await session.get(ExportJob, job_id)
    return None


async def beat(session: AsyncSession, job_id: int, now: datetime) -> None:
    """The worker is alive and still on `job_id`."""
    await session.execute(update(ExportJob).where(ExportJob.id == job_id).values(heartbeat_at=now))


async def succeed(
    session: AsyncSession,
    job_id: int,
    *,
    row_count: int,
    file_name: str,
    now: datetime,
    link_ttl: timedelta,
) -> None:
    """The file is complete; its link works for `link_ttl` from now."""
    await session.execute(
        update(ExportJob)
        .where(ExportJob.id == job_id)
        .values(
            status=ExportStatus.SUCCEEDED.value,
            row_count=row_count,
            file_name=file_name,
            finished_at=now,
            expires_at=now + link_ttl,
        )
    )


async def fail(session: AsyncSession, job_id: int, error: str, now: datetime) -> None:
    """The job cannot be done; `error` says why (shown to the requester)."""
    await session.execute(
        update(ExportJob)
        .where(ExportJob.id == job_id)
        .values(status=ExportStatus.FAILED.value, error=error, finished_at=now)
    )


async def record_email(
    session: AsyncSession, job_id: int, now: datetime, error: str | None
) -> None:
    """Whether the link was emailed."""
    await session.execute(
        update(ExportJob)
        .where(ExportJob.id == job_id)
        .values(emailed_at=None if error else now, email_error=error)
    )


async def expired_files(session: AsyncSession, now: datetime) -> list[tuple[int, str]]:
    """(job id, file) of finished jobs whose link has expired and whose file is still kept."""
    rows = await session.execute(
        select(ExportJob.id, ExportJob.file_name).where(
            ExportJob.status == ExportStatus.SUCCEEDED.value,
            ExportJob.expires_at <= now,
            ExportJob.file_name.is_not(None),
        )
    )
    return [(job_id, name) for job_id, name in rows if name]


async def forget_file(session: AsyncSession, job_id: int) -> None:
    """The job's file was deleted."""
    await session.execute(update(ExportJob).where(ExportJob.id == job_id).values(file_name=None))
