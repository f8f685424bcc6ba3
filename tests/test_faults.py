"""Faults answer as faults (issue 8): a database that cannot be reached is a 503 with
a code and `Retry-After`, and a client that leaves is not a server error."""

from __future__ import annotations

from dataclasses import replace

import pytest

from tests.conftest import serving_api
from tests.ports import free_port


@pytest.fixture
def unreachable(settings, tmp_path):
    """Settings naming a database of the same kind that cannot be reached."""
    if settings.database_url.startswith("postgresql"):
        url = f"postgresql+asyncpg://postgres@127.0.0.1:{free_port()}/nowhere"
    else:
        url = f"sqlite+aiosqlite:///{tmp_path / 'no-such-dir' / 'x.db'}"
    return replace(settings, database_url=url, auto_migrate=False)


REQUESTS = [
    ("POST", "/graphql", {"json": {"query": "{ viewer { name } }"}}),
    ("GET", "/audit/logs", {}),
    ("POST", "/ingest", {"content": b'{"type": "user", "team": "t", "id": "u"}\n'}),
]


@pytest.mark.parametrize(("method", "path", "kwargs"), REQUESTS, ids=[r[1] for r in REQUESTS])
async def test_an_unreachable_database_answers_503_with_retry_after(
    unreachable, method, path, kwargs
):
    async with serving_api(unreachable) as api:
        response = await api.http.request(
            method, path, headers={"Authorization": "Bearer gq_anything"}, **kwargs
        )
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
    assert response.json()["errors"][0]["extensions"]["code"] == "SERVICE_UNAVAILABLE"


async def test_an_unreachable_database_is_not_counted_as_a_server_error(unreachable):
    async with serving_api(unreachable) as api:
        await api.http.post(
            "/graphql", json={"query": "{ viewer { name } }"}, headers={"X-Api-Key": "gqa_anything"}
        )
        metrics = (await api.http.get("/metrics")).text
    assert 'route="/graphql",status="503"' in metrics
    assert 'status="500"' not in metrics


async def _call_and_disconnect(app, path: str) -> list[dict]:
    """Send request headers promising a body, then disconnect before sending it."""
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"content-type", b"application/json"), (b"content-length", b"100")],
        "client": ("127.0.0.1", 5000),
        "server": ("testserver", 80),
    }
    sent: list[dict] = []

    async def receive() -> dict:
        return {"type": "http.disconnect"}

    async def send(message: dict) -> None:
        sent.append(message)

    await app(scope, receive, send)
    return sent


async def test_a_client_that_leaves_before_its_body_is_no_server_error(api, world, caplog):
    scope_headers = {"X-Api-Key": world.admin_key}
    await api.use_key(world.admin_key)
    app = api.app

    async def with_key(scope, receive, send):
        scope["headers"].append((b"x-api-key", scope_headers["X-Api-Key"].encode()))
        await app(scope, receive, send)

    sent = await _call_and_disconnect(with_key, "/graphql")
    assert sent[0]["status"] == 499
    metrics = (await api.http.get("/metrics")).text
    assert 'status="500"' not in metrics
    assert not [r for r in caplog.records if r.exc_info]
