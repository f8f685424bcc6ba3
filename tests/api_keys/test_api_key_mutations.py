"""API keys through GraphQL: created with the secret shown once, listed, revoked, audited."""

from __future__ import annotations

from datetime import timedelta

from graphql_api.db.base import utcnow

CREATE = """
mutation($input: CreateApiKeyInput!) {
  createApiKey(input: $input) { secret apiKey { id name lastFour createdAt expiresAt revokedAt } }
}"""
REVOKE = "mutation($id: ID!) { revokeApiKey(id: $id) { apiKey { id revokedAt } } }"
KEYS = """
query($revoked: Boolean) {
  viewer { apiKeys(includeRevoked: $revoked) {
    totalCount nodes { id name lastFour lastUsedAt isCurrent revokedAt }
  } }
}"""
AUDIT = """{ team { auditEvents(filter: {actions: [API_KEY_CREATED, API_KEY_REVOKED]}) {
  nodes { action message actor { username } userAgent data } } } }"""


async def _create(api, key: str, name: str = "CI", **extra) -> dict:
    body = await api.graphql(CREATE, key, {"input": {"name": name, **extra}})
    assert "errors" not in body, body
    return body["data"]["createApiKey"]


async def test_create_api_key_returns_a_secret_that_authenticates(api, world):
    created = await _create(api, world.dev_key)
    body = await api.graphql("{ viewer { username } }", created["secret"])
    assert body["data"]["viewer"]["username"] == "dev"
    assert created["apiKey"]["lastFour"] == created["secret"][-4:]


async def test_viewer_api_keys_lists_own_keys_without_secrets(api, world):
    created = await _create(api, world.dev_key, "laptop")
    body = await api.graphql(KEYS, world.dev_key)
    keys = body["data"]["viewer"]["apiKeys"]
    assert keys["totalCount"] == 2
    newest, current = keys["nodes"]
    assert newest == {
        "id": created["apiKey"]["id"],
        "name": "laptop",
        "lastFour": created["secret"][-4:],
        "lastUsedAt": None,
        "isCurrent": False,
        "revokedAt": None,
    }
    assert current["isCurrent"] is True and current["lastUsedAt"] is not None
    assert created["secret"] not in str(body)


async def test_another_users_api_keys_are_forbidden(api, world):
    body = await api.graphql(
        "{ team { members { nodes { user { username apiKeys { totalCount } } } } } }",
        world.admin_key,
    )
    codes = {e["extensions"]["code"] for e in body["errors"]}
    assert codes == {"FORBIDDEN"}
    users = {
        m["user"]["username"]: m["user"]["apiKeys"]
        for m in body["data"]["team"]["members"]["nodes"]
    }
    assert users["dev"] is None and users["ada"] == {"totalCount": 1}


async def test_revoked_key_stops_working_and_leaves_the_default_list(api, world):
    created = await _create(api, world.dev_key)
    body = await api.graphql(REVOKE, world.dev_key, {"id": created["apiKey"]["id"]})
    assert body["data"]["revokeApiKey"]["apiKey"]["revokedAt"] is not None
    response = await api.http.post(
        "/graphql", json={"query": "{ viewer { id } }"}, headers={"X-Api-Key": created["secret"]}
    )
    assert response.status_code == 401
    listed = await api.graphql(KEYS, world.dev_key)
    assert listed["data"]["viewer"]["apiKeys"]["totalCount"] == 1
    everything = await api.graphql(KEYS, world.dev_key, {"revoked": True})
    assert everything["data"]["viewer"]["apiKeys"]["totalCount"] == 2


async def test_a_member_cannot_revoke_another_members_key(api, world):
    admins = await _create(api, world.admin_key)
    body = await api.graphql(REVOKE, world.dev_key, {"id": admins["apiKey"]["id"]})
    assert body["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    still = await api.graphql("{ viewer { username } }", admins["secret"])
    assert still["data"]["viewer"]["username"] == "ada"


async def test_an_admin_can_revoke_a_members_key(api, world):
    devs = await _create(api, world.dev_key)
    body = await api.graphql(REVOKE, world.admin_key, {"id": devs["apiKey"]["id"]})
    assert body["data"]["revokeApiKey"]["apiKey"]["revokedAt"] is not None


async def test_a_key_of_another_team_is_not_found(api, world):
    theirs = await _create(api, world.other_admin_key)
    body = await api.graphql(REVOKE, world.admin_key, {"id": theirs["apiKey"]["id"]})
    assert body["errors"][0]["extensions"]["code"] == "NOT_FOUND"


async def test_creating_and_revoking_keys_records_audit_events(api, world):
    created = await _create(api, world.admin_key, "siem")
    await api.graphql(REVOKE, world.admin_key, {"id": created["apiKey"]["id"]})
    await api.graphql(REVOKE, world.admin_key, {"id": created["apiKey"]["id"]})  # a no-op
    body = await api.graphql(AUDIT, world.admin_key)
    events = body["data"]["team"]["auditEvents"]["nodes"]
    assert [e["action"] for e in events] == ["API_KEY_REVOKED", "API_KEY_CREATED"]
    assert all(e["actor"]["username"] == "ada" for e in events)
    assert events[1]["data"]["apiKey"] == {"id": created["apiKey"]["id"], "name": "siem"}
    assert events[1]["userAgent"].startswith("python-httpx")
    assert created["secret"] not in str(body)


async def test_an_expiry_in_the_past_is_bad_user_input(api, world):
    past = (utcnow() - timedelta(days=1)).isoformat()
    body = await api.graphql(CREATE, world.dev_key, {"input": {"name": "x", "expiresAt": past}})
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert body["data"] is None


async def test_an_empty_name_is_bad_user_input(api, world):
    body = await api.graphql(CREATE, world.dev_key, {"input": {"name": "  "}})
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    listed = await api.graphql(KEYS, world.dev_key)
    assert listed["data"]["viewer"]["apiKeys"]["totalCount"] == 1


async def test_an_expiring_key_shows_its_expiry(api, world):
    later = (utcnow() + timedelta(days=30)).replace(microsecond=0)
    created = await _create(api, world.dev_key, expiresAt=later.isoformat())
    assert created["apiKey"]["expiresAt"].startswith(later.isoformat()[:19])
