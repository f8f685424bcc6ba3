"""CSV exports (CONTRACT section 6, issue 4): background jobs, signed expiring links, email."""

from __future__ import annotations

import asyncio
import csv
import io
from dataclasses import replace
from datetime import timedelta

import httpx
from sqlalchemy import select, update

from graphql_api.app import create_app
from graphql_api.db.base import utcnow
from graphql_api.db.models import ExportJob
from graphql_api.exports.links import sign_download
from graphql_api.refresh.service import refresh
from tests import factories as f
from tests.conftest import SECRET
from tests.exports.conftest import LiveApi
from tests.ports import free_port

EXPORT_AUDIT = """mutation($filter: AuditEventFilter, $tz: String) {
  exportAuditEvents(filter: $filter, timezone: $tz) { id kind status } }"""
EMAIL_STATE = "query($id: ID!) { node(id: $id) { ... on ExportJob { emailedAt emailError } } }"
EXPORT_TEAM_APIS = """mutation { exportTeamApis(range: {preset: LAST_7_DAYS},
  orderBy: {field: NAME, direction: ASC}) { id status } }"""


async def _csv(api, url: str) -> list[list[str]]:
    response = await api.http.get(url)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert "attachment" in response.headers["content-disposition"]
    text = response.content.decode("utf-8")
    return list(csv.reader(io.StringIO(text, newline="")))


async def _export_audit(api, key: str, **variables) -> dict:
    body = await api.graphql(EXPORT_AUDIT, key, variables)
    assert "errors" not in body, body
    job = body["data"]["exportAuditEvents"]
    assert job["kind"] == "AUDIT_EVENTS" and job["status"] in {"PENDING", "RUNNING"}
    return await api.finished(key, job["id"])


async def test_an_audit_export_runs_in_the_background_and_downloads_as_csv(live_api, world, db):
    await f.ingest(
        db,
        *(f.audit_event(id=f"e{n}", team="acme", actor="ada", at=f.ago(hours=n)) for n in range(3)),
    )
    job = await _export_audit(live_api, world.admin_key)
    assert job["status"] == "SUCCEEDED" and job["rowCount"] == 3
    rows = await _csv(live_api, job["downloadUrl"])
    assert rows[0][:4] == ["eventId", "timestamp", "action", "actionName"]
    assert [r[11] for r in rows[1:]] == ["event e0", "event e1", "event e2"]  # newest first
    assert rows[1][2] == "team.add_member" and rows[1][3] == "Added Team Member"


async def test_an_audit_export_without_dates_covers_the_last_seven_days(live_api, world, db):
    await f.ingest(
        db,
        f.audit_event(id="recent", team="acme", actor="ada", at=f.ago(days=6)),
        f.audit_event(id="older", team="acme", actor="ada", at=f.ago(days=8)),
    )
    job = await _export_audit(live_api, world.admin_key)
    rows = await _csv(live_api, job["downloadUrl"])
    assert [r[11] for r in rows[1:]] == ["event recent"]


async def test_an_audit_export_applies_the_filters_and_timezone(live_api, world, db):
    await f.ingest(
        db,
        f.audit_event(id="a", team="acme", actor="ada", message="rotated key"),
        f.audit_event(id="b", team="acme", actor="ada", message="something else"),
    )
    job = await _export_audit(
        live_api, world.admin_key, filter={"search": "ROTATED"}, tz="Asia/Kolkata"
    )
    rows = await _csv(live_api, job["downloadUrl"])
    assert [r[11] for r in rows[1:]] == ["rotated key"]
    assert rows[1][1].endswith("+05:30")


async def test_csv_quotes_per_rfc_4180_and_escapes_formulas(live_api, world, db):
    tricky = 'Said "hi", then\nleft'
    await f.ingest(
        db,
        f.audit_event(id="q", team="acme", actor="ada", message=tricky, at=f.ago(hours=3)),
        f.audit_event(
            id="x", team="acme", actor="ada", message='=HYPERLINK("http://evil")', at=f.ago(hours=2)
        ),
        f.audit_event(id="p", team="acme", actor="ada", message="+1 more", at=f.ago(hours=1)),
        f.audit_event(id="m", team="acme", actor="ada", message="-2", at=f.ago(minutes=30)),
        f.audit_event(id="a", team="acme", actor="ada", message="@SUM(A1)", at=f.ago(minutes=10)),
    )
    job = await _export_audit(live_api, world.admin_key)
    raw = (await live_api.http.get(job["downloadUrl"])).content.decode("utf-8")
    assert '"Said ""hi"", then\nleft"' in raw  # quoted, quotes doubled, newline kept
    assert "\r\n" in raw
    messages = [r[11] for r in csv.reader(io.StringIO(raw, newline=""))][1:]
    assert messages == ["'@SUM(A1)", "'-2", "'+1 more", '\'=HYPERLINK("http://evil")', tricky]


async def test_a_tampered_link_is_403_and_nothing_else(live_api, world, db):
    await f.ingest(db, f.audit_event(id="e", team="acme", actor="ada"))
    job = await _export_audit(live_api, world.admin_key)
    url = job["downloadUrl"]
    token = url.rsplit("/", 1)[1]
    flipped = token[:-1] + ("A" if token[-1] != "A" else "B")
    for bad in (url.replace(token, flipped), url + "x", "http://testserver/exports/nonsense"):
        response = await live_api.http.get(bad)
        assert response.status_code == 403, bad
        assert response.json()["errors"][0]["extensions"]["code"] == "FORBIDDEN"
        assert "event e" not in response.text


async def test_an_expired_link_is_403(live_api, world, db):
    await f.ingest(db, f.audit_event(id="e", team="acme", actor="ada"))
    job = await _export_audit(live_api, world.admin_key)
    job_id = int((await db_job_ids(db))[0])
    old = sign_download(SECRET, job_id, utcnow() - timedelta(seconds=1))
    assert (await live_api.http.get(f"/exports/{old}")).status_code == 403
    # And once the job's own expiry passes, its link and its status say so.
    async with db() as session, session.begin():
        await session.execute(update(ExportJob).values(expires_at=utcnow() - timedelta(seconds=1)))
    assert (await live_api.http.get(job["downloadUrl"])).status_code == 403
    expired = await live_api.job(world.admin_key, job["id"])
    assert expired["status"] == "EXPIRED" and expired["downloadUrl"] is None


async def test_a_link_stops_working_when_its_requester_loses_access(live_api, world, db):
    job = await _export_audit(live_api, world.admin_key)
    assert (await live_api.http.get(job["downloadUrl"])).status_code == 200
    await f.ingest(db, f.membership(team="acme", user="ada", roles=["DEVELOPER"]))
    assert (await live_api.http.get(job["downloadUrl"])).status_code == 403


async def db_job_ids(db) -> list[int]:
    async with db() as session:
        return list(await session.scalars(select(ExportJob.id)))


async def test_the_link_lifetime_is_configurable(export_settings, world, db):
    app = create_app(replace(export_settings, export_link_ttl=120))
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
            api = LiveApi(app, http)
            await f.ingest(db, f.audit_event(id="e", team="acme", actor="ada"))
            job = await _export_audit(api, world.admin_key)
    async with db() as session:
        stored = (await session.scalars(select(ExportJob))).one()
    assert stored.expires_at - stored.finished_at == timedelta(seconds=120)
    assert job["expiresAt"] is not None


async def test_the_link_is_emailed_to_the_requester(live_api, world, db, smtp):
    inbox, _ = smtp
    await f.ingest(db, f.audit_event(id="e", team="acme", actor="ada"))
    job = await _export_audit(live_api, world.admin_key)
    job = await live_api.emailed(world.admin_key, job["id"])
    assert job["status"] == "SUCCEEDED" and job["emailedAt"] is not None
    (message,) = inbox.messages
    assert message["To"] == "ada@example.com"
    assert message["From"] == "reports@example.com"
    assert "audit log" in message["Subject"]
    assert job["downloadUrl"] in message.as_string()  # on one line, as sent
    rows = await _csv(live_api, job["downloadUrl"])
    assert len(rows) == 2


async def test_an_unreachable_mail_server_leaves_the_export_usable(export_settings, world, db):
    closed = replace(export_settings, smtp_port=free_port())  # nothing listens there
    app = create_app(closed)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
            api = LiveApi(app, http)
            job = await _export_audit(api, world.admin_key)
            async with asyncio.timeout(20):
                while (await api.graphql(EMAIL_STATE, world.admin_key, {"id": job["id"]}))[
                    "data"
                ]["node"]["emailError"] is None:
                    await asyncio.sleep(0.05)
            assert job["status"] == "SUCCEEDED"
            assert (await http.get(job["downloadUrl"])).status_code == 200


async def test_exports_are_audited(live_api, world, db):
    await _export_audit(live_api, world.admin_key)
    body = await live_api.graphql(EXPORT_TEAM_APIS, world.admin_key)
    await live_api.finished(world.admin_key, body["data"]["exportTeamApis"]["id"])
    events = await live_api.graphql(
        "{ team { auditEvents(filter: {actions: [AUDIT_LOG_EXPORTED, REPORT_EXPORTED]}) "
        "{ nodes { action actor { username } data } } } }",
        world.admin_key,
    )
    nodes = events["data"]["team"]["auditEvents"]["nodes"]
    assert [n["action"] for n in nodes] == ["REPORT_EXPORTED", "AUDIT_LOG_EXPORTED"]
    assert nodes[0]["data"]["export"]["kind"] == "TEAM_APIS"


async def test_each_download_is_audited_with_the_downloaders_address(live_api, world, db):
    job = await _export_audit(live_api, world.admin_key)
    await live_api.http.get(job["downloadUrl"], headers={"User-Agent": "spreadsheet/1.0"})
    events = await live_api.graphql(
        "{ team { auditEvents(filter: {actions: [EXPORTED_DATA_DOWNLOADED]}) "
        "{ nodes { actor { username } userAgent data } } } }",
        world.admin_key,
    )
    (event,) = events["data"]["team"]["auditEvents"]["nodes"]
    assert event["actor"]["username"] == "ada" and event["userAgent"] == "spreadsheet/1.0"
    assert event["data"]["export"] == {"id": job["id"], "kind": "AUDIT_EVENTS"}


async def test_an_audit_export_needs_what_the_audit_log_needs(live_api, world, db):
    body = await live_api.graphql(EXPORT_AUDIT, world.dev_key)
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert await db_job_ids(db) == []


async def test_another_members_job_is_not_found(live_api, world, db):
    job = await _export_audit(live_api, world.admin_key)
    body = await live_api.graphql(
        "query($id: ID!) { node(id: $id) { id } }", world.dev_key, {"id": job["id"]}
    )
    assert body["errors"][0]["extensions"]["code"] == "NOT_FOUND"


async def test_a_team_apis_export_masks_restricted_apis(live_api, world, db):
    body = await live_api.graphql(EXPORT_TEAM_APIS, world.dev_key)
    job = await live_api.finished(world.dev_key, body["data"]["exportTeamApis"]["id"])
    rows = await _csv(live_api, job["downloadUrl"])
    header, *data = rows
    assert header[:3] == ["restricted", "apiId", "name"]
    visible = [r for r in data if r[0] == "false"]
    hidden = [r for r in data if r[0] == "true"]
    assert sorted(r[1] for r in visible) == sorted(
        ["api-team", "api-public", "api-private", "api-grouped", "api-granted"]
    )
    # The API dev cannot access is counted, with nothing about it shown.
    assert len(hidden) == 1 and hidden[0][1:] == [""] * (len(header) - 1)
    assert "api-secret" not in str(rows)


async def test_a_job_orphaned_by_a_dead_worker_is_taken_over(export_settings, world, db):
    async with db() as session, session.begin():
        session.add(
            ExportJob(
                team_id="acme",
                requested_by_id="ada",
                kind="PUBLIC_WORKSPACES",
                parameters={
                    "from": "2026-01-01",
                    "to": "2026-01-31",
                    "field": "VIEWS",
                    "descending": True,
                },
                status="RUNNING",
                base_url="http://testserver",
                created_at=utcnow() - timedelta(minutes=5),
                started_at=utcnow() - timedelta(minutes=5),
                heartbeat_at=utcnow() - timedelta(minutes=4),
            )
        )
    app = create_app(export_settings)
    async with app.router.lifespan_context(app):  # a new process starts: its worker looks
        for _ in range(200):
            async with db() as session:
                job = (await session.scalars(select(ExportJob))).one()
            if job.status == "SUCCEEDED":
                break
            await asyncio.sleep(0.05)
    assert job.status == "SUCCEEDED" and job.row_count == 1  # acme's one public workspace


async def test_a_members_export_has_the_member_list_with_its_filters(live_api, world, db):
    body = await live_api.graphql(
        "mutation { exportMembers(orderBy: {field: NAME, direction: DESC}) { id } }",
        world.admin_key,
    )
    job = await live_api.finished(world.admin_key, body["data"]["exportMembers"]["id"])
    header, *rows = await _csv(live_api, job["downloadUrl"])
    assert header == [
        "membershipId",
        "userId",
        "name",
        "status",
        "roles",
        "joinedAt",
        "lastActiveOn",
        "requestCount",
        "invitedById",
    ]
    assert [r[1] for r in rows] == ["dev", "ada"]  # names "Dev", "Ada", Z to A
    assert rows[1][4] == "SUPER_ADMIN" and rows[1][7] == "0"


async def test_a_members_export_is_for_admins_only(live_api, world, db):
    body = await live_api.graphql("mutation { exportMembers { id } }", world.dev_key)
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert await db_job_ids(db) == []


async def test_a_public_workspaces_export_is_open_to_every_member(live_api, world, db):
    body = await live_api.graphql("mutation { exportPublicWorkspaces { id } }", world.dev_key)
    job = await live_api.finished(world.dev_key, body["data"]["exportPublicWorkspaces"]["id"])
    header, *rows = await _csv(live_api, job["downloadUrl"])
    assert header == ["workspaceId", "name", "views", "watchers", "forks"]
    assert [r[0] for r in rows] == ["ws-public"]


async def test_a_report_export_needs_the_reports_plan(live_api, world, db):
    await f.ingest(db, f.team(id="acme", plan="PROFESSIONAL"))
    body = await live_api.graphql(EXPORT_TEAM_APIS, world.admin_key)
    assert body["errors"][0]["extensions"]["code"] == "PLAN_REQUIRED"


async def test_a_content_elements_export_masks_restricted_elements(live_api, world, db):
    await f.ingest(
        db,
        *(
            {
                "type": "content_event",
                "id": f"ce{n}",
                "team": "acme",
                "at": f.ago(hours=n + 1),
                "user": "ada",
                "element": element,
                "action": "UPDATED",
            }
            for n, element in enumerate(["api-team", "api-secret", "api-secret"])
        ),
    )
    await refresh(db, utcnow())
    body = await live_api.graphql(
        "mutation { exportContentElements(range: {preset: LAST_7_DAYS}) { id } }", world.dev_key
    )
    job = await live_api.finished(world.dev_key, body["data"]["exportContentElements"]["id"])
    header, *rows = await _csv(live_api, job["downloadUrl"])
    assert header == ["restricted", "elementId", "kind", "name", "events"]
    assert rows == [["false", "api-team", "API", "Api-Team", "1"], ["true", "", "", "", ""]]


async def test_an_api_findings_export_ranks_apis_by_open_findings(live_api, world, db):
    await f.ingest(
        db,
        *(
            {
                "type": "security_finding",
                "id": f"sf{n}",
                "team": "acme",
                "at": f.ago(days=1),
                "element": element,
                "rule": "leaked-secret",
                "severity": "HIGH",
            }
            for n, element in enumerate(["api-team", "api-public", "api-public"])
        ),
    )
    await refresh(db, utcnow())
    body = await live_api.graphql("mutation { exportApiFindings { id } }", world.admin_key)
    job = await live_api.finished(world.admin_key, body["data"]["exportApiFindings"]["id"])
    header, *rows = await _csv(live_api, job["downloadUrl"])
    assert header == ["restricted", "apiId", "name", "openFindings", "critical", "high"]
    assert [(r[1], r[3], r[5]) for r in rows] == [("api-public", "2", "2"), ("api-team", "1", "1")]


async def test_viewer_exports_lists_own_jobs_newest_first(live_api, world, db):
    first = await _export_audit(live_api, world.admin_key)
    body = await live_api.graphql(EXPORT_TEAM_APIS, world.admin_key)
    second = await live_api.finished(world.admin_key, body["data"]["exportTeamApis"]["id"])
    await live_api.graphql("mutation { exportPublicWorkspaces { id } }", world.dev_key)
    listed = await live_api.graphql(
        "{ viewer { exports { totalCount nodes { id kind status downloadUrl } } } }",
        world.admin_key,
    )
    exports = listed["data"]["viewer"]["exports"]
    assert exports["totalCount"] == 2
    assert [n["id"] for n in exports["nodes"]] == [second["id"], first["id"]]
    assert all(n["downloadUrl"] for n in exports["nodes"])
