"""The server refreshes the summaries by itself: new facts reach the reports without a restart."""

from __future__ import annotations

import asyncio
from dataclasses import replace

import httpx

from graphql_api.app import create_app
from tests import factories as f

QUERY = "{ team { reports { lastUpdatedAt summary { requestCount } } } }"


async def test_facts_ingested_while_the_server_runs_show_up_in_the_reports(settings, world, db):
    app = create_app(replace(settings, refresh_interval=1))
    transport = httpx.ASGITransport(app=app)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=transport, base_url="http://t") as client,
    ):
        await f.ingest(db, *[f.request(id=f"r{n}", team="acme", user="ada") for n in range(3)])
        seen = None
        for _ in range(100):  # the task runs every second; allow for a slow machine
            body = (
                await client.post(
                    "/graphql", json={"query": QUERY}, headers={"X-Api-Key": world.admin_key}
                )
            ).json()
            seen = body["data"]["team"]["reports"]
            if seen["summary"]["requestCount"] == 3:
                break
            await asyncio.sleep(0.1)
    assert seen is not None and seen["summary"]["requestCount"] == 3
    assert seen["lastUpdatedAt"] is not None
