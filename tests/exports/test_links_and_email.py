"""Download links (signed, expiring, 403 when refused) and the email that carries them."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from sqlalchemy import select, update

from graphql_api.db.base import utcnow
from graphql_api.db.models import ExportJob
from graphql_api.exports.links import sign_download
from tests import factories as f
from tests.conftest import SECRET, serving_api
from tests.exports.conftest import (
    LiveApi,
    db_job_ids,
)
from tests.ports import free_port


async def test_a_tampered_link_is_403_and_nothing_else(live_api, world, db):
    await f.ingest(db, f.audit_event(id="e", team="acme", actor="ada"))
    job = await live_api.export_audit(world.admin_key)
    url = job["downloadUrl"]
    token = url.rsplit("/", 1)[1]
    # Change a character inside the payload and one inside the signature (the last
    # base64 character may carry only padding bits, so changing it can be no change).
    payload_at, signature_at = 2, len(token) - 5

    def changed(at: int) -> str:
        return token[:at] + ("A" if token[at] != "A" else "B") + token[at + 1 :]

    bad_links = [url.replace(token, changed(payload_at)), url.replace(token, changed(signature_at))]
    for bad in (*bad_links, url + "x", "http://testserver/exports/nonsense"):
        response = await live_api.http.get(bad)
        assert response.status_code == 403, bad
        assert response.json()["errors"][0]["extensions"]["code"] == "FORBIDDEN"
        assert "event e" not in response.text


async def test_an_expired_link_is_403(live_api, world, db):
    await f.ingest(db, f.audit_event(id="e", team="acme", actor="ada"))
    job = await live_api.export_audit(world.admin_key)
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
    job = await live_api.export_audit(world.admin_key)
    assert (await live_api.http.get(job["downloadUrl"])).status_code == 200
    await f.ingest(db, f.membership(team="acme", user="ada", roles=["DEVELOPER"]))
    assert (await live_api.http.get(job["downloadUrl"])).status_code == 403


async def test_the_link_lifetime_is_configurable(export_settings, world, db):
    ttl = replace(export_settings, export_link_ttl=120)
    async with serving_api(ttl, lifespan=True, api_class=LiveApi) as api:
        await f.ingest(db, f.audit_event(id="e", team="acme", actor="ada"))
        job = await api.export_audit(world.admin_key)
    async with db() as session:
        stored = (await session.scalars(select(ExportJob))).one()
    assert stored.expires_at - stored.finished_at == timedelta(seconds=120)
    assert job["expiresAt"] is not None


async def test_the_link_is_emailed_to_the_requester(live_api, world, db, smtp):
    inbox, _ = smtp
    await f.ingest(db, f.audit_event(id="e", team="acme", actor="ada"))
    job = await live_api.export_audit(world.admin_key)
    job = await live_api.emailed(world.admin_key, job["id"])
    assert job["status"] == "SUCCEEDED" and job["emailedAt"] is not None
    (message,) = inbox.messages
    assert message["To"] == "ada@example.com"
    assert message["From"] == "reports@example.com"
    assert "audit log" in message["Subject"]
    assert job["downloadUrl"] in message.as_string()  # on one line, as sent
    rows = await live_api.csv(job["downloadUrl"])
    assert len(rows) == 2


async def test_an_unreachable_mail_server_leaves_the_export_usable(export_settings, world, db):
    closed = replace(export_settings, smtp_port=free_port())  # nothing listens there
    async with serving_api(closed, lifespan=True, api_class=LiveApi) as api:
        job = await api.emailed(world.admin_key, (await api.export_audit(world.admin_key))["id"])
        assert job["emailError"] and job["emailedAt"] is None
        assert job["status"] == "SUCCEEDED"
        assert (await api.http.get(job["downloadUrl"])).status_code == 200
