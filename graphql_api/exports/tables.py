"""What each export kind writes: its columns, and the statement that streams its rows.

Every table is the same query its GraphQL connection pages through (same
filters, same access rules and masking, same order), here read to the end.
Parameters are stored as JSON on the job, so a worker in any process can
run it later.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Text, cast

from graphql_api.auth.gates import (
    require_audit_reader,
    require_members_report_reader,
    require_report_reader,
)
from graphql_api.auth.viewer import Viewer
from graphql_api.db.models import AuditEvent
from graphql_api.domain.audit_actions import ACTIONS
from graphql_api.repositories.audit import SORT_KEYS, AuditQuery, audit_events_statement
from graphql_api.repositories.pagination import AnySelect, ordered
from graphql_api.repositories.reports.content import sorted_top_elements, top_element_subquery
from graphql_api.repositories.reports.members import MemberSort, member_subquery, sorted_member_rows
from graphql_api.repositories.reports.public_workspaces import (
    PublicWorkspaceSort,
    public_workspace_subquery,
    sorted_public_rows,
)
from graphql_api.repositories.reports.ranges import DayRange
from graphql_api.repositories.reports.security import api_findings_subquery, sorted_api_findings
from graphql_api.repositories.reports.team_apis import (
    TeamApiSort,
    sorted_team_api_rows,
    team_api_subquery,
)

# An audit export without a date range covers this much, as Postman's does.
DEFAULT_AUDIT_EXPORT_SPAN = timedelta(days=7)


class ExportKind(StrEnum):
    AUDIT_EVENTS = "AUDIT_EVENTS"
    TEAM_APIS = "TEAM_APIS"
    MEMBERS = "MEMBERS"
    PUBLIC_WORKSPACES = "PUBLIC_WORKSPACES"
    CONTENT_ELEMENTS = "CONTENT_ELEMENTS"
    API_FINDINGS = "API_FINDINGS"


@dataclass(frozen=True)
class ExportTable:
    """The header, and how to build the ordered statement and each row's cells."""

    file_stem: str
    # What the file holds, in words (for the email).
    title: str
    # Who may export it (the rule of the table's GraphQL field), checked
    # when the export is asked for and again when it runs.
    gate: Callable[[Viewer], None]
    header: Sequence[str]
    statement: Callable[[Viewer, dict[str, Any], datetime], AnySelect]
    cells: Callable[[Any, dict[str, Any]], Sequence[Any]]


def _days(params: dict[str, Any]) -> DayRange:
    return DayRange(date.fromisoformat(params["from"]), date.fromisoformat(params["to"]))


def days_parameters(days: DayRange) -> dict[str, Any]:
    """A report range as job parameters."""
    return {"from": days.first.isoformat(), "to": days.last.isoformat()}


# -- audit events ---------------------------------------------------------


def audit_parameters(
    query: AuditQuery,
    field: str,
    descending: bool,
    timezone: str | None,
    now: datetime,
    through_event_id: int | None,
) -> dict[str, Any]:
    """The audit export's parameters; no range at all means the last seven days.

    The export holds the log as it was when asked for: events up to
    `through_event_id`, so neither the export's own audit event nor events
    ingested while it waits for a worker slip in.
    """
    since = query.since
    if since is None and query.until is None:
        since = now - DEFAULT_AUDIT_EXPORT_SPAN
    return {
        "since": since.isoformat() if since else None,
        "until": query.until.isoformat() if query.until else None,
        "actions": list(query.actions),
        "categories": list(query.categories),
        "actor_ids": list(query.actor_ids),
        "search": query.search,
        "field": field,
        "descending": descending,
        "timezone": timezone,
        "through_event_id": through_event_id,
    }


def _audit_statement(viewer: Viewer, params: dict[str, Any], now: datetime) -> AnySelect:
    query = AuditQuery(
        since=datetime.fromisoformat(params["since"]) if params["since"] else None,
        until=datetime.fromisoformat(params["until"]) if params["until"] else None,
        actions=params["actions"],
        categories=params["categories"],
        actor_ids=params["actor_ids"],
        search=params["search"],
    )
    sort = SORT_KEYS[(params["field"], params["descending"])]
    statement = audit_events_statement(viewer, query, now).where(
        AuditEvent.event_id <= (params["through_event_id"] or 0)
    )
    # `data` goes out as the JSON text it is stored as: parsing it only to
    # serialise it again cost a third of the export's time.
    columns = [c for c in statement.selected_columns if c.key != "data"]
    statement = statement.with_only_columns(*columns, cast(AuditEvent.data, Text).label("data"))
    return ordered(statement, sort)


def _audit_cells(row: Any, params: dict[str, Any]) -> Sequence[Any]:
    action = ACTIONS[row.action]
    at = row.at.astimezone(ZoneInfo(params["timezone"])) if params["timezone"] else row.at
    return (
        row.event_id,
        at.isoformat(),
        action.code,
        action.display_name,
        row.category,
        row.actor_id,
        row.actor_name,
        row.actor_username,
        row.actor_email,
        row.ip,
        row.user_agent,
        row.message,
        row.data,
    )


# -- report tables --------------------------------------------------------


def _team_apis_statement(viewer: Viewer, params: dict[str, Any], now: datetime) -> AnySelect:
    rows = team_api_subquery(
        viewer, _days(params), params["request_sources"], params["test_sources"]
    )
    statement, sort = sorted_team_api_rows(rows, TeamApiSort(params["field"]), params["descending"])
    return ordered(statement, sort)


def _team_apis_cells(row: Any, params: dict[str, Any]) -> Sequence[Any]:
    readable = bool(row.readable)
    # A restricted API shows that it exists and nothing else, as in the report.
    return (
        not readable,
        row.id if readable else None,
        row.name,
        row.request_count,
        row.error_rate,
        row.avg_response_time_ms,
        row.p95_response_time_ms,
        row.uptime,
        row.failed_test_runs,
        None if row.has_documentation is None else bool(row.has_documentation),
        None if row.has_tests is None else bool(row.has_tests),
        None if row.has_monitor is None else bool(row.has_monitor),
        None if row.has_mock is None else bool(row.has_mock),
        row.linked_collection_count,
    )


def _members_statement(viewer: Viewer, params: dict[str, Any], now: datetime) -> AnySelect:
    rows = member_subquery(
        viewer,
        _days(params),
        date.fromisoformat(params["today"]),
        params["sources"],
        params["inactive_for_days"],
    )
    statement, sort = sorted_member_rows(rows, MemberSort(params["field"]), params["descending"])
    return ordered(statement, sort)


def _members_cells(row: Any, params: dict[str, Any]) -> Sequence[Any]:
    return (
        row.id,
        row.user_id,
        row.name,
        row.status,
        " ".join(row.roles),
        row.joined_at,
        row.last_active_on,
        int(row.request_count),
        row.invited_by_id,
    )


def _public_statement(viewer: Viewer, params: dict[str, Any], now: datetime) -> AnySelect:
    rows = public_workspace_subquery(viewer, _days(params))
    statement, sort = sorted_public_rows(
        rows, PublicWorkspaceSort(params["field"]), params["descending"]
    )
    return ordered(statement, sort)


def _public_cells(row: Any, params: dict[str, Any]) -> Sequence[Any]:
    return (row.id, row.name, int(row.views), int(row.watchers), int(row.forks))


def _content_statement(viewer: Viewer, params: dict[str, Any], now: datetime) -> AnySelect:
    statement, sort = sorted_top_elements(
        top_element_subquery(viewer, _days(params), params["api"])
    )
    return ordered(statement, sort)


def _content_cells(row: Any, params: dict[str, Any]) -> Sequence[Any]:
    # Masked in SQL already; the id is the one column left, so leave it out too.
    readable = bool(row.readable)
    return (not readable, row.id if readable else None, row.kind, row.name, row.events)


def _findings_statement(viewer: Viewer, params: dict[str, Any], now: datetime) -> AnySelect:
    statement, sort = sorted_api_findings(api_findings_subquery(viewer, _days(params)))
    return ordered(statement, sort)


def _findings_cells(row: Any, params: dict[str, Any]) -> Sequence[Any]:
    readable = bool(row.readable)
    return (
        not readable,
        row.id if readable else None,
        row.name,
        row.open_findings,
        row.critical,
        row.high,
    )


def _anyone(viewer: Viewer) -> None:
    """Public workspace metrics: every member, every plan."""


TABLES: dict[ExportKind, ExportTable] = {
    ExportKind.AUDIT_EVENTS: ExportTable(
        "audit-events",
        "the audit log",
        require_audit_reader,
        (
            "eventId",
            "timestamp",
            "action",
            "actionName",
            "category",
            "actorId",
            "actorName",
            "actorUsername",
            "actorEmail",
            "ip",
            "userAgent",
            "message",
            "data",
        ),
        _audit_statement,
        _audit_cells,
    ),
    ExportKind.TEAM_APIS: ExportTable(
        "team-apis",
        "the Team APIs report",
        require_report_reader,
        (
            "restricted",
            "apiId",
            "name",
            "requestCount",
            "errorRate",
            "avgResponseTimeMs",
            "p95ResponseTimeMs",
            "uptime",
            "failedTestRuns",
            "hasDocumentation",
            "hasTests",
            "hasMonitor",
            "hasMock",
            "linkedCollectionCount",
        ),
        _team_apis_statement,
        _team_apis_cells,
    ),
    ExportKind.MEMBERS: ExportTable(
        "members",
        "the member list",
        require_members_report_reader,
        (
            "membershipId",
            "userId",
            "name",
            "status",
            "roles",
            "joinedAt",
            "lastActiveOn",
            "requestCount",
            "invitedById",
        ),
        _members_statement,
        _members_cells,
    ),
    ExportKind.PUBLIC_WORKSPACES: ExportTable(
        "public-workspaces",
        "public workspace metrics",
        _anyone,
        ("workspaceId", "name", "views", "watchers", "forks"),
        _public_statement,
        _public_cells,
    ),
    ExportKind.CONTENT_ELEMENTS: ExportTable(
        "content-elements",
        "the most active elements",
        require_report_reader,
        ("restricted", "elementId", "kind", "name", "events"),
        _content_statement,
        _content_cells,
    ),
    ExportKind.API_FINDINGS: ExportTable(
        "api-findings",
        "APIs by open security findings",
        require_report_reader,
        ("restricted", "apiId", "name", "openFindings", "critical", "high"),
        _findings_statement,
        _findings_cells,
    ),
}
