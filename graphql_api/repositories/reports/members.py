"""The Members overview: who is in the team, who is active, and who joined or left."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import func, literal, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from graphql_api.auth.viewer import Viewer
from graphql_api.db.models import (
    DailyAuditActions,
    DailyUserRequests,
    Membership,
    User,
)
from graphql_api.domain.enums import MembershipStatus
from graphql_api.repositories.pagination import AnySelect, SortKey
from graphql_api.repositories.reports.billing import seats_total
from graphql_api.repositories.reports.ranges import DayRange, Granularity, bucket_of, team_days
from graphql_api.repositories.reports.sorting import figure_sort

INVITE_ACTIONS = ("TEAM_INVITE_SENT",)
JOIN_ACTIONS = ("TEAM_MEMBER_ADDED", "USER_JOINED_VIA_DOMAIN_CAPTURE")
REMOVAL_ACTIONS = ("TEAM_MEMBER_REMOVED",)


class MemberSort(StrEnum):
    NAME = "NAME"
    REQUEST_COUNT = "REQUEST_COUNT"
    LAST_ACTIVE = "LAST_ACTIVE"


_COLUMN = {
    MemberSort.NAME: "name",
    MemberSort.REQUEST_COUNT: "request_count",
    MemberSort.LAST_ACTIVE: "last_active_on",
}


@dataclass(frozen=True)
class MembersOverview:
    """The team-wide figures of the Members overview."""

    status_counts: dict[str, int]
    role_counts: dict[str, int]
    seats_total: int | None
    seats_used: int
    invites: int
    joins: int
    removals: int
    active_series: list[tuple[date, int]]


async def members_overview(
    session: AsyncSession, viewer: Viewer, days: DayRange, granularity: Granularity
) -> MembersOverview:
    """Counts from memberships, seats from the last seat change, the rest from daily summaries."""
    team = viewer.team_id
    memberships = (
        await session.execute(
            select(Membership.status, Membership.roles).where(Membership.team_id == team)
        )
    ).all()
    status_counts = Counter(status for status, _ in memberships)
    role_counts: Counter[str] = Counter()
    for status, roles in memberships:
        if status == MembershipStatus.ACTIVE.value:
            role_counts.update(roles)
    seats = await seats_total(session, team, days.last)
    actions = dict(
        (
            await session.execute(
                select(DailyAuditActions.action, func.sum(DailyAuditActions.events))
                .where(
                    *team_days(DailyAuditActions, team, days),
                    DailyAuditActions.action.in_(INVITE_ACTIONS + JOIN_ACTIONS + REMOVAL_ACTIONS),
                )
                .group_by(DailyAuditActions.action)
            )
        ).all()
    )
    active_days = (
        await session.execute(
            select(DailyUserRequests.day, DailyUserRequests.user_id)
            .where(
                *team_days(DailyUserRequests, team, days),
            )
            .distinct()
        )
    ).all()
    # A member is active in a point when they sent any request in it.
    active: dict[date, set[str]] = {bucket_of(d, granularity): set() for d in days.days()}
    for day, user_id in active_days:
        active[bucket_of(day, granularity)].add(user_id)
    return MembersOverview(
        status_counts={s.value: status_counts.get(s.value, 0) for s in MembershipStatus},
        role_counts=dict(sorted(role_counts.items())),
        seats_total=seats,
        seats_used=status_counts.get(MembershipStatus.ACTIVE.value, 0),
        invites=sum(int(actions.get(a, 0)) for a in INVITE_ACTIONS),
        joins=sum(int(actions.get(a, 0)) for a in JOIN_ACTIONS),
        removals=sum(int(actions.get(a, 0)) for a in REMOVAL_ACTIONS),
        active_series=sorted((start, len(users)) for start, users in active.items()),
    )


def member_subquery(
    viewer: Viewer,
    days: DayRange,
    today: date,
    sources: Sequence[str],
    inactive_for_days: int | None,
) -> Any:
    """One row per membership: roles, join date, last activity and requests in the range."""
    team = viewer.team_id
    usage = _user_requests(team, days, sources)
    last_active = last_active_subquery(team)
    statement = (
        select(*member_columns(usage, last_active))
        .join(User, User.id == Membership.user_id)
        .outerjoin(usage, usage.c.user_id == Membership.user_id)
        .outerjoin(last_active, last_active.c.user_id == Membership.user_id)
        .where(Membership.team_id == team)
    )
    if inactive_for_days is not None:
        since = today - timedelta(days=inactive_for_days)
        statement = statement.where(
            Membership.status == MembershipStatus.ACTIVE.value,
            or_(last_active.c.last_active_on.is_(None), last_active.c.last_active_on < since),
        )
    return statement.subquery("member_subquery")


def member_columns(usage: Any, last_active: Any) -> list[Any]:
    """The columns of a member list row: the membership, the user's name, when they
    were last active and their requests in `usage` (0 without any)."""
    return [
        Membership.id.label("id"),
        User.name.label("name"),
        Membership.user_id.label("user_id"),
        Membership.roles.label("roles"),
        Membership.status.label("status"),
        Membership.status_at.label("status_at"),
        Membership.joined_at.label("joined_at"),
        Membership.invited_by_id.label("invited_by_id"),
        last_active.c.last_active_on.label("last_active_on"),
        func.coalesce(usage.c.requests, literal(0)).label("request_count"),
    ]


def _user_requests(team: str, days: DayRange, sources: Sequence[str]) -> Any:
    """Requests per user over `days`, from `sources`."""
    return (
        select(
            DailyUserRequests.user_id.label("user_id"),
            func.sum(DailyUserRequests.requests).label("requests"),
        )
        .where(
            *team_days(DailyUserRequests, team, days),
            DailyUserRequests.source.in_(sources),
        )
        .group_by(DailyUserRequests.user_id)
        .subquery()
    )


def last_active_subquery(team: str) -> Any:
    """Each user's last day with any request, whatever the range and source."""
    return (
        select(
            DailyUserRequests.user_id.label("user_id"),
            func.max(DailyUserRequests.day).label("last_active_on"),
        )
        .where(DailyUserRequests.team_id == team)
        .group_by(DailyUserRequests.user_id)
        .subquery()
    )


def sorted_member_rows(rows: Any, sort: MemberSort, descending: bool) -> tuple[AnySelect, SortKey]:
    """The rows in report order for `sort` (ISO dates sort as text)."""
    return figure_sort(
        rows,
        f"members:{sort.value}",
        _COLUMN[sort],
        descending,
        text=sort is not MemberSort.REQUEST_COUNT,
    )
