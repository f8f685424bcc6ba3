"""Automatic persisted queries with a real client (issue 11): urql's persisted-query
exchange, run by Node.js against a served graphql-api, over POST and GET.

The client is pinned in tests/clients (package.json and its lock file); `.ci/run`
installs it with `npm ci`. Without Node.js or without that install the test skips,
saying which; tests/test_persisted_queries.py replays the protocol in Python anyway.
"""

from __future__ import annotations

import asyncio
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import serving_api
from tests.live.conftest import serving

CLIENTS = Path(__file__).parent / "clients"


def _node() -> str:
    node = shutil.which("node")
    if node is None:
        pytest.skip("Node.js is not installed: the protocol is replayed in Python instead")
    if not (CLIENTS / "node_modules" / "@urql" / "exchange-persisted").is_dir():
        pytest.skip("the test clients are not installed: run `npm ci` in tests/clients")
    return node


async def _run_urql(node: str, url: str, key: str, method: str, times: int) -> list[Any]:
    process = await asyncio.create_subprocess_exec(
        node,
        str(CLIENTS / "apq_urql.mjs"),
        url,
        key,
        method,
        str(times),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        cwd=CLIENTS,
    )
    out, err = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode == 0, err.decode()
    return [json.loads(line) for line in out.decode().splitlines() if line.strip()]


@pytest.mark.parametrize("method", ["POST", "GET"])
async def test_urqls_persisted_query_exchange_sends_the_document_once(settings, world, method):
    node = _node()
    async with serving_api(settings) as api:
        app = api.app
        expected = await api.graphql(
            "query Page($first: Int!) { team { auditEvents(first: $first) {"
            " nodes { eventId actionCode } } } }",
            world.admin_key,
            {"first": 2},
        )
        async with serving(settings, app) as ws_url:
            url = ws_url.replace("ws://", "http://")
            answers = await _run_urql(node, url, world.admin_key, method, 3)
        documents = app.state.graphql_api.persisted_queries
    assert [a["error"] for a in answers] == [None, None, None]
    assert all(a["data"] == expected["data"] for a in answers)
    # The first hash was unknown (the client then sent the document with it); the other
    # two travelled as the hash alone and were found.
    assert (documents.misses, documents.hits) == (1, 2)
