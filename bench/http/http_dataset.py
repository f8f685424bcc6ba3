"""The HTTP benchmark's dataset: one ENTERPRISE team, its directory, bulk facts, refreshed.

The directory (2,000 users with memberships, APIs, collections, links,
monitors) goes in through the ingest path. The bulk rows (request facts,
monitor runs, audit events) are generated inside PostgreSQL with
`INSERT ... SELECT generate_series`, as bench/reports_bench.py does: the rows
are what ingest would write (the same columns, `seq`/`event_id` from the
tables' own sequences, `ext_id`s unique per type, an audit event's category
from its action and its actor's name, username and email copied from the
user), and audit events are inserted in timestamp order, so their eventIds
follow their timestamps as one ingest batch's do (ingest/specs.py).
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

# The request facts and monitor runs are generated as the reports benchmark does
# (bench/ is on the path of every benchmark script).
from reports_bench import POSTGRES_FACTS, POSTGRES_MONITOR_RUNS
from sqlalchemy import text

from graphql_api.auth.credentials import create_api_key
from graphql_api.db.base import utcnow
from graphql_api.db.engine import create_engine, create_sessionmaker
from graphql_api.db.migrate import upgrade_to_head
from graphql_api.domain.audit_actions import ACTIONS
from graphql_api.ingest.service import ingest_lines
from graphql_api.refresh.service import refresh

TEAM, TEAM_SLUG, TEAM_NAME = "bt", "bench", "Bench"
ADMIN_EMAIL = "u0@bench.example"
USERS, APIS, MONITORS = 2_000, 150, 30
FACT_DAYS = 90
# Inside ENTERPRISE's 180 kept days, so retention never hides a row the peers show.
AUDIT_DAYS = 170

# One statement per chunk, rows sorted by timestamp within it; chunks go oldest first
# (each covers its own slice of the 170 days), so eventId order is timestamp order.
AUDIT_SQL = """
INSERT INTO audit_events (ext_id, team_id, at, action, category, actor_id, actor_name,
                          actor_username, actor_email, ip, user_agent, message, data)
SELECT 'ae' || s.g, 'bt', s.at, a.action, a.category, 'u' || s.u, 'User ' || s.u, 'u' || s.u,
       'u' || s.u || '@bench.example', '192.0.2.' || (s.g % 250), 'bench-http/1.0',
       'User ' || s.u || ': event ' || s.g, NULL
FROM (
    SELECT g, CAST(:newest AS timestamptz)
               - (CAST(:slice_start AS float8) + random() * CAST(:slice_length AS float8))
               * interval '1 second' AS at,
           floor(random() * {users})::int AS u, g % {actions} AS k
    FROM generate_series(CAST(:first AS int), CAST(:last AS int)) AS g
) AS s
JOIN unnest(CAST(:actions AS text[]), CAST(:categories AS text[])) WITH ORDINALITY
     AS a(action, category, i) ON a.i = s.k + 1
ORDER BY s.at
"""


@dataclass(frozen=True)
class Dataset:
    """What the benchmark needs to know about the loaded data."""

    admin_key: str
    audit_events: int
    facts: int
    load_seconds: float
    refresh_seconds: float


def directory_lines() -> list[str]:
    """The team, its users and members (u0 the admin), APIs, collections, links, monitors."""
    at = (datetime.now(UTC) - timedelta(days=AUDIT_DAYS + 5)).isoformat()
    records: list[dict[str, Any]] = [
        {"type": "team", "id": TEAM, "name": TEAM_NAME, "slug": TEAM_SLUG, "plan": "ENTERPRISE"},
        {"type": "workspace", "id": "open", "team": TEAM, "name": "Open", "visibility": "TEAM"},
    ]
    for u in range(USERS):
        records.append(
            {
                "type": "user",
                "id": f"u{u}",
                "name": f"User {u}",
                "username": f"u{u}",
                "email": f"u{u}@bench.example",
            }
        )
        records.append(
            {
                "type": "membership",
                "id": f"m{u}",
                "team": TEAM,
                "user": f"u{u}",
                "roles": ["ADMIN" if u == 0 else "DEVELOPER"],
                # A few former members, so the feed's `active` flag is not always true.
                "status": "REMOVED" if u % 50 == 49 else "ACTIVE",
                "at": at,
            }
        )
    for a in range(APIS):
        for kind, prefix in (("API", "a"), ("COLLECTION", "c")):
            records.append(
                {
                    "type": "element",
                    "id": f"{prefix}{a}",
                    "team": TEAM,
                    "workspace": "open",
                    "kind": kind,
                    "name": f"{kind.title()} {a}",
                    "at": at,
                }
            )
        records.append(
            {
                "type": "api_link",
                "id": f"l{a}",
                "api": f"a{a}",
                "collection": f"c{a}",
                "relation": "TEST",
            }
        )
    for n in range(MONITORS):
        records.append(
            {
                "type": "element",
                "id": f"mon{n}",
                "team": TEAM,
                "workspace": "open",
                "kind": "MONITOR",
                "name": f"Monitor {n}",
                "at": at,
                "collection": f"c{n}",
            }
        )
    return [json.dumps(r) for r in records]


async def _bulk(url: str, *, facts: int, audit: int) -> None:
    engine = create_engine(url)
    fmt = {
        "days": FACT_DAYS,
        "users": USERS,
        "apis": APIS,
        "monitors": MONITORS,
        "actions": len(ACTIONS),
    }
    actions = list(ACTIONS)
    categories = [ACTIONS[name].category.value for name in actions]
    newest = utcnow() - timedelta(minutes=1)
    try:
        chunk = 1_000_000
        for offset in range(0, facts, chunk):
            async with engine.begin() as connection:
                await connection.execute(
                    text(POSTGRES_FACTS.format(**fmt)),
                    {"offset": offset, "count": min(chunk, facts - offset)},
                )
        async with engine.begin() as connection:
            await connection.execute(
                text(POSTGRES_MONITOR_RUNS.format(**fmt)), {"count": FACT_DAYS * 24 * MONITORS // 3}
            )
        span = AUDIT_DAYS * 86_400.0
        chunk = 250_000
        chunks = max(1, -(-audit // chunk))
        for n in range(chunks):
            first, last = n * chunk + 1, min(audit, (n + 1) * chunk)
            # Chunk n holds the n-th oldest slice of the span: oldest chunk first.
            slice_length = span / chunks
            slice_start = span - (n + 1) * slice_length
            async with engine.begin() as connection:
                await connection.execute(
                    text(AUDIT_SQL.format(**fmt)),
                    {
                        "first": first,
                        "last": last,
                        "newest": newest,
                        "slice_start": slice_start,
                        "slice_length": slice_length,
                        "actions": actions,
                        "categories": categories,
                    },
                )
    finally:
        await engine.dispose()


async def load(url: str, *, audit: int, facts: int) -> Dataset:
    """Migrate, load and fully refresh the dataset; return an admin key and timings."""
    upgrade_to_head(url)
    engine = create_engine(url)
    db = create_sessionmaker(engine)
    try:
        started = time.perf_counter()
        await ingest_lines(db, directory_lines())
        await _bulk(url, facts=facts, audit=audit)
        async with engine.connect() as connection:
            await connection.execution_options(isolation_level="AUTOCOMMIT")
            await connection.execute(text("VACUUM ANALYZE"))
        loaded = time.perf_counter() - started
        started = time.perf_counter()
        await refresh(db, utcnow(), full=True)
        refreshed = time.perf_counter() - started
        async with engine.connect() as connection:
            await connection.execution_options(isolation_level="AUTOCOMMIT")
            await connection.execute(text("VACUUM ANALYZE"))
        async with db() as session, session.begin():
            admin = await create_api_key(session, team_slug=TEAM_SLUG, email=ADMIN_EMAIL)
        return Dataset(admin.secret, audit, facts, loaded, refreshed)
    finally:
        await engine.dispose()
