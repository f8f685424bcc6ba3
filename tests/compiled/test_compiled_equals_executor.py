"""A compiled operation answers exactly what strawberry's executor answers.

Each operation is sent to two servers on the same database: one compiling hot
operations (the default) and one with GRAPHQL_API_COMPILED_OPERATIONS off. The
first sending of a document teaches the compiling server; the second is answered
from the plan. The answers must be equal (data, errors, extensions); cursors are
encrypted with a fresh nonce each time, so they are compared by what they hold.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from graphql_api.repositories.cursors import CursorCodec
from tests import factories as f
from tests.compiled.pairs import answers, compiling_and_executing
from tests.differential import opened

# The compiled path against the executor: compiled operations on in every run.
pytestmark = pytest.mark.compiled

NODE = """eventId id action actionName actionCode category ip userAgent message data
  timestamp actor { id name username email }"""

OPERATIONS: list[tuple[str, dict[str, Any]]] = [
    (f"{{ team {{ auditEvents {{ nodes {{ {NODE} }} }} }} }}", {}),
    (
        "query($n: Int, $after: String) { team { auditEvents(first: $n, after: $after) {"
        " nodes { eventId timestamp actionCode message actor { id name email } }"
        " pageInfo { endCursor hasNextPage } } } }",
        {"n": 5},
    ),
    (
        "query Page($n: Int!) { team { __typename log: auditEvents(first: $n) {"
        " __typename totalCount edges { __typename cursor node { __typename eventId"
        " who: actor { __typename email } } } pageInfo { __typename hasNextPage"
        " hasPreviousPage startCursor endCursor } } } }",
        {"n": 3},
    ),
    (
        "query($n: Int, $before: String) { team { auditEvents(last: $n, before: $before) {"
        " nodes { eventId } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } } }",
        {"n": 4},
    ),
    (
        "{ team { auditEvents(first: 0) { totalCount nodes { eventId }"
        " pageInfo { endCursor } } } }",
        {},
    ),
    ("{ team { auditEvents(first: 101) { nodes { eventId } } } }", {}),
    ("{ team { auditEvents(first: -1) { nodes { eventId } } } }", {}),
    ('{ team { auditEvents(after: "not-a-cursor") { nodes { eventId } } } }', {}),
    ("query($n: Int) { team { auditEvents(first: $n) { nodes { eventId } } } }", {"n": "five"}),
]


@pytest.fixture
async def events(world: Any, db: Any) -> None:
    actions = ["Added Team Member", "Changed Plan", "Team Name Updated", "Created Group"]
    await f.ingest(
        db,
        *[
            f.audit_event(
                id=f"e{i}",
                team="acme",
                actor="ada" if i % 3 else "dev",
                at=f.ago(hours=i + 1),
                action=actions[i % len(actions)],
                data={"n": i, "nested": [1, "two", None]} if i % 2 else None,
            )
            for i in range(12)
        ],
        f.audit_event(id="g1", team="globex", actor="gus"),
        # Older than the ENTERPRISE plan keeps (180 days): no page may show it.
        f.audit_event(id="expired", team="acme", actor="ada", at=f.ago(days=200)),
    )


@pytest.fixture
async def servers(settings: Any, events: Any) -> AsyncIterator[tuple[Any, Any]]:
    async with compiling_and_executing(settings) as pair:
        yield pair


def _normalised(value: Any, codec: CursorCodec) -> Any:
    """`value` with every cursor replaced by the connection and position it holds."""
    return opened(value, codec)


@pytest.mark.parametrize("index", range(len(OPERATIONS)))
async def test_a_compiled_page_answers_as_the_executor(servers, world, settings, index):
    query, variables = OPERATIONS[index]
    codec = CursorCodec(settings.secret_key)
    compiled, executed, _ = await answers(servers, world.admin_key, query, variables)
    assert _normalised(compiled, codec) == _normalised(executed, codec)


async def test_a_compiled_page_keeps_to_the_plans_retention(servers, world):
    query = "{ team { auditEvents(first: 100) { totalCount nodes { message } } } }"
    compiled, executed, used = await answers(servers, world.admin_key, query, {})
    assert used
    page = compiled["data"]["team"]["auditEvents"]
    assert page["totalCount"] == 12 and len(page["nodes"]) == 12
    assert "event expired" not in [n["message"] for n in page["nodes"]]
    assert compiled == executed


@pytest.mark.parametrize("index", [0, 1, 2, 3, 4])
async def test_a_clean_audit_page_is_answered_from_its_plan(servers, world, index):
    query, variables = OPERATIONS[index]
    *_, used = await answers(servers, world.admin_key, query, variables)
    assert used


async def test_a_page_after_a_cursor_answers_as_the_executor(servers, world, settings):
    codec = CursorCodec(settings.secret_key)
    query, _ = OPERATIONS[1]
    first, _, _ = await answers(servers, world.admin_key, query, {"n": 5})
    after = first["data"]["team"]["auditEvents"]["pageInfo"]["endCursor"]
    compiled, executed, used = await answers(
        servers, world.admin_key, query, {"n": 5, "after": after}
    )
    assert used
    assert _normalised(compiled, codec) == _normalised(executed, codec)
    assert [n["eventId"] for n in compiled["data"]["team"]["auditEvents"]["nodes"]]


async def test_a_page_before_a_cursor_answers_as_the_executor(servers, world, settings):
    codec = CursorCodec(settings.secret_key)
    query, _ = OPERATIONS[3]
    first, _, _ = await answers(servers, world.admin_key, query, {"n": 4})
    before = first["data"]["team"]["auditEvents"]["pageInfo"]["startCursor"]
    compiled, executed, used = await answers(
        servers, world.admin_key, query, {"n": 4, "before": before}
    )
    assert used
    assert _normalised(compiled, codec) == _normalised(executed, codec)


@pytest.mark.parametrize("who", ["dev_key", "other_admin_key"])
async def test_other_viewers_get_what_the_executor_gives_them(servers, world, settings, who):
    codec = CursorCodec(settings.secret_key)
    query, variables = OPERATIONS[2]
    await answers(servers, world.admin_key, query, variables)  # compiled by the admin
    compiled, executed, _ = await answers(servers, getattr(world, who), query, variables)
    assert _normalised(compiled, codec) == _normalised(executed, codec)


async def test_a_team_without_the_audit_plan_gets_plan_required_as_before(servers, world, db):
    await f.ingest(db, f.team(id="acme", plan="FREE"))
    query, variables = OPERATIONS[0]
    compiled, executed, used = await answers(servers, world.admin_key, query, variables)
    assert not used
    assert compiled == executed
    assert compiled["errors"][0]["extensions"]["code"] == "PLAN_REQUIRED"


async def test_an_operation_the_compiler_does_not_know_is_answered_by_the_executor(servers, world):
    query = "{ team { auditEvents(first: 2) { nodes { eventId actor { user { id } } } } } }"
    compiled, executed, used = await answers(servers, world.admin_key, query, {})
    assert not used
    assert compiled == executed


@pytest.mark.sends_once
async def test_metrics_count_the_pages_answered_from_plans(servers, world):
    compiling, _ = servers
    query, variables = OPERATIONS[1]
    await answers(servers, world.admin_key, query, variables)
    metrics = (await compiling.http.get("/metrics")).text
    assert "graphql_api_compiled_operations_served_total 1.0" in metrics
    assert "graphql_api_key_cache_hits_total" in metrics
