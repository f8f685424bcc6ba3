"""Ingest throughput: 100,000 request facts through the real ingest path.

Run: python bench/ingest_bench.py [--facts N] [--batch N] [--postgres URL]
Prints facts per second on SQLite (a fresh file) and on PostgreSQL (a fresh
database created beside the one in --postgres, or GRAPHQL_API_BENCH_POSTGRES_URL).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import asyncpg

from graphql_api.db.admin import recreate_database
from graphql_api.db.engine import create_engine, create_sessionmaker
from graphql_api.db.migrate import upgrade_to_head
from graphql_api.ingest.service import ingest_lines

GOAL = 20_000


def directory_lines() -> list[str]:
    records = [
        {"type": "team", "id": "bench", "name": "Bench", "slug": "bench", "plan": "ENTERPRISE"},
        {"type": "workspace", "id": "bw", "team": "bench", "name": "W", "visibility": "TEAM"},
    ]
    records += [
        {
            "type": "user",
            "id": f"bu{i}",
            "name": f"U{i}",
            "username": f"u{i}",
            "email": f"u{i}@bench.example",
        }
        for i in range(50)
    ]
    records += [
        {
            "type": "element",
            "id": f"bc{i}",
            "team": "bench",
            "workspace": "bw",
            "kind": "COLLECTION",
            "name": f"C{i}",
            "at": "2026-01-01T00:00:00Z",
        }
        for i in range(40)
    ]
    return [json.dumps(r) for r in records]


def fact_lines(count: int) -> list[str]:
    rng = random.Random(7)
    start = datetime(2026, 1, 1, tzinfo=UTC)
    sources = ["REQUEST_BUILDER", "NEWMAN", "COLLECTION_RUN", "MONITOR"]
    return [
        json.dumps(
            {
                "type": "request",
                "id": f"bench-r{i}",
                "team": "bench",
                "at": (start + timedelta(seconds=i * 7)).isoformat(),
                "user": f"bu{rng.randrange(50)}",
                "source": rng.choice(sources),
                "collection": f"bc{rng.randrange(40)}",
                "method": "GET",
                "status": rng.choice([200, 200, 200, 404, 500]),
                "response_time_ms": rng.randrange(900),
                "response_size_bytes": rng.randrange(90_000),
            }
        )
        for i in range(count)
    ]


async def run(url: str, facts: list[str], batch: int) -> float:
    upgrade_to_head(url)
    engine = create_engine(url)
    db = create_sessionmaker(engine)
    try:
        await ingest_lines(db, directory_lines())
        started = time.perf_counter()
        for offset in range(0, len(facts), batch):
            await ingest_lines(db, facts[offset : offset + batch])
        return time.perf_counter() - started
    finally:
        await engine.dispose()


def report(label: str, count: int, seconds: float) -> None:
    rate = count / seconds
    print(
        f"{label:11} {count:>8} facts in {seconds:6.2f} s = {rate:>9,.0f} facts/s "
        f"({rate / GOAL:.2f}x the {GOAL:,}/s goal)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--facts", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=10_000)
    parser.add_argument(
        "--postgres",
        default=os.environ.get(
            "GRAPHQL_API_BENCH_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
        ),
    )
    args = parser.parse_args()
    facts = fact_lines(args.facts)
    print(f"Ingesting {args.facts:,} request facts in batches of {args.batch:,}")
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}"
        report("SQLite", args.facts, asyncio.run(run(url, facts, args.batch)))
    try:
        url = asyncio.run(recreate_database(args.postgres, "graphql_api_bench"))
    except (OSError, asyncpg.PostgresError) as exc:
        print(f"PostgreSQL  skipped: cannot reach {args.postgres} ({exc})")
        return
    report("PostgreSQL", args.facts, asyncio.run(run(url, facts, args.batch)))


if __name__ == "__main__":
    main()
