"""The connection pool fits the server (issue 17): sized by settings, reused, measured."""

from __future__ import annotations

import asyncio
import re
from dataclasses import replace
from typing import Any

import httpx
import pytest

from graphql_api.config import ConfigError, Settings
from tests.conftest import Api, serving_api

REPORT = """{ team { name reports { lastUpdatedAt summary(range: {preset: LAST_7_DAYS}) {
  requestCount } } auditEvents(first: 5) { totalCount nodes { eventId actor { name } } } } }"""


def metric(text: str, name: str) -> float:
    found = re.search(rf"^{name} ([0-9.e+-]+)$", text, re.MULTILINE)
    assert found, f"{name} missing from /metrics"
    return float(found.group(1))


async def scrape(api: Api) -> str:
    return (await api.http.get("/metrics")).text


def test_pool_size_and_overflow_come_from_the_environment():
    settings = Settings.from_env(
        {"GRAPHQL_API_DB_POOL_SIZE": "7", "GRAPHQL_API_DB_MAX_OVERFLOW": "3"}
    )
    assert (settings.db_pool_size, settings.db_max_overflow) == (7, 3)


@pytest.mark.parametrize(
    "env", [{"GRAPHQL_API_DB_POOL_SIZE": "0"}, {"GRAPHQL_API_DB_MAX_OVERFLOW": "-1"}]
)
def test_a_pool_that_cannot_hold_a_connection_is_refused(env):
    with pytest.raises(ConfigError):
        Settings.from_env(env)


async def test_metrics_show_the_pool_size_and_connections_in_use(settings, db, world):
    async with serving_api(replace(settings, db_pool_size=7)) as api:
        await api.graphql("{ viewer { name } }", world.admin_key)
        text = await scrape(api)
    assert metric(text, "graphql_api_db_pool_size") == 7
    assert metric(text, "graphql_api_db_pool_checked_out") == 0
    assert metric(text, "graphql_api_db_connections_opened_total") >= 1
    assert metric(text, "graphql_api_db_pool_waits_total") == 0


async def test_a_steady_load_opens_no_new_connections_after_warm_up(api, world):
    async def burst() -> None:
        await asyncio.gather(*(api.graphql(REPORT, world.admin_key) for _ in range(8)))

    await burst()
    opened = metric(await scrape(api), "graphql_api_db_connections_opened_total")
    for _ in range(5):
        await burst()
    text = await scrape(api)
    assert metric(text, "graphql_api_db_connections_opened_total") == opened
    assert metric(text, "graphql_api_db_connections_closed_total") == 0


async def test_checkouts_that_wait_for_a_connection_are_counted(settings, db, world):
    async with serving_api(replace(settings, db_pool_size=1, db_max_overflow=0)) as api:
        bodies = await asyncio.gather(*(api.graphql(REPORT, world.admin_key) for _ in range(4)))
        text = await scrape(api)
    assert all("errors" not in body for body in bodies)
    assert metric(text, "graphql_api_db_pool_waits_total") > 0
    assert metric(text, "graphql_api_db_connections_opened_total") == 1


async def test_a_request_gives_its_connections_back_before_its_response_starts(api, world):
    pool = api.app.state.graphql_api.engine.sync_engine.pool
    in_use_at_start: list[int] = []

    async def watching(scope: Any, receive: Any, send: Any) -> None:
        async def send_watched(message: Any) -> None:
            if message["type"] == "http.response.start":
                in_use_at_start.append(pool.checkedout())
            await send(message)

        await api.app(scope, receive, send_watched)

    transport = httpx.ASGITransport(app=watching)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        response = await http.post(
            "/graphql", json={"query": REPORT}, headers={"X-Api-Key": world.admin_key}
        )
    assert response.status_code == 200 and "errors" not in response.json()
    assert in_use_at_start == [0]


async def test_the_connection_returned_last_is_the_next_one_given(api):
    """Last in, first out: a server that is not busy keeps to one warm connection."""
    engine = api.app.state.graphql_api.engine

    async def driver_of(connection: Any) -> Any:
        return (await connection.get_raw_connection()).driver_connection

    async with engine.connect() as first, engine.connect() as second:  # `second` goes back first
        returned_last = await driver_of(first)
        assert await driver_of(second) is not returned_last
    for _ in range(3):
        async with engine.connect() as again:
            assert await driver_of(again) is returned_last
