"""The Members overview as GraphQL types."""

from __future__ import annotations

from datetime import date

import strawberry

from graphql_api.domain import enums as domain
from graphql_api.repositories.pagination import PageArgs
from graphql_api.repositories.reports.members import MembersOverview
from graphql_api.repositories.reports.points import Series
from graphql_api.repositories.reports.ranges import DayRange, Granularity, point_days
from graphql_api.schema import arguments
from graphql_api.schema.context import Info
from graphql_api.schema.directory.enums import TeamRole
from graphql_api.schema.reports import connections, drilldowns
from graphql_api.schema.reports.enums import RequestSource
from graphql_api.schema.reports.inputs import MemberActivityOrder


@strawberry.type(description="How many active members hold a role.")
class RoleCount:
    role: TeamRole = strawberry.field(description="The team role.")
    count: int = strawberry.field(description="Active members holding it directly.")


@strawberry.type(description="Members active on one point of the series.")
class ActiveMembersPoint:
    date: date = strawberry.field(description="First day of the point (UTC).")
    count: int = strawberry.field(description="Members who sent at least one request.")
    days: strawberry.Private[DayRange]
    # Every point of the series, so one batch loads all their drill-downs.
    series: strawberry.Private[Series | None] = None

    @strawberry.field(description="Drill-down: the members active in this point.")
    async def members(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
        order_by: MemberActivityOrder | None = None,
    ) -> connections.MemberActivityConnection:
        return await drilldowns.members(
            info, self.days, self.series, PageArgs(first, after, last, before), order_by
        )


@strawberry.type(description="Who is in the team, who is active, who joined and who left.")
class MembersReport:
    active_members: int = strawberry.field(description="Members now active.")
    invited_members: int = strawberry.field(description="Invitations not yet accepted.")
    removed_members: int = strawberry.field(description="Former members.")
    roles: list[RoleCount] = strawberry.field(description="Active members per role.")
    seats_used: int = strawberry.field(description="Licenses in use: the active members.")
    seats_total: int | None = strawberry.field(
        description="Licenses bought, from the last seat change up to the range's end."
    )
    invites: int = strawberry.field(description="Invitations sent in the range.")
    joins: int = strawberry.field(description="Members who joined in the range.")
    removals: int = strawberry.field(description="Members removed in the range.")
    active_members_series: list[ActiveMembersPoint] = strawberry.field(
        description="Members who sent at least one request, per point."
    )
    days: strawberry.Private[DayRange]

    @strawberry.field(
        description="Every membership with its activity; `inactiveForDays` (0 to "
        f"{arguments.MAX_INACTIVE_DAYS:,}) keeps active members who sent no request in that "
        "many days."
    )
    async def members(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
        inactive_for_days: int | None = None,
        sources: list[RequestSource] | None = None,
        order_by: MemberActivityOrder | None = None,
    ) -> connections.MemberActivityConnection:
        return await connections.members(
            info,
            self.days,
            PageArgs(first, after, last, before),
            order_by,
            sources=sources,
            inactive_for_days=inactive_for_days,
        )

    @classmethod
    def from_row(
        cls, row: MembersOverview, days: DayRange, granularity: Granularity
    ) -> MembersReport:
        points = [(d, n, point_days(d, granularity, days)) for d, n in row.active_series]
        series = Series((point, None) for _, _, point in points)
        return cls(
            active_members=row.status_counts["ACTIVE"],
            invited_members=row.status_counts["INVITED"],
            removed_members=row.status_counts["REMOVED"],
            roles=[RoleCount(role=domain.TeamRole(r), count=n) for r, n in row.role_counts.items()],
            seats_used=row.seats_used,
            seats_total=row.seats_total,
            invites=row.invites,
            joins=row.joins,
            removals=row.removals,
            active_members_series=[
                ActiveMembersPoint(date=d, count=n, days=point, series=series)
                for d, n, point in points
            ],
            days=days,
        )
