"""CSV export at scale: one million audit events, rows per second and peak memory.

Run: python bench/export_bench.py [--events N] [--postgres URL] [--skip-sqlite]
Loads N audit events (default 1,000,000) into a fresh SQLite file and a fresh
PostgreSQL database (beside --postgres / GRAPHQL_API_BENCH_POSTGRES_URL),
then runs one export job through the real runner in a child process, so the
child's peak resident memory is the export's own (plus the interpreter and
the app's imports, measured separately as "baseline").
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import text

from graphql_api.auth.credentials import viewer_for_member
from graphql_api.config import Settings
from graphql_api.db.admin import recreate_database
from graphql_api.db.base import utcnow
from graphql_api.db.engine import create_engine, create_sessionmaker
from graphql_api.db.migrate import upgrade_to_head
from graphql_api.exports.runner import run_job
from graphql_api.exports.tables import ExportKind, audit_parameters
from graphql_api.ingest.service import ingest_lines
from graphql_api.repositories.audit import AuditQuery, last_event_id
from graphql_api.repositories.export_jobs import claim_next, create_job, job_by_id

DIRECTORY = [
    {"type": "team", "id": "bt", "name": "Bench", "slug": "bench", "plan": "ENTERPRISE"},
    {"type": "user", "id": "u1", "name": "User 1", "username": "u1", "email": "u1@b.example"},
    {
        "type": "membership",
        "id": "m1",
        "team": "bt",
        "user": "u1",
        "roles": ["ADMIN"],
        "status": "ACTIVE",
        "at": "2026-01-01T00:00:00+00:00",
    },
]
# Messages with a comma, quotes and a formula-like start, so quoting and escaping run.
POSTGRES_EVENTS = """
INSERT INTO audit_events (ext_id, team_id, at, action, category, actor_id, actor_name,
                          actor_username, actor_email, ip, user_agent, message, data)
SELECT 'ae' || g, 'bt', now() - (g % 170) * interval '1 day' - random() * interval '1 day',
       'USER_LOGOUT', 'USERS', 'u1', 'User 1', 'u1', 'u1@b.example', '192.0.2.1',
       'bench/1.0', CASE WHEN g % 10 = 0 THEN '=cmd|'' /C calc''!A0' ELSE
       'User 1 signed out, said "bye" (' || g || ')' END,
       json_build_object('user', json_build_object('id', 'u1'), 'n', g)
FROM generate_series(1, :count) AS g
"""
SQLITE_EVENTS = """
WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < :count)
INSERT INTO audit_events (ext_id, team_id, at, action, category, actor_id, actor_name,
                          actor_username, actor_email, ip, user_agent, message, data)
SELECT 'ae' || n, 'bt', strftime('%Y-%m-%d %H:%M:%f', 'now', '-' || (n % 170) || ' days',
       '-' || (n % 86400) || ' seconds'),
       'USER_LOGOUT', 'USERS', 'u1', 'User 1', 'u1', 'u1@b.example', '192.0.2.1',
       'bench/1.0', CASE WHEN n % 10 = 0 THEN '=cmd|'' /C calc''!A0' ELSE
       'User 1 signed out, said "bye" (' || n || ')' END,
       json_object('user', json_object('id', 'u1'), 'n', n)
FROM g
"""


async def load(url: str, events: int) -> int:
    """Fill the database and record one pending audit export job; return its id."""
    upgrade_to_head(url)
    engine = create_engine(url)
    db = create_sessionmaker(engine)
    try:
        await ingest_lines(db, [json.dumps(r) for r in DIRECTORY])
        started = time.perf_counter()
        async with engine.begin() as connection:
            sql = POSTGRES_EVENTS if engine.dialect.name == "postgresql" else SQLITE_EVENTS
            await connection.execute(text(sql), {"count": events})
            if engine.dialect.name == "postgresql":
                await connection.execute(text("ANALYZE"))
        print(f"  loaded {events:,} audit events in {time.perf_counter() - started:.1f} s")
        now = datetime.now(UTC)
        async with db() as session, session.begin():
            viewer = await viewer_for_member(session, "bt", "u1")
            assert viewer is not None
            through = await last_event_id(session, "bt")
            parameters = audit_parameters(
                AuditQuery(since=now - timedelta(days=180)), "TIMESTAMP", True, None, now, through
            )
            return await create_job(
                session, viewer, ExportKind.AUDIT_EVENTS.value, parameters, "http://bench", now
            )
    finally:
        await engine.dispose()


async def run_export(url: str, export_dir: str) -> dict[str, float]:
    """The child's side: claim the job and run it; report time, rows and memory."""
    baseline_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    engine = create_engine(url)
    db = create_sessionmaker(engine)
    settings = Settings(database_url=url, export_dir=export_dir)
    try:
        async with db() as session, session.begin():
            job = await claim_next(session, utcnow())
        assert job is not None
        started = time.perf_counter()
        await run_job(db, settings, job)
        seconds = time.perf_counter() - started
        async with db() as session:
            done = await job_by_id(session, job.id)
        assert done is not None and done.status == "SUCCEEDED", done and done.error
        size = (Path(export_dir) / str(done.file_name)).stat().st_size
    finally:
        await engine.dispose()
    return {
        "rows": float(done.row_count or 0),
        "seconds": seconds,
        "bytes": float(size),
        "baseline_kb": float(baseline_kb),
        "peak_kb": float(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss),
    }


def measure(label: str, url: str, events: int) -> None:
    print(f"[{label}]")
    asyncio.run(load(url, events))
    with tempfile.TemporaryDirectory() as export_dir:
        child = subprocess.run(
            [sys.executable, __file__, "--child", url, export_dir],
            check=True,
            capture_output=True,
            text=True,
        )
    result = json.loads(child.stdout.strip().splitlines()[-1])
    rows, seconds = result["rows"], result["seconds"]
    print(
        f"  exported {rows:,.0f} rows ({result['bytes'] / 1e6:.0f} MB of CSV) in {seconds:.1f} s"
        f" = {rows / seconds:,.0f} rows/s"
    )
    print(
        f"  peak memory of the exporting process: {result['peak_kb'] / 1024:.0f} MiB "
        f"(baseline after imports {result['baseline_kb'] / 1024:.0f} MiB, "
        f"so the export added {(result['peak_kb'] - result['baseline_kb']) / 1024:.0f} MiB)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--skip-sqlite", action="store_true")
    parser.add_argument(
        "--postgres",
        default=os.environ.get(
            "GRAPHQL_API_BENCH_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
        ),
    )
    parser.add_argument("--child", nargs=2, metavar=("URL", "EXPORT_DIR"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(asyncio.run(run_export(*args.child))))
        return
    if not args.skip_sqlite:
        with tempfile.TemporaryDirectory() as folder:
            url = f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}"
            measure(f"SQLite, {args.events:,} audit events", url, args.events)
    url = asyncio.run(recreate_database(args.postgres, "graphql_api_bench_export"))
    measure(f"PostgreSQL, {args.events:,} audit events", url, args.events)


if __name__ == "__main__":
    main()
