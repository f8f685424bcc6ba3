"""The server's own audit events (API keys, exports), written like ingested ones."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from graphql_api.db.locks import take_event_order_lock
from graphql_api.db.models import AuditEvent, User
from graphql_api.domain.audit_actions import ACTIONS
from graphql_api.domain.origins import RequestOrigin
from graphql_api.live.notify import announce_audit_events


def _fitted(header: str | None, column: Any) -> str | None:
    """A header's value cut to its column's width, without NUL: the request is not to be
    refused for it (it is not an argument), and PostgreSQL refuses a longer one or a NUL."""
    if header is None:
        return None
    return header.replace("\x00", "")[: column.type.length]


async def record_audit_event(
    session: AsyncSession,
    *,
    team_id: str,
    actor_id: str,
    action: str,
    message: str,
    at: datetime,
    origin: RequestOrigin,
    data: dict[str, Any] | None = None,
) -> int:
    """Append one event by `actor_id` inside the caller's transaction; return its eventId."""
    actor = (
        await session.execute(
            select(User.name, User.username, User.email).where(User.id == actor_id)
        )
    ).one()
    await take_event_order_lock(session)
    event_id = await session.scalar(
        insert(AuditEvent)
        .values(
            ext_id=f"graphql-api:{uuid.uuid4()}",
            team_id=team_id,
            at=at,
            action=action,
            category=ACTIONS[action].category.value,
            actor_id=actor_id,
            actor_name=actor.name,
            actor_username=actor.username,
            actor_email=actor.email,
            ip=_fitted(origin.ip, AuditEvent.ip),
            user_agent=_fitted(origin.user_agent, AuditEvent.user_agent),
            message=message,
            data=data,
        )
        .returning(AuditEvent.event_id)
    )
    await announce_audit_events(session, [team_id])
    assert event_id is not None
    return event_id
