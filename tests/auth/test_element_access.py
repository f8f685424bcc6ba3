"""Element access, applied in SQL before pagination.

See docs/concepts.md#element-access-and-restricted-rows.
"""

from __future__ import annotations

from graphql_api.schema.relay import to_global_id
from tests import factories as f
from tests.world import ADMIN_READABLE, DEV_HIDDEN, DEV_READABLE

ELEMENTS = "{ team { elements(first: 100) { totalCount nodes { id name } } } }"


def _ids(body: dict) -> set[str]:
    return {n["id"] for n in body["data"]["team"]["elements"]["nodes"]}


async def test_developer_sees_exactly_the_elements_the_access_rules_allow(api, world):
    body = await api.graphql(ELEMENTS, world.dev_key)
    assert _ids(body) == {to_global_id("Api", i) for i in DEV_READABLE}
    assert body["data"]["team"]["elements"]["totalCount"] == len(DEV_READABLE)


async def test_team_roles_do_not_bypass_element_access(api, world):
    body = await api.graphql(ELEMENTS, world.admin_key)
    assert _ids(body) == {to_global_id("Api", i) for i in ADMIN_READABLE}


async def test_pages_of_accessible_elements_are_full_because_access_is_applied_before_paging(
    api, world
):
    body = await api.graphql(
        "{ team { elements(first: 2) { nodes { id } pageInfo { hasNextPage } } } }", world.dev_key
    )
    assert len(body["data"]["team"]["elements"]["nodes"]) == 2


async def test_elements_can_be_filtered_by_kind(api, world):
    body = await api.graphql(
        "{ team { elements(kind: COLLECTION) { totalCount } } }", world.admin_key
    )
    assert body["data"]["team"]["elements"]["totalCount"] == 0


async def test_node_on_an_inaccessible_element_is_null_with_forbidden(api, world):
    for hidden in DEV_HIDDEN:
        kind = "Collection" if hidden.startswith("col") else "Api"
        body = await api.graphql(
            "query($id: ID!) { node(id: $id) { id } }",
            world.dev_key,
            {"id": to_global_id(kind, hidden)},
        )
        assert body["data"] == {"node": None}
        assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_node_on_an_accessible_element_returns_it(api, world):
    body = await api.graphql(
        "query($id: ID!) { node(id: $id) { ... on Api { name workspace { name } } } }",
        world.dev_key,
        {"id": to_global_id("Api", "api-private")},
    )
    assert body["data"]["node"]["name"] == "Api-Private"
    assert body["data"]["node"]["workspace"] == {"name": "Ws-Private"}


async def test_element_granted_alone_hides_its_private_workspace(api, world):
    body = await api.graphql(
        "query($id: ID!) { node(id: $id) { ... on Api { workspace { name } } } }",
        world.dev_key,
        {"id": to_global_id("Api", "api-granted")},
    )
    assert body["data"]["node"] == {"workspace": None}


async def test_revoking_a_grant_removes_access(api, world, db):
    await f.ingest(db, f.grant(subject="dev", resource="ws-private", deleted=True))
    body = await api.graphql(ELEMENTS, world.dev_key)
    assert to_global_id("Api", "api-private") not in _ids(body)


async def test_leaving_a_group_removes_the_groups_access(api, world, db):
    await f.ingest(db, f.group_member(group="platform", user="dev", deleted=True))
    body = await api.graphql(ELEMENTS, world.dev_key)
    assert to_global_id("Api", "api-grouped") not in _ids(body)
