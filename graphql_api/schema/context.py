"""What every resolver can reach: the viewer, the database, loaders and settings."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from strawberry.types import Info as StrawberryInfo

from graphql_api.auth.viewer import Viewer
from graphql_api.config import Settings
from graphql_api.db.engine import SessionFactory
from graphql_api.domain.origins import RequestOrigin
from graphql_api.errors import ApiError
from graphql_api.repositories.cursors import CursorCodec
from graphql_api.repositories.dataloaders import DataLoaders


@dataclass
class Context:
    """Built once per GraphQL request by the app."""

    viewer: Viewer
    db: SessionFactory
    settings: Settings
    codec: CursorCodec
    loaders: DataLoaders
    # One clock reading per request, so retention and ranges agree across fields.
    now: datetime
    # Where the request came from, for the audit events it records.
    origin: RequestOrigin
    # The server's address as this request reached it (for links it hands out).
    base_url: str
    # Tell this process's export worker that a job is waiting.
    nudge_exports: Callable[[], None]
    # The process's bound on live subscriptions' concurrent reads.
    live_reads: asyncio.Semaphore
    # Fields for this request's log line (operation, cost); shared with the
    # request-log middleware.
    log_fields: dict[str, object] = field(default_factory=dict)
    # What a WebSocket client sent in connection_init (strawberry sets it).
    connection_params: dict[str, object] | None = None
    # Set when a live subscription's re-check finds the socket's key no longer
    # grants access; the WebSocket handler then closes the socket
    # (graphql_api.auth.live_access says with which code).
    access_lost: ApiError | None = None
    # Makes every session block of the request read one snapshot; set for HTTP
    # requests (schema/snapshots.py calls it for query operations).
    use_snapshot: Callable[[], None] | None = None


Info = StrawberryInfo[Context, None]
