"""The Summary and Team APIs reports (docs/concepts.md#reports)."""

from __future__ import annotations

import json
from datetime import timedelta

from graphql_api.db.base import utcnow
from graphql_api.refresh.service import refresh
from graphql_api.schema.relay import to_global_id
from tests import factories as f
from tests.world import DEV_HIDDEN, DEV_READABLE

APIS = [*DEV_READABLE, "api-secret"]
SUMMARY = """query($range: DateRangeInput, $sources: [RequestSource!], $g: Granularity) {
  team { reports { summary(range: $range, sources: $sources, granularity: $g) {
    requestCount errorRate avgResponseTimeMs p95ResponseTimeMs uptime apiCount emptyReason
    testRuns failedTestRuns series { date requestCount } } } } }"""
TEAM_APIS = """query($first: Int, $after: String, $order: TeamApiOrder,
                   $sources: [RequestSource!]) {
  team { reports { teamApis(first: $first, after: $after, orderBy: $order, sources: $sources) {
    totalCount restrictedCount pageInfo { hasNextPage endCursor }
    nodes { restricted name requestCount errorRate avgResponseTimeMs p95ResponseTimeMs uptime
            failedTestRuns hasTests hasDocumentation hasMonitor api { id name } } } } } }"""


def _requests(
    api_id: str,
    count: int,
    *,
    source: str = "REQUEST_BUILDER",
    time_ms: int = 100,
    status: int = 200,
) -> list[dict]:
    return [
        {
            **f.request(
                id=f"{api_id}-{source}-{time_ms}-{status}-{n}",
                team="acme",
                user="ada",
                source=source,
            ),
            "api": api_id,
            "response_time_ms": time_ms,
            "status": status,
        }
        for n in range(count)
    ]


async def _reports_world(db, world) -> None:
    """Every API of acme gets a different number of requests: 1, 2, 3..."""
    records = []
    for n, api_id in enumerate(sorted(APIS), start=1):
        records += _requests(api_id, n)
    await f.ingest(db, *records, *_requests("api-team", 4, source="NEWMAN"))
    await refresh(db, utcnow())


async def _summary(api, key, **variables):
    body = await api.graphql(SUMMARY, key, variables)
    assert "errors" not in body, body
    return body["data"]["team"]["reports"]["summary"]


async def _team_apis(api, key, **variables):
    body = await api.graphql(TEAM_APIS, key, variables)
    assert "errors" not in body, body
    return body["data"]["team"]["reports"]["teamApis"]


async def test_summary_counts_request_builder_requests_by_default(api, world, db):
    await _reports_world(db, world)
    summary = await _summary(api, world.admin_key)
    assert summary["requestCount"] == sum(range(1, len(APIS) + 1))
    widened = await _summary(api, world.admin_key, sources=["REQUEST_BUILDER", "NEWMAN"])
    assert widened["requestCount"] == summary["requestCount"] + 4


async def test_totals_include_what_the_viewer_cannot_access(api, world, db):
    await _reports_world(db, world)
    assert await _summary(api, world.dev_key) == await _summary(api, world.admin_key)


async def test_average_error_rate_and_p95_come_from_the_summaries(api, world, db):
    await f.ingest(
        db,
        *_requests("api-team", 90, time_ms=80),
        *_requests("api-team", 10, time_ms=2500, status=503),
    )
    await refresh(db, utcnow())
    summary = await _summary(api, world.admin_key)
    assert summary["requestCount"] == 100
    assert summary["avgResponseTimeMs"] == (90 * 80 + 10 * 2500) / 100
    assert summary["errorRate"] == 0.1
    # The 95th request is in the 2000-3000 ms bucket.
    assert 2000 <= summary["p95ResponseTimeMs"] <= 3000


async def test_uptime_is_the_share_of_successful_monitor_runs(api, world, db):
    runs = [
        {
            "type": "monitor_run",
            "id": f"mr{n}",
            "team": "acme",
            "at": f.ago(hours=n + 1),
            "monitor": "mon",
            "success": n % 4 != 0,
            "response_time_ms": 50,
        }
        for n in range(8)
    ]
    await f.ingest(db, f.element(id="mon", team="acme", workspace="ws-team", kind="MONITOR"), *runs)
    await refresh(db, utcnow())
    assert (await _summary(api, world.admin_key))["uptime"] == 75.0


async def test_the_series_has_a_point_per_day_summing_to_the_total(api, world, db):
    await _reports_world(db, world)
    summary = await _summary(api, world.admin_key, range={"preset": "LAST_7_DAYS"}, g="DAY")
    assert len(summary["series"]) == 7
    assert sum(p["requestCount"] for p in summary["series"]) == summary["requestCount"]


async def test_an_empty_report_says_why(api, world, db):
    assert (await _summary(api, world.admin_key))["emptyReason"] == "NOT_REFRESHED_YET"
    await refresh(db, utcnow())
    assert (await _summary(api, world.admin_key))["emptyReason"] == "NO_REQUESTS"
    await f.ingest(db, *_requests("api-team", 2, source="NEWMAN"))
    await refresh(db, utcnow())
    assert (await _summary(api, world.admin_key))["emptyReason"] == "ONLY_OTHER_SOURCES"


async def test_bad_ranges_are_bad_user_input(api, world):
    for bad in (
        {"preset": "LAST_7_DAYS", "from": "2026-01-01"},
        {"from": "2026-02-01", "to": "2026-01-01"},
        {"from": "2020-01-01", "to": "2026-01-01"},
    ):
        body = await api.graphql(SUMMARY, world.admin_key, {"range": bad})
        assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT", bad


async def test_reports_need_the_enterprise_plan(api, world, db):
    await f.ingest(db, f.team(id="acme", plan="PROFESSIONAL"))
    body = await api.graphql(
        "{ team { reports { lastUpdatedAt summary { requestCount } teamApis { totalCount } } } }",
        world.admin_key,
    )
    reports = body["data"]["team"]["reports"]
    assert reports["summary"] is None and reports["teamApis"] is None
    assert {e["extensions"]["code"] for e in body["errors"]} == {"PLAN_REQUIRED"}


async def test_team_apis_lists_every_api_and_masks_the_restricted_ones(api, world, db):
    await _reports_world(db, world)
    report = await _team_apis(api, world.dev_key, first=100)
    assert report["totalCount"] == len(APIS)
    assert report["restrictedCount"] == 1
    restricted = [n for n in report["nodes"] if n["restricted"]]
    assert restricted == [
        {
            "restricted": True,
            "name": None,
            "requestCount": None,
            "errorRate": None,
            "avgResponseTimeMs": None,
            "p95ResponseTimeMs": None,
            "uptime": None,
            "failedTestRuns": None,
            "hasTests": None,
            "hasDocumentation": None,
            "hasMonitor": None,
            "api": None,
        }
    ]
    visible = {n["name"]: n["requestCount"] for n in report["nodes"] if not n["restricted"]}
    summary = await _summary(api, world.dev_key)
    hidden_requests = sorted(APIS).index("api-secret") + 1
    assert sum(visible.values()) + hidden_requests == summary["requestCount"]


async def test_nothing_restricted_leaks_through_any_field_or_sort_order(api, world, db):
    await _reports_world(db, world)
    for field in (
        "NAME",
        "REQUEST_COUNT",
        "ERROR_RATE",
        "AVG_RESPONSE_TIME",
        "P95_RESPONSE_TIME",
        "UPTIME",
        "FAILED_TEST_RUNS",
    ):
        for direction in ("ASC", "DESC"):
            order = {"field": field, "direction": direction}
            report = await _team_apis(api, world.dev_key, first=100, order=order)
            flags = [n["restricted"] for n in report["nodes"]]
            assert flags == sorted(flags), (field, direction)  # restricted rows come last
            text = json.dumps(report)
            for hidden in DEV_HIDDEN:
                assert hidden not in text and hidden.title() not in text
                assert to_global_id("Api", hidden) not in text


async def test_team_apis_sort_by_a_figure_in_either_direction(api, world, db):
    await _reports_world(db, world)
    key = world.dev_key
    down = await _team_apis(api, key, first=100, order={"field": "REQUEST_COUNT"})
    counts = [n["requestCount"] for n in down["nodes"] if not n["restricted"]]
    assert counts == sorted(counts, reverse=True)
    up = await _team_apis(api, key, first=100, order={"field": "REQUEST_COUNT", "direction": "ASC"})
    assert [n["requestCount"] for n in up["nodes"] if not n["restricted"]] == sorted(counts)


async def test_paging_team_apis_visits_every_row_once(api, world, db):
    await _reports_world(db, world)
    seen, after = [], None
    while True:
        page = await _team_apis(
            api,
            world.dev_key,
            first=2,
            after=after,
            order={"field": "P95_RESPONSE_TIME", "direction": "DESC"},
        )
        seen += [n["name"] for n in page["nodes"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert len(seen) == len(APIS)
    assert sorted(n for n in seen if n) == sorted(a.title() for a in DEV_READABLE)


async def test_a_team_apis_page_costs_the_same_statements_at_any_size(api, world, db, statements):
    await _reports_world(db, world)
    await api.use_key(world.dev_key)
    before = statements.count
    await _team_apis(api, world.dev_key, first=1)
    one = statements.count - before
    before = statements.count
    await _team_apis(api, world.dev_key, first=100)
    assert statements.count - before == one


async def test_team_apis_counts_every_day_of_any_range_exactly_once(api, world, db):
    """Whole weeks come from the weekly rollup and the edges from the daily one."""
    now = utcnow()
    today = now.date()
    records = [
        {
            **f.request(id=f"d{n}", team="acme", user="ada"),
            "api": "api-team",
            "at": (now - timedelta(days=n)).isoformat(),
        }
        for n in range(40)
    ]
    await f.ingest(db, *records)
    await refresh(db, utcnow())
    query = """query($range: DateRangeInput) { team { reports { teamApis(range: $range) {
      nodes { name requestCount } } } } }"""
    for back, length in ((0, 1), (0, 9), (3, 17), (5, 30), (0, 40)):
        last = today - timedelta(days=back)
        first = last - timedelta(days=length - 1)
        body = await api.graphql(
            query, world.admin_key, {"range": {"from": first.isoformat(), "to": last.isoformat()}}
        )
        rows = {
            n["name"]: n["requestCount"]
            for n in body["data"]["team"]["reports"]["teamApis"]["nodes"]
        }
        expected = sum(1 for n in range(40) if first <= (now - timedelta(days=n)).date() <= last)
        assert rows["Api-Team"] == expected, (first, last)


async def test_a_team_apis_row_says_why_it_is_empty(api, world, db):
    await f.ingest(
        db,
        f.element(id="col-linked", team="acme", workspace="ws-team", kind="COLLECTION"),
        {
            "type": "api_link",
            "id": "l1",
            "api": "api-public",
            "collection": "col-linked",
            "relation": "TEST",
        },
    )
    query = "{ team { reports { teamApis { nodes { restricted name emptyReason } } } } }"

    async def reasons() -> dict:
        body = await api.graphql(query, world.admin_key)
        rows = body["data"]["team"]["reports"]["teamApis"]["nodes"]
        # Restricted rows (the admin has some: roles do not bypass access) give no reason.
        assert all(n["emptyReason"] is None for n in rows if n["restricted"])
        return {n["name"]: n["emptyReason"] for n in rows if not n["restricted"]}

    assert await reasons() == {
        "Api-Team": "NO_LINKED_COLLECTION",
        "Api-Public": "NOT_REFRESHED_YET",
    }
    await refresh(db, utcnow())
    assert await reasons() == {"Api-Team": "NO_LINKED_COLLECTION", "Api-Public": "NO_REQUESTS"}


async def test_the_summary_counts_test_runs_and_the_tests_in_them(api, world, db):
    def run(n: int, passed: int, failed: int, source: str = "COLLECTION_RUN") -> dict:
        return {
            "type": "test_run",
            "id": f"tr{n}",
            "team": "acme",
            "at": f.ago(hours=n + 1),
            "source": source,
            "collection": "col-personal",
            "passed": passed,
            "failed": failed,
        }

    await f.ingest(db, run(1, 5, 0), run(2, 3, 2), run(3, 9, 9, source="NEWMAN"))
    await refresh(db, utcnow())
    query = """{ team { reports { summary(range: {preset: LAST_7_DAYS}) {
      testRuns failedTestRuns testsPassed testsFailed } } } }"""
    body = await api.graphql(query, world.admin_key)
    assert body["data"]["team"]["reports"]["summary"] == {
        "testRuns": 2,
        "failedTestRuns": 1,
        "testsPassed": 8,
        "testsFailed": 2,
    }
