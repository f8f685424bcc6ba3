"""Prometheus metrics of one app (its own registry, so several apps in a process never clash)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.requests import Request
from starlette.responses import Response

from graphql_api.db.pool import MeasuredPool
from graphql_api.live.feed import AUDIT_FEED

COST_BUCKETS = (1, 5, 25, 100, 500, 2_500, 10_000, 25_000, 100_000)


class PoolCollector(Collector):
    """The engine's connection pool, read at scrape time."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine

    def collect(self) -> Iterator[Metric]:
        pool = self.engine.sync_engine.pool
        if not isinstance(pool, MeasuredPool):
            return
        yield GaugeMetricFamily(
            "graphql_api_db_pool_size",
            "Connections the pool keeps open for reuse.",
            value=pool.size(),
        )
        yield GaugeMetricFamily(
            "graphql_api_db_pool_checked_out",
            "Connections in use right now.",
            value=pool.checkedout(),
        )
        yield GaugeMetricFamily(
            "graphql_api_db_pool_idle",
            "Open connections waiting in the pool.",
            value=pool.checkedin(),
        )
        stats = pool.stats
        yield CounterMetricFamily(
            "graphql_api_db_connections_opened",
            "Database connections opened (after warm-up this should stand still).",
            value=stats.opened,
        )
        yield CounterMetricFamily(
            "graphql_api_db_connections_closed",
            "Database connections closed.",
            value=stats.closed,
        )
        yield CounterMetricFamily(
            "graphql_api_db_pool_waits",
            "Checkouts that found every connection in use and none left to open.",
            value=stats.waits,
        )
        yield CounterMetricFamily(
            "graphql_api_db_pool_wait_seconds",
            "Time spent in those waits.",
            value=stats.wait_seconds,
        )


class ReadCounters(Collector):
    """Counters kept elsewhere (caches, compiled plans), read at scrape time."""

    def __init__(self) -> None:
        self.counters: list[tuple[str, str, Callable[[], float]]] = []

    def collect(self) -> Iterator[Metric]:
        for name, description, read in self.counters:
            yield CounterMetricFamily(name, description, value=read())


class Metrics:
    """What `/metrics` exposes."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.registry = CollectorRegistry()
        self.registry.register(PoolCollector(engine))
        self._read = ReadCounters()
        self.registry.register(self._read)
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

    def count_from(self, name: str, description: str, read: Callable[[], float]) -> None:
        """Expose a counter another part keeps, read by `read` at each scrape."""
        self._read.counters.append((name, description, read))

    def render(self) -> bytes:
        """The text exposition format."""
        return generate_latest(self.registry)


async def metrics_endpoint(request: Request) -> Response:
    """`GET /metrics`: counts and timings only, nothing of any team's data."""
    metrics: Metrics = request.app.state.graphql_api.metrics
    return Response(metrics.render(), media_type=CONTENT_TYPE_LATEST)
