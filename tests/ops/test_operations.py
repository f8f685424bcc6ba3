"""Operations (docs/operations.md): /metrics, one JSON log line per request, CORS."""

from __future__ import annotations

import json
import logging
from dataclasses import replace

import pytest

from tests.conftest import serving_api


@pytest.mark.sends_once
async def test_metrics_count_requests_by_route_and_status(api, world):
    await api.graphql("{ viewer { name } }", world.admin_key)
    await api.http.get("/exports/not-a-token")
    text = (await api.http.get("/metrics")).text
    assert (
        'graphql_api_http_requests_total{method="POST",route="/graphql",status="200"} 1.0' in text
    )
    assert 'route="/exports/{token}",status="403"' in text
    assert "graphql_api_http_request_duration_seconds_bucket" in text
    assert "graphql_api_graphql_query_cost_count 1.0" in text
    assert "graphql_api_live_subscribers 0.0" in text


@pytest.mark.sends_once
async def test_each_request_logs_one_json_line_with_operation_duration_and_cost(api, world, caplog):
    caplog.set_level(logging.INFO, logger="graphql_api.requests")
    await api.graphql("query WhoAmI { viewer { name } }", world.admin_key)
    (record,) = [r for r in caplog.records if r.name == "graphql_api.requests"]
    line = json.loads(record.getMessage())
    assert line["operation"] == "WhoAmI"
    assert line["cost"] == 1
    assert line["status"] == 200 and line["route"] == "/graphql" and line["method"] == "POST"
    assert isinstance(line["durationMs"], float)


async def test_a_refused_request_is_logged_too(api, caplog):
    caplog.set_level(logging.INFO, logger="graphql_api.requests")
    await api.http.post("/graphql", json={"query": "{ viewer { name } }"})
    (record,) = [r for r in caplog.records if r.name == "graphql_api.requests"]
    assert json.loads(record.getMessage())["status"] == 401


async def test_no_cross_origin_access_by_default(api, world):
    response = await api.http.options(
        "/graphql",
        headers={"Origin": "https://app.example", "Access-Control-Request-Method": "POST"},
    )
    assert "access-control-allow-origin" not in response.headers


async def test_configured_origins_may_call_with_the_key_in_a_header(settings, world):
    async with serving_api(replace(settings, cors_origins=("https://app.example",))) as api:
        http = api.http
        allowed = await http.options(
            "/graphql",
            headers={
                "Origin": "https://app.example",
                "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "x-api-key, content-type",
            },
        )
        other = await http.options(
            "/graphql",
            headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"},
        )
        response = await http.post(
            "/graphql",
            json={"query": "{ viewer { name } }"},
            headers={"Origin": "https://app.example", "X-Api-Key": world.admin_key},
        )
    assert allowed.headers["access-control-allow-origin"] == "https://app.example"
    assert "x-api-key" in allowed.headers["access-control-allow-headers"].lower()
    assert "access-control-allow-credentials" not in allowed.headers
    assert "access-control-allow-origin" not in other.headers
    assert response.headers["access-control-allow-origin"] == "https://app.example"
    assert "ratelimit-remaining" in response.headers["access-control-expose-headers"].lower()
