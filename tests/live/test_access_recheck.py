"""auditEventAdded stops once its key loses access (issue 8): re-checked on the open socket."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import timedelta
from typing import Any

import httpx
import pytest
import websockets
from sqlalchemy import select

from graphql_api.auth.credentials import revoke_api_key
from graphql_api.auth.secrets import hash_secret
from graphql_api.config import Settings
from graphql_api.db.base import utcnow
from graphql_api.db.models import ApiKey
from tests import factories as f
from tests.live.conftest import Subscriber, serving

# Seconds between re-checks here: short, so a test waits for one in well under a second.
CHECK = 0.5
# How long after the change the subscription may end: a re-check, plus slack for
# a loaded machine (two cores shared with other test runs).
WITHIN = CHECK + 2.0

CREATE = 'mutation { createApiKey(input: {name: "live"}) { secret apiKey { id } } }'
REVOKE = "mutation($id: ID!) { revokeApiKey(id: $id) { apiKey { revokedAt } } }"


@pytest.fixture
async def checked_url(settings: Settings, db: Any) -> AsyncIterator[str]:
    """A server re-checking access every CHECK seconds; its poll is 10 minutes away,
    so nothing here ends through a poll."""
    fast = replace(
        settings, live_poll_interval=600, refresh_interval=0, live_access_check_interval=CHECK
    )
    async with serving(fast) as url:
        yield url


@pytest.fixture
async def unchecked_url(settings: Settings, db: Any) -> AsyncIterator[str]:
    """A server whose periodic re-check is 10 minutes away: what ends a subscription
    here was noticed at a wake-up."""
    slow = replace(
        settings, live_poll_interval=600, refresh_interval=0, live_access_check_interval=600
    )
    async with serving(slow) as url:
        yield url


async def _subscribed(url: str, key: str) -> Subscriber:
    client = await Subscriber.connect(url, payload={"X-Api-Key": key})
    await client.subscribe()
    # Let the server register the subscription before anything changes.
    await asyncio.sleep(0.3)
    return client


async def _ended(client: Subscriber) -> tuple[dict[str, Any], int]:
    """The error that ended the subscription (its first message: no event came before
    it), and the code the server then closed the socket with."""
    message = await client.next()
    assert message["type"] in ("next", "error"), message
    errors = message["payload"] if message["type"] == "error" else message["payload"]["errors"]
    assert message["type"] == "error" or message["payload"]["data"] is None, message
    with pytest.raises(websockets.ConnectionClosed) as closed:
        while True:
            # Only the operation's completion may come between the error and the close.
            assert (await client.next())["type"] == "complete"
    assert closed.value.rcvd is not None, "the server did not close the socket"
    return errors[0], closed.value.rcvd.code


async def _graphql(url: str, query: str, key: str, variables: dict[str, Any] | None = None) -> Any:
    async with httpx.AsyncClient() as http:
        response = await http.post(
            url.replace("ws://", "http://"),
            json={"query": query, "variables": variables or {}},
            headers={"X-Api-Key": key},
        )
    body = response.json()
    assert response.status_code == 200 and "errors" not in body, body
    return body["data"]


async def test_revoking_the_key_through_the_api_ends_its_subscription_at_once(unchecked_url, world):
    created = (await _graphql(unchecked_url, CREATE, world.admin_key))["createApiKey"]
    client = await _subscribed(unchecked_url, created["secret"])
    started = time.monotonic()
    await _graphql(unchecked_url, REVOKE, world.admin_key, {"id": created["apiKey"]["id"]})
    # The revocation's own audit event wakes the subscription, which re-checks before
    # delivering it: the error comes instead of the event.
    error, code = await _ended(client)
    assert time.monotonic() - started < WITHIN
    assert error["extensions"]["code"] == "UNAUTHENTICATED"
    assert "revoked" in error["message"]
    assert code == 4401


async def test_a_revocation_nothing_announces_is_noticed_by_the_periodic_check(
    checked_url, world, db
):
    client = await _subscribed(checked_url, world.admin_key)
    # As another server process would: in the database, with no wake-up here.
    async with db() as session, session.begin():
        key_id = await session.scalar(
            select(ApiKey.id).where(ApiKey.key_hash == hash_secret(world.admin_key))
        )
        assert await revoke_api_key(session, key_id)
    started = time.monotonic()
    error, code = await _ended(client)
    assert time.monotonic() - started < WITHIN
    assert error["extensions"]["code"] == "UNAUTHENTICATED"
    assert code == 4401


async def test_a_key_that_expires_ends_its_subscription(checked_url, world, db):
    expires_at = utcnow() + timedelta(seconds=2)
    key = await f.api_key_for(db, team="acme", email="ada@example.com", expires_at=expires_at)
    client = await _subscribed(checked_url, key)
    error, code = await _ended(client)
    assert utcnow() - expires_at < timedelta(seconds=WITHIN)
    assert error["extensions"]["code"] == "UNAUTHENTICATED"
    assert code == 4401


async def test_removing_the_member_ends_the_subscription(checked_url, world, db):
    client = await _subscribed(checked_url, world.admin_key)
    await f.ingest(
        db, f.membership(team="acme", user="ada", roles=["SUPER_ADMIN"], status="REMOVED")
    )
    started = time.monotonic()
    error, code = await _ended(client)
    assert time.monotonic() - started < WITHIN
    assert error["extensions"]["code"] == "FORBIDDEN"
    assert code == 4403


async def test_dropping_an_admin_to_developer_ends_the_subscription(checked_url, world, db):
    await f.ingest(db, f.user(id="ann"), f.membership(team="acme", user="ann", roles=["ADMIN"]))
    key = await f.api_key_for(db, team="acme", email="ann@example.com")
    client = await _subscribed(checked_url, key)
    await f.ingest(db, f.membership(team="acme", user="ann", roles=["DEVELOPER"]))
    started = time.monotonic()
    error, code = await _ended(client)
    assert time.monotonic() - started < WITHIN
    assert error["extensions"]["code"] == "FORBIDDEN"
    assert code == 4403


async def test_a_plan_without_the_audit_log_ends_the_subscription(checked_url, world, db):
    client = await _subscribed(checked_url, world.admin_key)
    await f.ingest(db, f.team(id="acme", plan="BASIC"))
    started = time.monotonic()
    error, code = await _ended(client)
    assert time.monotonic() - started < WITHIN
    assert error["extensions"]["code"] == "PLAN_REQUIRED"
    assert code == 4403


async def test_events_keep_arriving_across_checks_while_access_holds(checked_url, world, db):
    client = await _subscribed(checked_url, world.admin_key)
    for round in range(3):
        # Several re-checks pass between events.
        await asyncio.sleep(3 * CHECK)
        await f.ingest(db, f.audit_event(id=f"e{round}", team="acme", actor="ada"))
        (event,) = await client.events(1)
        assert event["message"] == f"event e{round}"
    assert await client.silent_for(2 * CHECK)
    await client.close()


async def test_a_role_change_that_keeps_the_right_keeps_the_subscription(checked_url, world, db):
    client = await _subscribed(checked_url, world.admin_key)
    await f.ingest(db, f.membership(team="acme", user="ada", roles=["ADMIN"]))
    await asyncio.sleep(3 * CHECK)
    await f.ingest(db, f.audit_event(id="after", team="acme", actor="ada", message="still here"))
    (event,) = await client.events(1)
    assert event["message"] == "still here"
    await client.close()
