"""`GET /exports/{token}`: the file behind a signed link, or 403 and nothing else.

The link is the credential (it is what the email carries), so it needs no
API key; a tampered, malformed or expired one gets the same 403, telling an
attacker nothing about which check failed.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response

from graphql_api.auth.credentials import viewer_for_member
from graphql_api.auth.requests import origin_of
from graphql_api.db.base import utcnow
from graphql_api.domain.global_ids import to_global_id
from graphql_api.errors import ApiError, ErrorCode, error_body
from graphql_api.exports.links import LinkRefused, verify_download
from graphql_api.exports.runner import export_path
from graphql_api.exports.tables import TABLES, ExportKind
from graphql_api.repositories.audit_writes import record_audit_event
from graphql_api.repositories.export_jobs import downloadable, job_by_id
from graphql_api.state import AppState

REFUSED_MESSAGE = "This download link is invalid or has expired; start a new export."


def refused() -> JSONResponse:
    """HTTP 403, code FORBIDDEN."""
    return JSONResponse(error_body(ErrorCode.FORBIDDEN, REFUSED_MESSAGE), status_code=403)


async def download(request: Request) -> Response:
    """Serve the CSV of the job the token names, while the link works."""
    state: AppState = request.app.state.graphql_api
    now = utcnow()
    try:
        job_id = verify_download(state.settings.secret_key, request.path_params["token"], now)
    except LinkRefused:
        return refused()
    async with state.db() as session:
        job = await job_by_id(session, job_id)
    if job is None or not downloadable(job, now):
        return refused()
    assert job.file_name is not None  # downloadable says so
    path = export_path(state.settings, job.file_name)
    if not path.is_file():
        return refused()
    table = TABLES[ExportKind(job.kind)]
    # The link carries the requester's rights: a requester who has left the
    # team, or lost the role the table needs, no longer opens it.
    async with state.db() as session:
        requester = await viewer_for_member(session, job.team_id, job.requested_by_id)
    try:
        if requester is None:
            return refused()
        table.gate(requester)
    except ApiError:
        return refused()
    # Who fetched an export (the audit log, a member list) is itself audited.
    async with state.db() as session, session.begin():
        await record_audit_event(
            session,
            team_id=job.team_id,
            actor_id=job.requested_by_id,
            action="EXPORTED_DATA_DOWNLOADED",
            message=f"Downloaded the export of {table.title} through its link.",
            at=now,
            origin=origin_of(request),
            data={"export": {"id": to_global_id("ExportJob", job.id), "kind": job.kind}},
        )
    stem = table.file_stem
    return FileResponse(
        path,
        media_type="text/csv; charset=utf-8",
        filename=f"{stem}-{job.created_at:%Y-%m-%d}-{job.id}.csv",
        headers={"Cache-Control": "private, no-store"},
    )
