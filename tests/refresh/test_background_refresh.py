"""The server refreshes the summaries by itself: new facts reach the reports without a restart."""

from __future__ import annotations

import asyncio
from dataclasses import replace

from tests import factories as f
from tests.conftest import serving_api

QUERY = "{ team { reports { lastUpdatedAt summary { requestCount } } } }"


async def test_facts_ingested_while_the_server_runs_show_up_in_the_reports(settings, world, db):
    async with serving_api(replace(settings, refresh_interval=1), lifespan=True) as api:
        client = api.http
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
