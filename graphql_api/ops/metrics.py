"""Prometheus metrics of one app (its own registry, so several apps in a process never clash)."""

from __future__ import annotations

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from starlette.requests import Request
from starlette.responses import Response

from graphql_api.live.feed import AUDIT_FEED

COST_BUCKETS = (1, 5, 25, 100, 500, 2_500, 10_000, 25_000, 100_000)


class Metrics:
    """What `/metrics` exposes."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "graphql_api_http_requests",
            "HTTP requests (and WebSocket connections) by route, method and status.",
            ("route", "method", "status"),
            registry=self.registry,
        )
        self.duration = Histogram(
            "graphql_api_http_request_duration_seconds",
            "Time to answer, by route (a WebSocket: how long it stayed open).",
            ("route",),
            registry=self.registry,
        )
        self.cost = Histogram(
            "graphql_api_graphql_query_cost",
            "Cost of GraphQL operations (see extensions.cost).",
            buckets=COST_BUCKETS,
            registry=self.registry,
        )
        live = Gauge(
            "graphql_api_live_subscribers",
            "Audit-event subscriptions open in this process.",
            registry=self.registry,
        )
        live.set_function(AUDIT_FEED.subscriber_count)

    def render(self) -> bytes:
        """The text exposition format."""
        return generate_latest(self.registry)


async def metrics_endpoint(request: Request) -> Response:
    """`GET /metrics`: counts and timings only, nothing of any team's data."""
    metrics: Metrics = request.app.state.graphql_api.metrics
    return Response(metrics.render(), media_type=CONTENT_TYPE_LATEST)
