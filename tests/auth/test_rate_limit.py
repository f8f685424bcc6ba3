"""Rate limits per API key (CONTRACT section 9) with Postman's headers."""

from __future__ import annotations

from dataclasses import replace

from tests.conftest import serving_api

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
