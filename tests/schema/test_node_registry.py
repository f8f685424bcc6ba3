"""Every Node type of the schema is in the node registry and `node(id:)` fetches it.

The registry (graphql_api.schema.nodes) is the one list of Node types: their
loader, their constructor and their gate. These tests fail when a type that
implements Node is missing from it, or when `node(id:)` cannot fetch a real
object of the type reached through the schema's ordinary fields.
"""

from __future__ import annotations

import base64
from typing import Any

import pytest
from graphql import GraphQLObjectType

from graphql_api.schema import build_schema
from graphql_api.schema.nodes import BY_NAME
from graphql_api.schema.relay import to_global_id
from tests import factories as f

# One object of each Node type, each reached as a client would, through ordinary fields.
SAMPLES = """{
  viewer { id apiKeys { nodes { id } } exports { nodes { id } } }
  team {
    id
    members { nodes { id user { id } } }
    elements(first: 50) { nodes { id workspace { id } } }
    auditEvents { nodes { id } }
    billing { invoices { nodes { id } } }
  }
}"""
# Groups have no field of their own yet: node(id:) is their only way in.
ONLY_BY_ID = [to_global_id("Group", "platform")]
NODE = "query($id: ID!) { node(id: $id) { id __typename } }"


def _schema_node_types() -> list[str]:
    schema = build_schema()._schema
    return sorted(
        t.name
        for t in schema.type_map.values()
        if isinstance(t, GraphQLObjectType) and any(i.name == "Node" for i in t.interfaces)
    )


NODE_TYPES = _schema_node_types()


def test_every_node_type_of_the_schema_is_registered_and_nothing_else():
    unregistered = [name for name in NODE_TYPES if name not in BY_NAME]
    assert unregistered == [], (
        f"Node types without a loader: {unregistered}; register each in "
        "graphql_api/schema/nodes.py (REGISTRY)"
    )
    assert sorted(BY_NAME) == NODE_TYPES


def _type_of(global_id: str) -> str:
    return base64.b64decode(global_id).decode().split(":", 1)[0]


def _ids_in(value: Any) -> list[str]:
    """Every `id` in a GraphQL answer, however deep."""
    if isinstance(value, list):
        return [i for item in value for i in _ids_in(item)]
    if not isinstance(value, dict):
        return []
    found = [value["id"]] if isinstance(value.get("id"), str) else []
    return found + [i for v in value.values() for i in _ids_in(v)]


async def _one_id_per_type(api, world, db) -> dict[str, str]:
    await f.ingest(
        db,
        *(
            f.element(id=f"el-{kind.lower()}", team="acme", workspace="ws-team", kind=kind)
            for kind in ("COLLECTION", "ENVIRONMENT", "MOCK_SERVER", "MONITOR")
        ),
        f.audit_event(id="ev-1", team="acme", actor="ada"),
        f.invoice(id="inv-1"),
    )
    export = await api.graphql("mutation { exportPublicWorkspaces { id } }", world.admin_key)
    body = await api.graphql(SAMPLES, world.admin_key)
    assert "errors" not in body and "errors" not in export, (body, export)
    ids = _ids_in(body["data"]) + _ids_in(export["data"]) + ONLY_BY_ID
    return {_type_of(i): i for i in ids}


@pytest.mark.parametrize("type_name", NODE_TYPES)
async def test_node_fetches_each_node_type(api, world, db, type_name):
    samples = await _one_id_per_type(api, world, db)
    assert type_name in samples, (
        f"No {type_name} reached: add one to this test's world and query (SAMPLES)"
    )
    body = await api.graphql(NODE, world.admin_key, {"id": samples[type_name]})
    assert body.get("errors") is None, body
    assert body["data"]["node"] == {"id": samples[type_name], "__typename": type_name}
