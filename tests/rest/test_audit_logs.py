"""GET /audit/logs (docs/rest-feed.md): Postman's audit-log API, served from our audit log."""

from __future__ import annotations

from graphql_api.domain.audit_actions import ACTIONS
from tests import factories as f


async def _events(db, count: int, team: str = "acme", actor: str = "ada") -> None:
    await f.ingest(
        db,
        *(
            f.audit_event(id=f"{team}-e{n}", team=team, actor=actor, at=f.ago(minutes=count - n))
            for n in range(count)
        ),
    )


async def _get(api, key: str | None, **params) -> tuple[int, dict]:
    headers = {"X-Api-Key": key} if key else {}
    response = await api.http.get("/audit/logs", params=params, headers=headers)
    return response.status_code, response.json()


async def test_a_siem_connector_pages_with_cursor_until_next_cursor_is_null(api, world, db):
    await _events(db, 7)
    # What a connector written for Postman's API does: first page, then follow nextCursor.
    seen: list[int] = []
    status, body = await _get(api, world.admin_key, limit=3)
    pages = 1
    while True:
        assert status == 200
        seen += [t["id"] for t in body["trails"]]
        if body["nextCursor"] is None:
            break
        status, body = await _get(api, world.admin_key, limit=3, cursor=body["nextCursor"])
        pages += 1
    assert pages == 3
    assert len(seen) == 7 and len(set(seen)) == 7
    assert seen == sorted(seen, reverse=True)  # newest first by default


async def test_a_trail_has_postmans_fields(api, world, db):
    await f.ingest(
        db,
        f.audit_event(
            id="e1",
            team="acme",
            actor="dev",
            action="Added Team Member",
            data={"user": {"id": "gus", "name": "Gus"}},
            message="Ada added Gus.",
        ),
    )
    _, body = await _get(api, world.admin_key)
    (trail,) = body["trails"]
    assert set(trail) == {"id", "ip", "userAgent", "action", "timestamp", "message", "data"}
    assert trail["action"] == ACTIONS["TEAM_MEMBER_ADDED"].code == "team.add_member"
    assert trail["timestamp"].endswith("Z")
    assert trail["ip"] == "192.0.2.1" and trail["userAgent"] == "tests"
    assert trail["data"]["actor"] == {
        "id": "dev",
        "name": "Dev",
        "username": "dev",
        "email": "dev@example.com",
        "active": True,
    }
    assert trail["data"]["user"] == {"id": "gus", "name": "Gus"}
    assert trail["data"]["team"] == {"id": "acme", "name": "Acme"}
    assert trail["data"]["variables"] == {"user": {"id": "gus", "name": "Gus"}}


async def test_order_by_asc_gives_oldest_first(api, world, db):
    await _events(db, 4)
    _, body = await _get(api, world.admin_key, order_by="asc")
    ids = [t["id"] for t in body["trails"]]
    assert ids == sorted(ids) and len(ids) == 4


async def test_since_and_until_take_dates_and_instants(api, world, db):
    await f.ingest(
        db,
        f.audit_event(id="old", team="acme", actor="ada", at="2026-11-01T10:00:00+00:00"),
        f.audit_event(id="mid", team="acme", actor="ada", at="2026-11-02T23:59:00+00:00"),
        f.audit_event(id="new", team="acme", actor="ada", at="2026-11-03T00:30:00+00:00"),
    )
    _, body = await _get(api, world.admin_key, since="2026-11-02", until="2026-11-02")
    assert [t["message"] for t in body["trails"]] == ["event mid"]
    _, body = await _get(api, world.admin_key, since="2026-11-02T23:00:00Z")
    assert [t["message"] for t in body["trails"]] == ["event new", "event mid"]


async def test_limit_defaults_to_300_and_refuses_more(api, world, db):
    await _events(db, 301)
    status, body = await _get(api, world.admin_key)
    assert status == 200 and len(body["trails"]) == 300 and body["nextCursor"]
    status, body = await _get(api, world.admin_key, limit=301)
    assert status == 400 and body["error"]["code"] == "BAD_USER_INPUT"


async def test_bad_parameters_are_400_with_a_code(api, world):
    for params in ({"since": "yesterday"}, {"order_by": "sideways"}, {"cursor": "%%%"}):
        status, body = await _get(api, world.admin_key, **params)
        assert (status, body["error"]["code"]) == (400, "BAD_USER_INPUT"), params


async def test_no_key_is_401(api, world):
    status, body = await _get(api, None)
    assert (status, body["error"]["code"]) == (401, "UNAUTHENTICATED")
    assert body["error"]["name"] == "AuthenticationError"


async def test_a_developer_is_403_forbidden(api, world):
    status, body = await _get(api, world.dev_key)
    assert (status, body["error"]["code"]) == (403, "FORBIDDEN")


async def test_a_team_without_the_plan_is_403_plan_required(api, world, db):
    await f.ingest(
        db,
        f.team(id="small", plan="FREE"),
        f.user(id="sam"),
        f.membership(team="small", user="sam", roles=["ADMIN"]),
    )
    key = await f.api_key_for(db, team="small", email="sam@example.com")
    status, body = await _get(api, key)
    assert (status, body["error"]["code"]) == (403, "PLAN_REQUIRED")


async def test_only_the_keys_team_is_returned(api, world, db):
    await _events(db, 2)
    await _events(db, 3, team="globex", actor="gus")
    _, body = await _get(api, world.other_admin_key)
    assert len(body["trails"]) == 3
    assert {t["data"]["team"]["id"] for t in body["trails"]} == {"globex"}


async def test_events_beyond_retention_are_not_returned(api, world, db):
    await f.ingest(
        db,
        f.team(id="globex", plan="PROFESSIONAL"),
        f.audit_event(id="old", team="globex", actor="gus", at=f.ago(days=91)),
        f.audit_event(id="new", team="globex", actor="gus", at=f.ago(days=89)),
    )
    _, body = await _get(api, world.other_admin_key)
    assert [t["message"] for t in body["trails"]] == ["event new"]


async def test_the_feed_sends_rate_limit_headers(api, world):
    response = await api.http.get("/audit/logs", headers={"X-Api-Key": world.admin_key})
    assert response.headers["RateLimit-Limit"] == "300"
    assert int(response.headers["RateLimit-Remaining"]) < 300
