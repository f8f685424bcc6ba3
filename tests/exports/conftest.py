"""Exports run in the app's background worker: these tests start the app's lifespan,
and a real SMTP server (aiosmtpd) on loopback that keeps what it receives."""

from __future__ import annotations

import asyncio
import csv
import io
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field, replace
from email import message_from_bytes
from email.message import Message
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from graphql_api.config import Settings
from graphql_api.db.models import ExportJob
from tests.conftest import Api, serving_api
from tests.ports import free_port

EXPORT_AUDIT = """mutation($filter: AuditEventFilter, $tz: String) {
  exportAuditEvents(filter: $filter, timezone: $tz) { id kind status } }"""
EXPORT_TEAM_APIS = """mutation { exportTeamApis(range: {preset: LAST_7_DAYS},
  orderBy: {field: NAME, direction: ASC}) { id status } }"""
JOB = """query($id: ID!) { node(id: $id) { ... on ExportJob {
  id kind status rowCount downloadUrl expiresAt error emailedAt emailError } } }"""


@dataclass
class Inbox:
    """What the SMTP server received."""

    messages: list[Message] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(message_from_bytes(envelope.content))
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield inbox, port
    controller.stop()


@pytest.fixture
def export_settings(settings: Settings, tmp_path: Any, smtp: tuple[Inbox, int]) -> Settings:
    return replace(
        settings,
        export_dir=str(tmp_path / "exports"),
        refresh_interval=0,
        smtp_host="127.0.0.1",
        smtp_port=smtp[1],
        smtp_from="reports@example.com",
    )


class LiveApi(Api):
    """The app with its lifespan running (so its export worker runs)."""

    async def job(self, key: str, job_id: str) -> dict[str, Any]:
        body = await self.graphql(JOB, key, {"id": job_id})
        return body["data"]["node"]  # type: ignore[no-any-return]

    async def finished(self, key: str, job_id: str) -> dict[str, Any]:
        """Poll the job as a client would until it is no longer pending or running."""
        async with asyncio.timeout(20):
            while True:
                job = await self.job(key, job_id)
                if job["status"] not in {"PENDING", "RUNNING"}:
                    return job
                await asyncio.sleep(0.05)

    async def export_audit(self, key: str, **variables: Any) -> dict[str, Any]:
        """Export the audit log and wait for the job to end."""
        body = await self.graphql(EXPORT_AUDIT, key, variables)
        assert "errors" not in body, body
        job = body["data"]["exportAuditEvents"]
        assert job["kind"] == "AUDIT_EVENTS" and job["status"] in {"PENDING", "RUNNING"}
        return await self.finished(key, job["id"])

    async def csv(self, url: str) -> list[list[str]]:
        """Download a CSV as a browser would and parse it."""
        response = await self.http.get(url)
        assert response.status_code == 200, response.text
        assert response.headers["content-type"] == "text/csv; charset=utf-8"
        assert "attachment" in response.headers["content-disposition"]
        text = response.content.decode("utf-8")
        return list(csv.reader(io.StringIO(text, newline="")))

    async def emailed(self, key: str, job_id: str) -> dict[str, Any]:
        """Poll until sending the job's link was tried (it follows the job's success)."""
        async with asyncio.timeout(20):
            while True:
                job = await self.job(key, job_id)
                if job["emailedAt"] or job["emailError"] or job["status"] == "FAILED":
                    return job
                await asyncio.sleep(0.05)


@pytest.fixture
async def live_api(export_settings: Settings, db: Any) -> AsyncIterator[LiveApi]:
    async with serving_api(export_settings, lifespan=True, api_class=LiveApi) as api:
        yield api


async def db_job_ids(db: Any) -> list[int]:
    """Ids of every export job stored."""
    async with db() as session:
        return list(await session.scalars(select(ExportJob.id)))
