"""The audit log over GraphQL (docs/concepts.md#the-audit-log)."""

from __future__ import annotations

from graphql_api.schema.relay import to_global_id
from tests import factories as f

PAGE = """
query($first: Int, $after: String, $filter: AuditEventFilter, $order: AuditEventOrder) {
  team { auditEvents(first: $first, after: $after, filter: $filter, orderBy: $order) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes { eventId action actionName actionCode category message ip userAgent data
            timestamp actor { id name username email } }
  } }
}"""


async def _events(api, key, **variables):
    body = await api.graphql(PAGE, key, variables)
    assert "errors" not in body, body["errors"]
    return body["data"]["team"]["auditEvents"]


async def _messages(api, key, **variables) -> list[str]:
    return [n["message"] for n in (await _events(api, key, **variables))["nodes"]]


async def test_events_come_newest_first_by_default(api, world, db):
    await f.ingest(
        db,
        f.audit_event(id="old", team="acme", actor="ada", at=f.ago(days=2)),
        f.audit_event(id="new", team="acme", actor="ada", at=f.ago(hours=1)),
    )
    assert await _messages(api, world.admin_key) == ["event new", "event old"]


async def test_timestamp_ties_are_broken_by_event_id_so_pages_neither_repeat_nor_skip(
    api, world, db
):
    moment = f.ago(hours=3)
    await f.ingest(
        db, *[f.audit_event(id=f"t{i}", team="acme", actor="ada", at=moment) for i in range(7)]
    )
    seen, after = [], None
    while True:
        page = await _events(api, world.admin_key, first=2, after=after)
        seen += [n["eventId"] for n in page["nodes"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert seen == sorted(seen, reverse=True) and len(set(seen)) == 7


async def test_an_event_carries_every_contract_field(api, world, db):
    await f.ingest(
        db,
        f.audit_event(
            id="e", team="acme", actor="ada", action="team.add_member", data={"user": {"id": "dev"}}
        ),
    )
    (node,) = (await _events(api, world.admin_key))["nodes"]
    assert node["action"] == "TEAM_MEMBER_ADDED"
    assert node["actionName"] == "Added Team Member"
    assert node["actionCode"] == "team.add_member"
    assert node["category"] == "USERS"
    assert node["ip"] == "192.0.2.1" and node["userAgent"] == "tests"
    assert node["data"] == {"user": {"id": "dev"}}
    assert node["actor"] == {
        "id": to_global_id("User", "ada"),
        "name": "Ada",
        "username": "ada",
        "email": "ada@example.com",
    }
    assert node["timestamp"].endswith("+00:00")


async def test_the_actor_is_shown_as_they_were_when_the_event_happened(api, world, db):
    await f.ingest(db, f.audit_event(id="e", team="acme", actor="ada"))
    await f.ingest(db, f.user(id="ada", name="Ada King", email="ada.king@example.com"))
    (node,) = (await _events(api, world.admin_key))["nodes"]
    assert node["actor"]["name"] == "Ada" and node["actor"]["email"] == "ada@example.com"


async def test_timezone_renders_the_timestamp_in_that_zone(api, world, db):
    await f.ingest(
        db, f.audit_event(id="e", team="acme", actor="ada", at="2026-11-01T12:00:00+00:00")
    )
    body = await api.graphql(
        '{ team { auditEvents(filter: {since: "2026-01-01T00:00:00Z"}) '
        '{ nodes { timestamp(timezone: "Asia/Tokyo") } } } }',
        world.admin_key,
    )
    assert body["data"]["team"]["auditEvents"]["nodes"][0]["timestamp"] == (
        "2026-11-01T21:00:00+09:00"
    )


async def test_an_unknown_timezone_is_bad_user_input(api, world, db):
    await f.ingest(db, f.audit_event(id="e", team="acme", actor="ada"))
    body = await api.graphql(
        '{ team { auditEvents { nodes { timestamp(timezone: "Mars/Olympus") } } } }',
        world.admin_key,
    )
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_filters_since_and_until_bound_the_timestamps(api, world, db):
    await f.ingest(
        db,
        *[
            f.audit_event(id=f"d{d}", team="acme", actor="ada", at=f.ago(days=d))
            for d in (1, 5, 10)
        ],
    )
    messages = await _messages(
        api, world.admin_key, filter={"since": f.ago(days=6), "until": f.ago(days=2)}
    )
    assert messages == ["event d5"]


async def test_filter_by_actions_and_categories(api, world, db):
    await f.ingest(
        db,
        f.audit_event(id="a", team="acme", actor="ada", action="Changed Plan"),
        f.audit_event(id="b", team="acme", actor="ada", action="User Logout"),
        f.audit_event(id="c", team="acme", actor="ada", action="Team Name Updated"),
    )
    assert await _messages(api, world.admin_key, filter={"actions": ["USER_LOGOUT"]}) == ["event b"]
    assert await _messages(
        api,
        world.admin_key,
        filter={"categories": ["BILLING", "TEAM"]},
        order={"field": "EVENT_ID", "direction": "ASC"},
    ) == ["event a", "event c"]


async def test_filter_by_actor_ids(api, world, db):
    await f.ingest(
        db,
        f.audit_event(id="a", team="acme", actor="ada"),
        f.audit_event(id="b", team="acme", actor="dev"),
    )
    assert await _messages(
        api, world.admin_key, filter={"actorIds": [to_global_id("User", "dev")]}
    ) == ["event b"]


async def test_search_matches_the_message_in_any_case_and_treats_wildcards_literally(
    api, world, db
):
    await f.ingest(
        db,
        f.audit_event(id="a", team="acme", actor="ada", message="Invited BOB"),
        f.audit_event(id="b", team="acme", actor="ada", message="100% done"),
        f.audit_event(id="c", team="acme", actor="ada", message="1000 done"),
    )
    assert await _messages(api, world.admin_key, filter={"search": "bob"}) == ["Invited BOB"]
    assert await _messages(api, world.admin_key, filter={"search": "0%"}) == ["100% done"]


async def test_event_id_ascending_is_a_tail_that_sees_late_events_exactly_once(api, world, db):
    order = {"field": "EVENT_ID", "direction": "ASC"}
    await f.ingest(db, f.audit_event(id="a", team="acme", actor="ada", at=f.ago(hours=1)))
    first = await _events(api, world.admin_key, order=order)
    cursor = first["pageInfo"]["endCursor"]
    # Arrives after the consumer's last poll, with an older timestamp (late).
    await f.ingest(
        db,
        f.audit_event(id="late", team="acme", actor="ada", at=f.ago(days=3)),
        f.audit_event(id="b", team="acme", actor="ada"),
    )
    second = await _events(api, world.admin_key, order=order, after=cursor)
    third = await _events(api, world.admin_key, order=order, after=second["pageInfo"]["endCursor"])
    assert [n["message"] for n in first["nodes"]] == ["event a"]
    assert [n["message"] for n in second["nodes"]] == ["event late", "event b"]
    assert third["nodes"] == []


async def test_events_in_one_batch_are_numbered_in_timestamp_order(api, world, db):
    await f.ingest(
        db,
        f.audit_event(id="2nd", team="acme", actor="ada", at=f.ago(hours=1)),
        f.audit_event(id="1st", team="acme", actor="ada", at=f.ago(hours=2)),
    )
    nodes = (await _events(api, world.admin_key))["nodes"]
    assert [n["message"] for n in nodes] == ["event 2nd", "event 1st"]
    assert nodes[0]["eventId"] > nodes[1]["eventId"]


async def test_enterprise_keeps_180_days(api, world, db):
    await f.ingest(
        db,
        f.audit_event(id="in", team="acme", actor="ada", at=f.ago(days=179)),
        f.audit_event(id="out", team="acme", actor="ada", at=f.ago(days=181)),
    )
    events = await _events(api, world.admin_key, filter={"since": f.ago(days=400)})
    assert [n["message"] for n in events["nodes"]] == ["event in"]
    assert events["totalCount"] == 1


async def test_professional_keeps_90_days(api, world, db):
    await f.ingest(
        db,
        f.team(id="globex", plan="PROFESSIONAL"),
        f.audit_event(id="in", team="globex", actor="gus", at=f.ago(days=89)),
        f.audit_event(id="out", team="globex", actor="gus", at=f.ago(days=91)),
    )
    assert await _messages(api, world.other_admin_key) == ["event in"]


async def test_plans_without_audit_logs_get_plan_required(api, world, db):
    await f.ingest(db, f.team(id="acme", plan="BASIC"))
    body = await api.graphql("{ team { name auditEvents { totalCount } } }", world.admin_key)
    assert body["data"]["team"] == {"name": "Acme", "auditEvents": None}
    assert body["errors"][0]["extensions"]["code"] == "PLAN_REQUIRED"
    assert body["errors"][0]["path"] == ["team", "auditEvents"]


async def test_members_without_an_admin_role_get_forbidden(api, world, db):
    body = await api.graphql("{ team { name auditEvents { totalCount } } }", world.dev_key)
    assert body["data"]["team"] == {"name": "Acme", "auditEvents": None}
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_an_admin_role_held_through_a_group_opens_the_audit_log(api, world, db):
    await f.ingest(db, f.group(id="platform", team="acme", roles=["ADMIN"]))
    body = await api.graphql("{ team { auditEvents { totalCount } } }", world.dev_key)
    assert body["data"]["team"]["auditEvents"]["totalCount"] == 0


async def test_a_team_never_sees_another_teams_events(api, world, db):
    await f.ingest(
        db,
        f.team(id="globex", plan="ENTERPRISE"),
        f.audit_event(id="mine", team="acme", actor="ada"),
        f.audit_event(id="theirs", team="globex", actor="gus"),
    )
    assert await _messages(api, world.admin_key) == ["event mine"]
    assert await _messages(api, world.other_admin_key) == ["event theirs"]


async def test_node_returns_an_audit_event_to_an_admin_and_not_to_a_developer(api, world, db):
    await f.ingest(db, f.audit_event(id="e", team="acme", actor="ada"))
    event_id = (await _events(api, world.admin_key))["nodes"][0]["eventId"]
    query = "query($id: ID!) { node(id: $id) { ... on AuditEvent { message } } }"
    variables = {"id": to_global_id("AuditEvent", event_id)}
    assert (await api.graphql(query, world.admin_key, variables))["data"]["node"] == {
        "message": "event e"
    }
    denied = await api.graphql(query, world.dev_key, variables)
    assert denied["data"]["node"] is None
    assert denied["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    foreign = await api.graphql(query, world.other_admin_key, variables)
    assert foreign["errors"][0]["extensions"]["code"] in {"NOT_FOUND", "PLAN_REQUIRED"}
