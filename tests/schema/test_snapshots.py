"""One snapshot per query: every field of one response reads the same database state.

Each test commits a change from another connection while the request is between
two of its fields' statements; the second field must still read the state the
first one read. Mutations are not snapshots: they read what they have written.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.util import await_only

from tests import factories as f

TWO_COUNTS = """{ team {
  before: members(first: 1) { totalCount }
  after: members(first: 1, after: null) { totalCount }
} }"""


class CommitBetweenStatements:
    """After the app's first statement counting memberships (the first field's), commits
    a new member: the key lookup before it reads memberships too, outside the query."""

    def __init__(self, db: Any) -> None:
        self.db = db
        self.done = False

    def __call__(self, conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        text = statement.lower()
        if self.done or "memberships" not in text or "count(" not in text:
            return
        self.done = True
        # Runs inside the app's greenlet: await_only drives the other engine's write.
        await_only(
            f.ingest(
                self.db,
                f.user(id="late"),
                f.membership(team="acme", user="late"),
            )
        )


async def test_two_fields_of_one_query_read_the_same_state_while_another_client_writes(
    api, world, db
):
    engine = api.app.state.graphql_api.engine.sync_engine
    writer = CommitBetweenStatements(db)
    event.listen(engine, "after_cursor_execute", writer)
    try:
        body = await api.graphql(TWO_COUNTS, world.admin_key)
    finally:
        event.remove(engine, "after_cursor_execute", writer)
    assert writer.done, "the write between the two statements did not happen"
    assert "errors" not in body, body
    team = body["data"]["team"]
    assert team["before"]["totalCount"] == team["after"]["totalCount"]
    # The next request sees the new member.
    again = await api.graphql(TWO_COUNTS, world.admin_key)
    assert again["data"]["team"]["before"]["totalCount"] == team["before"]["totalCount"] + 1
