"""Fixtures: every database test runs on SQLite and (when configured) PostgreSQL.

Set GRAPHQL_API_TEST_POSTGRES_URL (e.g. postgresql+asyncpg://postgres@127.0.0.1:5432/test)
to run the PostgreSQL half; the suite creates and migrates its own database
`graphql_api_test` through that server. Without it those tests skip, saying why.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

import httpx
import pytest
from sqlalchemy import event, text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from graphql_api.app import create_app
from graphql_api.config import Settings
from graphql_api.db.access_changes import ACCESS_CHANGES
from graphql_api.db.admin import recreate_database
from graphql_api.db.base import Base
from graphql_api.db.engine import create_engine, create_sessionmaker
from graphql_api.db.migrate import upgrade_to_head
from graphql_api.live.listener import listen_forever
from tests import differential

pytest_plugins = ["tests.world"]

POSTGRES_ENV = "GRAPHQL_API_TEST_POSTGRES_URL"
# Two runs on one server at once (CI and a developer) each name their own database.
POSTGRES_TEST_DB = os.environ.get("GRAPHQL_API_TEST_POSTGRES_DB", "graphql_api_test")
SECRET = "test-secret"


@pytest.fixture(
    scope="session",
    params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)],
)
def database_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    """A migrated, empty database of each kind, made once per test run."""
    if request.param == "sqlite":
        url = f"sqlite+aiosqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
    else:
        admin = os.environ.get(POSTGRES_ENV)
        if not admin:
            pytest.skip(
                f"PostgreSQL tests need {POSTGRES_ENV}, e.g. "
                "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
            )
        url = asyncio.run(recreate_database(admin, POSTGRES_TEST_DB))
    upgrade_to_head(url)
    return url


async def _empty_all_tables(engine: AsyncEngine) -> None:
    tables = [t.name for t in reversed(Base.metadata.sorted_tables)]
    async with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            names = ", ".join(f'"{t}"' for t in tables)
            await connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                await connection.execute(text(f'DELETE FROM "{table}"'))


@pytest.fixture
def settings(database_url: str) -> Settings:
    # GRAPHQL_API_TEST_COMPILED=0 runs the suite with compiled operations off (CI does,
    # besides the default run); a test of the compiled path is marked `compiled`.
    compiled = os.environ.get("GRAPHQL_API_TEST_COMPILED", "1").strip() != "0"
    return Settings(
        database_url=database_url,
        secret_key=SECRET,
        environment="test",
        compiled_operations=compiled,
    )


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """How many of the suite's operations were answered through a plan and through the
    executor, and found equal (tests/differential.py)."""
    compared = differential.COMPARED["operations"]
    terminalreporter.write_line(
        f"differential: {compared} operations answered by a compiled plan and by the "
        "executor, equal"
        + ("" if differential.ENABLED else " (off: GRAPHQL_API_TEST_DIFFERENTIAL=0)")
    )


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """With compiled operations off (GRAPHQL_API_TEST_COMPILED=0), a test of them (marked
    `compiled`; those under tests/compiled turn them on themselves) is skipped: it ran
    in the default run."""
    if os.environ.get("GRAPHQL_API_TEST_COMPILED", "1").strip() != "0":
        return
    twice = pytest.mark.skip(reason="a test of compiled operations: ran in the default run")
    for item in items:
        if item.get_closest_marker("compiled") is not None:
            item.add_marker(twice)


@pytest.fixture(autouse=True)
def _sends_once(request: pytest.FixtureRequest) -> Iterator[None]:
    """A test marked `sends_once` counts what its requests do: no operation of it is
    sent again to compare a plan with the executor (tests/differential.py)."""
    differential.SENDING_ONCE = request.node.get_closest_marker("sends_once") is not None
    yield
    differential.SENDING_ONCE = False


@pytest.fixture
async def db(settings: Settings) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    """Sessions on an emptied database, for arranging data and checking what was written."""
    engine = create_engine(settings.database_url)
    await _empty_all_tables(engine)
    yield create_sessionmaker(engine)
    await engine.dispose()


@dataclass
class Api:
    """The app under test, reached over real HTTP through its ASGI interface."""

    app: Any
    http: httpx.AsyncClient

    async def graphql(
        self, query: str, key: str | None, variables: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        """POST a query with an API key; return the JSON body (asserting HTTP 200).

        When the server holds a plan for it, it is also sent through the plan and
        through the executor, whose answers must be equal (tests/differential.py)."""
        headers = {"X-Api-Key": key} if key else {}

        async def send() -> dict[str, Any]:
            response = await self.http.post(
                "/graphql", json={"query": query, "variables": variables or {}}, headers=headers
            )
            assert response.status_code == 200, response.text
            return response.json()  # type: ignore[no-any-return]

        body = await send()
        await differential.compare_paths(self.app, query, variables or {}, send)
        return body

    async def use_key(self, key: str) -> None:
        """Use `key` once. Its first use records `lastUsedAt` (a write, at most once a
        minute), which tests counting statements per request must not count."""
        await self.graphql("{ viewer { id } }", key)


ApiT = TypeVar("ApiT", bound=Api)


@contextlib.asynccontextmanager
async def serving_api(
    settings: Settings,
    *,
    lifespan: bool = False,
    api_class: type[ApiT] = Api,  # type: ignore[assignment]
) -> AsyncIterator[ApiT]:
    """The app for `settings`, reached through its ASGI interface; with `lifespan`, its
    background tasks (refresh, export worker, LISTEN) run as in a served process."""
    app = create_app(settings)
    async with contextlib.AsyncExitStack() as stack:
        if lifespan:
            await stack.enter_async_context(app.router.lifespan_context(app))
        transport = httpx.ASGITransport(app=app)
        client = await stack.enter_async_context(
            httpx.AsyncClient(transport=transport, base_url="http://testserver")
        )
        yield api_class(app, client)
    await app.state.graphql_api.engine.dispose()


@contextlib.asynccontextmanager
async def access_listener(database_url: str) -> AsyncIterator[None]:
    """On PostgreSQL, the LISTEN connection a served process holds (it lets the process
    trust its cached viewers), open until the block ends; nothing on SQLite."""
    if not database_url.startswith("postgresql"):
        yield
        return
    stop = asyncio.Event()
    task = asyncio.create_task(listen_forever(database_url, stop))
    try:
        for _ in range(500):
            if ACCESS_CHANGES.listening:
                break
            await asyncio.sleep(0.01)
        assert ACCESS_CHANGES.listening, "the access LISTEN connection did not open"
        yield
    finally:
        stop.set()
        await task


@pytest.fixture
async def api(settings: Settings, db: async_sessionmaker[AsyncSession]) -> AsyncIterator[Api]:
    async with serving_api(settings) as served:
        yield served


class StatementCounter:
    """Counts SQL statements the app sends while active."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, *args: Any) -> None:
        self.count += 1


@pytest.fixture
def statements(api: Api) -> Iterator[StatementCounter]:
    counter = StatementCounter()
    engine = api.app.state.graphql_api.engine.sync_engine
    event.listen(engine, "before_cursor_execute", counter)
    yield counter
    event.remove(engine, "before_cursor_execute", counter)
