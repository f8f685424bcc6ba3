"""Batch loading: statements per request do not grow with page size (STYLE rule 6)."""

from __future__ import annotations

from tests import factories as f

AUDIT_PAGE = """query($n: Int) { team { auditEvents(first: $n) {
  nodes { eventId actor { id name user { username email } } } } } }"""
MEMBERS_PAGE = """query($n: Int) { team { members(first: $n) {
  nodes { status user { name } invitedBy { name } } } } }"""
ELEMENTS_PAGE = """query($n: Int) { team { elements(first: $n) {
  nodes { name workspace { name } createdBy { name } } } } }"""


async def _statements_for(api, statements, query: str, key: str, n: int) -> int:
    await api.use_key(key)
    before = statements.count
    body = await api.graphql(query, key, {"n": n})
    assert "errors" not in body, body
    return statements.count - before


async def test_a_page_of_100_audit_events_with_actors_costs_what_a_page_of_1_costs(
    api, world, db, statements
):
    users = [f.user(id=f"u{i}") for i in range(100)]
    members = [f.membership(team="acme", user=f"u{i}") for i in range(100)]
    events = [f.audit_event(id=f"e{i}", team="acme", actor=f"u{i}") for i in range(100)]
    await f.ingest(db, *users, *members, *events)
    one = await _statements_for(api, statements, AUDIT_PAGE, world.admin_key, 1)
    hundred = await _statements_for(api, statements, AUDIT_PAGE, world.admin_key, 100)
    assert one == hundred


async def test_a_page_of_100_members_costs_what_a_page_of_1_costs(api, world, db, statements):
    await f.ingest(
        db,
        *[f.user(id=f"u{i}") for i in range(100)],
        *[f.membership(team="acme", user=f"u{i}") for i in range(100)],
    )
    one = await _statements_for(api, statements, MEMBERS_PAGE, world.admin_key, 1)
    hundred = await _statements_for(api, statements, MEMBERS_PAGE, world.admin_key, 100)
    assert one == hundred


async def test_a_page_of_elements_with_workspaces_costs_the_same_at_any_size(
    api, world, db, statements
):
    await f.ingest(
        db, *[f.element(id=f"x{i}", team="acme", workspace="ws-team") for i in range(60)]
    )
    one = await _statements_for(api, statements, ELEMENTS_PAGE, world.admin_key, 1)
    many = await _statements_for(api, statements, ELEMENTS_PAGE, world.admin_key, 62)
    assert one == many
