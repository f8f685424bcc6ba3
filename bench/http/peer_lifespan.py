"""The ASGI lifespan both bare peers share: an asyncpg pool opened at start-up."""

from __future__ import annotations

from typing import Any

import asyncpg


async def run_lifespan(receive: Any, send: Any, state: dict[str, asyncpg.Pool], dsn: str) -> None:
    """Open `state["pool"]` (8 connections, as the load has) at start-up; close it at shutdown.

    Statements up to 64 KB stay prepared (asyncpg's default stops at 15 KB; W3's is 19 KB),
    as graphql-api's driver keeps its statements prepared."""
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            state["pool"] = await asyncpg.create_pool(
                dsn, min_size=8, max_size=8, max_cacheable_statement_size=64 * 1024
            )
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await state["pool"].close()
            await send({"type": "lifespan.shutdown.complete"})
            return
