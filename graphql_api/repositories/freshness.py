"""How fresh the reports are: when the summary tables were last brought up to date."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from graphql_api.db.models import RefreshState


async def last_refreshed_at(session: AsyncSession) -> datetime | None:
    """When the last completed refresh finished, or None if none has."""
    return await session.scalar(select(func.min(RefreshState.refreshed_at)))
