"""A key used a moment ago is not looked up again, and any change to access drops that.

The cache (auth/key_cache.py) saves each request the statement (and round trip)
that turns its key into a viewer. What must never happen is a key that was
revoked, or whose member was removed or demoted, still working from the cache.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator
from dataclasses import replace
from typing import Any

import asyncpg
import pytest
from sqlalchemy import event
from sqlalchemy.engine import make_url

from tests import factories as f
from tests.conftest import access_listener, serving_api

VIEWER = "{ viewer { username } }"
REVOKE = "mutation($id: ID!) { revokeApiKey(id: $id) { apiKey { id } } }"
MY_KEYS = "{ viewer { apiKeys { nodes { id isCurrent } } } }"


class KeyLookups:
    """Counts the statements that look a key up."""

    def __init__(self, api: Any) -> None:
        self.engine = api.app.state.graphql_api.engine.sync_engine
        self.count = 0

    def __call__(self, _conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if "FROM api_keys" in statement:
            self.count += 1

    def __enter__(self) -> KeyLookups:
        event.listen(self.engine, "before_cursor_execute", self)
        return self

    def __exit__(self, *_: Any) -> None:
        event.remove(self.engine, "before_cursor_execute", self)


@pytest.fixture
async def served(settings: Any, db: Any) -> AsyncIterator[Any]:
    """The app as a served process runs it (LISTEN on PostgreSQL), caching keys for a
    minute, so only a change can explain a key that stops working."""
    async with (
        access_listener(settings.database_url),
        serving_api(replace(settings, key_cache_seconds=60)) as api,
    ):
        yield api


async def _status(api: Any, key: str) -> int:
    response = await api.http.post("/graphql", json={"query": VIEWER}, headers={"X-Api-Key": key})
    return response.status_code


async def _current_key_id(api: Any, key: str) -> str:
    body = await api.graphql(MY_KEYS, key)
    return next(k["id"] for k in body["data"]["viewer"]["apiKeys"]["nodes"] if k["isCurrent"])


async def test_a_key_used_again_at_once_is_not_looked_up_again(served, world):
    await served.use_key(world.admin_key)
    with KeyLookups(served) as lookups:
        for _ in range(3):
            assert await _status(served, world.admin_key) == 200
    assert lookups.count == 0


async def test_recording_when_a_key_was_last_used_keeps_other_keys_cached(served, world):
    await served.use_key(world.admin_key)
    # The developer's key is used for the first time: its lastUsedAt is written.
    assert await _status(served, world.dev_key) == 200
    with KeyLookups(served) as lookups:
        assert await _status(served, world.admin_key) == 200
    assert lookups.count == 0


async def test_a_key_cache_of_zero_seconds_looks_every_key_up(settings, world):
    async with serving_api(replace(settings, key_cache_seconds=0)) as api:
        await api.use_key(world.admin_key)
        with KeyLookups(api) as lookups:
            for _ in range(3):
                assert await _status(api, world.admin_key) == 200
    assert lookups.count == 3


async def test_a_key_revoked_through_the_api_stops_working_on_the_next_request(served, world):
    assert await _status(served, world.dev_key) == 200
    key_id = await _current_key_id(served, world.dev_key)
    assert "errors" not in await served.graphql(REVOKE, world.dev_key, {"id": key_id})
    assert await _status(served, world.dev_key) == 401


async def test_a_member_removed_by_ingest_loses_access_on_the_next_request(served, world, db):
    assert await _status(served, world.dev_key) == 200
    await f.ingest(db, f.membership(team="acme", user="dev", status="REMOVED"))
    assert await _status(served, world.dev_key) == 401


async def test_a_role_changed_by_ingest_applies_on_the_next_request(served, world, db):
    audit = "{ team { auditEvents(first: 1) { totalCount } } }"
    assert "errors" not in await served.graphql(audit, world.admin_key)
    await f.ingest(db, f.membership(team="acme", user="ada", roles=["DEVELOPER"]))
    body = await served.graphql(audit, world.admin_key)
    assert {e["extensions"]["code"] for e in body.get("errors", [])} == {"FORBIDDEN"}


async def test_a_key_revoked_by_another_process_stops_working_at_once_on_postgresql(
    served, world, settings
):
    if not settings.database_url.startswith("postgresql"):
        pytest.skip("PostgreSQL tells other processes; SQLite has no such channel")
    assert await _status(served, world.dev_key) == 200
    # Another process: a plain connection, none of this process's engines.
    url = make_url(settings.database_url).set(drivername="postgresql")
    other = await asyncpg.connect(url.render_as_string(hide_password=False))
    try:
        await other.execute(
            "UPDATE api_keys SET revoked_at = now() "
            "WHERE key_hash = encode(sha256($1::bytea), 'hex')",
            world.dev_key.encode(),
        )
    finally:
        await other.close()
    # The notification arrives within milliseconds; the cache would keep it a minute.
    for _ in range(100):
        if await _status(served, world.dev_key) == 401:
            return
        await asyncio.sleep(0.02)
    pytest.fail("the revoked key still worked 2 s after another process revoked it")


async def test_a_key_revoked_by_another_process_on_sqlite_stops_working_within_the_cache_time(
    settings, world
):
    if not settings.database_url.startswith("sqlite"):
        pytest.skip("on PostgreSQL other processes' changes arrive at once (test above)")
    async with serving_api(replace(settings, key_cache_seconds=0.5)) as api:
        assert await _status(api, world.dev_key) == 200
        path = make_url(settings.database_url).database
        with sqlite3.connect(path) as other:
            other.execute("UPDATE api_keys SET revoked_at = '2026-01-01 00:00:00'")
        await asyncio.sleep(0.5)
        assert await _status(api, world.dev_key) == 401


async def test_without_its_listener_a_postgresql_server_looks_every_key_up(settings, world):
    if not settings.database_url.startswith("postgresql"):
        pytest.skip("PostgreSQL only")
    async with serving_api(replace(settings, key_cache_seconds=60)) as api:
        await api.use_key(world.admin_key)
        with KeyLookups(api) as lookups:
            for _ in range(2):
                assert await _status(api, world.admin_key) == 200
    assert lookups.count == 2
