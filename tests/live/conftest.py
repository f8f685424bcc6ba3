"""Subscriptions need a real WebSocket: these tests serve the app with uvicorn on loopback."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from dataclasses import replace
from typing import Any

import pytest
import uvicorn
import websockets

from graphql_api.app import create_app
from graphql_api.config import Settings
from tests.ports import free_port

PROTOCOL = "graphql-transport-ws"
SUBSCRIBE = """subscription($filter: AuditEventFilter) {
  auditEventAdded(filter: $filter) { eventId action message actor { username } } }"""


@contextlib.asynccontextmanager
async def serving(settings: Settings, app: Any = None) -> AsyncIterator[str]:
    """The app (default: one for `settings`) served by uvicorn on a free loopback port;
    yields its WebSocket URL."""
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(
            app or create_app(settings), host="127.0.0.1", port=port, log_level="warning"
        )
    )
    task = asyncio.create_task(server.serve())
    try:
        # uvicorn offers a flag, not an event, for "listening".
        while not server.started:  # noqa: ASYNC110
            await asyncio.sleep(0.01)
        yield f"ws://127.0.0.1:{port}/graphql"
    finally:
        server.should_exit = True
        await task


@pytest.fixture
async def server_url(settings: Settings, db: Any) -> AsyncIterator[str]:
    """Subscriptions here poll only every 10 minutes, so an event that arrives
    quickly arrived through a wake-up."""
    async with serving(replace(settings, live_poll_interval=600, refresh_interval=0)) as url:
        yield url


class Subscriber:
    """A graphql-transport-ws client, as GraphiQL or graphql-ws speak it."""

    def __init__(self, socket: Any) -> None:
        self.socket = socket

    @classmethod
    async def connect(
        cls,
        url: str,
        *,
        payload: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> Subscriber:
        ws = await websockets.connect(url, subprotocols=[PROTOCOL], additional_headers=headers)
        await ws.send(json.dumps({"type": "connection_init", "payload": payload or {}}))
        ack = json.loads(await asyncio.wait_for(ws.recv(), 5))
        assert ack["type"] == "connection_ack", ack
        return cls(ws)

    async def subscribe(self, variables: dict[str, Any] | None = None, id: str = "1") -> None:
        message = {"query": SUBSCRIBE, "variables": variables or {}}
        await self.socket.send(json.dumps({"id": id, "type": "subscribe", "payload": message}))

    async def next(self) -> dict[str, Any]:
        """The next message; fails after five seconds of silence."""
        async with asyncio.timeout(5):
            return json.loads(await self.socket.recv())  # type: ignore[no-any-return]

    async def events(self, count: int) -> list[dict[str, Any]]:
        out = []
        for _ in range(count):
            message = await self.next()
            assert message["type"] == "next", message
            out.append(message["payload"]["data"]["auditEventAdded"])
        return out

    async def silent_for(self, seconds: float) -> bool:
        try:
            await asyncio.wait_for(self.socket.recv(), seconds)
        except TimeoutError:
            return True
        return False

    async def close(self) -> None:
        await self.socket.close()
