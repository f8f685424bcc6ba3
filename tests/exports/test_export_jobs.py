"""Export jobs: audited, private to their requester, listed, and taken over when orphaned."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from sqlalchemy import select

from graphql_api.db.base import utcnow
from graphql_api.db.models import ExportJob
from tests.conftest import serving_api
from tests.exports.conftest import (
    EXPORT_TEAM_APIS,
)


async def test_exports_are_audited(live_api, world, db):
    await live_api.export_audit(world.admin_key)
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
    job = await live_api.export_audit(world.admin_key)
    await live_api.http.get(job["downloadUrl"], headers={"User-Agent": "spreadsheet/1.0"})
    events = await live_api.graphql(
        "{ team { auditEvents(filter: {actions: [EXPORTED_DATA_DOWNLOADED]}) "
        "{ nodes { actor { username } userAgent data } } } }",
        world.admin_key,
    )
    (event,) = events["data"]["team"]["auditEvents"]["nodes"]
    assert event["actor"]["username"] == "ada" and event["userAgent"] == "spreadsheet/1.0"
    assert event["data"]["export"] == {"id": job["id"], "kind": "AUDIT_EVENTS"}


async def test_another_members_job_is_not_found(live_api, world, db):
    job = await live_api.export_audit(world.admin_key)
    body = await live_api.graphql(
        "query($id: ID!) { node(id: $id) { id } }", world.dev_key, {"id": job["id"]}
    )
    assert body["errors"][0]["extensions"]["code"] == "NOT_FOUND"


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
    # A new process starts: its worker looks for jobs.
    async with serving_api(export_settings, lifespan=True):
        for _ in range(200):
            async with db() as session:
                job = (await session.scalars(select(ExportJob))).one()
            if job.status == "SUCCEEDED":
                break
            await asyncio.sleep(0.05)
    assert job.status == "SUCCEEDED" and job.row_count == 1  # acme's one public workspace


async def test_viewer_exports_lists_own_jobs_newest_first(live_api, world, db):
    first = await live_api.export_audit(world.admin_key)
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
