"""The statement timeout (issue 8): a request's statement is stopped when it runs too
long, and background work is not."""

from __future__ import annotations

from dataclasses import replace

import pytest
from graphql import GraphQLError
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from graphql_api.db.faults import is_statement_timeout
from graphql_api.schema.errors import with_codes
from graphql_api.state import AppState


def _slow_statement(dialect: str) -> str:
    """About a second of work on either database, whatever the data."""
    if dialect == "postgresql":
        return "SELECT pg_sleep(1)"
    return (
        "WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < 4000000) "
        "SELECT count(*) FROM c"
    )


@pytest.fixture
async def state(settings):
    built = AppState.build(replace(settings, statement_timeout=0.1))
    yield built
    await built.engine.dispose()


async def _timeout_error(state) -> DBAPIError:
    async with state.db() as session:
        with pytest.raises(DBAPIError) as caught:
            await session.execute(text(_slow_statement(state.engine.dialect.name)))
    return caught.value


async def test_a_request_statement_running_past_the_timeout_is_stopped(state):
    error = await _timeout_error(state)
    assert is_statement_timeout(error)


async def test_the_connection_serves_the_next_statement_after_a_timeout(state):
    await _timeout_error(state)
    async with state.db() as session:
        assert await session.scalar(text("SELECT 1")) == 1


async def test_background_work_runs_statements_longer_than_the_timeout(state):
    async with state.background_db() as session, session.begin():
        await session.execute(text(_slow_statement(state.engine.dialect.name)))
    # ... and the connection it used is bound again for the next request.
    assert is_statement_timeout(await _timeout_error(state))


async def test_a_statement_timeout_reaches_the_client_as_timeout_not_internal(state):
    error = GraphQLError("boom", original_error=await _timeout_error(state))
    (shown,) = with_codes([error]) or []
    assert shown.extensions == {"code": "TIMEOUT"}
    assert "statement timeout" in shown.message
