"""The root Subscription (graphql-transport-ws on /graphql)."""

from __future__ import annotations

from collections.abc import AsyncGenerator

import strawberry

from graphql_api.schema.audit.inputs import AuditEventFilter
from graphql_api.schema.audit.subscriptions import audit_event_added
from graphql_api.schema.audit.types import AuditEvent
from graphql_api.schema.context import Info
from graphql_api.schema.permissions import AuditReader, StreamGates, Subscriber


@strawberry.type(
    description="Live updates over WebSocket (graphql-transport-ws). Authenticate with the "
    'X-Api-Key header on the upgrade request or `{"X-Api-Key": "..."}` in the '
    "connection_init payload."
)
class Subscription:
    @strawberry.subscription(
        description="Audit events of the viewer's team as they are ingested, oldest first, "
        "each once, filtered like `team.auditEvents`. Needs what the audit log needs "
        "(PROFESSIONAL or ENTERPRISE plan; SUPER_ADMIN or ADMIN). Access is re-checked "
        "while it runs (every few seconds, and before events are delivered): once the key "
        "is revoked or expires, its member is removed, or the role or plan no longer allows "
        "it, the subscription ends with an error coded UNAUTHENTICATED, FORBIDDEN or "
        "PLAN_REQUIRED, then the socket closes with code 4401 (UNAUTHENTICATED) or 4403.",
        extensions=[StreamGates([Subscriber(), AuditReader()])],
    )
    async def audit_event_added(
        self, info: Info, filter: AuditEventFilter | None = None
    ) -> AsyncGenerator[AuditEvent, None]:
        async for event in audit_event_added(info, filter):
            yield event
