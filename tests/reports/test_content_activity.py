"""Content activity (docs/concepts.md#reports), team-wide and for one API."""

from __future__ import annotations

import json

from graphql_api.db.base import utcnow
from graphql_api.refresh.service import refresh
from graphql_api.schema.relay import to_global_id
from tests import factories as f

TEAM = """{ team { reports { contentActivity(range: {preset: LAST_7_DAYS}) {
  totals { created updated commented } series { kind counts { created updated } }
  topElements(first: 10) { totalCount nodes { restricted name events element { id } } } } } } }"""
ONE_API = """query($api: ID!) { team { reports { contentActivity(api: $api) {
  totals { created updated } api { name } creator { name } requestCount avgResponseTimeMs
  avgResponseSizeBytes errorRate failedTestRuns responseCodes { statusClass count } } } } }"""


def _event(n: int, element: str, action: str) -> dict:
    return {
        "type": "content_event",
        "id": f"ce{n}",
        "team": "acme",
        "at": f.ago(hours=n + 1),
        "user": "ada",
        "element": element,
        "action": action,
    }


async def _world(db) -> None:
    await f.ingest(
        db,
        {**f.element(id="api-team", team="acme", workspace="ws-team"), "created_by": "dev"},
        _event(1, "api-team", "CREATED"),
        _event(2, "api-team", "UPDATED"),
        _event(3, "api-team", "UPDATED"),
        _event(4, "api-secret", "COMMENTED"),
        _event(5, "col-personal", "CREATED"),
        {
            **f.request(id="q1", team="acme", user="ada"),
            "api": "api-team",
            "status": 200,
            "response_time_ms": 100,
            "response_size_bytes": 1000,
        },
        {
            **f.request(id="q2", team="acme", user="ada"),
            "api": "api-team",
            "status": 500,
            "response_time_ms": 300,
            "response_size_bytes": 3000,
        },
    )
    await refresh(db, utcnow())


async def test_totals_and_series_count_every_element(api, world, db):
    await _world(db)
    for key in (world.admin_key, world.dev_key):
        body = await api.graphql(TEAM, key)
        report = body["data"]["team"]["reports"]["contentActivity"]
        assert report["totals"] == {"created": 2, "updated": 2, "commented": 1}
        apis = [p for p in report["series"] if p["kind"] == "API"]
        assert sum(p["counts"]["updated"] for p in apis) == 2


async def test_top_elements_rank_by_events_and_mask_restricted_ones(api, world, db):
    await _world(db)
    body = await api.graphql(TEAM, world.dev_key)
    top = body["data"]["team"]["reports"]["contentActivity"]["topElements"]
    assert top["totalCount"] == 3
    assert top["nodes"][0] == {
        "restricted": False,
        "name": "Api-Team",
        "events": 3,
        "element": {"id": to_global_id("Api", "api-team")},
    }
    assert [n["restricted"] for n in top["nodes"]] == [False, True, True]
    assert all(n["name"] is None and n["events"] is None for n in top["nodes"][1:])
    text = json.dumps(body)
    assert "api-secret" not in text and "col-personal" not in text


async def test_the_report_for_one_api_gives_its_usage_and_creator(api, world, db):
    await _world(db)
    body = await api.graphql(ONE_API, world.dev_key, {"api": to_global_id("Api", "api-team")})
    report = body["data"]["team"]["reports"]["contentActivity"]
    assert report["totals"] == {"created": 1, "updated": 2}
    assert report["api"] == {"name": "Api-Team"} and report["creator"] == {"name": "Dev"}
    assert report["requestCount"] == 2 and report["errorRate"] == 0.5
    assert report["avgResponseTimeMs"] == 200 and report["avgResponseSizeBytes"] == 2000
    assert report["responseCodes"] == [
        {"statusClass": 2, "count": 1},
        {"statusClass": 5, "count": 1},
    ]
    assert report["failedTestRuns"] == 0


async def test_the_report_for_an_inaccessible_api_is_forbidden(api, world, db):
    body = await api.graphql(ONE_API, world.dev_key, {"api": to_global_id("Api", "api-secret")})
    assert body["data"]["team"]["reports"]["contentActivity"] is None
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    body = await api.graphql(ONE_API, world.dev_key, {"api": to_global_id("Api", "api-globex")})
    assert body["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    body = await api.graphql(ONE_API, world.dev_key, {"api": "%"})
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
