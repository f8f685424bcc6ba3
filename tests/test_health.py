"""Operations endpoints (CONTRACT section 9)."""

from __future__ import annotations

from dataclasses import replace

import httpx

from graphql_api.app import create_app


async def test_healthz_says_the_process_is_up(api):
    response = await api.http.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


async def test_readyz_is_ok_on_a_migrated_database(api):
    response = await api.http.get("/readyz")
    assert response.status_code == 200 and response.json()["status"] == "ok"


async def test_readyz_is_503_on_a_database_that_was_never_migrated(settings, tmp_path):
    app = create_app(replace(settings, database_url=f"sqlite+aiosqlite:///{tmp_path}/new.db"))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        response = await client.get("/readyz")
    await app.state.graphql_api.engine.dispose()
    assert response.status_code == 503


async def test_graphiql_is_served_outside_production(api):
    response = await api.http.get("/graphql", headers={"Accept": "text/html"})
    assert response.status_code == 200 and "graphiql" in response.text.lower()


async def test_production_serves_no_graphiql_and_refuses_introspection(settings, world):
    app = create_app(replace(settings, environment="production"))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        page = await client.get("/graphql", headers={"Accept": "text/html"})
        introspection = await client.post(
            "/graphql",
            json={"query": "{ __schema { types { name } } }"},
            headers={"X-Api-Key": world.admin_key},
        )
    await app.state.graphql_api.engine.dispose()
    assert page.status_code in {401, 404}
    assert introspection.json()["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
