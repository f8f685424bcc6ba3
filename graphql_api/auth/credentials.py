"""Creating, checking and revoking API keys and service tokens."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from graphql_api.auth.secrets import API_KEY_PREFIX, SERVICE_TOKEN_PREFIX, hash_secret, new_secret
from graphql_api.auth.viewer import Viewer
from graphql_api.db.access_changes import ACCESS_NEUTRAL
from graphql_api.db.base import utcnow
from graphql_api.db.models import ApiKey, Group, GroupMember, Membership, ServiceToken, Team, User
from graphql_api.domain.enums import MembershipStatus, Plan, TeamRole

# How precisely `lastUsedAt` is kept.
LAST_USED_PRECISION = timedelta(minutes=1)


class CredentialError(ValueError):
    """A credential cannot be made for what was asked (unknown team, not a member...)."""


@dataclass(frozen=True)
class NewApiKey:
    """A key just made: the secret exists only here and is never stored."""

    key: ApiKey
    secret: str


async def create_api_key(
    session: AsyncSession,
    *,
    team_slug: str,
    email: str,
    name: str = "API key",
    expires_at: datetime | None = None,
) -> NewApiKey:
    """Make a key for the active member of `team_slug` whose email is `email`."""
    row = (
        await session.execute(
            select(Team.id, User.id)
            .join(Membership, Membership.team_id == Team.id)
            .join(User, User.id == Membership.user_id)
            .where(
                Team.slug == team_slug,
                User.email == email,
                Membership.status == MembershipStatus.ACTIVE.value,
            )
        )
    ).first()
    if row is None:
        raise CredentialError(f"no active member with email {email!r} in team {team_slug!r}")
    team_id, user_id = row
    return await issue_api_key(
        session, team_id=team_id, user_id=user_id, name=name, expires_at=expires_at
    )


async def issue_api_key(
    session: AsyncSession,
    *,
    team_id: str,
    user_id: str,
    name: str,
    expires_at: datetime | None = None,
) -> NewApiKey:
    """Make a key for a member already known to be active in the team."""
    secret = new_secret(API_KEY_PREFIX)
    key = ApiKey(
        team_id=team_id,
        user_id=user_id,
        name=name,
        key_hash=hash_secret(secret),
        last_four=secret[-4:],
        created_at=utcnow(),
        expires_at=expires_at,
    )
    session.add(key)
    await session.flush()
    return NewApiKey(key=key, secret=secret)


async def revoke_api_key(session: AsyncSession, key_id: int) -> bool:
    """Revoke a key; it stops working on the next request. False if it already was."""
    result = await session.execute(
        update(ApiKey)
        .where(ApiKey.id == key_id, ApiKey.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def create_service_token(session: AsyncSession, *, name: str = "ingest") -> str:
    """Make an ingest token and return its secret (shown once)."""
    secret = new_secret(SERVICE_TOKEN_PREFIX)
    session.add(ServiceToken(name=name, token_hash=hash_secret(secret), created_at=utcnow()))
    await session.flush()
    return secret


async def service_token_is_valid(session: AsyncSession, secret: str) -> bool:
    """Whether `secret` is a live (unrevoked) service token."""
    found = await session.scalar(
        select(ServiceToken.id).where(
            ServiceToken.token_hash == hash_secret(secret), ServiceToken.revoked_at.is_(None)
        )
    )
    return found is not None


@dataclass(frozen=True)
class KeyLookup:
    """A live key's viewer, and when the key expires (None: never)."""

    viewer: Viewer
    expires_at: datetime | None


async def lookup_api_key(session: AsyncSession, key_hash: str) -> KeyLookup | None:
    """The key stored as `key_hash`, or None if it is unknown, expired or revoked.

    A key also stops working when its user is no longer an active member of
    the key's team. One statement reads the key, its team, the membership and
    the member's groups (a row per group).
    """
    now = utcnow()
    rows = (
        await session.execute(
            select(
                ApiKey.id,
                ApiKey.team_id,
                ApiKey.user_id,
                ApiKey.expires_at,
                ApiKey.last_used_at,
                Team.plan,
                Team.name,
                Team.slug,
                Membership.roles,
                Group.id.label("group_id"),
                Group.roles.label("group_roles"),
            )
            .join(Team, Team.id == ApiKey.team_id)
            .join(
                Membership,
                (Membership.team_id == ApiKey.team_id) & (Membership.user_id == ApiKey.user_id),
            )
            .outerjoin(
                GroupMember,
                (GroupMember.team_id == ApiKey.team_id) & (GroupMember.user_id == ApiKey.user_id),
            )
            .outerjoin(Group, Group.id == GroupMember.group_id)
            .where(
                ApiKey.key_hash == key_hash,
                ApiKey.revoked_at.is_(None),
                Membership.status == MembershipStatus.ACTIVE.value,
            )
        )
    ).all()
    if not rows:
        return None
    first = rows[0]
    if first.expires_at is not None and first.expires_at <= now:
        return None
    await _record_use(session, first.id, first.last_used_at, now)
    groups = [(r.group_id, r.group_roles) for r in rows if r.group_id is not None]
    viewer = viewer_of(
        first.team_id,
        first.user_id,
        Plan(first.plan),
        first.roles,
        first.id,
        groups,
        team_name=first.name,
        team_slug=first.slug,
    )
    return KeyLookup(viewer, first.expires_at)


async def _record_use(
    session: AsyncSession, key_id: int, last_used_at: datetime | None, now: datetime
) -> None:
    """Keep the key's lastUsedAt to the minute."""
    # At most one write a minute per key: a busy key must not turn every read
    # into a write (on SQLite a write waits for any running ingest).
    if last_used_at is None or last_used_at < now - LAST_USED_PRECISION:
        await session.execute(
            update(ApiKey).where(ApiKey.id == key_id).values(last_used_at=now),
            # No viewer is made of lastUsedAt: cached ones stay good.
            execution_options={ACCESS_NEUTRAL: True},
        )


async def viewer_for_member(session: AsyncSession, team_id: str, user_id: str) -> Viewer | None:
    """The viewer a background job acts as: the member's rights now, or None if not active.

    It carries no API key (`api_key_id` 0).
    """
    row = (
        await session.execute(
            select(Team.plan, Membership.roles)
            .join(Membership, Membership.team_id == Team.id)
            .where(
                Team.id == team_id,
                Membership.user_id == user_id,
                Membership.status == MembershipStatus.ACTIVE.value,
            )
        )
    ).first()
    if row is None:
        return None
    return await _viewer(session, team_id, user_id, Plan(row.plan), row.roles, 0)


async def _viewer(
    session: AsyncSession,
    team_id: str,
    user_id: str,
    plan: Plan,
    member_roles: list[str],
    key_id: int,
) -> Viewer:
    """A member's roles and groups, direct and through groups."""
    groups = (
        await session.execute(
            select(Group.id, Group.roles)
            .join(GroupMember, GroupMember.group_id == Group.id)
            .where(GroupMember.team_id == team_id, GroupMember.user_id == user_id)
        )
    ).all()
    pairs = [(g.id, g.roles) for g in groups]
    return viewer_of(team_id, user_id, plan, member_roles, key_id, pairs)


def viewer_of(
    team_id: str,
    user_id: str,
    plan: Plan,
    member_roles: list[str],
    key_id: int,
    groups: list[tuple[str, list[str]]],
    team_name: str = "",
    team_slug: str = "",
) -> Viewer:
    """The viewer of a member with these roles and (group id, group roles)."""
    roles = {TeamRole(r) for r in member_roles}
    for _, group_roles in groups:
        roles.update(TeamRole(r) for r in group_roles)
    return Viewer(
        user_id=user_id,
        team_id=team_id,
        plan=plan,
        roles=frozenset(roles),
        group_ids=tuple(sorted(g for g, _ in groups)),
        api_key_id=key_id,
        team_name=team_name,
        team_slug=team_slug,
    )
