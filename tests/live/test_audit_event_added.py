"""auditEventAdded (issue 4): live audit events over graphql-transport-ws."""

from __future__ import annotations

import asyncio
import json
from dataclasses import replace

import httpx
import pytest
import websockets
from sqlalchemy import event

from graphql_api.app import create_app
from graphql_api.repositories.live_audit import READ_SLOTS
from tests import factories as f
from tests.live.conftest import PROTOCOL, Subscriber, serving


async def _settle() -> None:
    """Let the server register the subscription before anything is ingested."""
    await asyncio.sleep(0.3)


async def test_events_ingested_after_subscribing_arrive_once_in_order(server_url, world, db):
    await f.ingest(db, f.audit_event(id="before", team="acme", actor="ada"))
    client = await Subscriber.connect(server_url, payload={"X-Api-Key": world.admin_key})
    await client.subscribe()
    await _settle()
    await f.ingest(db, f.audit_event(id="a1", team="acme", actor="ada", message="first"))
    await f.ingest(
        db,
        f.audit_event(id="a2", team="acme", actor="dev", message="second"),
        f.audit_event(id="a3", team="acme", actor="ada", message="third"),
    )
    events = await client.events(3)
    assert [e["message"] for e in events] == ["first", "second", "third"]
    assert events[0]["eventId"] < events[1]["eventId"] < events[2]["eventId"]
    assert await client.silent_for(0.5)
    await client.close()


async def test_the_filter_applies_to_live_events(server_url, world, db):
    client = await Subscriber.connect(server_url, payload={"X-Api-Key": world.admin_key})
    await client.subscribe({"filter": {"actorIds": [], "search": "key"}})
    await _settle()
    await f.ingest(
        db,
        f.audit_event(id="x", team="acme", actor="ada", message="nothing here"),
        f.audit_event(id="y", team="acme", actor="ada", message="rotated a key"),
    )
    (event,) = await client.events(1)
    assert event["message"] == "rotated a key"
    await client.close()


async def test_another_teams_events_are_not_delivered(server_url, world, db):
    client = await Subscriber.connect(server_url, payload={"X-Api-Key": world.admin_key})
    await client.subscribe()
    await _settle()
    await f.ingest(db, f.audit_event(id="g", team="globex", actor="gus"))
    await f.ingest(db, f.audit_event(id="a", team="acme", actor="ada", message="ours"))
    (event,) = await client.events(1)
    assert event["message"] == "ours"
    await client.close()


async def test_the_key_may_come_in_the_upgrade_request_headers(server_url, world, db):
    client = await Subscriber.connect(server_url, headers={"X-Api-Key": world.admin_key})
    await client.subscribe()
    await _settle()
    await f.ingest(db, f.audit_event(id="a", team="acme", actor="ada", message="hello"))
    assert (await client.events(1))[0]["message"] == "hello"
    await client.close()


async def test_the_key_may_come_under_headers_in_the_connection_payload(server_url, world, db):
    payload = {"headers": {"Authorization": f"Bearer {world.admin_key}"}}
    client = await Subscriber.connect(server_url, payload=payload)
    await client.subscribe()
    await _settle()
    await f.ingest(db, f.audit_event(id="a", team="acme", actor="ada", message="nested"))
    assert (await client.events(1))[0]["message"] == "nested"
    await client.close()


async def test_a_connection_without_a_valid_key_is_closed(server_url, world):
    ws = await websockets.connect(server_url, subprotocols=[PROTOCOL])
    await ws.send('{"type": "connection_init", "payload": {"X-Api-Key": "gqa_nope"}}')
    with pytest.raises(websockets.ConnectionClosed) as closed:
        await asyncio.wait_for(ws.recv(), 5)
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 4403


async def test_a_developer_gets_forbidden(server_url, world):
    client = await Subscriber.connect(server_url, payload={"X-Api-Key": world.dev_key})
    await client.subscribe()
    message = await client.next()
    errors = message["payload"] if message["type"] == "error" else message["payload"]["errors"]
    assert errors[0]["extensions"]["code"] == "FORBIDDEN"
    await client.close()


async def test_server_written_events_are_delivered_too(server_url, world, db):
    client = await Subscriber.connect(server_url, payload={"X-Api-Key": world.admin_key})
    await client.subscribe()
    await _settle()
    http_url = server_url.replace("ws://", "http://")
    async with httpx.AsyncClient() as http:
        response = await http.post(
            http_url,
            json={"query": 'mutation { createApiKey(input: {name: "live"}) { secret } }'},
            headers={"X-Api-Key": world.admin_key},
        )
    assert response.status_code == 200
    (event,) = await client.events(1)
    assert event["action"] == "API_KEY_CREATED"
    await client.close()


async def test_opening_a_socket_counts_against_the_keys_rate_limit(settings, world):
    async with serving(replace(settings, rate_limit_per_minute=1, refresh_interval=0)) as url:
        first = await Subscriber.connect(url, payload={"X-Api-Key": world.admin_key})
        ws = await websockets.connect(url, subprotocols=[PROTOCOL])
        init = {"type": "connection_init", "payload": {"X-Api-Key": world.admin_key}}
        await ws.send(json.dumps(init))
        with pytest.raises(websockets.ConnectionClosed):
            await asyncio.wait_for(ws.recv(), 5)
        await first.close()


async def test_many_subscriptions_share_a_few_connections_when_woken(settings, world, db):
    app = create_app(replace(settings, live_poll_interval=600, refresh_interval=0))
    in_use, peak = [0], [0]

    def checkout(*_: object) -> None:
        in_use[0] += 1
        peak[0] = max(peak[0], in_use[0])

    def checkin(*_: object) -> None:
        in_use[0] -= 1

    engine = app.state.graphql_api.engine.sync_engine
    event.listen(engine, "checkout", checkout)
    event.listen(engine, "checkin", checkin)
    async with serving(settings, app) as url:
        clients = [
            await Subscriber.connect(url, payload={"X-Api-Key": world.admin_key}) for _ in range(12)
        ]
        for client in clients:
            await client.subscribe()
        await _settle()
        # Subscribing reads too (the key, the last event id); count only the wake-up.
        async with asyncio.timeout(5):
            while in_use[0]:  # noqa: ASYNC110 - the pool's count has no event to wait on
                await asyncio.sleep(0.01)
        peak[0] = 0
        await f.ingest(db, f.audit_event(id="a", team="acme", actor="ada", message="to all"))
        for client in clients:
            assert (await client.events(1))[0]["message"] == "to all"
            await client.close()
    assert peak[0] <= READ_SLOTS


async def test_a_subscription_refused_before_parsing_gets_its_code_on_the_socket(settings, world):
    # The token limit refuses a document while it is parsed: over a socket too, the
    # refusal is an error message with its code, not an operation that never answers.
    async with serving(replace(settings, max_tokens=10)) as url:
        client = await Subscriber.connect(url, payload={"X-Api-Key": world.admin_key})
        await client.subscribe()
        message = await client.next()
        await client.close()
    assert message["type"] == "error", message
    assert [e["extensions"]["code"] for e in message["payload"]] == ["QUERY_TOO_COMPLEX"]
