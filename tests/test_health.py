"""Operations endpoints (docs/operations.md#health-and-readiness)."""

from __future__ import annotations

from dataclasses import replace

from tests.conftest import serving_api


async def test_healthz_says_the_process_is_up(api):
    response = await api.http.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


async def test_readyz_is_ok_on_a_migrated_database(api):
    response = await api.http.get("/readyz")
    assert response.status_code == 200 and response.json()["status"] == "ok"


async def test_readyz_is_503_on_a_database_that_was_never_migrated(settings, tmp_path):
    fresh = replace(settings, database_url=f"sqlite+aiosqlite:///{tmp_path}/new.db")
    async with serving_api(fresh) as api:
        response = await api.http.get("/readyz")
    assert response.status_code == 503


async def test_graphiql_is_served_outside_production(api):
    response = await api.http.get("/graphql", headers={"Accept": "text/html"})
    assert response.status_code == 200 and "graphiql" in response.text.lower()


async def test_production_serves_no_graphiql_and_refuses_introspection(settings, world):
    async with serving_api(replace(settings, environment="production")) as api:
        client = api.http
        page = await client.get("/graphql", headers={"Accept": "text/html"})
        introspection = await client.post(
            "/graphql",
            json={"query": "{ __schema { types { name } } }"},
            headers={"X-Api-Key": world.admin_key},
        )
    assert page.status_code in {401, 404}
    assert introspection.json()["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
