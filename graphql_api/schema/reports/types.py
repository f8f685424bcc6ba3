"""Types every report shares: the date range, and the rows of the report tables.

The rows are the nodes of the connections in connections.py (Team APIs, public
workspaces, the member list, top content elements, APIs by open findings).
Each report's own object (the report, its series points and their drill-downs)
lives in the module named as its repository module: summary.py, members.py,
content.py, security.py, billing.py.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import strawberry

from graphql_api.domain import enums as domain
from graphql_api.repositories.reports.summary import EmptyReason as DomainEmptyReason
from graphql_api.schema.context import Info
from graphql_api.schema.directory.enums import MembershipStatus, TeamRole
from graphql_api.schema.directory.types import (
    Api,
    Element,
    Membership,
    User,
    Workspace,
    element_from_row,
    load_user,
)
from graphql_api.schema.reports.enums import EmptyReason


@strawberry.type(description="The days a report covers (UTC, inclusive).")
class DateRange:
    from_: date = strawberry.field(name="from", description="First day.")
    to: date = strawberry.field(description="Last day.")


def _flag(value: Any) -> bool | None:
    return None if value is None else bool(value)


def _count(value: Any) -> int | None:
    return None if value is None else int(value)


@strawberry.type(
    description="One API in the Team APIs report. When `restricted`, the viewer cannot "
    "access the API: its name, link and every figure are null, but it still counts."
)
class TeamApiRow:
    restricted: bool = strawberry.field(description="The viewer cannot access this API.")
    api: Api | None = strawberry.field(description="The API; null when restricted.")
    name: str | None = strawberry.field(description="The API's name; null when restricted.")
    request_count: int | None = strawberry.field(description="Requests in the range.")
    error_rate: float | None = strawberry.field(description="Share (0 to 1) answered 4xx/5xx.")
    avg_response_time_ms: float | None = strawberry.field(description="Average response time.")
    p95_response_time_ms: float | None = strawberry.field(
        description="95th percentile response time."
    )
    uptime: float | None = strawberry.field(
        description="Percent of successful runs of monitors running a linked collection."
    )
    failed_test_runs: int | None = strawberry.field(
        description="Runs of linked collections with a failed test."
    )
    has_documentation: bool | None = strawberry.field(description="Has a documentation link.")
    has_tests: bool | None = strawberry.field(description="Has a linked test collection.")
    has_monitor: bool | None = strawberry.field(description="Has a monitor link.")
    has_mock: bool | None = strawberry.field(description="Has a mock server link.")
    linked_collection_count: int | None = strawberry.field(
        description="Collections linked to the API."
    )
    empty_reason: EmptyReason | None = strawberry.field(
        description="Why the API has no requests, when it has none (null when restricted)."
    )

    @classmethod
    def from_row(cls, row: Any, refreshed: bool = True) -> TeamApiRow:
        """`refreshed`: the summaries have been refreshed at least once."""
        readable = bool(row.readable)
        return cls(
            restricted=not readable,
            api=_team_api(row) if readable else None,
            name=row.name,
            request_count=row.request_count,
            error_rate=row.error_rate,
            avg_response_time_ms=row.avg_response_time_ms,
            p95_response_time_ms=row.p95_response_time_ms,
            uptime=row.uptime,
            failed_test_runs=row.failed_test_runs,
            has_documentation=_flag(row.has_documentation),
            has_tests=_flag(row.has_tests),
            has_monitor=_flag(row.has_monitor),
            has_mock=_flag(row.has_mock),
            linked_collection_count=row.linked_collection_count,
            empty_reason=why_team_api_is_empty(row, refreshed) if readable else None,
        )


def _team_api(row: Any) -> Api:
    """The Api of a readable Team APIs row."""
    return Api(
        id=row.id,
        kind=domain.ElementKind.API,
        name=row.name,
        created_at=row.created_at,
        workspace_id=row.workspace_id,
        created_by_id=row.created_by_id,
    )


def why_team_api_is_empty(row: Any, refreshed: bool) -> DomainEmptyReason | None:
    """Why a readable Team APIs row has no requests; None when it has some."""
    if row.request_count:
        return None
    if not row.linked_collection_count:
        return DomainEmptyReason.NO_LINKED_COLLECTION
    if not refreshed:
        return DomainEmptyReason.NOT_REFRESHED_YET
    return DomainEmptyReason.NO_REQUESTS


@strawberry.type(description="Views, watchers and forks of one public workspace in the range.")
class PublicWorkspaceMetric:
    workspace: Workspace = strawberry.field(description="The public workspace.")
    name: str = strawberry.field(description="The workspace's name.")
    views: int = strawberry.field(description="Views in the range.")
    watchers: int = strawberry.field(description="New watchers in the range.")
    forks: int = strawberry.field(description="Forks in the range.")

    @classmethod
    def from_row(cls, row: Any) -> PublicWorkspaceMetric:
        return cls(
            workspace=Workspace.from_row(row),
            name=row.name,
            views=int(row.views),
            watchers=int(row.watchers),
            forks=int(row.forks),
        )


@strawberry.type(description="One member in the Members overview.")
class MemberActivity:
    membership: Membership = strawberry.field(description="The membership.")
    name: str = strawberry.field(description="The member's name.")
    status: MembershipStatus = strawberry.field(description="Active, invited or removed.")
    roles: list[TeamRole] = strawberry.field(description="Team roles held directly.")
    joined_at: datetime | None = strawberry.field(description="When they first became active.")
    last_active_on: date | None = strawberry.field(
        description="The last day (UTC) they sent a request, from any source."
    )
    request_count: int = strawberry.field(
        description="Requests they sent in the range, from the selected sources."
    )
    invited_by_id: strawberry.Private[str | None]

    @strawberry.field(description="Who invited them, when known.")
    async def invited_by(self, info: Info) -> User | None:
        return await load_user(info, self.invited_by_id)

    @classmethod
    def from_row(cls, row: Any) -> MemberActivity:
        last = row.last_active_on
        return cls(
            membership=Membership.from_row(row),
            name=row.name,
            status=domain.MembershipStatus(row.status),
            roles=[domain.TeamRole(r) for r in row.roles],
            joined_at=row.joined_at,
            # The day may come back as ISO text, depending on the database.
            last_active_on=date.fromisoformat(last) if isinstance(last, str) else last,
            request_count=int(row.request_count),
            invited_by_id=row.invited_by_id,
        )


@strawberry.type(
    description="An element ranked by content events. When `restricted`, the viewer cannot "
    "access it: the element, its name and its count are null."
)
class ContentElementRow:
    restricted: bool = strawberry.field(description="The viewer cannot access this element.")
    element: Element | None = strawberry.field(description="The element; null when restricted.")
    name: str | None = strawberry.field(description="Its name; null when restricted.")
    events: int | None = strawberry.field(description="Its content events in the range.")

    @classmethod
    def from_row(cls, row: Any) -> ContentElementRow:
        readable = bool(row.readable)
        return cls(
            restricted=not readable,
            element=element_from_row(row) if readable else None,
            name=row.name,
            events=_count(row.events),
        )


@strawberry.type(
    description="An API ranked by open findings. When `restricted`, the API, its name and its "
    "counts are null; it still counts in the report's totals."
)
class ApiFindingsRow:
    restricted: bool = strawberry.field(description="The viewer cannot access this API.")
    api: Api | None = strawberry.field(description="The API; null when restricted.")
    name: str | None = strawberry.field(description="Its name; null when restricted.")
    open_findings: int | None = strawberry.field(description="Open findings.")
    critical: int | None = strawberry.field(description="Open CRITICAL findings.")
    high: int | None = strawberry.field(description="Open HIGH findings.")

    @classmethod
    def from_row(cls, row: Any) -> ApiFindingsRow:
        readable = bool(row.readable)
        return cls(
            restricted=not readable,
            api=element_from_row(row) if readable else None,  # type: ignore[arg-type]
            name=row.name,
            open_findings=_count(row.open_findings),
            critical=_count(row.critical),
            high=_count(row.high),
        )
