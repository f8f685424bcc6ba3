"""The ASGI lifespan both bare peers share: an asyncpg pool opened at start-up."""

from __future__ import annotations

from typing import Any

import asyncpg


async def run_lifespan(receive: Any, send: Any, state: dict[str, asyncpg.Pool], dsn: str) -> None:
    """Open `state["pool"]` (8 connections, as the load has) at start-up; close it at shutdown."""
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            state["pool"] = await asyncpg.create_pool(dsn, min_size=8, max_size=8)
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await state["pool"].close()
            await send({"type": "lifespan.shutdown.complete"})
            return
