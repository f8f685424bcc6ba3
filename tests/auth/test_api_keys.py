"""API keys: hashed at rest, shown once, expiring and revocable.

See docs/concepts.md#teams-viewers-and-api-keys.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, text

from graphql_api.auth.credentials import revoke_api_key
from graphql_api.db.base import utcnow
from graphql_api.db.models import ApiKey
from tests import factories as f

VIEWER = "{ viewer { username } }"


async def _status_and_code(api, headers: dict[str, str]) -> tuple[int, str]:
    response = await api.http.post("/graphql", json={"query": VIEWER}, headers=headers)
    return response.status_code, response.json()["errors"][0]["extensions"]["code"]


async def test_a_request_without_a_key_is_401_unauthenticated(api, world):
    assert await _status_and_code(api, {}) == (401, "UNAUTHENTICATED")


async def test_an_unknown_key_is_401_unauthenticated(api, world):
    assert await _status_and_code(api, {"X-Api-Key": "gqa_nope"}) == (401, "UNAUTHENTICATED")


async def test_a_key_works_in_x_api_key(api, world):
    body = await api.graphql(VIEWER, world.admin_key)
    assert body["data"]["viewer"]["username"] == "ada"


async def test_a_key_works_as_a_bearer_token(api, world):
    response = await api.http.post(
        "/graphql", json={"query": VIEWER}, headers={"Authorization": f"Bearer {world.dev_key}"}
    )
    assert response.json()["data"]["viewer"]["username"] == "dev"


async def test_a_key_is_never_read_from_a_cookie(api, world):
    api.http.cookies.set("X-Api-Key", world.admin_key)
    assert (await api.http.post("/graphql", json={"query": VIEWER})).status_code == 401


async def test_a_revoked_key_stops_working(api, world, db):
    async with db() as session, session.begin():
        key_id = (
            await session.scalars(select(ApiKey.id).where(ApiKey.last_four == world.dev_key[-4:]))
        ).one()
        await revoke_api_key(session, key_id)
    assert await _status_and_code(api, {"X-Api-Key": world.dev_key}) == (401, "UNAUTHENTICATED")


async def test_an_expired_key_stops_working(api, world, db):
    key = await f.api_key_for(
        db, team="acme", email="dev@example.com", expires_at=utcnow() - timedelta(seconds=1)
    )
    assert await _status_and_code(api, {"X-Api-Key": key}) == (401, "UNAUTHENTICATED")


async def test_a_key_with_a_future_expiry_works(api, world, db):
    key = await f.api_key_for(
        db, team="acme", email="dev@example.com", expires_at=utcnow() + timedelta(days=1)
    )
    assert (await api.graphql(VIEWER, key))["data"]["viewer"]["username"] == "dev"


async def test_a_removed_members_key_stops_working(api, world, db):
    await f.ingest(db, f.membership(team="acme", user="dev", status="REMOVED"))
    assert await _status_and_code(api, {"X-Api-Key": world.dev_key}) == (401, "UNAUTHENTICATED")


async def test_keys_are_stored_only_as_hashes(world, db):
    async with db() as session:
        dump = " ".join(
            str(v) for row in await session.execute(text("SELECT * FROM api_keys")) for v in row
        )
    assert world.admin_key not in dump and world.dev_key not in dump


async def test_using_a_key_records_when_it_was_last_used(api, world, db):
    await api.graphql(VIEWER, world.admin_key)
    async with db() as session:
        used = await session.scalar(
            select(ApiKey.last_used_at).where(ApiKey.last_four == world.admin_key[-4:])
        )
    assert used is not None
