"""Trusted documents mode (issue 11): with GRAPHQL_API_TRUSTED_DOCUMENTS naming the
manifest a client build emitted, the server runs only the operations it registers, sent
by id or as their exact text, and refuses every other with a clear error."""

from __future__ import annotations

import hashlib
import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from graphql_api.config import ConfigError, Settings
from tests.conftest import serving_api
from tests.live.conftest import SUBSCRIBE, Subscriber, serving

PAGE = "query Page($first: Int!) { team { auditEvents(first: $first) { nodes { eventId } } } }"
PAGE_HASH = hashlib.sha256(PAGE.encode()).hexdigest()
TEAM = "query TeamName { team { name } }"
NOT_IN_LIST = "PERSISTED_QUERY_NOT_IN_LIST"


def _codegen_manifest(path: Path) -> str:
    """graphql-codegen's client preset: `persisted-documents.json`, SHA-256 ids."""
    documents = {hashlib.sha256(d.encode()).hexdigest(): d for d in (PAGE, TEAM, SUBSCRIBE)}
    path.write_text(json.dumps(documents))
    return str(path)


def _apollo_manifest(path: Path) -> str:
    """@apollo/generate-persisted-query-manifest's shape."""
    operations = [
        {
            "id": hashlib.sha256(PAGE.encode()).hexdigest(),
            "name": "Page",
            "type": "query",
            "body": PAGE,
        }
    ]
    manifest = {"format": "apollo-persisted-query-manifest", "version": 1, "operations": operations}
    path.write_text(json.dumps(manifest))
    return str(path)


@pytest.fixture
def trusted(settings: Settings, tmp_path: Path) -> Settings:
    manifest = _codegen_manifest(tmp_path / "persisted-documents.json")
    return replace(
        settings,
        trusted_documents=Settings.from_env(
            {"GRAPHQL_API_TRUSTED_DOCUMENTS": manifest}
        ).trusted_documents,
    )


@pytest.fixture
async def api(trusted: Settings) -> Any:
    async with serving_api(trusted) as served:
        yield served


async def _post(api: Any, key: str, body: dict[str, Any]) -> Any:
    response = await api.http.post("/graphql", json=body, headers={"X-Api-Key": key})
    assert response.status_code == 200, response.text
    return response.json()


def _codes(body: Any) -> list[str]:
    return [e["extensions"]["code"] for e in body.get("errors", [])]


async def test_a_registered_document_sent_as_its_text_is_answered(api, world):
    body = await _post(api, world.admin_key, {"query": PAGE, "variables": {"first": 2}})
    assert "errors" not in body
    assert len(body["data"]["team"]["auditEvents"]["nodes"]) <= 2


async def test_a_registered_document_sent_by_its_document_id_is_answered(api, world):
    by_id = await _post(api, world.admin_key, {"documentId": PAGE_HASH, "variables": {"first": 2}})
    by_text = await _post(api, world.admin_key, {"query": PAGE, "variables": {"first": 2}})
    assert "errors" not in by_id
    assert by_id == by_text


async def test_relays_doc_id_and_a_sha256_prefix_name_it_too(api, world):
    for body in (
        {"doc_id": PAGE_HASH, "variables": {"first": 1}},
        {"documentId": f"sha256:{PAGE_HASH}", "variables": {"first": 1}},
    ):
        assert "errors" not in await _post(api, world.admin_key, body)


async def test_apollos_persisted_query_hash_of_a_registered_document_is_answered(
    settings, tmp_path, world
):
    manifest = _apollo_manifest(tmp_path / "manifest.json")
    documents = Settings.from_env({"GRAPHQL_API_TRUSTED_DOCUMENTS": manifest}).trusted_documents
    async with serving_api(replace(settings, trusted_documents=documents)) as api:
        persisted = {"persistedQuery": {"version": 1, "sha256Hash": PAGE_HASH}}
        body = await _post(
            api, world.admin_key, {"extensions": persisted, "variables": {"first": 1}}
        )
        other = await _post(api, world.admin_key, {"query": TEAM})
    assert "errors" not in body
    assert _codes(other) == [NOT_IN_LIST]


async def test_a_document_not_registered_is_refused_with_a_clear_error(api, world):
    body = await _post(api, world.admin_key, {"query": "{ team { id } }"})
    assert body.get("data") is None
    assert _codes(body) == [NOT_IN_LIST]
    assert "registered from its clients' builds" in body["errors"][0]["message"]


async def test_a_registered_document_with_other_whitespace_is_not_the_registered_one(api, world):
    body = await _post(api, world.admin_key, {"query": PAGE + " ", "variables": {"first": 1}})
    assert _codes(body) == [NOT_IN_LIST]


async def test_an_unknown_document_id_is_refused(api, world):
    body = await _post(api, world.admin_key, {"documentId": "0" * 64, "variables": {}})
    assert _codes(body) == [NOT_IN_LIST]


async def test_automatic_persisted_queries_cannot_register_a_document(api, world):
    query = "{ team { id } }"
    digest = hashlib.sha256(query.encode()).hexdigest()
    persisted = {"persistedQuery": {"version": 1, "sha256Hash": digest}}
    registering = await _post(api, world.admin_key, {"query": query, "extensions": persisted})
    again = await _post(api, world.admin_key, {"extensions": persisted})
    assert _codes(registering) == _codes(again) == [NOT_IN_LIST]


async def test_a_get_request_may_name_its_document_by_id(api, world):
    response = await api.http.get(
        "/graphql",
        params={"documentId": hashlib.sha256(TEAM.encode()).hexdigest()},
        headers={"X-Api-Key": world.admin_key},
    )
    assert response.status_code == 200, response.text
    assert "errors" not in response.json()
    refused = await api.http.get(
        "/graphql", params={"query": "{ team { id } }"}, headers={"X-Api-Key": world.admin_key}
    )
    assert _codes(refused.json()) == [NOT_IN_LIST]


@pytest.mark.compiled
async def test_a_registered_document_is_answered_from_its_compiled_plan(api, world):
    compiled = api.app.state.graphql_api.compiled
    await _post(api, world.admin_key, {"documentId": PAGE_HASH, "variables": {"first": 3}})
    served = compiled.served
    body = await _post(api, world.admin_key, {"documentId": PAGE_HASH, "variables": {"first": 3}})
    assert "errors" not in body
    assert compiled.served == served + 1


async def test_a_subscription_not_registered_is_refused_on_the_websocket(trusted, world, db):
    async with serving(trusted) as url:
        client = await Subscriber.connect(url, payload={"X-Api-Key": world.admin_key})
        query = "subscription { auditEventAdded { eventId } }"
        await client.socket.send(
            json.dumps({"id": "1", "type": "subscribe", "payload": {"query": query}})
        )
        message = await client.next()
        await client.close()
    errors = message["payload"] if message["type"] == "error" else message["payload"]["errors"]
    assert [e["extensions"]["code"] for e in errors] == [NOT_IN_LIST]


def test_a_manifest_that_cannot_be_read_stops_the_server_with_the_reason(tmp_path):
    missing = tmp_path / "nope.json"
    bad = tmp_path / "bad.json"
    bad.write_text('{"abc": 42}')
    with pytest.raises(ConfigError, match="GRAPHQL_API_TRUSTED_DOCUMENTS: cannot read"):
        Settings.from_env({"GRAPHQL_API_TRUSTED_DOCUMENTS": str(missing)})
    with pytest.raises(ConfigError, match="needs a string id and a document"):
        Settings.from_env({"GRAPHQL_API_TRUSTED_DOCUMENTS": str(bad)})
