"""Exports run in the app's background worker: these tests start the app's lifespan,
and a real SMTP server (aiosmtpd) on loopback that keeps what it receives."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field, replace
from email import message_from_bytes
from email.message import Message
from typing import Any

import httpx
import pytest
from aiosmtpd.controller import Controller

from graphql_api.app import create_app
from graphql_api.config import Settings
from tests.conftest import Api
from tests.ports import free_port

JOB = """query($id: ID!) { node(id: $id) { ... on ExportJob {
  id kind status rowCount downloadUrl expiresAt error emailedAt } } }"""


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

    async def emailed(self, key: str, job_id: str) -> dict[str, Any]:
        """Poll until the job's link was emailed (which follows its success)."""
        async with asyncio.timeout(20):
            while True:
                job = await self.job(key, job_id)
                if job["emailedAt"] is not None or job["status"] == "FAILED":
                    return job
                await asyncio.sleep(0.05)


@pytest.fixture
async def live_api(export_settings: Settings, db: Any) -> AsyncIterator[LiveApi]:
    app = create_app(export_settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            yield LiveApi(app, client)
