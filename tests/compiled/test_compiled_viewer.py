"""A compiled `viewer` answers exactly what strawberry's executor answers, in one
statement outside any transaction.

As for audit pages (test_compiled_equals_executor.py): two servers on one database,
one compiling and one not; the second sending of a document is answered from its
plan, and both answers must be equal, for every key.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlalchemy import event

from tests.compiled.pairs import answers, compiling_and_executing

# The compiled path against the executor: compiled operations on in every run.
pytestmark = pytest.mark.compiled

COMPILED = [
    "{ viewer { id name username email timezone } }",
    "query Me { __typename viewer { __typename who: name email handle: username } }",
    "{ me: viewer { timezone id } }",
]
# Beside another root, or with a connection of the user's: the executor answers.
NOT_COMPILED = [
    "{ viewer { id } team { name } }",
    "{ viewer { id apiKeys { nodes { id } } } }",
    "{ viewer { id exports(first: 1) { totalCount } } }",
]


@pytest.fixture
async def servers(settings: Any, world: Any) -> AsyncIterator[tuple[Any, Any]]:
    async with compiling_and_executing(settings) as pair:
        yield pair


@pytest.mark.parametrize("query", COMPILED)
async def test_a_compiled_viewer_answers_as_the_executor_for_every_key(servers, world, query):
    for key in (world.admin_key, world.dev_key, world.other_admin_key):
        compiled, executed, used = await answers(servers, key, query, {})
        assert "errors" not in executed
        assert compiled == executed
        assert used


@pytest.mark.parametrize("query", NOT_COMPILED)
async def test_a_viewer_with_more_than_its_fields_is_the_executors(servers, world, query):
    compiled, executed, used = await answers(servers, world.admin_key, query, {})
    assert compiled == executed
    assert not used


@pytest.mark.sends_once
async def test_a_compiled_viewer_costs_one_statement_and_no_transaction(servers, world):
    compiling, _ = servers
    query = COMPILED[0]
    await compiling.graphql(query, world.admin_key)  # answered by strawberry, compiled
    statements: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if "FROM api_keys" not in statement:  # the key's lookup, when it is not cached
            statements.append(statement)

    engine = compiling.app.state.graphql_api.engine.sync_engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        body = await compiling.graphql(query, world.admin_key)
    finally:
        event.remove(engine, "before_cursor_execute", record)
    assert "errors" not in body
    assert len(statements) == 1, statements
    assert "FROM users" in statements[0]
