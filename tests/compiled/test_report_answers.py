"""A compiled report's answer is served from memory until what it was read from changes.

The cache (graphql_api/compiled/answers.py) saves a repeated report request its SQL.
What must never happen is an answer outliving a change: new facts folded in by a
refresh, a grant withdrawn, a viewer with other access, another process's write.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator
from dataclasses import replace
from typing import Any

import asyncpg
import pytest
from sqlalchemy import Table, event, text
from sqlalchemy.engine import make_url

import graphql_api.db.models  # noqa: F401  (every table in Base.metadata)
from graphql_api.db.base import Base, utcnow
from graphql_api.db.report_changes import NOT_REPORTED, REPORT_TABLES
from graphql_api.refresh.service import refresh
from tests import factories as f
from tests.conftest import access_listener, serving_api

SUMMARY = (
    "{ team { reports { lastUpdatedAt summary { requestCount series { date requestCount } } } } }"
)
TEAM_APIS = (
    "query($n: Int!) { team { reports { teamApis(first: $n, orderBy: {field: NAME}) {"
    " totalCount restrictedCount nodes { name requestCount } } } } }"
)


# These tests count hits and statements (no request is sent again to compare paths),
# with compiled operations on in every run.
pytestmark = [pytest.mark.sends_once, pytest.mark.compiled]


def _caching(settings: Any, seconds: float) -> Any:
    """`settings` compiling operations and keeping report answers for `seconds`."""
    return replace(settings, compiled_operations=True, report_cache_seconds=seconds)


class Statements:
    """Counts the SQL statements the server runs."""

    def __init__(self, api: Any) -> None:
        self.engine = api.app.state.graphql_api.engine.sync_engine
        self.count = 0

    def __call__(self, *_: Any) -> None:
        self.count += 1

    def __enter__(self) -> Statements:
        event.listen(self.engine, "before_cursor_execute", self)
        return self

    def __exit__(self, *_: Any) -> None:
        event.remove(self.engine, "before_cursor_execute", self)


@pytest.fixture
async def served(settings: Any, world: Any, db: Any) -> AsyncIterator[Any]:
    """A served process (LISTEN on PostgreSQL) keeping answers a minute on SQLite, so
    only a change can explain an answer that is read again; with facts refreshed."""
    await f.ingest(db, *(_request(n) for n in range(5)))
    await refresh(db, utcnow())
    async with (
        access_listener(settings.database_url),
        serving_api(_caching(settings, 60)) as api,
    ):
        yield api


def _request(n: int, api: str = "api-team") -> dict[str, Any]:
    record = f.request(id=f"rq{n}", team="acme", user="ada", source="REQUEST_BUILDER")
    record.update(at=f.ago(hours=n + 1), api=api)
    return record


async def _report(api: Any, key: str, query: str = SUMMARY, **variables: Any) -> Any:
    """The answer, taught first: a document is compiled after its first clean answer."""
    body = await api.graphql(query, key, variables)
    assert "errors" not in body, body
    return body


def _cache(api: Any) -> Any:
    return api.app.state.graphql_api.compiled.answers


async def test_a_report_asked_again_is_answered_from_memory_without_sql(served, world):
    await _report(served, world.admin_key)  # compiled after this clean answer
    first = await _report(served, world.admin_key)
    with Statements(served) as statements:
        again = await _report(served, world.admin_key)
    assert again == first
    assert statements.count == 0
    assert _cache(served).hits == 1


async def test_the_hit_rate_is_in_the_metrics(served, world):
    for _ in range(4):
        await _report(served, world.admin_key)
    text = (await served.http.get("/metrics")).text
    assert "graphql_api_report_answer_cache_hits_total 2.0" in text
    assert "graphql_api_report_answer_cache_misses_total 1.0" in text


async def test_a_refresh_that_folds_new_facts_is_seen_by_the_next_request(served, world, db):
    await _report(served, world.admin_key)
    before = await _report(served, world.admin_key)
    await f.ingest(db, _request(100))
    await refresh(db, utcnow())
    after = await _report(served, world.admin_key)
    count = after["data"]["team"]["reports"]["summary"]["requestCount"]
    assert count == before["data"]["team"]["reports"]["summary"]["requestCount"] + 1


async def test_facts_not_yet_folded_in_leave_the_answer_as_it_was(served, world, db):
    await _report(served, world.admin_key)
    before = await _report(served, world.admin_key)
    await f.ingest(db, _request(100))  # reports change with the refresh, not the ingest
    with Statements(served) as statements:
        assert await _report(served, world.admin_key) == before
    assert statements.count == 0


async def test_a_withdrawn_grant_masks_the_api_on_the_next_request(served, world, db):
    await _report(served, world.dev_key, TEAM_APIS, n=20)
    before = await _report(served, world.dev_key, TEAM_APIS, n=20)
    await f.ingest(db, f.grant(subject="dev", resource="api-granted", deleted=True))
    after = await _report(served, world.dev_key, TEAM_APIS, n=20)
    page = after["data"]["team"]["reports"]["teamApis"]
    assert page["restrictedCount"] == (
        before["data"]["team"]["reports"]["teamApis"]["restrictedCount"] + 1
    )


async def test_a_viewer_with_other_access_never_gets_another_viewers_answer(served, world):
    for _ in range(2):
        admin = await _report(served, world.admin_key, TEAM_APIS, n=20)
    developer = await _report(served, world.dev_key, TEAM_APIS, n=20)
    # The super admin holds no grants (tests/world.py): dev, with grants, sees more.
    admin_hidden = admin["data"]["team"]["reports"]["teamApis"]["restrictedCount"]
    assert developer["data"]["team"]["reports"]["teamApis"]["restrictedCount"] < admin_hidden


async def test_other_variables_are_answers_of_their_own(served, world):
    for _ in range(2):
        await _report(served, world.admin_key, TEAM_APIS, n=1)
    two = await _report(served, world.admin_key, TEAM_APIS, n=2)
    assert len(two["data"]["team"]["reports"]["teamApis"]["nodes"]) == 2


async def test_a_cache_of_zero_seconds_reads_every_report(settings, world):
    async with (
        access_listener(settings.database_url),
        serving_api(_caching(settings, 0)) as api,
    ):
        for _ in range(2):
            await _report(api, world.admin_key)
        with Statements(api) as statements:
            await _report(api, world.admin_key)
        assert statements.count > 0
        assert _cache(api).hits == 0


async def test_another_process_refreshing_on_postgresql_is_seen_at_once(served, world, settings):
    if not settings.database_url.startswith("postgresql"):
        pytest.skip("PostgreSQL tells other processes; SQLite has no such channel")
    await _report(served, world.admin_key)
    before = await _report(served, world.admin_key)
    # Another process: a plain connection, none of this process's engines.
    url = make_url(settings.database_url).set(drivername="postgresql")
    other = await asyncpg.connect(url.render_as_string(hide_password=False))
    try:
        await other.execute("UPDATE daily_team_requests SET requests = requests + 7")
    finally:
        await other.close()
    expected = before["data"]["team"]["reports"]["summary"]["requestCount"]
    # The notification arrives within milliseconds; the cache would keep it for ever.
    for _ in range(100):
        body = await _report(served, world.admin_key)
        if body["data"]["team"]["reports"]["summary"]["requestCount"] != expected:
            return
        await asyncio.sleep(0.02)
    pytest.fail("the answer was still served 2 s after another process changed its facts")


async def test_another_process_writing_on_sqlite_is_seen_within_the_cache_time(settings, world, db):
    if not settings.database_url.startswith("sqlite"):
        pytest.skip("on PostgreSQL other processes' changes arrive at once (test above)")
    await f.ingest(db, *(_request(n) for n in range(5)))
    await refresh(db, utcnow())
    async with serving_api(_caching(settings, 0.5)) as api:
        await _report(api, world.admin_key)
        before = await _report(api, world.admin_key)
        path = make_url(settings.database_url).database
        with sqlite3.connect(path) as other:
            other.execute("UPDATE daily_team_requests SET requests = requests + 7")
        await asyncio.sleep(0.5)
        after = await _report(api, world.admin_key)
    count = before["data"]["team"]["reports"]["summary"]["requestCount"]
    assert after["data"]["team"]["reports"]["summary"]["requestCount"] > count


async def test_without_its_listener_a_postgresql_server_reads_every_report(settings, world):
    if not settings.database_url.startswith("postgresql"):
        pytest.skip("PostgreSQL only")
    async with serving_api(_caching(settings, 60)) as api:
        for _ in range(3):
            await _report(api, world.admin_key)
        assert _cache(api).hits == 0


def test_every_table_is_either_read_by_reports_or_said_not_to_be():
    tables = {t.name for t in Base.metadata.sorted_tables if isinstance(t, Table)}
    assert set(REPORT_TABLES) | set(NOT_REPORTED) == tables
    assert not set(REPORT_TABLES) & set(NOT_REPORTED)


async def test_every_table_reports_read_tells_other_processes_on_postgresql(settings, db):
    if not settings.database_url.startswith("postgresql"):
        pytest.skip("PostgreSQL only: SQLite has no other process to tell")
    async with db() as session:
        rows = await session.execute(
            text(
                "SELECT DISTINCT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid"
                " WHERE t.tgname LIKE '%\\_reports\\_changed'"
            )
        )
        notified = {name for (name,) in rows}
    assert notified == set(REPORT_TABLES)
