"""Every error carries a code; unexpected ones are masked.

See docs/concepts.md#errors-and-their-codes.
"""

from __future__ import annotations

import logging
from dataclasses import replace

from sqlalchemy import text

from tests import factories as f
from tests.conftest import serving_api


async def test_a_syntax_error_is_bad_user_input(api, world):
    body = await api.graphql("{ team { ", world.admin_key)
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_an_unknown_field_is_bad_user_input(api, world):
    body = await api.graphql("{ team { nope } }", world.admin_key)
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_a_variable_of_the_wrong_type_is_bad_user_input(api, world):
    body = await api.graphql(
        "query($n: Int) { team { members(first: $n) { totalCount } } }",
        world.admin_key,
        {"n": "many"},
    )
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_a_body_that_is_not_json_is_a_400_with_a_code(api, world):
    response = await api.http.post(
        "/graphql",
        content=b"{nope",
        headers={"X-Api-Key": world.admin_key, "Content-Type": "application/json"},
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_a_query_deeper_than_the_limit_is_query_too_complex_and_not_run(
    settings, world, statements
):
    async with serving_api(replace(settings, max_query_depth=4)) as shallow:
        client = shallow.http
        ok = await client.post(
            "/graphql",
            json={"query": "{ team { members { totalCount } } }"},
            headers={"X-Api-Key": world.admin_key},
        )
        deep = await client.post(
            "/graphql",
            json={"query": "{ team { members { edges { node { user { id } } } } } }"},
            headers={"X-Api-Key": world.admin_key},
        )
    assert "errors" not in ok.json()
    assert deep.json()["data"] is None
    assert deep.json()["errors"][0]["extensions"]["code"] == "QUERY_TOO_COMPLEX"


async def test_an_unexpected_error_is_masked_and_logged_once_with_its_traceback(
    api, world, db, caplog
):
    await f.ingest(db, f.audit_event(id="e", team="acme", actor="ada"))
    # A row no code path can write: an action the catalog does not know.
    async with db() as session, session.begin():
        await session.execute(text("UPDATE audit_events SET action = 'NOT_AN_ACTION'"))
    with caplog.at_level(logging.ERROR, logger="graphql_api.errors"):
        body = await api.graphql("{ team { auditEvents { nodes { action } } } }", world.admin_key)
    error = body["errors"][0]
    assert error["extensions"] == {"code": "INTERNAL_SERVER_ERROR"}
    assert error["message"] == "Internal server error."
    assert "NOT_AN_ACTION" not in str(body)
    logged = [r for r in caplog.records if r.name == "graphql_api.errors"]
    assert len(logged) == 1 and logged[0].exc_info is not None
