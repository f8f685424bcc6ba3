"""Audit events as GraphQL types."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import strawberry
from strawberry import relay
from strawberry.scalars import JSON

from graphql_api.domain.audit_actions import ACTIONS
from graphql_api.schema import arguments
from graphql_api.schema.audit.enums import AuditAction, AuditCategory
from graphql_api.schema.context import Info
from graphql_api.schema.directory.types import User, load_user
from graphql_api.schema.relay import to_global_id


def in_timezone(value: datetime, timezone: str | None) -> datetime:
    """Render an instant in an IANA zone; BAD_USER_INPUT for anything that is not one."""
    zone = arguments.time_zone("timezone", timezone)
    return value if zone is None else value.astimezone(ZoneInfo(zone))


@strawberry.type(description="Who performed an audited action, as they were at the time.")
class AuditActor:
    id: strawberry.ID = strawberry.field(description="The actor's User id.")
    name: str = strawberry.field(description="The actor's name when the event was recorded.")
    username: str = strawberry.field(description="The actor's username at the time.")
    email: str = strawberry.field(description="The actor's email at the time.")
    user_id: strawberry.Private[str]

    @strawberry.field(description="The actor's current user record.")
    async def user(self, info: Info) -> User | None:
        return await load_user(info, self.user_id)


@strawberry.type(description="One immutable entry of the team's audit log.")
class AuditEvent(relay.Node):
    id: relay.NodeID[str]
    event_id: int = strawberry.field(
        description="Numeric id in ingestion order; ties on timestamp are broken by it."
    )
    action: AuditAction = strawberry.field(description="What was done.")
    action_name: str = strawberry.field(description="The action's display name.")
    action_code: str = strawberry.field(
        description="The action's dotted code, as Postman's audit-log API names it."
    )
    category: AuditCategory = strawberry.field(description="What the event concerns.")
    actor: AuditActor = strawberry.field(description="Who did it, as they were at the time.")
    ip: str | None = strawberry.field(description="The actor's IP address.")
    user_agent: str | None = strawberry.field(description="The actor's user agent.")
    message: str = strawberry.field(description="A description of the event.")
    data: JSON | None = strawberry.field(description="The objects acted on.")
    at: strawberry.Private[datetime]

    @strawberry.field(
        description="When it happened, ISO 8601 with offset; UTC unless `timezone` "
        "(an IANA name) asks for another zone."
    )
    def timestamp(self, timezone: str | None = None) -> datetime:
        return in_timezone(self.at, timezone)

    @classmethod
    def from_row(cls, row: Any) -> AuditEvent:
        info = ACTIONS[row.action]
        return cls(
            id=str(row.event_id),
            event_id=row.event_id,
            action=AuditAction[row.action],
            action_name=info.display_name,
            action_code=info.code,
            category=AuditCategory(row.category),
            actor=AuditActor(
                id=strawberry.ID(to_global_id("User", row.actor_id)),
                name=row.actor_name,
                username=row.actor_username,
                email=row.actor_email,
                user_id=row.actor_id,
            ),
            ip=row.ip,
            user_agent=row.user_agent,
            message=row.message,
            data=row.data,
            at=row.at,
        )
