"""Statements per request, transaction control included, do not grow with page size.

Counted as SQLAlchemy sends them: every statement, and every BEGIN, COMMIT and
ROLLBACK of a connection that is not in autocommit. A key used a moment ago is
not looked up again (auth/key_cache.py; on PostgreSQL while the server listens
for access changes, as a served process does); a query then reads one snapshot
(BEGIN, its statements, ROLLBACK).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace
from typing import Any

import pytest
from sqlalchemy import event

from tests import factories as f
from tests.conftest import access_listener, serving_api

# The newest audit events with their actors, as a dashboard's audit page asks.
AUDIT_PAGE = """query($n: Int) { team { auditEvents(first: $n) {
  nodes { eventId action timestamp actor { id name email } }
  pageInfo { endCursor hasNextPage } } } }"""


class AllStatements:
    """Counts statements and transaction control the app's engine sends."""

    def __init__(self, engine: Any) -> None:
        self.engine = engine
        self.count = 0

    def statement(self, conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        self.count += 1

    def control(self, conn: Any) -> None:
        if conn.get_execution_options().get("isolation_level") != "AUTOCOMMIT":
            self.count += 1

    def begin(self, conn: Any) -> None:
        # pysqlite sends no BEGIN of its own: a snapshot sends one as a statement.
        if conn.dialect.name != "sqlite":
            self.control(conn)

    def __enter__(self) -> AllStatements:
        event.listen(self.engine, "before_cursor_execute", self.statement)
        event.listen(self.engine, "begin", self.begin)
        for name in ("commit", "rollback"):
            event.listen(self.engine, name, self.control)
        return self

    def __exit__(self, *exc: Any) -> None:
        event.remove(self.engine, "before_cursor_execute", self.statement)
        event.remove(self.engine, "begin", self.begin)
        for name in ("commit", "rollback"):
            event.remove(self.engine, name, self.control)


async def _counted(api: Any, key: str, query: str, variables: dict[str, Any]) -> int:
    await api.use_key(key)  # the key's lastUsedAt is written once a minute, not here
    with AllStatements(api.app.state.graphql_api.engine.sync_engine) as counter:
        body = await api.graphql(query, key, variables)
    assert "errors" not in body, body
    return counter.count


@pytest.fixture(autouse=True)
async def listening(settings: Any) -> AsyncIterator[None]:
    """The LISTEN connection a served process holds (PostgreSQL only)."""
    async with access_listener(settings.database_url):
        yield


@pytest.fixture
async def executor(settings: Any, db: Any) -> AsyncIterator[Any]:
    """The server with compiled operations off: every operation through strawberry."""
    async with serving_api(replace(settings, compiled_operations=False)) as served:
        yield served


@pytest.fixture
async def hundred_events(world: Any, db: Any) -> None:
    await f.ingest(
        db,
        *[f.audit_event(id=f"e{i}", team="acme", actor="ada") for i in range(120)],
    )


@pytest.mark.parametrize("size", [1, 50, 100])
async def test_an_executed_audit_page_with_actors_costs_three_statements_at_any_size(
    executor, world, hundred_events, size
):
    # BEGIN, the page, ROLLBACK: the key was looked up on its previous use.
    assert await _counted(executor, world.admin_key, AUDIT_PAGE, {"n": size}) == 3


AUDIT_PAGE_AFTER = """query($n: Int, $after: String) { team {
  auditEvents(first: $n, after: $after) {
    nodes { eventId } pageInfo { endCursor hasNextPage %s } } } }"""


async def _cursor_after(api: Any, key: str, rows: int) -> str:
    body = await api.graphql(AUDIT_PAGE_AFTER % "", key, {"n": rows, "after": None})
    return str(body["data"]["team"]["auditEvents"]["pageInfo"]["endCursor"])


async def test_a_later_page_that_does_not_ask_for_the_previous_flag_costs_no_probe(
    executor, world, hundred_events
):
    after = await _cursor_after(executor, world.admin_key, 7)
    query = AUDIT_PAGE_AFTER % ""
    assert await _counted(executor, world.admin_key, query, {"n": 50, "after": after}) == 3


async def test_a_later_page_that_asks_for_the_previous_flag_probes_once(
    executor, world, hundred_events
):
    after = await _cursor_after(executor, world.admin_key, 7)
    query = AUDIT_PAGE_AFTER % "hasPreviousPage"
    assert await _counted(executor, world.admin_key, query, {"n": 50, "after": after}) == 4


@pytest.mark.compiled
@pytest.mark.sends_once
async def test_a_compiled_later_page_costs_one_statement(api, world, hundred_events):
    after = await _cursor_after(api, world.admin_key, 7)  # compiles the document
    query = AUDIT_PAGE_AFTER % ""
    assert await _counted(api, world.admin_key, query, {"n": 50, "after": after}) == 1


@pytest.mark.compiled
@pytest.mark.sends_once
async def test_a_compiled_later_page_with_the_previous_flag_probes_in_one_snapshot(
    api, world, hundred_events
):
    query = AUDIT_PAGE_AFTER % "hasPreviousPage"
    body = await api.graphql(query, world.admin_key, {"n": 7, "after": None})
    after = body["data"]["team"]["auditEvents"]["pageInfo"]["endCursor"]
    # BEGIN, the page, the probe, ROLLBACK.
    assert await _counted(api, world.admin_key, query, {"n": 50, "after": after}) == 4


@pytest.mark.compiled
@pytest.mark.sends_once
@pytest.mark.parametrize("size", [1, 50, 100])
async def test_a_compiled_audit_page_costs_one_statement_at_any_size(
    api, world, hundred_events, size
):
    # Its first answer (strawberry's) compiles it; then one statement, no transaction.
    await api.graphql(AUDIT_PAGE, world.admin_key, {"n": size})
    assert await _counted(api, world.admin_key, AUDIT_PAGE, {"n": size}) == 1


@pytest.mark.compiled
@pytest.mark.sends_once
async def test_a_compiled_audit_page_with_its_count_reads_one_snapshot(api, world, hundred_events):
    query = AUDIT_PAGE.replace("pageInfo {", "totalCount pageInfo {")
    await api.graphql(query, world.admin_key, {"n": 50})
    # BEGIN, the page, its COUNT, ROLLBACK.
    assert await _counted(api, world.admin_key, query, {"n": 50}) == 4
