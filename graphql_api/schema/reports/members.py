"""The Members overview as GraphQL types."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import strawberry

from graphql_api.domain import enums as domain
from graphql_api.errors import BadUserInput
from graphql_api.repositories.pagination import PageArgs
from graphql_api.repositories.reports.members import (
    MemberSort,
    MembersOverview,
    member_subquery,
    sorted_member_rows,
)
from graphql_api.repositories.reports.ranges import DayRange, Granularity, point_days
from graphql_api.schema import arguments
from graphql_api.schema.context import Info
from graphql_api.schema.describe import described_enum
from graphql_api.schema.directory.enums import MembershipStatus, TeamRole
from graphql_api.schema.directory.types import Membership, User, load_user
from graphql_api.schema.ordering import OrderDirection
from graphql_api.schema.paging import keyset_page
from graphql_api.schema.relay import KeysetConnection
from graphql_api.schema.reports.enums import RequestSource as RequestSourceEnum

MemberActivityOrderField = described_enum(
    MemberSort,
    "What the member list can be sorted by.",
    {
        "NAME": "The member's name.",
        "REQUEST_COUNT": "Requests sent in the range.",
        "LAST_ACTIVE": "The last day the member sent a request.",
    },
)


@strawberry.input(description="How to sort the member list.")
class MemberActivityOrder:
    field: MemberActivityOrderField = strawberry.field(description="What to sort by.")  # type: ignore[valid-type]
    direction: OrderDirection = strawberry.field(
        default=OrderDirection.ASC, description="Smallest (or A) first by default."
    )


@strawberry.type(description="How many active members hold a role.")
class RoleCount:
    role: TeamRole = strawberry.field(description="The team role.")
    count: int = strawberry.field(description="Active members holding it directly.")


@strawberry.type(description="Members active on one point of the series.")
class ActiveMembersPoint:
    date: date = strawberry.field(description="First day of the point (UTC).")
    count: int = strawberry.field(description="Members who sent at least one request.")
    days: strawberry.Private[DayRange]

    @strawberry.field(description="Drill-down: the members active in this point.")
    async def members(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
        order_by: MemberActivityOrder | None = None,
    ) -> MemberActivityConnection:
        return await member_connection(
            info,
            self.days,
            PageArgs(first, after, last, before),
            order_by,
            sources=None,
            inactive_for_days=None,
            active_within=self.days,
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
            last_active_on=date.fromisoformat(last) if isinstance(last, str) else last,
            request_count=int(row.request_count),
            invited_by_id=row.invited_by_id,
        )


@strawberry.type(description="A page of the member list.")
class MemberActivityConnection(KeysetConnection[MemberActivity]):  # type: ignore[type-var]
    pass


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
        sources: list[RequestSourceEnum] | None = None,
        order_by: MemberActivityOrder | None = None,
    ) -> MemberActivityConnection:
        return await member_connection(
            info,
            self.days,
            PageArgs(first, after, last, before),
            order_by,
            sources=sources,
            inactive_for_days=inactive_for_days,
            active_within=None,
        )

    @classmethod
    def from_overview(
        cls, overview: MembersOverview, days: DayRange, granularity: Granularity
    ) -> MembersReport:
        return cls(
            active_members=overview.status_counts["ACTIVE"],
            invited_members=overview.status_counts["INVITED"],
            removed_members=overview.status_counts["REMOVED"],
            roles=[
                RoleCount(role=domain.TeamRole(r), count=n) for r, n in overview.role_counts.items()
            ],
            seats_used=overview.seats_used,
            seats_total=overview.seats_total,
            invites=overview.invites,
            joins=overview.joins,
            removals=overview.removals,
            active_members_series=[
                ActiveMembersPoint(date=d, count=n, days=point_days(d, granularity, days))
                for d, n in overview.active_series
            ],
            days=days,
        )


def member_order(order_by: MemberActivityOrder | None) -> tuple[MemberSort, bool]:
    """The sort and direction asked for; by name, A to Z, by default."""
    if order_by is None:
        return MemberSort.NAME, False
    return (
        MemberSort(order_by.field.value),  # type: ignore[attr-defined]
        order_by.direction is OrderDirection.DESC,
    )


def member_sources(inactive_for_days: int | None, sources: list[Any] | None) -> list[str]:
    """Check the member list's filters; the request sources counted (request builder by default)."""
    arguments.whole_number(
        "inactiveForDays", inactive_for_days, minimum=0, maximum=arguments.MAX_INACTIVE_DAYS
    )
    if sources is not None and not sources:
        raise BadUserInput("`sources` must name at least one source.", argument="sources")
    if not sources:
        return [domain.RequestSource.REQUEST_BUILDER.value]
    return arguments.distinct(s.value for s in sources)


async def member_connection(
    info: Info,
    days: DayRange,
    args: PageArgs,
    order_by: MemberActivityOrder | None,
    *,
    sources: list[Any] | None,
    inactive_for_days: int | None,
    active_within: DayRange | None,
) -> MemberActivityConnection:
    """The member list over `days`: filtered, sorted and paged."""
    ctx = info.context
    field, descending = member_order(order_by)
    rows = member_subquery(
        ctx.viewer,
        days,
        ctx.now.date(),
        member_sources(inactive_for_days, sources),
        inactive_for_days,
        active_within,
    )
    statement, sort = sorted_member_rows(rows, field, descending)
    fetched, count = await keyset_page(info, statement, sort, args)
    return MemberActivityConnection.from_page(fetched, MemberActivity.from_row, count)
