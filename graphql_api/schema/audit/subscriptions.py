"""`auditEventAdded`: the audit log, live, with the same rules as `team.auditEvents`."""

from __future__ import annotations

from collections.abc import AsyncGenerator

from graphql_api.auth.gates import require_audit_reader
from graphql_api.auth.viewer import ANONYMOUS
from graphql_api.errors import Unauthenticated
from graphql_api.resolvers.dataloaders import DataLoaders
from graphql_api.resolvers.live_audit import follow_audit_events
from graphql_api.schema.audit.connections import audit_query
from graphql_api.schema.audit.filters import AuditEventFilter
from graphql_api.schema.audit.types import AuditEvent
from graphql_api.schema.context import Info


async def audit_event_added(
    info: Info, filter: AuditEventFilter | None = None
) -> AsyncGenerator[AuditEvent, None]:
    """Each audit event of the viewer's team ingested after subscribing that matches `filter`."""
    ctx = info.context
    if ctx.viewer is ANONYMOUS:
        raise Unauthenticated("Send an API key before subscribing.")
    require_audit_reader(ctx.viewer)
    query = audit_query(filter)
    async for row in follow_audit_events(
        ctx.db, ctx.viewer, query, ctx.settings.live_poll_interval, ctx.live_reads
    ):
        # The socket's context outlives every event: fresh loaders per event,
        # so nothing they load piles up or goes stale while the socket is open.
        ctx.loaders = DataLoaders(ctx.db, ctx.viewer)
        yield AuditEvent.from_row(row)
