"""The soak's dataset: the reports benchmark's team, with bulk facts, refreshed once.

The directory goes in through the ingest path; the bulk facts are generated
inside the database (PostgreSQL) or in batches (SQLite), as reports_bench does.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from reports_bench import APIS, USERS, directory, load_postgres, load_sqlite
from sqlalchemy import text

from graphql_api.auth.credentials import create_api_key, create_service_token
from graphql_api.db.base import utcnow
from graphql_api.db.engine import create_engine, create_sessionmaker
from graphql_api.db.migrate import upgrade_to_head
from graphql_api.ingest.service import ingest_lines
from graphql_api.refresh.service import refresh

TEAM = "bt"
TEAM_SLUG = "bench"
ADMIN_EMAIL = "u0@bench.example"
# Audit events spread over the last 170 days: inside ENTERPRISE's 180 kept,
# so no purge runs during a soak and summaries stay comparable to a rebuild.
AUDIT_DAYS = 170


@dataclass(frozen=True)
class Credentials:
    """What the soak's clients authenticate with."""

    admin_key: str
    service_token: str


def billing_lines() -> list[str]:
    """Seats and a year of invoices, so the Billing query has rows to read."""
    now = datetime.now(UTC)
    records: list[dict[str, object]] = [
        {"type": "seat_change", "id": "seats", "team": TEAM, "at": now.isoformat(), "seats": 250}
    ]
    for month in range(12):
        start = (now - timedelta(days=30 * (month + 1))).date()
        records.append(
            {
                "type": "invoice",
                "id": f"inv{month}",
                "team": TEAM,
                "at": (now - timedelta(days=30 * month)).isoformat(),
                "number": f"INV-{month:04}",
                "period_start": start.isoformat(),
                "period_end": (start + timedelta(days=30)).isoformat(),
                "amount_cents": 120_000 + month * 100,
                "currency": "USD",
                "status": "PAID",
            }
        )
    return [json.dumps(r) for r in records]


async def _load_sqlite_audit(url: str, count: int) -> None:
    rng = random.Random(17)
    now = datetime.now(UTC)
    engine = create_engine(url)
    try:
        for offset in range(0, count, 50_000):
            rows = []
            for g in range(offset, min(count, offset + 50_000)):
                user = rng.randrange(USERS)
                at = now - timedelta(seconds=rng.random() * AUDIT_DAYS * 86400)
                rows.append(
                    {
                        "e": f"ae{g}",
                        "at": at.replace(tzinfo=None).isoformat(sep=" "),
                        "u": f"u{user}",
                        "n": f"User {user}",
                        "m": f"event {g}",
                    }
                )
            async with engine.begin() as connection:
                await connection.execute(
                    text(
                        "INSERT INTO audit_events (ext_id, team_id, at, action, category, "
                        "actor_id, actor_name, actor_username, actor_email, ip, user_agent, "
                        "message) VALUES (:e, 'bt', :at, 'USER_LOGOUT', 'USERS', :u, :n, :u, "
                        ":u || '@bench.example', '192.0.2.1', 'soak', :m)"
                    ),
                    rows,
                )
    finally:
        await engine.dispose()


async def load(url: str, *, requests: int, audit: int) -> Credentials:
    """Migrate, load and refresh the dataset; return an admin key and an ingest token."""
    upgrade_to_head(url)
    engine = create_engine(url)
    db = create_sessionmaker(engine)
    try:
        await ingest_lines(db, [*directory(), *billing_lines()])
        if engine.dialect.name == "postgresql":
            await load_postgres(url, requests, audit)
        else:
            await load_sqlite(url, requests)
            await _load_sqlite_audit(url, audit)
        await refresh(db, utcnow(), full=True)
        async with engine.begin() as connection:
            await connection.execute(text("ANALYZE"))
        async with db() as session, session.begin():
            admin = await create_api_key(session, team_slug=TEAM_SLUG, email=ADMIN_EMAIL)
            token = await create_service_token(session, name="soak")
        return Credentials(admin_key=admin.secret, service_token=token)
    finally:
        await engine.dispose()


def live_lines(batch: int, size: int) -> list[str]:
    """One ingest batch of the soak's writer: `size` audit events and `size` requests."""
    now = datetime.now(UTC).isoformat()
    lines = []
    for n in range(size):
        k = batch * size + n
        lines.append(
            json.dumps(
                {
                    "type": "audit_event",
                    "id": f"soak-a-{k}",
                    "team": TEAM,
                    "at": now,
                    "action": "team.add_member" if k % 2 else "user.logout",
                    "actor": f"u{k % USERS}",
                    "ip": "198.51.100.7",
                    "user_agent": "soak",
                    "message": f"soak event {k}",
                    "data": {"batch": batch},
                }
            )
        )
        lines.append(
            json.dumps(
                {
                    "type": "request",
                    "id": f"soak-r-{k}",
                    "team": TEAM,
                    "at": now,
                    "user": f"u{k % USERS}",
                    "source": "REQUEST_BUILDER",
                    "collection": f"c{k % APIS}",
                    "api": f"a{k % APIS}",
                    "method": "GET",
                    "status": 500 if k % 37 == 0 else 200,
                    "response_time_ms": k % 1500,
                    "response_size_bytes": 2048,
                }
            )
        )
    return lines
