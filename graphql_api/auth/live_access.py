"""Re-checking an open subscription's access: its key, its member, its role and plan.

HTTP resolves the viewer on every request, so a revoked key or a removed
member stops there at once. A WebSocket resolves it once, at connect, and a
subscription can run for days; without a re-check it would go on delivering
what its key no longer grants. `LiveAccess` re-reads the key, the member and
the team in one small query and applies the subscription's own gate (the one
its field applies at subscribe time) to the answer.

What a subscription learns when access is lost, and how its socket closes:

- the key was revoked, expired or is gone: UNAUTHENTICATED, close code 4401;
- the member was removed or lost the role: FORBIDDEN, close code 4403;
- the team's plan no longer includes the feature: PLAN_REQUIRED, close code 4403.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from graphql_api.auth.credentials import viewer_of
from graphql_api.auth.viewer import Viewer
from graphql_api.db.base import utcnow
from graphql_api.db.models import ApiKey, Group, GroupMember, Membership, Team
from graphql_api.domain.enums import MembershipStatus, Plan
from graphql_api.errors import ApiError, ErrorCode, Forbidden, Unauthenticated

# WebSocket close codes for a socket whose key lost access (graphql-transport-ws
# uses 44xx for its own HTTP-like closes: 4401 Unauthorized, 4403 Forbidden).
CLOSE_UNAUTHENTICATED = 4401
CLOSE_FORBIDDEN = 4403

ENDED = "This subscription ended:"


class KeyGone(Exception):
    """The key no longer authenticates: revoked, expired or unknown."""


async def viewer_now(session: AsyncSession, viewer: Viewer) -> Viewer | None:
    """`viewer` as its key stands in the database now, in one query.

    Raises KeyGone when the key was revoked, has expired or no longer exists;
    returns None when the key still works but its user is no longer an active
    member of the team; otherwise the viewer with its current plan, roles
    (direct and through groups) and groups.
    """
    rows = (
        await session.execute(
            select(
                ApiKey.expires_at,
                ApiKey.revoked_at,
                Team.plan,
                Membership.status,
                Membership.roles,
                Group.id,
                Group.roles,
            )
            .join(Team, Team.id == ApiKey.team_id)
            .outerjoin(
                Membership,
                (Membership.team_id == ApiKey.team_id) & (Membership.user_id == ApiKey.user_id),
            )
            # One row per group the member is in (one row with nulls for none).
            .outerjoin(
                GroupMember,
                (GroupMember.team_id == ApiKey.team_id) & (GroupMember.user_id == ApiKey.user_id),
            )
            .outerjoin(Group, Group.id == GroupMember.group_id)
            .where(
                ApiKey.id == viewer.api_key_id,
                # The key's id came from this viewer; checking its owner too keeps
                # a reused id (a deleted row on SQLite) from passing for it.
                ApiKey.team_id == viewer.team_id,
                ApiKey.user_id == viewer.user_id,
            )
        )
    ).all()
    if not rows:
        raise KeyGone
    expires_at, revoked_at, plan, status, member_roles, _, _ = rows[0]
    if revoked_at is not None or (expires_at is not None and expires_at <= utcnow()):
        raise KeyGone
    if status != MembershipStatus.ACTIVE.value:
        return None
    groups = [(group_id, group_roles) for *_, group_id, group_roles in rows if group_id is not None]
    return viewer_of(
        viewer.team_id,
        viewer.user_id,
        Plan(plan),
        member_roles,
        viewer.api_key_id,
        groups,
        team_name=viewer.team_name,
        team_slug=viewer.team_slug,
    )


def close_code(error: ApiError) -> int:
    """The WebSocket close code for a socket whose key lost access with `error`."""
    return CLOSE_UNAUTHENTICATED if error.code is ErrorCode.UNAUTHENTICATED else CLOSE_FORBIDDEN


class LiveAccess:
    """One subscription's access, re-checked against the database while it runs.

    `require` is the gate the subscription's field applies (it raises an
    ApiError when the viewer may not have what it asks for). `verify` runs it
    on a freshly read viewer; the subscription calls it before it delivers
    what a wake-up brought and whenever `check_in` reaches zero.
    """

    def __init__(self, viewer: Viewer, require: Callable[[Viewer], None], interval: float) -> None:
        self.viewer = viewer
        self.interval = interval
        self.lost: ApiError | None = None
        self._require = require
        self._next_check = time.monotonic()

    def check_in(self) -> float:
        """Seconds until the next periodic re-check is due (0 if it is)."""
        return max(0.0, self._next_check - time.monotonic())

    async def verify(self, session: AsyncSession) -> None:
        """Re-read the viewer in `session`; raise (and keep in `lost`) the error that ends
        the subscription if its key, member, role or plan no longer grants access."""
        try:
            try:
                current = await viewer_now(session, self.viewer)
            except KeyGone:
                raise Unauthenticated(
                    f"{ENDED} its API key was revoked or has expired. Reconnect with a valid key."
                ) from None
            if current is None:
                raise Forbidden(f"{ENDED} the key's user is no longer a member of the team.")
            try:
                self._require(current)
            except ApiError as error:
                # Same class, so the same code and extensions (requiredPlans...).
                raise type(error)(f"{ENDED} {error.message}", **error.extensions) from None
        except ApiError as error:
            self.lost = error
            raise
        self.viewer = current
        self._next_check = time.monotonic() + self.interval
