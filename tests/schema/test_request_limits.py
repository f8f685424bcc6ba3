"""What a request may cost (issue 8): its size, shape and time are bounded before they
are spent, and every refusal carries a code."""

from __future__ import annotations

from dataclasses import replace

import pytest

from graphql_api.schema import build_schema
from graphql_api.schema.cost import unpriced_lists
from tests.conftest import serving_api


def _graphql_post(api, key, **kwargs):
    headers = {"X-Api-Key": key, "Content-Type": "application/json", **kwargs.pop("headers", {})}
    return api.http.post("/graphql", headers=headers, **kwargs)


def _doubling_fragments(levels: int) -> str:
    """A document of a few hundred bytes whose fragments expand to 2^levels fields."""
    fragments = ["fragment F0 on User { name }"] + [
        f"fragment F{i} on User {{ ...F{i - 1} ...F{i - 1} }}" for i in range(1, levels + 1)
    ]
    return f"{{ viewer {{ ...F{levels} }} }} " + " ".join(fragments)


def _code(body) -> str:
    return body["errors"][0]["extensions"]["code"]


async def test_a_document_with_more_tokens_than_the_limit_is_query_too_complex(settings, world, db):
    async with serving_api(replace(settings, max_tokens=50)) as api:
        body = await api.graphql("{ viewer { " + "name " * 100 + "} }", world.admin_key)
    assert body["data"] is None
    assert _code(body) == "QUERY_TOO_COMPLEX"
    assert "more than 50 tokens" in body["errors"][0]["message"]


async def test_a_document_within_the_token_limit_runs(settings, world, db):
    async with serving_api(replace(settings, max_tokens=50)) as api:
        body = await api.graphql("{ viewer { name } }", world.admin_key)
    assert "errors" not in body


async def test_a_fragment_that_doubles_itself_is_refused_before_validation(api, world):
    body = await api.graphql(_doubling_fragments(24), world.admin_key)
    assert body["data"] is None
    assert _code(body) == "QUERY_TOO_COMPLEX"
    assert body["errors"][0]["extensions"]["maximumFields"] == 10_000


async def test_fragments_spread_many_times_within_the_bound_still_run(api, world):
    body = await api.graphql(_doubling_fragments(8), world.admin_key)
    assert "errors" not in body
    assert body["data"]["viewer"]["name"]


@pytest.mark.parametrize(
    "document",
    [
        "{ team { } }",
        "{ }",
        "query { viewer { id } team { members { } } }",
        "{ viewer { ...F } } fragment F on User { }",
    ],
)
async def test_an_empty_selection_set_is_bad_user_input(api, world, document):
    response = await _graphql_post(api, world.admin_key, json={"query": document})
    assert response.status_code == 200
    body = response.json()
    assert body["data"] is None
    assert _code(body) == "BAD_USER_INPUT"
    assert body["errors"][0]["message"] == "A selection set must select at least one field."
    assert body["errors"][0]["locations"]


async def test_a_body_declared_larger_than_the_limit_is_refused_unread(settings, world, db):
    async with serving_api(replace(settings, max_body_bytes=1_000)) as api:
        response = await _graphql_post(
            api, world.admin_key, content=b'{"query": "{ viewer { name } }"}' + b" " * 2_000
        )
    assert response.status_code == 413
    assert _code(response.json()) == "BAD_USER_INPUT"


async def test_a_streamed_body_growing_past_the_limit_is_refused(settings, world, db):
    async def chunks():
        yield b'{"query": "{ viewer { name } }"'
        for _ in range(100):
            yield b" " * 100
        yield b"}"

    async with serving_api(replace(settings, max_body_bytes=1_000)) as api:
        response = await _graphql_post(api, world.admin_key, content=chunks())
    assert response.status_code == 413
    assert _code(response.json()) == "BAD_USER_INPUT"


async def test_a_body_over_the_limit_is_refused_even_without_a_key(settings, db):
    async with serving_api(replace(settings, max_body_bytes=1_000)) as api:
        response = await api.http.post(
            "/graphql", content=b"x" * 2_000, headers={"Content-Type": "application/json"}
        )
    assert response.status_code == 413


@pytest.mark.parametrize("body", [b"null", b"1", b'"{ viewer { name } }"', b"true"])
async def test_a_json_body_that_is_not_an_object_is_bad_user_input(api, world, body):
    response = await _graphql_post(api, world.admin_key, content=body)
    assert response.status_code == 400
    assert _code(response.json()) == "BAD_USER_INPUT"


async def test_a_body_that_is_not_utf8_is_bad_user_input(api, world):
    response = await _graphql_post(
        api, world.admin_key, content=b'{"query": "{ viewer { name \xff\xfe } }"}'
    )
    assert response.status_code == 400
    assert _code(response.json()) == "BAD_USER_INPUT"


@pytest.mark.parametrize("depth", [100, 100_000])
async def test_variables_nested_beyond_reason_are_bad_user_input(api, world, depth):
    variables = b"[" * depth + b"]" * depth
    body = b'{"query": "{ viewer { name } }", "variables": {"x": ' + variables + b"}}"
    response = await _graphql_post(api, world.admin_key, content=body)
    assert response.status_code == 400
    assert _code(response.json()) == "BAD_USER_INPUT"


async def test_a_series_drill_down_costs_one_drill_down_per_point(api, world):
    query = """query($range: DateRangeInput, $g: Granularity!) { team { reports {
      summary(range: $range, granularity: $g) { series { teamApis(first: 10) {
        nodes { name } } } } } } }"""
    week = await api.graphql(
        query, world.admin_key, {"range": {"preset": "LAST_7_DAYS"}, "g": "DAY"}
    )
    # team 1 + reports 1 + summary 1 + series (1 + 7 points x teamApis (1 + 10 x nodes 1))
    assert week["extensions"]["cost"] == 3 + 1 + 7 * (1 + 10)
    weekly = await api.graphql(
        query, world.admin_key, {"range": {"preset": "LAST_90_DAYS"}, "g": "WEEK"}
    )
    # 90 days touch at most 90 // 7 + 2 = 14 weeks
    assert weekly["extensions"]["cost"] == 3 + 1 + 14 * (1 + 10)


async def test_a_year_of_daily_drill_downs_is_refused_before_it_runs(api, world):
    query = """{ team { reports { summary(range: {from: "2025-11-23", to: "2026-11-22"},
      granularity: DAY) { series { date teamApis(first: 100) { totalCount
      nodes { name requestCount } } } } } } }"""
    body = await api.graphql(query, world.admin_key)
    assert body["data"] is None
    assert _code(body) == "QUERY_TOO_COMPLEX"
    assert body["errors"][0]["extensions"]["cost"] > 25_000


def test_every_list_in_the_schema_has_a_declared_largest_length():
    assert unpriced_lists(build_schema()._schema) == []


async def test_production_does_not_suggest_field_names(settings, world, db):
    async with serving_api(replace(settings, environment="production")) as api:
        body = await api.graphql("{ viewr { name } }", world.admin_key)
    message = body["errors"][0]["message"]
    assert "Did you mean" not in message
    assert "viewer" not in message
    assert _code(body) == "BAD_USER_INPUT"


async def test_development_still_suggests_field_names(api, world):
    body = await api.graphql("{ viewr { name } }", world.admin_key)
    assert "Did you mean 'viewer'?" in body["errors"][0]["message"]


async def test_a_request_past_its_deadline_gets_timeout_and_frees_its_connection(
    settings, world, db
):
    async with serving_api(replace(settings, request_timeout=1e-6)) as api:
        body = await api.graphql("{ team { members { totalCount } } }", world.admin_key)
        pool = api.app.state.graphql_api.engine.sync_engine.pool
        assert pool.checkedout() == 0
    assert body["data"] is None
    assert _code(body) == "TIMEOUT"


async def test_an_operation_opening_more_connections_than_the_limit_is_refused(settings, world):
    pages = " ".join(f"p{i}: members(first: 1) {{ nodes {{ id }} }}" for i in range(4))
    async with serving_api(replace(settings, max_connections=3)) as api:
        body = await api.graphql(f"{{ team {{ {pages} }} }}", world.admin_key)
    assert body["data"] is None
    error = body["errors"][0]
    assert error["extensions"]["code"] == "QUERY_TOO_COMPLEX"
    assert error["extensions"]["connections"] == 4
    assert error["extensions"]["maximumConnections"] == 3


async def test_a_series_drill_down_counts_as_one_connection_whatever_its_points(api, world):
    # 90 points x 5 element kinds, all read by the same batched statements.
    query = """{ team { reports { contentActivity(range: {preset: LAST_90_DAYS},
      granularity: DAY) { series { elements(first: 2) { nodes { name } } } } } } }"""
    body = await api.graphql(query, world.admin_key)
    assert "errors" not in body, body
    assert len(body["data"]["team"]["reports"]["contentActivity"]["series"]) == 90 * 5


async def test_a_quarter_of_daily_drill_downs_is_served(api, world):
    query = """{ team { reports { summary(range: {from: "2026-01-01", to: "2026-03-31"},
      granularity: DAY) { series { teamApis(first: 5) { nodes { name } } } } } } }"""
    body = await api.graphql(query, world.admin_key)
    assert "errors" not in body
    assert len(body["data"]["team"]["reports"]["summary"]["series"]) == 90


async def test_connections_nested_in_a_page_count_once(api, world):
    query = """{ team { members(first: 100) { nodes { user { apiKeys(first: 10) {
      nodes { name } } } } } } }"""
    body = await api.graphql(query, world.admin_key)
    # It runs (other members' keys are theirs alone: FORBIDDEN per member, not refused).
    assert body["data"]["team"]["members"]["nodes"]
    assert all(e["extensions"]["code"] == "FORBIDDEN" for e in body.get("errors", []))
