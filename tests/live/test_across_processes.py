"""On PostgreSQL, live events cross server processes (LISTEN/NOTIFY).

A second server runs as its own process; the events are written by this
one. Its subscriptions poll only every ten minutes, so an event that
arrives within seconds came through PostgreSQL's notification.
"""

from __future__ import annotations

import asyncio
import os
import sys

import httpx
import pytest

from tests import factories as f
from tests.conftest import SECRET
from tests.live.conftest import Subscriber
from tests.ports import free_port


@pytest.fixture
async def other_process(settings):
    if not settings.database_url.startswith("postgresql"):
        pytest.skip("across processes is PostgreSQL's job; SQLite serves from one process")
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": settings.database_url,
        "GRAPHQL_API_SECRET_KEY": SECRET,
        "GRAPHQL_API_ENV": "test",
        "GRAPHQL_API_REFRESH_INTERVAL": "0",
        "GRAPHQL_API_LIVE_POLL_INTERVAL": "600",
    }
    process = await asyncio.create_subprocess_exec(
        *(sys.executable, "-m", "graphql_api.cli", "serve", "--port", str(port)),
        env=env,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    async with httpx.AsyncClient() as http:
        for _ in range(200):
            try:
                if (await http.get(f"{base}/readyz")).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.05)
        else:
            process.kill()
            _, stderr = await process.communicate()
            pytest.fail(f"server did not start: {stderr.decode()[-2000:]}")
    yield f"ws://127.0.0.1:{port}/graphql"
    process.terminate()
    await process.wait()


async def test_an_event_written_by_one_process_reaches_a_subscriber_of_another(
    other_process, world, db
):
    client = await Subscriber.connect(other_process, payload={"X-Api-Key": world.admin_key})
    await client.subscribe()
    await asyncio.sleep(0.5)
    await f.ingest(db, f.audit_event(id="x", team="acme", actor="ada", message="from afar"))
    (event,) = await client.events(1)
    assert event["message"] == "from afar"
    await client.close()
