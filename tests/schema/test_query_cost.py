"""Query cost: computed before running, reported in extensions.cost.

See docs/concepts.md#query-cost-and-limits.
"""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import func, select

from graphql_api.db.models import ApiKey
from tests.conftest import serving_api

AUDIT_PAGE = """query($n: Int) { team { auditEvents(first: $n) {
  pageInfo { hasNextPage } totalCount nodes { eventId actor { user { name } } } } } }"""


async def test_every_response_reports_its_cost(api, world):
    body = await api.graphql("{ viewer { name } }", world.admin_key)
    assert body["extensions"]["cost"] == 1
    assert body["extensions"]["costLimit"] == 25_000


async def test_a_connection_costs_its_page_size_times_what_it_holds(api, world):
    body = await api.graphql(AUDIT_PAGE, world.admin_key, {"n": 100})
    # team 1 + auditEvents (1 + pageInfo 1 + 100 x (nodes 1 + actor 1 + user 1))
    assert body["extensions"]["cost"] == 1 + 1 + 1 + 100 * 3
    smaller = await api.graphql(AUDIT_PAGE, world.admin_key, {"n": 10})
    assert smaller["extensions"]["cost"] == 1 + 1 + 1 + 10 * 3


async def test_a_connection_without_a_size_costs_the_default_page(api, world):
    body = await api.graphql("{ team { members { nodes { status } } } }", world.admin_key)
    assert body["extensions"]["cost"] == 1 + 1 + 20 * 1


async def test_nested_connections_multiply(api, world):
    query = """{ team { members(first: 10) { nodes { user { apiKeys(first: 10) {
      nodes { name } } } } } } }"""
    body = await api.graphql(query, world.admin_key)
    # team 1 + members (1 + 10 x (nodes 1 + user 1 + apiKeys (1 + 10 x nodes 1)))
    assert body["extensions"]["cost"] == 1 + 1 + 10 * (1 + 1 + 1 + 10)


async def test_an_operation_over_the_maximum_is_refused_and_nothing_runs(settings, world, db):
    async with serving_api(replace(settings, max_query_cost=0)) as api:
        body = await api.graphql(
            'mutation { createApiKey(input: {name: "x"}) { secret } }', world.admin_key
        )
    assert body["data"] is None
    error = body["errors"][0]
    assert error["extensions"]["code"] == "QUERY_TOO_COMPLEX"
    assert error["extensions"]["cost"] == 1
    async with db() as session:
        assert await session.scalar(select(func.count()).select_from(ApiKey)) == 3  # the world's


async def test_too_many_aliases_is_query_too_complex(api, world):
    query = "{ " + " ".join(f"a{i}: viewer {{ name }}" for i in range(31)) + " }"
    body = await api.graphql(query, world.admin_key)
    assert body["errors"][0]["extensions"]["code"] == "QUERY_TOO_COMPLEX"
    assert body["data"] is None
