"""Reports at scale: refresh times, report latency and SQL statements per request.

Run: python bench/reports_bench.py [--requests N] [--audit N] [--sqlite-requests N]
Defaults: 10,000,000 request facts and 1,000,000 audit events in PostgreSQL
(a fresh database beside --postgres / GRAPHQL_API_BENCH_POSTGRES_URL), and
500,000 request facts in SQLite. The directory (users, APIs, grants) goes in
through the ingest path; the bulk facts are generated inside the database.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import event, text

from graphql_api.app import create_app
from graphql_api.auth.credentials import create_api_key
from graphql_api.config import Settings
from graphql_api.db.admin import recreate_database
from graphql_api.db.base import utcnow
from graphql_api.db.engine import create_engine, create_sessionmaker
from graphql_api.db.migrate import upgrade_to_head
from graphql_api.ingest.service import ingest_lines
from graphql_api.refresh.service import refresh

USERS, APIS, MONITORS, DAYS = 200, 500, 100, 90
SUMMARY = "{ team { reports { summary(range: {preset: LAST_90_DAYS}) { requestCount p95ResponseTimeMs uptime series { requestCount } } } } }"  # noqa: E501
TEAM_APIS = "query($n: Int) { team { reports { teamApis(first: $n, range: {preset: LAST_90_DAYS}, orderBy: {field: P95_RESPONSE_TIME}) { totalCount restrictedCount nodes { name requestCount p95ResponseTimeMs uptime } } } } }"  # noqa: E501
SUMMARY_7 = SUMMARY.replace("LAST_90_DAYS", "LAST_7_DAYS")


def directory() -> list[str]:
    at = (datetime.now(UTC) - timedelta(days=DAYS + 1)).isoformat()
    records: list[dict[str, Any]] = [
        {"type": "team", "id": "bt", "name": "Bench", "slug": "bench", "plan": "ENTERPRISE"},
        {"type": "workspace", "id": "open", "team": "bt", "name": "Open", "visibility": "TEAM"},
        {
            "type": "workspace",
            "id": "closed",
            "team": "bt",
            "name": "Closed",
            "visibility": "PRIVATE",
        },
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
                "team": "bt",
                "user": f"u{u}",
                "roles": ["ADMIN" if u == 0 else "DEVELOPER"],
                "status": "ACTIVE",
                "at": at,
            }
        )
    for a in range(APIS):
        space = "closed" if a % 3 == 0 else "open"  # a third are restricted for developers
        records.append(
            {
                "type": "element",
                "id": f"a{a}",
                "team": "bt",
                "workspace": space,
                "kind": "API",
                "name": f"API {a}",
                "at": at,
            }
        )
        records.append(
            {
                "type": "element",
                "id": f"c{a}",
                "team": "bt",
                "workspace": space,
                "kind": "COLLECTION",
                "name": f"Collection {a}",
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
                "team": "bt",
                "workspace": "open",
                "kind": "MONITOR",
                "name": f"Monitor {n}",
                "at": at,
                "collection": f"c{n}",
            }
        )
    return [json.dumps(r) for r in records]


POSTGRES_FACTS = """
INSERT INTO request_events (ext_id, team_id, at, user_id, source, collection_id, api_id, method,
                            status, response_time_ms, response_size_bytes)
SELECT 'r' || (:offset + g), 'bt', now() - random() * interval '{days} days',
       'u' || floor(random() * {users})::int,
       (ARRAY['REQUEST_BUILDER','REQUEST_BUILDER','NEWMAN','COLLECTION_RUN'])[1 + floor(random() * 4)::int],
       'c' || (g % {apis}), 'a' || (g % {apis}), 'GET',
       (ARRAY[200,200,200,201,404,500])[1 + floor(random() * 6)::int],
       floor(random() * random() * 3000)::int, floor(random() * 50000)::int
FROM generate_series(1, :count) AS g
"""  # noqa: E501
POSTGRES_MONITOR_RUNS = """
INSERT INTO monitor_runs (ext_id, team_id, at, monitor_id, success, response_time_ms)
SELECT 'mr' || g, 'bt', now() - random() * interval '{days} days', 'mon' || (g % {monitors}),
       random() > 0.03, floor(random() * 800)::int
FROM generate_series(1, :count) AS g
"""
POSTGRES_AUDIT = """
INSERT INTO audit_events (ext_id, team_id, at, action, category, actor_id, actor_name,
                          actor_username, actor_email, ip, user_agent, message)
SELECT 'ae' || g, 'bt', now() - random() * interval '170 days', 'USER_LOGOUT', 'USERS', 'u1',
       'User 1', 'u1', 'u1@bench.example', '192.0.2.1', 'bench', 'event ' || g
FROM generate_series(1, :count) AS g
"""


async def load_postgres(url: str, requests: int, audit: int) -> None:
    engine = create_engine(url)
    fmt = {"days": DAYS, "users": USERS, "apis": APIS, "monitors": MONITORS}
    try:
        chunk = 1_000_000
        for offset in range(0, requests, chunk):
            async with engine.begin() as connection:
                await connection.execute(
                    text(POSTGRES_FACTS.format(**fmt)),
                    {"offset": offset, "count": min(chunk, requests - offset)},
                )
        async with engine.begin() as connection:
            await connection.execute(
                text(POSTGRES_MONITOR_RUNS.format(**fmt)), {"count": DAYS * 24 * MONITORS // 3}
            )
            await connection.execute(text(POSTGRES_AUDIT), {"count": audit})
            await connection.execute(text("ANALYZE"))
    finally:
        await engine.dispose()


async def load_sqlite(url: str, requests: int) -> None:
    rng = random.Random(5)
    now = datetime.now(UTC)
    engine = create_engine(url)
    try:
        chunk = 100_000
        for offset in range(0, requests, chunk):
            rows = []
            for g in range(offset, min(requests, offset + chunk)):
                at = (now - timedelta(seconds=rng.random() * DAYS * 86400)).replace(tzinfo=None)
                rows.append(
                    {
                        "e": f"r{g}",
                        "at": at.isoformat(sep=" "),
                        "u": f"u{rng.randrange(USERS)}",
                        "s": rng.choice(["REQUEST_BUILDER", "NEWMAN"]),
                        "c": f"c{g % APIS}",
                        "a": f"a{g % APIS}",
                        "st": rng.choice([200, 200, 404, 500]),
                        "t": int(rng.random() * rng.random() * 3000),
                        "z": rng.randrange(50000),
                    }
                )
            async with engine.begin() as connection:
                await connection.execute(
                    text(
                        "INSERT INTO request_events (ext_id, team_id, at, user_id, source,"
                        " collection_id, api_id, method, status, response_time_ms,"
                        " response_size_bytes) VALUES "
                        "(:e, 'bt', :at, :u, :s, :c, :a, 'GET', :st, :t, :z)"
                    ),
                    rows,
                )
    finally:
        await engine.dispose()


async def measure(url: str, label: str, load: Any) -> None:
    upgrade_to_head(url)
    engine = create_engine(url)
    db = create_sessionmaker(engine)
    await ingest_lines(db, directory())
    started = time.perf_counter()
    await load()
    print(f"[{label}] loaded facts in {time.perf_counter() - started:.1f} s")

    started = time.perf_counter()
    await refresh(db, utcnow(), full=True)
    print(f"[{label}] full refresh: {time.perf_counter() - started:.2f} s")
    # What autovacuum would have done by the time anyone reads the reports.
    async with engine.begin() as connection:
        await connection.execute(text("ANALYZE"))

    new = [
        json.dumps(
            {
                "type": "request",
                "id": f"new{n}",
                "team": "bt",
                "at": (utcnow() - timedelta(minutes=n % 600)).isoformat(),
                "user": "u1",
                "source": "REQUEST_BUILDER",
                "collection": f"c{n % APIS}",
                "api": f"a{n % APIS}",
                "method": "GET",
                "status": 200,
                "response_time_ms": n % 900,
                "response_size_bytes": 100,
            }
        )
        for n in range(10_000)
    ]
    await ingest_lines(db, new)
    started = time.perf_counter()
    await refresh(db, utcnow())
    incremental = time.perf_counter() - started
    print(
        f"[{label}] incremental refresh of 10,000 new facts: {incremental:.3f} s "
        f"(aim < 1 s: {1 / incremental:.1f}x)"
    )

    async with db() as session, session.begin():
        admin = (await create_api_key(session, team_slug="bench", email="u0@bench.example")).secret
        dev = (await create_api_key(session, team_slug="bench", email="u7@bench.example")).secret
    await engine.dispose()

    app = create_app(
        Settings(
            database_url=url,
            secret_key="bench",
            refresh_interval=0,
            rate_limit_per_minute=1_000_000,
        )
    )
    statements = [0]
    event.listen(
        app.state.graphql_api.engine.sync_engine,
        "before_cursor_execute",
        lambda *a: statements.__setitem__(0, statements[0] + 1),
    )
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:

        async def timed(
            query: str, key: str, variables: dict[str, Any], runs: int = 15
        ) -> tuple[float, int]:
            times, counts = [], []
            for _ in range(runs):
                before = statements[0]
                t = time.perf_counter()
                response = await client.post(
                    "/graphql",
                    json={"query": query, "variables": variables},
                    headers={"X-Api-Key": key},
                )
                times.append(time.perf_counter() - t)
                counts.append(statements[0] - before)
                assert "errors" not in response.json(), response.text[:500]
            return statistics.median(times) * 1000, counts[-1]

        summary_ms, summary_sql = await timed(SUMMARY, admin, {})
        summary7_ms, summary7_sql = await timed(SUMMARY_7, admin, {})
        apis_ms, apis_sql = await timed(TEAM_APIS, dev, {"n": 100})
        apis1_ms, apis1_sql = await timed(TEAM_APIS, dev, {"n": 1})
    await app.state.graphql_api.engine.dispose()
    print(
        f"[{label}] Summary over 90 days: {summary_ms:.1f} ms median, {summary_sql} SQL "
        f"statements (7 days: {summary7_ms:.1f} ms, {summary7_sql} statements)"
    )
    print(
        f"[{label}] Team APIs page of 100 by p95 (developer, masked): {apis_ms:.1f} ms median, "
        f"{apis_sql} SQL statements (page of 1: {apis1_ms:.1f} ms, {apis1_sql} statements)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=10_000_000)
    parser.add_argument("--audit", type=int, default=1_000_000)
    parser.add_argument("--sqlite-requests", type=int, default=500_000)
    parser.add_argument(
        "--postgres",
        default=os.environ.get(
            "GRAPHQL_API_BENCH_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
        ),
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}"
        asyncio.run(
            measure(
                url,
                f"SQLite {args.sqlite_requests:,} requests",
                lambda: load_sqlite(url, args.sqlite_requests),
            )
        )
    url = asyncio.run(recreate_database(args.postgres, "graphql_api_bench_reports"))
    asyncio.run(
        measure(
            url,
            f"PostgreSQL {args.requests:,} requests, {args.audit:,} audit events",
            lambda: load_postgres(url, args.requests, args.audit),
        )
    )


if __name__ == "__main__":
    main()
