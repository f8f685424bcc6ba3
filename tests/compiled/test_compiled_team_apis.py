"""A compiled Team APIs page answers exactly what strawberry's executor answers.

As for audit pages (test_compiled_equals_executor.py): two servers on one database,
one compiling and one not; the second sending of a document is answered from its
plan, and both answers must be equal. Cursors are encrypted with a fresh nonce each
time, so they are compared by what they hold.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from graphql_api.db.base import utcnow
from graphql_api.refresh.service import refresh
from graphql_api.repositories.cursors import CursorCodec
from tests import factories as f
from tests.compiled.pairs import answers, compiling_and_executing
from tests.differential import opened

# The compiled path against the executor: compiled operations on in every run.
pytestmark = pytest.mark.compiled

ROW = """restricted name requestCount errorRate avgResponseTimeMs p95ResponseTimeMs uptime
  failedTestRuns hasDocumentation hasTests hasMonitor hasMock linkedCollectionCount
  emptyReason"""
PAGE = "query($first: Int, $after: String, $last: Int, $before: String, $order: TeamApiOrder,"
PAGE += " $range: DateRangeInput, $sources: [RequestSource!]) { team { reports {"
PAGE += " teamApis(first: $first, after: $after, last: $last, before: $before,"
PAGE += " orderBy: $order, range: $range, sources: $sources) {"

OPERATIONS: list[tuple[str, dict[str, Any]]] = [
    (f"{{ team {{ reports {{ teamApis {{ nodes {{ {ROW} }} }} }} }} }}", {}),
    (
        PAGE + " totalCount restrictedCount nodes { name requestCount p95ResponseTimeMs }"
        " pageInfo { endCursor hasNextPage } } } } }",
        {"first": 3, "order": {"field": "P95_RESPONSE_TIME"}},
    ),
    (
        PAGE + " __typename edges { __typename cursor node { __typename restricted name"
        " emptyReason } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } }"
        " } } }",
        {"first": 2, "order": {"field": "NAME", "direction": "ASC"}},
    ),
    (
        "query Named { team { reports { lastUpdatedAt t: teamApis(orderBy: {field: UPTIME,"
        f" direction: ASC}}, sources: [REQUEST_BUILDER, NEWMAN]) {{ n: totalCount nodes {{ {ROW}"
        " } } } } }",
        {},
    ),
    (
        PAGE + " nodes { name failedTestRuns } pageInfo { startCursor hasPreviousPage } } } } }",
        {"last": 2, "order": {"field": "FAILED_TEST_RUNS", "direction": "DESC"}},
    ),
    (
        PAGE + " nodes { name requestCount emptyReason } } } } }",
        {"range": {"from": "2020-01-01", "to": "2020-01-31"}},
    ),
    # A dashboard's first screen: both report roots and the refresh time, one snapshot.
    (
        "query($from: Date!, $to: Date!) { team { reports { lastUpdatedAt"
        " summary(range: {from: $from, to: $to}) { requestCount p95ResponseTimeMs"
        " series { date requestCount } } teamApis(first: 3, range: {from: $from, to: $to}) {"
        f" totalCount nodes {{ {ROW} }} }} }} }} }}",
        {"from": "2026-01-01", "to": "2026-12-31"},
    ),
    # No row to read the total from: the executor counts apart.
    (PAGE + " totalCount nodes { name } } } } }", {"first": 0}),
    # Refused: the executor words the errors.
    (PAGE + " nodes { name } } } } }", {"first": 101}),
    (PAGE + " nodes { name } } } } }", {"after": "not-a-cursor"}),
    (PAGE + " nodes { name } } } } }", {"sources": []}),
]


@pytest.fixture
async def facts(world: Any, db: Any) -> None:
    requests = []
    for n in range(45):
        record = f.request(
            id=f"q{n}",
            team="acme",
            user="ada",
            source="NEWMAN" if n % 4 == 0 else "REQUEST_BUILDER",
        )
        record.update(
            at=f.ago(hours=n * 13 + 1),
            api=["api-team", "api-secret", "api-public", "api-granted", "api-private"][n % 5],
            status=500 if n % 6 == 0 else 200,
            response_time_ms=30 + n * 41,
        )
        requests.append(record)
    links = [
        {
            "type": "api_link",
            "id": "l1",
            "api": "api-public",
            "collection": "col-personal",
            "relation": "TEST",
        },
        {
            "type": "api_link",
            "id": "l2",
            "api": "api-secret",
            "collection": "col-personal",
            "relation": "DOCUMENTATION",
        },
    ]
    await f.ingest(db, *links, *requests)
    await refresh(db, utcnow())


@pytest.fixture
async def servers(settings: Any, facts: Any) -> AsyncIterator[tuple[Any, Any]]:
    async with compiling_and_executing(settings) as pair:
        yield pair


def _normalised(value: Any, codec: CursorCodec) -> Any:
    """`value` with every cursor replaced by the connection and sort key it holds."""
    return opened(value, codec)


@pytest.mark.parametrize("index", range(len(OPERATIONS)))
async def test_a_compiled_team_apis_page_answers_as_the_executor(servers, world, settings, index):
    codec = CursorCodec(settings.secret_key)
    query, variables = OPERATIONS[index]
    compiled, executed, _ = await answers(servers, world.admin_key, query, variables)
    assert _normalised(compiled, codec) == _normalised(executed, codec)


@pytest.mark.parametrize("index", range(7))
async def test_a_clean_team_apis_page_is_answered_from_its_plan(servers, world, index):
    query, variables = OPERATIONS[index]
    compiled, _, used = await answers(servers, world.admin_key, query, variables)
    assert used
    assert "errors" not in compiled


@pytest.mark.parametrize("who", ["dev_key", "other_admin_key"])
async def test_restricted_rows_are_masked_as_the_executor_masks_them(servers, world, settings, who):
    codec = CursorCodec(settings.secret_key)
    query, variables = OPERATIONS[0]
    await answers(servers, world.admin_key, query, variables)  # compiled by the admin
    compiled, executed, used = await answers(servers, getattr(world, who), query, variables)
    assert used
    assert _normalised(compiled, codec) == _normalised(executed, codec)
    if who == "dev_key":
        rows = compiled["data"]["team"]["reports"]["teamApis"]["nodes"]
        hidden = [r for r in rows if r["restricted"]]
        assert hidden and all(r["name"] is None and r["requestCount"] is None for r in hidden)


async def test_the_next_page_after_a_cursor_answers_as_the_executor(servers, world, settings):
    codec = CursorCodec(settings.secret_key)
    query, variables = OPERATIONS[1]
    first, _, _ = await answers(servers, world.admin_key, query, variables)
    after = first["data"]["team"]["reports"]["teamApis"]["pageInfo"]["endCursor"]
    compiled, executed, used = await answers(
        servers, world.admin_key, query, {**variables, "after": after}
    )
    assert used
    assert _normalised(compiled, codec) == _normalised(executed, codec)
    assert compiled["data"]["team"]["reports"]["teamApis"]["nodes"]


async def test_a_page_asking_for_the_api_node_is_answered_by_the_executor(servers, world):
    query = "{ team { reports { teamApis(first: 2) { nodes { api { id name } } } } } }"
    compiled, executed, used = await answers(servers, world.admin_key, query, {})
    assert not used
    assert compiled == executed
