"""One JSON log line per request (docs/operations.md#request-logs), and the request metrics.

The GraphQL view adds the operation's name and cost to `scope["state"]
["log_fields"]`; everything else is known here.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Sequence
from typing import Any

from starlette.routing import BaseRoute, Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from graphql_api.ops.metrics import Metrics

log = logging.getLogger("graphql_api.requests")


def route_of(routes: Sequence[BaseRoute], scope: Scope) -> str:
    """The matched route's path template (`/exports/{token}`), so labels stay few."""
    for route in routes:
        match, _ = route.matches(scope)
        if match is Match.FULL:
            return str(getattr(route, "path", "unmatched"))
    return "unmatched"


class RequestLogMiddleware:
    """Times each HTTP request or WebSocket, then logs it and counts it."""

    def __init__(self, app: ASGIApp, metrics: Metrics, routes: Sequence[BaseRoute]) -> None:
        self.app = app
        self.metrics = metrics
        self.routes = routes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        fields: dict[str, Any] = {}
        scope.setdefault("state", {})["log_fields"] = fields
        status = 101 if scope["type"] == "websocket" else 500

        async def sending(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            elif message["type"] == "websocket.close":
                fields.setdefault("closeCode", message.get("code", 1000))
            await send(message)

        try:
            await self.app(scope, receive, sending)
        finally:
            seconds = time.perf_counter() - started
            route = route_of(self.routes, scope)
            method = scope.get("method", "WEBSOCKET")
            self.metrics.requests.labels(route, method, str(status)).inc()
            self.metrics.duration.labels(route).observe(seconds)
            if isinstance(fields.get("cost"), int):
                self.metrics.cost.observe(fields["cost"])
            log.info(
                json.dumps(
                    {
                        "method": method,
                        "path": scope["path"],
                        "route": route,
                        "status": status,
                        "durationMs": round(seconds * 1000, 2),
                        **fields,
                    },
                    default=str,
                )
            )
