"""Mutations that start exports: the audit log, and each report table with its query's arguments.

Each declares the same gate as the field it exports, records an audit event,
and returns the job at once; a worker writes the file in the background.
"""

from __future__ import annotations

from typing import Any

import strawberry

from graphql_api.exports.tables import (
    TABLES,
    ExportKind,
    audit_parameters,
    days_parameters,
)
from graphql_api.repositories.audit import last_event_id
from graphql_api.repositories.audit_writes import record_audit_event
from graphql_api.repositories.export_jobs import create_job, own_jobs_by_ids
from graphql_api.schema.audit.connections import audit_order, audit_query, audit_timezone
from graphql_api.schema.audit.inputs import AuditEventFilter, AuditEventOrder
from graphql_api.schema.context import Info
from graphql_api.schema.exports.types import ExportJob
from graphql_api.schema.relay import to_global_id
from graphql_api.schema.reports.connections import (
    inactive_days,
    member_order,
    public_workspace_order,
    readable_api,
    report_days,
    report_sources,
    team_api_order,
)
from graphql_api.schema.reports.enums import RequestSource
from graphql_api.schema.reports.inputs import (
    DateRangeInput,
    MemberActivityOrder,
    PublicWorkspaceOrder,
    TeamApiOrder,
)


async def _start(info: Info, kind: ExportKind, parameters: dict[str, Any]) -> ExportJob:
    """Record the job and its audit event, wake the worker. The mutation's field
    declares the table's gate (schema/mutation.py); tests/schema/test_permissions.py
    checks the two agree."""
    ctx = info.context
    table = TABLES[kind]
    action = "AUDIT_LOG_EXPORTED" if kind is ExportKind.AUDIT_EVENTS else "REPORT_EXPORTED"
    async with ctx.db() as session, session.begin():
        job_id = await create_job(
            session, ctx.viewer, kind.value, parameters, ctx.base_url, ctx.now
        )
        await record_audit_event(
            session,
            team_id=ctx.viewer.team_id,
            actor_id=ctx.viewer.user_id,
            action=action,
            message=f"Exported {table.title} to CSV.",
            at=ctx.now,
            origin=ctx.origin,
            data={
                "export": {"id": to_global_id("ExportJob", job_id), "kind": kind.value},
                "parameters": parameters,
            },
        )
        job = (await own_jobs_by_ids(session, ctx.viewer, [job_id]))[job_id]
    ctx.nudge_exports()
    return ExportJob.from_row(job)


async def export_audit_events(
    info: Info,
    filter: AuditEventFilter | None = None,
    order_by: AuditEventOrder | None = None,
    timezone: str | None = None,
) -> ExportJob:
    """The audit log as CSV; with no `since`/`until`, the last seven days (as Postman's)."""
    ctx = info.context
    audit_timezone(timezone)  # BAD_USER_INPUT for an unknown zone, before any job
    field, descending = audit_order(order_by)
    async with ctx.db() as session:
        through = await last_event_id(session, ctx.viewer.team_id)
    parameters = audit_parameters(
        audit_query(filter), field, descending, timezone, ctx.now, through
    )
    return await _start(info, ExportKind.AUDIT_EVENTS, parameters)


async def export_team_apis(
    info: Info,
    range: DateRangeInput | None = None,
    sources: list[RequestSource] | None = None,
    order_by: TeamApiOrder | None = None,
) -> ExportJob:
    """The Team APIs table as CSV (restricted APIs included, masked)."""
    days = report_days(info, range)
    request_sources, test_sources = report_sources(sources)
    field, descending = team_api_order(order_by)
    parameters = {
        **days_parameters(days),
        "request_sources": request_sources,
        "test_sources": test_sources,
        "field": field.value,
        "descending": descending,
    }
    return await _start(info, ExportKind.TEAM_APIS, parameters)


async def export_members(
    info: Info,
    range: DateRangeInput | None = None,
    inactive_for_days: int | None = None,
    sources: list[RequestSource] | None = None,
    order_by: MemberActivityOrder | None = None,
) -> ExportJob:
    """The member list of the Members overview as CSV."""
    days = report_days(info, range)
    field, descending = member_order(order_by)
    inactive = inactive_days(inactive_for_days)
    request_sources, _ = report_sources(sources)
    parameters = {
        **days_parameters(days),
        "today": info.context.now.date().isoformat(),
        "sources": request_sources,
        "inactive_for_days": inactive,
        "field": field.value,
        "descending": descending,
    }
    return await _start(info, ExportKind.MEMBERS, parameters)


async def export_public_workspaces(
    info: Info,
    range: DateRangeInput | None = None,
    order_by: PublicWorkspaceOrder | None = None,
) -> ExportJob:
    """Public workspace metrics as CSV."""
    days = report_days(info, range)
    field, descending = public_workspace_order(order_by)
    parameters = {**days_parameters(days), "field": field.value, "descending": descending}
    return await _start(info, ExportKind.PUBLIC_WORKSPACES, parameters)


async def export_content_elements(
    info: Info, range: DateRangeInput | None = None, api: strawberry.ID | None = None
) -> ExportJob:
    """The Content activity report's most active elements as CSV (for one API with `api`)."""
    days = report_days(info, range)
    api_id = None
    if api is not None:
        async with info.context.db() as session:
            api_id = (await readable_api(session, info.context.viewer, api)).id
    parameters = {**days_parameters(days), "api": api_id}
    return await _start(info, ExportKind.CONTENT_ELEMENTS, parameters)


async def export_api_findings(info: Info, range: DateRangeInput | None = None) -> ExportJob:
    """The API security report's APIs by open findings as CSV."""
    parameters = days_parameters(report_days(info, range))
    return await _start(info, ExportKind.API_FINDINGS, parameters)
