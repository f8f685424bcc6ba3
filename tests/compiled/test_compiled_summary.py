"""A compiled Summary answers exactly what strawberry's executor answers.

As for audit pages (test_compiled_equals_executor.py): two servers on one database,
one compiling and one not; the second sending of a document is answered from its
plan, and both answers must be equal.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace
from typing import Any

import pytest
from sqlalchemy import text

from graphql_api.compiled.checks import Checked
from graphql_api.db.base import utcnow
from graphql_api.refresh.service import refresh
from tests import factories as f
from tests.compiled.pairs import answers, compiling_and_executing

# The compiled path against the executor: compiled operations on in every run.
pytestmark = pytest.mark.compiled

FIGURES = "requestCount errorRate avgResponseTimeMs p95ResponseTimeMs uptime"
EVERYTHING = f"""range {{ from to }} {FIGURES} avgResponseSizeBytes apiCount apisWithTests
  apisWithDocumentation apisWithMonitor apisWithMock testRuns failedTestRuns testsPassed
  testsFailed emptyReason series {{ date {FIGURES} }}"""

OPERATIONS: list[tuple[str, dict[str, Any]]] = [
    (f"{{ team {{ reports {{ summary {{ {EVERYTHING} }} }} }} }}", {}),
    (
        "query($range: DateRangeInput, $g: Granularity, $sources: [RequestSource!]) {"
        " team { reports { lastUpdatedAt"
        f" summary(range: $range, granularity: $g, sources: $sources) {{ {EVERYTHING} }} }} }} }}",
        {"range": {"preset": "LAST_90_DAYS"}, "g": "WEEK"},
    ),
    (
        "query($range: DateRangeInput, $g: Granularity, $sources: [RequestSource!]) {"
        " team { reports { lastUpdatedAt"
        f" summary(range: $range, granularity: $g, sources: $sources) {{ {EVERYTHING} }} }} }} }}",
        {"range": {"preset": "LAST_90_DAYS"}, "g": "MONTH", "sources": ["NEWMAN"]},
    ),
    (
        "query S($from: Date!, $to: Date!) { __typename team { __typename reports {"
        " __typename s: summary(range: {from: $from, to: $to}, granularity: DAY,"
        " sources: [REQUEST_BUILDER, NEWMAN]) { __typename n: requestCount"
        " points: series { __typename day: date n: requestCount uptime } } } } }",
        {"from": "2020-01-01", "to": "2020-01-31"},
    ),
    (
        "{ team { reports { summary(sources: [MONITOR]) { requestCount emptyReason"
        " testRuns series { date requestCount } } } } }",
        {},
    ),
    # Refused by the resolver: the executor words the error.
    (
        '{ team { reports { summary(range: {from: "2020-02-01", to: "2020-01-01"}) {'
        " requestCount } } } }",
        {},
    ),
    ("{ team { reports { summary(sources: []) { requestCount } } } }", {}),
]


@pytest.fixture
async def facts(world: Any, db: Any) -> None:
    requests = []
    for n in range(60):
        record = f.request(
            id=f"q{n}",
            team="acme",
            user="ada",
            source="NEWMAN" if n % 5 == 0 else "REQUEST_BUILDER",
        )
        record.update(
            at=f.ago(hours=n * 17 + 1),
            api=["api-team", "api-secret", "api-public"][n % 3],
            status=500 if n % 7 == 0 else 200,
            response_time_ms=40 + n * 37,
            response_size_bytes=100 + n,
        )
        requests.append(record)
    monitor_runs = [
        {
            "type": "monitor_run",
            "id": f"mr{n}",
            "team": "acme",
            "at": f.ago(hours=n * 11 + 1),
            "monitor": "mon",
            "success": n % 4 != 0,
            "response_time_ms": 50,
        }
        for n in range(30)
    ]
    test_runs = [
        {
            "type": "test_run",
            "id": f"tr{n}",
            "team": "acme",
            "at": f.ago(hours=n * 30 + 1),
            "source": "NEWMAN" if n % 3 == 0 else "COLLECTION_RUN",
            "collection": "col-personal",
            "passed": n,
            "failed": n % 2,
        }
        for n in range(10)
    ]
    link = {
        "type": "api_link",
        "id": "l1",
        "api": "api-public",
        "collection": "col-personal",
        "relation": "TEST",
    }
    await f.ingest(
        db,
        f.element(id="mon", team="acme", workspace="ws-team", kind="MONITOR"),
        link,
        *requests,
        *monitor_runs,
        *test_runs,
    )
    await refresh(db, utcnow())


@pytest.fixture
async def servers(settings: Any, facts: Any) -> AsyncIterator[tuple[Any, Any]]:
    async with compiling_and_executing(settings) as pair:
        yield pair


@pytest.mark.parametrize("index", range(len(OPERATIONS)))
async def test_a_compiled_summary_answers_as_the_executor(servers, world, index):
    query, variables = OPERATIONS[index]
    compiled, executed, _ = await answers(servers, world.admin_key, query, variables)
    assert compiled == executed


@pytest.mark.parametrize("index", [0, 1, 2, 3, 4])
async def test_a_clean_summary_is_answered_from_its_plan(servers, world, index):
    query, variables = OPERATIONS[index]
    compiled, _, used = await answers(servers, world.admin_key, query, variables)
    assert used
    assert "errors" not in compiled


async def test_the_figures_are_the_facts_not_zeros(servers, world):
    query, variables = OPERATIONS[0]
    compiled, _, _ = await answers(servers, world.admin_key, query, variables)
    summary = compiled["data"]["team"]["reports"]["summary"]
    assert summary["requestCount"] > 0 and summary["testRuns"] > 0
    assert summary["apisWithTests"] == 1 and 0 < summary["uptime"] < 100
    assert sum(p["requestCount"] for p in summary["series"]) == summary["requestCount"]


@pytest.mark.parametrize("who", ["dev_key", "other_admin_key"])
async def test_other_viewers_get_what_the_executor_gives_them(servers, world, who):
    query, variables = OPERATIONS[1]
    await answers(servers, world.admin_key, query, variables)  # compiled by the admin
    compiled, executed, used = await answers(servers, getattr(world, who), query, variables)
    assert used
    assert compiled == executed


async def test_a_team_without_reports_gets_plan_required_as_before(servers, world, db):
    query, variables = OPERATIONS[0]
    await answers(servers, world.admin_key, query, variables)  # compiled while allowed
    await f.ingest(db, f.team(id="acme", plan="PROFESSIONAL"))
    compiled, executed, used = await answers(servers, world.admin_key, query, variables)
    assert not used
    assert compiled == executed
    assert compiled["errors"][0]["extensions"]["code"] == "PLAN_REQUIRED"


async def test_a_summary_with_drill_downs_is_answered_by_the_executor(servers, world):
    query = "{ team { reports { summary { series { date teamApis(first: 1) { totalCount } } } } } }"
    compiled, executed, used = await answers(servers, world.admin_key, query, {})
    assert not used
    assert compiled == executed


async def test_variables_a_plan_has_seen_are_answered_as_the_executor_answers_each_viewer(
    servers, world
):
    """A plan remembers the price and arguments of recent variables (checks.Checked);
    what depends on the viewer (the gate, the team, access) is still decided per request."""
    compiling, executing = servers
    query, variables = OPERATIONS[1]
    await compiling.graphql(query, world.admin_key, variables)  # learnt
    hits = Checked.hits
    for key in (world.admin_key, world.dev_key, world.other_admin_key, world.admin_key):
        compiled = await compiling.graphql(query, key, variables)
        assert compiled == await executing.graphql(query, key, variables)
    assert Checked.hits >= hits + 3


async def test_a_compiled_summary_past_the_statement_timeout_answers_as_the_executor(
    settings, facts, world, db
):
    """A statement timeout is a null field with TIMEOUT (HTTP 200), compiled or not."""
    if not settings.database_url.startswith("postgresql"):
        pytest.skip("a lock held by another session is how this test makes a statement slow")
    query, variables = OPERATIONS[1]
    async with compiling_and_executing(replace(settings, statement_timeout=0.2)) as servers:
        compiling, executing = servers
        await compiling.graphql(query, world.admin_key, variables)  # learnt
        async with db() as session, session.begin():
            # Readers of the daily tables wait for this lock until their statement times out.
            await session.execute(text("LOCK TABLE daily_team_requests IN ACCESS EXCLUSIVE MODE"))
            served = compiling.app.state.graphql_api.compiled.served
            compiled = await compiling.graphql(query, world.admin_key, variables)
            executed = await executing.graphql(query, world.admin_key, variables)
        assert compiling.app.state.graphql_api.compiled.served == served
    assert compiled == executed
    assert [e["extensions"]["code"] for e in compiled["errors"]] == ["TIMEOUT"]
