"""POST /ingest (docs/ingest.md): all or nothing, every bad line reported."""

from __future__ import annotations

import json

from sqlalchemy import func, select

from graphql_api.db.models import AuditEvent, Element, Membership, RequestEvent, SecurityFinding
from tests import factories as f


async def _post(api, token: str | None, records: list, raw: bytes | None = None):
    body = raw if raw is not None else "\n".join(json.dumps(r) for r in records).encode()
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return await api.http.post("/ingest", content=body, headers=headers)


async def _count(db, model) -> int:
    async with db() as session:
        return await session.scalar(select(func.count()).select_from(model))


BASE = [
    f.team(id="acme"),
    f.user(id="ada"),
    f.membership(team="acme", user="ada"),
    f.workspace(id="ws", team="acme"),
    f.element(id="col", team="acme", workspace="ws", kind="COLLECTION"),
]


async def test_a_valid_batch_is_written_and_counted_by_type(api, db):
    token = await f.service_token(db)
    response = await _post(
        api, token, [*BASE, f.request(id="r1", team="acme", user="ada", collection="col")]
    )
    assert response.status_code == 200
    assert response.json()["counts"]["request"] == 1 and response.json()["lines"] == 6
    assert await _count(db, RequestEvent) == 1


async def test_ingest_needs_a_service_token(api, db, world):
    assert (await _post(api, None, BASE)).status_code == 401
    user_key = await _post(api, world.admin_key, BASE)
    assert user_key.status_code == 401
    assert user_key.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_a_batch_with_bad_lines_is_refused_whole_with_every_line_and_reason(api, db):
    token = await f.service_token(db)
    good = f.request(id="r1", team="acme", user="ada", collection="col")
    bad_enum = {**f.request(id="r2", team="acme", user="ada"), "source": "CARRIER_PIGEON"}
    missing = {
        k: v for k, v in f.request(id="r3", team="acme", user="ada").items() if k != "status"
    }
    ill_typed = {**f.request(id="r4", team="acme", user="ada"), "status": "200"}
    unknown_ref = f.request(id="r5", team="acme", user="nobody")
    naive_time = {**f.request(id="r6", team="acme", user="ada"), "at": "2026-01-01T00:00:00"}
    lines = [json.dumps(r) for r in [*BASE, good]]
    lines += [
        "{not json",
        json.dumps({"type": "spaceship", "id": "x"}),
        json.dumps(bad_enum),
        json.dumps(missing),
        json.dumps(ill_typed),
        json.dumps(unknown_ref),
        json.dumps(naive_time),
    ]
    response = await _post(api, token, [], raw="\n".join(lines).encode())
    assert response.status_code == 422
    error = response.json()["errors"][0]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    reasons = {item["line"]: item["reason"] for item in error["extensions"]["lines"]}
    assert sorted(reasons) == [7, 8, 9, 10, 11, 12, 13]
    assert "malformed JSON" in reasons[7]
    assert "unknown type 'spaceship'" in reasons[8]
    assert "`source`" in reasons[9]
    assert "missing field `status`" in reasons[10]
    assert "`status`" in reasons[11]
    assert "unknown user 'nobody'" in reasons[12]
    assert "timezone" in reasons[13]
    assert await _count(db, RequestEvent) == 0
    assert await _count(db, Element) == 0


async def test_resending_a_fact_is_a_no_op(api, db):
    token = await f.service_token(db)
    batch = [*BASE, f.request(id="r1", team="acme", user="ada", collection="col")]
    await _post(api, token, batch)
    await _post(api, token, batch)
    assert await _count(db, RequestEvent) == 1


async def test_resending_an_entity_updates_it_and_the_later_version_wins(api, db):
    token = await f.service_token(db)
    await _post(api, token, BASE)
    renamed = {**BASE[4], "name": "First"}
    await _post(api, token, [renamed, {**renamed, "name": "Second"}])
    async with db() as session:
        assert await session.scalar(select(Element.name)) == "Second"


async def test_a_membership_keeps_its_first_join_date_across_status_changes(api, db):
    token = await f.service_token(db)
    await _post(api, token, BASE)
    await _post(api, token, [{**BASE[2], "status": "REMOVED", "at": f.ago(days=1)}])
    async with db() as session:
        row = (await session.execute(select(Membership.status, Membership.joined_at))).one()
    assert row.status == "REMOVED" and row.joined_at is not None


async def test_a_reference_to_another_teams_entity_is_refused(api, db):
    token = await f.service_token(db)
    other = [
        f.team(id="globex"),
        f.workspace(id="ws-g", team="globex"),
        f.element(id="col-g", team="globex", workspace="ws-g", kind="COLLECTION"),
    ]
    response = await _post(
        api, token, [*BASE, *other, f.request(id="r", team="acme", user="ada", collection="col-g")]
    )
    assert response.status_code == 422
    (line,) = response.json()["errors"][0]["extensions"]["lines"]
    assert "belongs to another team" in line["reason"]


async def test_an_element_cannot_move_to_another_team(api, db):
    token = await f.service_token(db)
    await _post(api, token, [*BASE, f.team(id="globex"), f.workspace(id="ws-g", team="globex")])
    moved = {**BASE[4], "team": "globex", "workspace": "ws-g"}
    response = await _post(api, token, [moved])
    assert response.status_code == 422
    assert "cannot move" in response.json()["errors"][0]["extensions"]["lines"][0]["reason"]


async def test_a_references_kind_is_checked(api, db):
    token = await f.service_token(db)
    monitor_run = {
        "type": "monitor_run",
        "id": "m1",
        "team": "acme",
        "at": f.ago(hours=1),
        "monitor": "col",
        "success": True,
        "response_time_ms": 5,
    }
    response = await _post(api, token, [*BASE, monitor_run])
    assert "not MONITOR" in response.json()["errors"][0]["extensions"]["lines"][0]["reason"]


async def test_a_later_version_of_a_finding_resolves_it_and_changes_nothing_else(api, db):
    token = await f.service_token(db)
    api_el = f.element(id="api", team="acme", workspace="ws")
    finding = {
        "type": "security_finding",
        "id": "sf",
        "team": "acme",
        "at": f.ago(days=2),
        "element": "api",
        "rule": "Weak TLS",
        "severity": "HIGH",
    }
    await _post(api, token, [*BASE, api_el, finding])
    await _post(api, token, [{**finding, "severity": "LOW", "resolved_at": f.ago(days=1)}])
    async with db() as session:
        row = (await session.execute(select(SecurityFinding))).scalar_one()
    assert row.resolved_at is not None and row.severity == "HIGH"


async def test_audit_events_accept_display_names_and_dotted_codes_and_snapshot_the_actor(api, db):
    token = await f.service_token(db)
    response = await _post(
        api,
        token,
        [
            *BASE,
            f.audit_event(id="a", team="acme", actor="ada", action="Sent Team Invite"),
            f.audit_event(id="b", team="acme", actor="ada", action="team.invite.send"),
            f.audit_event(id="c", team="acme", actor="ada", action="Launched Rocket"),
        ],
    )
    assert response.status_code == 422
    (line,) = response.json()["errors"][0]["extensions"]["lines"]
    assert line["line"] == 8 and "unknown audit action" in line["reason"]
    await _post(
        api,
        token,
        [*BASE[:3], f.audit_event(id="a", team="acme", actor="ada", action="team.invite.send")],
    )
    async with db() as session:
        event = (await session.execute(select(AuditEvent))).scalar_one()
    assert event.action == "TEAM_INVITE_SENT" and event.actor_email == "ada@example.com"


async def test_an_oversized_batch_is_refused_with_413_and_a_code(api, db, settings):
    token = await f.service_token(db)
    too_big = b"x" * (settings.ingest_max_bytes + 1)
    response = await _post(api, token, [], raw=too_big)
    assert response.status_code == 413
    assert response.json()["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_a_monitor_names_the_collection_it_runs_and_nothing_else_may(api, db):
    token = await f.service_token(db)
    monitor = {
        **f.element(id="mon", team="acme", workspace="ws", kind="MONITOR"),
        "collection": "col",
    }
    assert (await _post(api, token, [monitor, *BASE])).status_code == 200
    api_with_collection = {**f.element(id="api", team="acme", workspace="ws"), "collection": "col"}
    refused = await _post(api, token, [api_with_collection])
    assert (
        "only for MONITOR and MOCK_SERVER"
        in refused.json()["errors"][0]["extensions"]["lines"][0]["reason"]
    )
    not_a_collection = {**monitor, "id": "mon2", "collection": "mon"}
    refused = await _post(api, token, [not_a_collection])
    assert "not COLLECTION" in refused.json()["errors"][0]["extensions"]["lines"][0]["reason"]
