"""`auditEventAdded`: the audit log, live, with the same rules as `team.auditEvents`."""

from __future__ import annotations

from collections.abc import AsyncGenerator

from graphql_api.auth.gates import require_audit_reader
from graphql_api.auth.live_access import LiveAccess
from graphql_api.repositories.dataloaders import DataLoaders
from graphql_api.repositories.live_audit import follow_audit_events
from graphql_api.schema.audit.connections import audit_query
from graphql_api.schema.audit.inputs import AuditEventFilter
from graphql_api.schema.audit.types import AuditEvent
from graphql_api.schema.context import Info


async def audit_event_added(
    info: Info, filter: AuditEventFilter | None = None
) -> AsyncGenerator[AuditEvent, None]:
    """Each audit event of the viewer's team ingested after subscribing that matches `filter`.

    The field declares the gates checked before the first event (`permissions.Subscriber`,
    `permissions.AuditReader`). Access is re-checked while it runs (see
    graphql_api.auth.live_access): once the key no longer grants the audit log, it
    ends with the error saying why and marks the context, so the WebSocket handler
    closes the socket.
    """
    ctx = info.context
    query = audit_query(filter)
    access = LiveAccess(ctx.viewer, require_audit_reader, ctx.settings.live_access_check_interval)
    try:
        async for row in follow_audit_events(
            ctx.db, access, query, ctx.settings.live_poll_interval, ctx.live_reads
        ):
            # The socket's context outlives every event: fresh loaders per event,
            # so nothing they load piles up or goes stale while the socket is open.
            ctx.loaders = DataLoaders(ctx.db, access.viewer)
            yield AuditEvent.from_row(row)
    finally:
        if access.lost is not None:
            ctx.access_lost = access.lost
