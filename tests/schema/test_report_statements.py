"""Report statements per request do not grow with the range, the series or the page.

Counted as in test_statements_per_request.py: every statement and every BEGIN,
COMMIT and ROLLBACK of a connection not in autocommit.
"""

from __future__ import annotations

from typing import Any

import pytest

from graphql_api.db.base import utcnow
from graphql_api.refresh.service import refresh
from tests import factories as f
from tests.schema.test_statements_per_request import _counted, executor, listening

__all__ = ["executor", "listening"]  # fixtures shared with the audit page's counts

SUMMARY = """query($range: DateRangeInput) { team { reports { lastUpdatedAt
  summary(range: $range, granularity: DAY) { requestCount errorRate p95ResponseTimeMs uptime
    apiCount testRuns emptyReason series { date requestCount p95ResponseTimeMs uptime } } } } }"""
TEAM_APIS = """query($n: Int) { team { reports { teamApis(first: $n,
  orderBy: {field: P95_RESPONSE_TIME}) { totalCount nodes { name requestCount errorRate
  p95ResponseTimeMs uptime } pageInfo { endCursor hasNextPage } } } } }"""


@pytest.fixture
async def requests(world: Any, db: Any) -> None:
    records = []
    for n in range(40):
        record = f.request(id=f"q{n}", team="acme", user="ada")
        record.update(at=f.ago(hours=n * 50 + 1), api="api-team", response_time_ms=20 + n)
        records.append(record)
    await f.ingest(db, *records)
    await refresh(db, utcnow())


@pytest.mark.compiled
@pytest.mark.sends_once
@pytest.mark.parametrize("days", [7, 30, 90])
async def test_a_compiled_summary_costs_one_statement_over_any_range(api, world, requests, days):
    variables = {"range": {"preset": f"LAST_{days}_DAYS"}}
    await api.graphql(SUMMARY, world.admin_key, variables)  # strawberry's answer compiles it
    assert await _counted(api, world.admin_key, SUMMARY, variables) == 1


@pytest.mark.parametrize("days", [7, 30, 90])
async def test_an_executed_summary_reads_one_snapshot_over_any_range(
    executor, world, requests, days
):
    # BEGIN, lastUpdatedAt, the Summary's one statement, ROLLBACK.
    variables = {"range": {"preset": f"LAST_{days}_DAYS"}}
    assert await _counted(executor, world.admin_key, SUMMARY, variables) == 4


@pytest.mark.compiled
@pytest.mark.sends_once
@pytest.mark.parametrize("size", [1, 3, 6])
async def test_a_compiled_team_apis_page_and_its_count_cost_one_statement(
    api, world, requests, size
):
    await api.graphql(TEAM_APIS, world.admin_key, {"n": size})
    assert await _counted(api, world.admin_key, TEAM_APIS, {"n": size}) == 1


@pytest.mark.compiled
@pytest.mark.sends_once
async def test_a_compiled_team_apis_page_with_its_restricted_count_reads_one_snapshot(
    api, world, requests
):
    query = TEAM_APIS.replace("totalCount", "totalCount restrictedCount")
    await api.graphql(query, world.admin_key, {"n": 3})
    # BEGIN, the page (with its total), the restricted count, ROLLBACK.
    assert await _counted(api, world.admin_key, query, {"n": 3}) == 4


@pytest.mark.compiled
@pytest.mark.sends_once
async def test_a_compiled_dashboard_screen_reads_one_snapshot(api, world, requests):
    query = SUMMARY.removesuffix("} } }") + (
        "teamApis(first: 5) { totalCount nodes { name requestCount } } } } }"
    )
    variables = {"range": {"preset": "LAST_30_DAYS"}}
    await api.graphql(query, world.admin_key, variables)
    # BEGIN, the Summary (with the refresh time), the Team APIs page (with its total),
    # ROLLBACK.
    assert await _counted(api, world.admin_key, query, variables) == 4
