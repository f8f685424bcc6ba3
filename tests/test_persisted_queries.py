"""Automatic persisted queries (issue 11): a client sends a document's SHA-256 instead
of the document, as Apollo Client, urql and Relay do; the protocol replayed here
step by step, over POST and GET."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import pytest

QUERY = "query Team($first: Int!) { team { auditEvents(first: $first) { nodes { eventId } } } }"
HASH = hashlib.sha256(QUERY.encode()).hexdigest()


def persisted(digest: str = HASH, version: int = 1) -> dict[str, Any]:
    return {"persistedQuery": {"version": version, "sha256Hash": digest}}


async def post(api, key: str, body: dict[str, Any]) -> Any:
    return await api.http.post("/graphql", json=body, headers={"X-Api-Key": key})


async def test_a_hash_the_server_has_not_seen_asks_for_the_document(api, world):
    response = await post(api, world.admin_key, {"extensions": persisted(), "variables": {}})
    assert response.status_code == 200
    assert response.json() == {
        "errors": [
            {
                "message": "PersistedQueryNotFound",
                "extensions": {"code": "PERSISTED_QUERY_NOT_FOUND"},
            }
        ]
    }


async def test_a_document_sent_with_its_hash_is_answered_and_then_runs_by_hash(api, world):
    variables = {"first": 2}
    full = await post(
        api, world.admin_key, {"query": QUERY, "variables": variables, "extensions": persisted()}
    )
    by_hash = await post(api, world.admin_key, {"variables": variables, "extensions": persisted()})
    plain = await api.graphql(QUERY, world.admin_key, variables)
    assert full.status_code == by_hash.status_code == 200
    assert "errors" not in plain
    assert full.json() == by_hash.json() == plain


async def test_apollos_link_gets_its_answer_after_one_miss_and_none_after(api, world):
    """Apollo's persisted-query link: the hash alone; on PersistedQueryNotFound, the
    document with its hash; from then on the hash alone."""
    variables = {"first": 1}

    async def link() -> tuple[int, Any]:
        sent = 1
        by_hash = {"variables": variables, "extensions": persisted()}
        body = (await post(api, world.admin_key, by_hash)).json()
        codes = [e["extensions"]["code"] for e in body.get("errors", [])]
        if codes == ["PERSISTED_QUERY_NOT_FOUND"]:
            sent += 1
            body = (
                await post(
                    api,
                    world.admin_key,
                    {"query": QUERY, "variables": variables, "extensions": persisted()},
                )
            ).json()
        return sent, body

    first_sent, first = await link()
    again_sent, again = await link()
    assert (first_sent, again_sent) == (2, 1)
    assert first == again == await api.graphql(QUERY, world.admin_key, variables)


async def test_a_persisted_query_runs_by_hash_over_get(api, world):
    await post(api, world.admin_key, {"query": QUERY, "extensions": persisted()})
    response = await api.http.get(
        "/graphql",
        params={
            "operationName": "Team",
            "variables": json.dumps({"first": 2}),
            "extensions": json.dumps(persisted()),
        },
        headers={"X-Api-Key": world.admin_key, "Accept": "application/json"},
    )
    assert response.status_code == 200
    assert response.json() == await api.graphql(QUERY, world.admin_key, {"first": 2})


async def test_a_hash_that_is_not_the_documents_is_refused_and_not_remembered(api, world):
    wrong = hashlib.sha256(b"something else").hexdigest()
    refused = await post(api, world.admin_key, {"query": QUERY, "extensions": persisted(wrong)})
    assert refused.status_code == 400
    assert refused.json()["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    later = await post(api, world.admin_key, {"extensions": persisted(wrong)})
    assert later.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"


async def test_another_version_of_the_protocol_is_refused_with_its_code(api, world):
    response = await post(api, world.admin_key, {"extensions": persisted(version=2)})
    assert response.status_code == 200
    assert response.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_SUPPORTED"


@pytest.mark.compiled
async def test_a_persisted_query_is_answered_from_its_compiled_plan(api, world):
    compiled = api.app.state.graphql_api.compiled
    body = {"query": QUERY, "variables": {"first": 3}, "extensions": persisted()}
    await post(api, world.admin_key, body)  # remembered, and learnt by the compiler
    served = compiled.served
    await post(api, world.admin_key, {"variables": {"first": 3}, "extensions": persisted()})
    assert compiled.served == served + 1


async def test_a_hash_still_needs_a_key(api, world):
    await post(api, world.admin_key, {"query": QUERY, "extensions": persisted()})
    response = await api.http.post(
        "/graphql", json={"variables": {"first": 1}, "extensions": persisted()}
    )
    assert response.status_code == 401
