"""Exporting the audit log (issue 4): what the CSV holds and who may ask for it."""

from __future__ import annotations

import csv
import io

from tests import factories as f
from tests.exports.conftest import (
    EXPORT_AUDIT,
    db_job_ids,
)


async def test_an_audit_export_runs_in_the_background_and_downloads_as_csv(live_api, world, db):
    await f.ingest(
        db,
        *(f.audit_event(id=f"e{n}", team="acme", actor="ada", at=f.ago(hours=n)) for n in range(3)),
    )
    job = await live_api.export_audit(world.admin_key)
    assert job["status"] == "SUCCEEDED" and job["rowCount"] == 3
    rows = await live_api.csv(job["downloadUrl"])
    assert rows[0][:4] == ["eventId", "timestamp", "action", "actionName"]
    assert [r[11] for r in rows[1:]] == ["event e0", "event e1", "event e2"]  # newest first
    assert rows[1][2] == "team.add_member" and rows[1][3] == "Added Team Member"


async def test_an_audit_export_without_dates_covers_the_last_seven_days(live_api, world, db):
    await f.ingest(
        db,
        f.audit_event(id="recent", team="acme", actor="ada", at=f.ago(days=6)),
        f.audit_event(id="older", team="acme", actor="ada", at=f.ago(days=8)),
    )
    job = await live_api.export_audit(world.admin_key)
    rows = await live_api.csv(job["downloadUrl"])
    assert [r[11] for r in rows[1:]] == ["event recent"]


async def test_an_audit_export_applies_the_filters_and_timezone(live_api, world, db):
    await f.ingest(
        db,
        f.audit_event(id="a", team="acme", actor="ada", message="rotated key"),
        f.audit_event(id="b", team="acme", actor="ada", message="something else"),
    )
    job = await live_api.export_audit(
        world.admin_key, filter={"search": "ROTATED"}, tz="Asia/Kolkata"
    )
    rows = await live_api.csv(job["downloadUrl"])
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
    job = await live_api.export_audit(world.admin_key)
    raw = (await live_api.http.get(job["downloadUrl"])).content.decode("utf-8")
    assert '"Said ""hi"", then\nleft"' in raw  # quoted, quotes doubled, newline kept
    assert "\r\n" in raw
    messages = [r[11] for r in csv.reader(io.StringIO(raw, newline=""))][1:]
    assert messages == ["'@SUM(A1)", "'-2", "'+1 more", '\'=HYPERLINK("http://evil")', tricky]


async def test_an_audit_export_needs_what_the_audit_log_needs(live_api, world, db):
    body = await live_api.graphql(EXPORT_AUDIT, world.dev_key)
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert await db_job_ids(db) == []
