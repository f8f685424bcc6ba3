"""Inputs that filter and order the audit log."""

from __future__ import annotations

from datetime import datetime

import strawberry

from graphql_api.schema.arguments import MAX_SEARCH_LENGTH
from graphql_api.schema.audit.enums import (
    AuditAction,
    AuditCategory,
    AuditEventOrderField,
)
from graphql_api.schema.ordering import OrderDirection


@strawberry.input(description="Narrows the audit log; filters combine with AND.")
class AuditEventFilter:
    since: datetime | None = strawberry.field(
        default=None, description="Only events at or after this instant (with a UTC offset)."
    )
    until: datetime | None = strawberry.field(
        default=None, description="Only events at or before this instant (with a UTC offset)."
    )
    actions: list[AuditAction] | None = strawberry.field(
        default=None, description="Only these actions."
    )
    categories: list[AuditCategory] | None = strawberry.field(
        default=None, description="Only these categories."
    )
    actor_ids: list[strawberry.ID] | None = strawberry.field(
        default=None, description="Only events by these users (User ids)."
    )
    search: str | None = strawberry.field(
        default=None,
        description="Only events whose message contains this text (any case; at most "
        f"{MAX_SEARCH_LENGTH:,} characters).",
    )


@strawberry.input(description="How to order the audit log.")
class AuditEventOrder:
    field: AuditEventOrderField = strawberry.field(description="The key to order by.")
    direction: OrderDirection = strawberry.field(
        default=OrderDirection.DESC, description="The direction; newest first by default."
    )
