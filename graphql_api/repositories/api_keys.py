"""API keys as the viewer sees them: their own keys, newest first."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from graphql_api.auth.gates import KEY_ADMIN_ROLES
from graphql_api.auth.viewer import Viewer
from graphql_api.db.models import ApiKey
from graphql_api.repositories.pagination import AnySelect, SortKey

API_KEY_SORT = SortKey("api_keys:created", (ApiKey.created_at, ApiKey.id), descending=True)
API_KEY_COLUMNS = (
    ApiKey.id,
    ApiKey.user_id,
    ApiKey.name,
    ApiKey.last_four,
    ApiKey.created_at,
    ApiKey.expires_at,
    ApiKey.revoked_at,
    ApiKey.last_used_at,
)


def own_keys_statement(viewer: Viewer, *, include_revoked: bool) -> AnySelect:
    """The viewer's keys in the viewer's team."""
    statement = select(*API_KEY_COLUMNS).where(
        ApiKey.team_id == viewer.team_id, ApiKey.user_id == viewer.user_id
    )
    if not include_revoked:
        statement = statement.where(ApiKey.revoked_at.is_(None))
    return statement


async def manageable_keys_by_ids(
    session: AsyncSession, viewer: Viewer, ids: Sequence[int]
) -> dict[int, Any]:
    """Keys the viewer may see and revoke: their own, or any of the team's for an admin."""
    statement = select(*API_KEY_COLUMNS).where(ApiKey.team_id == viewer.team_id, ApiKey.id.in_(ids))
    if not viewer.has_any_role(KEY_ADMIN_ROLES):
        statement = statement.where(ApiKey.user_id == viewer.user_id)
    return {row.id: row for row in await session.execute(statement)}
