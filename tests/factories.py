"""Small keyword-only builders of ingest records, and helpers to put them in."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from graphql_api.auth.credentials import create_api_key, create_service_token
from graphql_api.ingest.service import IngestResult, ingest_lines

NOW = datetime.now(UTC).replace(microsecond=0)


def ago(**delta: float) -> str:
    """An ISO timestamp that long before now."""
    return (NOW - timedelta(**delta)).isoformat()


def team(*, id: str, plan: str = "ENTERPRISE", name: str | None = None) -> dict[str, Any]:
    return {"type": "team", "id": id, "name": name or id.title(), "slug": id, "plan": plan}


def user(*, id: str, name: str | None = None, email: str | None = None) -> dict[str, Any]:
    return {
        "type": "user",
        "id": id,
        "name": name or id.title(),
        "username": id,
        "email": email or f"{id}@example.com",
    }


def membership(
    *,
    team: str,
    user: str,
    roles: list[str] | None = None,
    status: str = "ACTIVE",
    id: str | None = None,
) -> dict[str, Any]:
    return {
        "type": "membership",
        "id": id or f"m-{team}-{user}",
        "team": team,
        "user": user,
        "roles": roles or ["DEVELOPER"],
        "status": status,
        "at": ago(days=30),
    }


def group(*, id: str, team: str, roles: list[str] | None = None) -> dict[str, Any]:
    return {"type": "group", "id": id, "team": team, "name": id.title(), "roles": roles or []}


def group_member(*, group: str, user: str, deleted: bool = False) -> dict[str, Any]:
    return {
        "type": "group_member",
        "id": f"gm-{group}-{user}",
        "group": group,
        "user": user,
        "deleted": deleted,
    }


def workspace(*, id: str, team: str, visibility: str = "TEAM") -> dict[str, Any]:
    return {
        "type": "workspace",
        "id": id,
        "team": team,
        "name": id.title(),
        "visibility": visibility,
    }


def element(
    *, id: str, team: str, workspace: str, kind: str = "API", name: str | None = None
) -> dict[str, Any]:
    return {
        "type": "element",
        "id": id,
        "team": team,
        "workspace": workspace,
        "kind": kind,
        "name": name or id.title(),
        "at": ago(days=20),
    }


def grant(
    *,
    subject: str,
    resource: str,
    subject_type: str = "USER",
    role: str = "VIEWER",
    deleted: bool = False,
) -> dict[str, Any]:
    return {
        "type": "grant",
        "id": f"gr-{subject}-{resource}",
        "subject": subject,
        "subject_type": subject_type,
        "resource": resource,
        "role": role,
        "deleted": deleted,
    }


def audit_event(
    *,
    id: str,
    team: str,
    actor: str,
    at: str | None = None,
    action: str = "Added Team Member",
    message: str | None = None,
    data: dict[str, Any] | None = None,
) -> dict[str, Any]:
    record = {
        "type": "audit_event",
        "id": id,
        "team": team,
        "at": at or ago(hours=1),
        "action": action,
        "actor": actor,
        "ip": "192.0.2.1",
        "user_agent": "tests",
        "message": message or f"event {id}",
    }
    if data is not None:
        record["data"] = data
    return record


def request(
    *, id: str, team: str, user: str, collection: str | None = None, source: str = "REQUEST_BUILDER"
) -> dict[str, Any]:
    return {
        "type": "request",
        "id": id,
        "team": team,
        "at": ago(hours=2),
        "user": user,
        "source": source,
        "collection": collection,
        "method": "GET",
        "status": 200,
        "response_time_ms": 120,
        "response_size_bytes": 512,
    }


def invoice(
    *,
    id: str,
    team: str = "acme",
    status: str = "PAID",
    cents: int = 1000,
    at: str | None = None,
    period_start: date | None = None,
) -> dict[str, Any]:
    start = period_start or date.today().replace(day=1)
    return {
        "type": "invoice",
        "id": id,
        "team": team,
        "at": at or ago(hours=1),
        "number": f"N-{id}",
        "period_start": start.isoformat(),
        "period_end": start.replace(day=28).isoformat(),
        "amount_cents": cents,
        "currency": "USD",
        "status": status,
    }


def usage(
    *, id: str, resource: str, quantity: int, team: str = "acme", at: str | None = None
) -> dict[str, Any]:
    return {
        "type": "usage",
        "id": id,
        "team": team,
        "at": at or ago(hours=1),
        "resource": resource,
        "quantity": quantity,
    }


def seat_change(
    *, id: str, seats: int, team: str = "acme", at: str | None = None
) -> dict[str, Any]:
    return {"type": "seat_change", "id": id, "team": team, "at": at or ago(days=1), "seats": seats}


def lines(*records: dict[str, Any]) -> list[str]:
    return [json.dumps(r) for r in records]


async def ingest(db: async_sessionmaker[AsyncSession], *records: dict[str, Any]) -> IngestResult:
    """Put records in through the real ingest path."""
    return await ingest_lines(db, lines(*records))


async def api_key_for(
    db: async_sessionmaker[AsyncSession],
    *,
    team: str,
    email: str,
    expires_at: datetime | None = None,
) -> str:
    async with db() as session, session.begin():
        made = await create_api_key(session, team_slug=team, email=email, expires_at=expires_at)
        return made.secret


async def service_token(db: async_sessionmaker[AsyncSession]) -> str:
    async with db() as session, session.begin():
        return await create_service_token(session)
