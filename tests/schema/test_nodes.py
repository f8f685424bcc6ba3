"""node(id:) and nodes(ids:): nullable, with a code per failure.

See docs/concepts.md#global-ids-and-node-lookup.
"""

from __future__ import annotations

from graphql_api.schema.relay import to_global_id

NODE = "query($id: ID!) { node(id: $id) { id __typename ... on Team { name } } }"


async def _node(api, key, node_id):
    return await api.graphql(NODE, key, {"id": node_id})


async def test_node_returns_the_viewers_team(api, world):
    body = await _node(api, world.admin_key, to_global_id("Team", "acme"))
    assert body["data"]["node"] == {
        "id": to_global_id("Team", "acme"),
        "__typename": "Team",
        "name": "Acme",
    }


async def test_node_on_another_team_is_null_with_not_found(api, world):
    body = await _node(api, world.admin_key, to_global_id("Team", "globex"))
    assert body["data"] == {"node": None}
    assert body["errors"][0]["extensions"]["code"] == "NOT_FOUND"


async def test_node_on_another_teams_element_is_null_with_not_found(api, world):
    body = await _node(api, world.admin_key, to_global_id("Api", "api-globex"))
    assert body["data"] == {"node": None}
    assert body["errors"][0]["extensions"]["code"] == "NOT_FOUND"


async def test_node_on_a_user_outside_the_team_is_not_found(api, world):
    body = await _node(api, world.admin_key, to_global_id("User", "gus"))
    assert body["errors"][0]["extensions"]["code"] == "NOT_FOUND"


async def test_malformed_ids_are_bad_user_input(api, world):
    for bad in ("", "%", "bm9jb2xvbg==", to_global_id("Nope", "x")):
        body = await _node(api, world.admin_key, bad)
        assert body["data"] == {"node": None}, bad
        assert body["errors"][0]["extensions"]["code"] in {"BAD_USER_INPUT", "NOT_FOUND"}, bad
    assert (await _node(api, world.admin_key, "%"))["errors"][0]["extensions"]["code"] == (
        "BAD_USER_INPUT"
    )


async def test_nodes_returns_each_node_in_order_with_an_error_per_failure(api, world):
    ids = [
        to_global_id("Api", "api-team"),
        to_global_id("Api", "api-secret"),
        "%",
        to_global_id("Team", "acme"),
    ]
    body = await api.graphql(
        "query($ids: [ID!]!) { nodes(ids: $ids) { __typename } }", world.dev_key, {"ids": ids}
    )
    assert body["data"]["nodes"] == [{"__typename": "Api"}, None, None, {"__typename": "Team"}]
    codes = {tuple(e["path"]): e["extensions"]["code"] for e in body["errors"]}
    assert codes == {("nodes", 1): "FORBIDDEN", ("nodes", 2): "BAD_USER_INPUT"}


async def test_nodes_refuses_more_than_100_ids(api, world):
    body = await api.graphql(
        "query($ids: [ID!]!) { nodes(ids: $ids) { id } }",
        world.admin_key,
        {"ids": [to_global_id("Team", "acme")] * 101},
    )
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_viewer_and_team_describe_the_keys_user_and_team(api, world):
    body = await api.graphql("{ viewer { username } team { slug plan } }", world.other_admin_key)
    assert body["data"] == {
        "viewer": {"username": "gus"},
        "team": {"slug": "globex", "plan": "ENTERPRISE"},
    }
