"""The Members overview (docs/concepts.md#reports): admins only, with usage per member."""

from __future__ import annotations

from graphql_api.db.base import utcnow
from graphql_api.refresh.service import refresh
from tests import factories as f

OVERVIEW = """{ team { reports { members(range: {preset: LAST_7_DAYS}) {
  activeMembers invitedMembers removedMembers seatsUsed seatsTotal invites joins removals
  roles { role count } activeMembersSeries { date count } } } } }"""
LIST = """query($inactive: Int, $order: MemberActivityOrder) {
  team { reports { members { members(inactiveForDays: $inactive, orderBy: $order) {
    totalCount nodes { name status roles requestCount lastActiveOn invitedBy { name }
                       membership { id } } } } } } }"""


async def _world(db) -> None:
    await f.ingest(
        db,
        f.user(id="ivy"),
        f.user(id="rex"),
        f.membership(team="acme", user="ivy", status="INVITED"),
        f.membership(team="acme", user="rex", status="REMOVED"),
        {"type": "seat_change", "id": "s1", "team": "acme", "at": f.ago(days=3), "seats": 10},
        f.audit_event(id="a1", team="acme", actor="ada", action="Sent Team Invite"),
        f.audit_event(id="a2", team="acme", actor="ada", action="Added Team Member"),
        f.audit_event(id="a3", team="acme", actor="ada", action="Removed Team Member"),
        f.audit_event(id="a4", team="acme", actor="ada", action="Removed Team Member"),
        *[f.request(id=f"r{n}", team="acme", user="ada") for n in range(3)],
    )
    await refresh(db, utcnow())


async def test_the_overview_counts_members_seats_and_membership_changes(api, world, db):
    await _world(db)
    body = await api.graphql(OVERVIEW, world.admin_key)
    report = body["data"]["team"]["reports"]["members"]
    assert {
        k: report[k]
        for k in (
            "activeMembers",
            "invitedMembers",
            "removedMembers",
            "seatsUsed",
            "seatsTotal",
            "invites",
            "joins",
            "removals",
        )
    } == {
        "activeMembers": 2,
        "invitedMembers": 1,
        "removedMembers": 1,
        "seatsUsed": 2,
        "seatsTotal": 10,
        "invites": 1,
        "joins": 1,
        "removals": 2,
    }
    assert report["roles"] == [
        {"role": "DEVELOPER", "count": 1},
        {"role": "SUPER_ADMIN", "count": 1},
    ]
    assert len(report["activeMembersSeries"]) == 7
    assert max(p["count"] for p in report["activeMembersSeries"]) == 1


async def test_the_member_list_shows_usage_per_member(api, world, db):
    await _world(db)
    body = await api.graphql(LIST, world.admin_key)
    members = {n["name"]: n for n in body["data"]["team"]["reports"]["members"]["members"]["nodes"]}
    assert members["Ada"]["requestCount"] == 3 and members["Ada"]["lastActiveOn"] is not None
    assert members["Dev"]["requestCount"] == 0 and members["Dev"]["lastActiveOn"] is None
    assert members["Ivy"]["status"] == "INVITED"


async def test_inactivity_filter_keeps_active_members_without_recent_requests(api, world, db):
    await _world(db)
    body = await api.graphql(LIST, world.admin_key, {"inactive": 90})
    names = [n["name"] for n in body["data"]["team"]["reports"]["members"]["members"]["nodes"]]
    assert names == ["Dev"]


async def test_the_member_list_sorts_by_requests(api, world, db):
    await _world(db)
    body = await api.graphql(
        LIST, world.admin_key, {"order": {"field": "REQUEST_COUNT", "direction": "DESC"}}
    )
    nodes = body["data"]["team"]["reports"]["members"]["members"]["nodes"]
    assert nodes[0]["name"] == "Ada"


async def test_developers_get_forbidden(api, world, db):
    body = await api.graphql("{ team { reports { members { joins } } } }", world.dev_key)
    assert body["data"]["team"]["reports"]["members"] is None
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_a_negative_inactivity_window_is_bad_user_input(api, world):
    body = await api.graphql(LIST, world.admin_key, {"inactive": -1})
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
