"""Rate limits per API key (docs/concepts.md#rate-limits) with Postman's headers, failed
authentication per client address, and counts shared by processes through Redis."""

from __future__ import annotations

import asyncio
import json
import logging
import os
from dataclasses import replace

import httpx
import pytest
import websockets
from limits.errors import ConfigurationError

from graphql_api.app import create_app
from graphql_api.auth.rate_storage import open_storage
from tests import factories as f
from tests.conftest import serving_api
from tests.live.conftest import PROTOCOL, serving
from tests.ports import free_port

QUERY = {"query": "{ viewer { username } }"}


async def test_responses_carry_the_rate_limit_headers(api, world):
    response = await api.http.post("/graphql", json=QUERY, headers={"X-Api-Key": world.dev_key})
    assert response.headers["RateLimit-Limit"] == "300"
    assert response.headers["RateLimit-Remaining"] == "299"
    assert 0 <= int(response.headers["RateLimit-Reset"]) <= 60


async def test_over_the_limit_is_429_rate_limited_with_retry_after_and_per_key(settings, world):
    async with serving_api(replace(settings, rate_limit_per_minute=3)) as api:
        client = api.http
        responses = [
            await client.post("/graphql", json=QUERY, headers={"X-Api-Key": world.dev_key})
            for _ in range(4)
        ]
        other_key = await client.post(
            "/graphql", json=QUERY, headers={"X-Api-Key": world.admin_key}
        )
    assert [r.status_code for r in responses] == [200, 200, 200, 429]
    refused = responses[-1]
    assert refused.json()["errors"][0]["extensions"]["code"] == "RATE_LIMITED"
    assert refused.headers["RateLimit-Remaining"] == "0"
    assert int(refused.headers["Retry-After"]) > 0
    assert other_key.status_code == 200


# Failed authentication, counted per client address.

BAD_KEY = {"X-Api-Key": "gqa_not_a_key"}


def _from_address(api, host: str) -> httpx.AsyncClient:
    """A client of the same app that connects from `host`."""
    transport = httpx.ASGITransport(app=api.app, client=(host, 50000))
    return httpx.AsyncClient(transport=transport, base_url="http://testserver")


async def _fail(client: httpx.AsyncClient, times: int) -> list[int]:
    return [
        (await client.post("/graphql", json=QUERY, headers=BAD_KEY)).status_code
        for _ in range(times)
    ]


async def test_failed_authentication_over_the_address_limit_is_429_with_retry_after(
    settings, world
):
    async with serving_api(replace(settings, auth_failure_limit_per_minute=2)) as api:
        statuses = await _fail(api.http, 2)
        refused = await api.http.post("/graphql", json=QUERY, headers=BAD_KEY)
    assert statuses == [401, 401]
    assert refused.status_code == 429
    assert refused.json()["errors"][0]["extensions"]["code"] == "RATE_LIMITED"
    assert int(refused.headers["Retry-After"]) > 0


async def test_an_address_over_its_failure_limit_is_refused_even_with_a_valid_key(settings, world):
    async with serving_api(replace(settings, auth_failure_limit_per_minute=2)) as api:
        await _fail(api.http, 2)
        response = await api.http.post("/graphql", json=QUERY, headers={"X-Api-Key": world.dev_key})
    assert response.status_code == 429
    assert response.json()["errors"][0]["extensions"]["code"] == "RATE_LIMITED"


async def test_successful_requests_do_not_count_against_the_address(settings, world):
    async with serving_api(replace(settings, auth_failure_limit_per_minute=2)) as api:
        successes = [
            (
                await api.http.post("/graphql", json=QUERY, headers={"X-Api-Key": world.dev_key})
            ).status_code
            for _ in range(5)
        ]
        failures = await _fail(api.http, 3)
    assert successes == [200] * 5
    assert failures == [401, 401, 429]


async def test_the_failure_limit_is_per_client_address(settings, world):
    async with (
        serving_api(replace(settings, auth_failure_limit_per_minute=1)) as api,
        _from_address(api, "192.0.2.1") as guesser,
        _from_address(api, "192.0.2.2") as neighbour,
    ):
        guesses = await _fail(guesser, 2)
        neighbours_failure = await _fail(neighbour, 1)
    assert guesses == [401, 429]
    assert neighbours_failure == [401]


async def test_audit_logs_refuse_an_address_over_its_failure_limit(settings, world):
    async with serving_api(replace(settings, auth_failure_limit_per_minute=1)) as api:
        first = await api.http.get("/audit/logs", headers=BAD_KEY)
        refused = await api.http.get("/audit/logs", headers={"X-Api-Key": world.admin_key})
    assert first.status_code == 401
    assert refused.status_code == 429
    assert refused.json()["error"]["code"] == "RATE_LIMITED"
    assert int(refused.headers["Retry-After"]) > 0


async def test_ingest_refuses_an_address_over_its_failure_limit(settings, db):
    token = await f.service_token(db)
    async with serving_api(replace(settings, auth_failure_limit_per_minute=1)) as api:
        first = await api.http.post("/ingest", content=b"", headers={"Authorization": "Bearer no"})
        refused = await api.http.post(
            "/ingest", content=b"", headers={"Authorization": f"Bearer {token}"}
        )
    assert first.status_code == 401
    assert refused.status_code == 429
    assert refused.json()["errors"][0]["extensions"]["code"] == "RATE_LIMITED"
    assert int(refused.headers["Retry-After"]) > 0


async def test_websocket_failures_count_and_then_even_a_valid_key_is_rejected(settings, world):
    limited = replace(settings, auth_failure_limit_per_minute=1, refresh_interval=0)
    async with serving(limited) as url:
        rejected = await _connection_init(url, {"X-Api-Key": "gqa_not_a_key"})
        refused = await _connection_init(url, {"X-Api-Key": world.admin_key})
    assert rejected == 4403
    assert refused == 4403


async def _connection_init(url: str, payload: dict[str, str]) -> int | None:
    """The close code the server answers `connection_init` with (None: acknowledged)."""
    async with websockets.connect(url, subprotocols=[PROTOCOL]) as ws:
        await ws.send(json.dumps({"type": "connection_init", "payload": payload}))
        try:
            message = json.loads(await asyncio.wait_for(ws.recv(), 5))
        except websockets.ConnectionClosed as closed:
            return closed.rcvd.code if closed.rcvd else None
    assert message["type"] == "connection_ack", message
    return None


async def test_the_address_limit_lets_a_valid_websocket_through_below_it(settings, world):
    limited = replace(settings, auth_failure_limit_per_minute=2, refresh_interval=0)
    async with serving(limited) as url:
        rejected = await _connection_init(url, {"X-Api-Key": "gqa_not_a_key"})
        accepted = await _connection_init(url, {"X-Api-Key": world.admin_key})
    assert rejected == 4403
    assert accepted is None


# Counts shared by processes through Redis.

REDIS_ENV = "GRAPHQL_API_TEST_REDIS_URL"


@pytest.fixture
async def redis_url() -> str:
    """The test Redis (GRAPHQL_API_TEST_REDIS_URL), without this app's counts."""
    url = os.environ.get(REDIS_ENV)
    if not url:
        pytest.skip(f"shared rate-limit tests need {REDIS_ENV}, e.g. redis://127.0.0.1:6379/15")
    await open_storage(url).reset()
    return url


async def test_two_instances_sharing_redis_allow_only_the_limit_between_them(
    settings, world, redis_url
):
    shared = replace(settings, rate_limit_per_minute=3, rate_limit_storage=redis_url)
    async with serving_api(shared) as one, serving_api(shared) as two:
        headers = {"X-Api-Key": world.dev_key}
        statuses = [
            (await api.http.post("/graphql", json=QUERY, headers=headers)).status_code
            for api in (one, two, one, two)
        ]
    assert statuses == [200, 200, 200, 429]


async def test_failed_authentication_counts_are_shared_through_redis(settings, world, redis_url):
    shared = replace(settings, auth_failure_limit_per_minute=2, rate_limit_storage=redis_url)
    async with serving_api(shared) as one, serving_api(shared) as two:
        statuses = await _fail(one.http, 1) + await _fail(two.http, 1) + await _fail(one.http, 1)
    assert statuses == [401, 401, 429]


async def test_an_unreachable_storage_falls_back_to_counting_in_memory(settings, world, caplog):
    closed_port = f"redis://127.0.0.1:{free_port()}/0"
    unreachable = replace(settings, rate_limit_per_minute=2, rate_limit_storage=closed_port)
    with caplog.at_level(logging.WARNING, logger="graphql_api.rate_limit"):
        async with serving_api(unreachable) as api:
            headers = {"X-Api-Key": world.dev_key}
            statuses = [
                (await api.http.post("/graphql", json=QUERY, headers=headers)).status_code
                for _ in range(3)
            ]
    assert statuses == [200, 200, 429]
    assert "rate-limit storage unreachable" in caplog.text


def test_an_unknown_storage_scheme_is_refused_at_startup(settings):
    with pytest.raises(ConfigurationError):
        create_app(replace(settings, rate_limit_storage="nosuch://127.0.0.1"))
