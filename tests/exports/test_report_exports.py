"""Exporting report tables with their queries' arguments; restricted rows stay masked."""

from __future__ import annotations

from graphql_api.db.base import utcnow
from graphql_api.refresh.service import refresh
from tests import factories as f
from tests.exports.conftest import (
    EXPORT_TEAM_APIS,
    db_job_ids,
)


async def test_a_team_apis_export_masks_restricted_apis(live_api, world, db):
    body = await live_api.graphql(EXPORT_TEAM_APIS, world.dev_key)
    job = await live_api.finished(world.dev_key, body["data"]["exportTeamApis"]["id"])
    rows = await live_api.csv(job["downloadUrl"])
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


async def test_a_members_export_has_the_member_list_with_its_filters(live_api, world, db):
    body = await live_api.graphql(
        "mutation { exportMembers(orderBy: {field: NAME, direction: DESC}) { id } }",
        world.admin_key,
    )
    job = await live_api.finished(world.admin_key, body["data"]["exportMembers"]["id"])
    header, *rows = await live_api.csv(job["downloadUrl"])
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
    header, *rows = await live_api.csv(job["downloadUrl"])
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
    header, *rows = await live_api.csv(job["downloadUrl"])
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
    header, *rows = await live_api.csv(job["downloadUrl"])
    assert header == ["restricted", "apiId", "name", "openFindings", "critical", "high"]
    assert [(r[1], r[3], r[5]) for r in rows] == [("api-public", "2", "2"), ("api-team", "1", "1")]
