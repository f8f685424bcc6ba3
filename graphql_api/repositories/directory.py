"""Queries for teams, users, memberships, workspaces and elements, scoped to the viewer."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from graphql_api.auth.access import element_readable, workspace_readable
from graphql_api.auth.viewer import Viewer
from graphql_api.db.driver_reads import connection_of, read_rows
from graphql_api.db.models import Element, Group, Membership, Team, User, Workspace
from graphql_api.domain.enums import MembershipStatus
from graphql_api.repositories.pagination import AnySelect, SortKey

MEMBER_SORT = SortKey("members:name", (User.name, Membership.id), descending=False)
ELEMENT_SORT = SortKey("elements:name", (Element.name, Element.id), descending=False)

MEMBER_COLUMNS = (
    Membership.id,
    Membership.user_id,
    Membership.roles,
    Membership.status,
    Membership.status_at,
    Membership.joined_at,
    Membership.invited_by_id,
    User.name,
)
ELEMENT_COLUMNS = (
    Element.id,
    Element.kind,
    Element.name,
    Element.workspace_id,
    Element.created_by_id,
    Element.created_at,
)


async def team_by_id(session: AsyncSession, team_id: str) -> Any:
    """The team row, or None."""
    return (
        await session.execute(
            select(Team.id, Team.name, Team.slug, Team.plan).where(Team.id == team_id)
        )
    ).first()


def members_statement(viewer: Viewer) -> AnySelect:
    """Every membership of the viewer's team (any status), with the member's name to sort by."""
    return (
        select(*MEMBER_COLUMNS)
        .join(User, User.id == Membership.user_id)
        .where(Membership.team_id == viewer.team_id)
    )


def readable_elements_statement(viewer: Viewer, kind: str | None) -> AnySelect:
    """The elements the viewer may access, optionally of one kind."""
    statement = select(*ELEMENT_COLUMNS).where(element_readable(viewer))
    if kind is not None:
        statement = statement.where(Element.kind == kind)
    return statement


# What a user row holds wherever one is read (the User type's fields).
_USER_COLUMNS = (User.id, User.name, User.username, User.email, User.timezone)


async def users_by_ids(session: AsyncSession, ids: Sequence[str]) -> dict[str, Any]:
    """User rows keyed by id."""
    rows = await session.execute(select(*_USER_COLUMNS).where(User.id.in_(ids)))
    return {row.id: row for row in rows}


# Built once: a statement object read again runs straight through the driver
# (db/driver_reads.py); the viewer's own row is read this way by compiled plans.
_USER_BY_ID = select(*_USER_COLUMNS).where(User.id == bindparam("user_id"))


async def user_by_id(reader: AsyncSession | AsyncConnection, user_id: str) -> Any | None:
    """One user's row (as `users_by_ids` gives it), or None."""
    rows = await read_rows(await connection_of(reader), _USER_BY_ID, {"user_id": user_id})
    return rows[0] if rows else None


async def team_user_ids(session: AsyncSession, viewer: Viewer, ids: Sequence[str]) -> set[str]:
    """Those of `ids` who are (or were) members of the viewer's team."""
    rows = await session.scalars(
        select(Membership.user_id).where(
            Membership.team_id == viewer.team_id, Membership.user_id.in_(ids)
        )
    )
    return set(rows)


async def active_member_ids(session: AsyncSession, team_id: str, ids: Collection[str]) -> set[str]:
    """Those of `ids` who are active members of the team (no statement when `ids` is empty)."""
    if not ids:
        return set()
    rows = await session.scalars(
        select(Membership.user_id).where(
            Membership.team_id == team_id,
            Membership.user_id.in_(ids),
            Membership.status == MembershipStatus.ACTIVE.value,
        )
    )
    return set(rows)


async def user_email(session: AsyncSession, user_id: str) -> str | None:
    """The user's email address, or None when there is no such user."""
    return await session.scalar(select(User.email).where(User.id == user_id))


async def memberships_by_ids(
    session: AsyncSession, viewer: Viewer, ids: Sequence[str]
) -> dict[str, Any]:
    """The viewer's team's memberships among `ids`."""
    rows = await session.execute(members_statement(viewer).where(Membership.id.in_(ids)))
    return {row.id: row for row in rows}


async def elements_with_access(
    session: AsyncSession, viewer: Viewer, ids: Sequence[str]
) -> dict[str, tuple[Any, bool]]:
    """The viewer's team's elements among `ids`, each with whether the viewer may access it."""
    rows = await session.execute(
        select(*ELEMENT_COLUMNS, element_readable(viewer).label("readable")).where(
            Element.team_id == viewer.team_id, Element.id.in_(ids)
        )
    )
    return {row.id: (row, bool(row.readable)) for row in rows}


async def workspaces_with_access(
    session: AsyncSession, viewer: Viewer, ids: Sequence[str]
) -> dict[str, tuple[Any, bool]]:
    """The viewer's team's workspaces among `ids`, each with whether the viewer may access it."""
    rows = await session.execute(
        select(
            Workspace.id,
            Workspace.name,
            Workspace.visibility,
            workspace_readable(viewer, Workspace.id).label("readable"),
        ).where(Workspace.team_id == viewer.team_id, Workspace.id.in_(ids))
    )
    return {row.id: (row, bool(row.readable)) for row in rows}


async def groups_by_ids(
    session: AsyncSession, viewer: Viewer, ids: Sequence[str]
) -> dict[str, Any]:
    """The viewer's team's groups among `ids`."""
    rows = await session.execute(
        select(Group.id, Group.name, Group.roles).where(
            Group.team_id == viewer.team_id, Group.id.in_(ids)
        )
    )
    return {row.id: row for row in rows}
