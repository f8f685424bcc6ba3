"""Incremental refresh of the summaries (docs/concepts.md#freshness)."""

from __future__ import annotations

import asyncio
import random
from datetime import timedelta

from sqlalchemy import func, select, text

from graphql_api.db.base import utcnow
from graphql_api.db.models import DailyRequests, RequestEvent
from graphql_api.refresh.service import REFRESH_LOCK_KEY, refresh
from graphql_api.refresh.summaries import SUMMARIES
from tests import factories as f

SUMMARY_TABLES = tuple(summary.table for summary in SUMMARIES)


def _world() -> list[dict]:
    return [
        f.team(id="acme"),
        f.user(id="ada"),
        f.user(id="bob"),
        f.membership(team="acme", user="ada"),
        f.membership(team="acme", user="bob"),
        f.workspace(id="ws", team="acme"),
        f.element(id="api", team="acme", workspace="ws"),
        f.element(id="col", team="acme", workspace="ws", kind="COLLECTION"),
        f.element(id="mon", team="acme", workspace="ws", kind="MONITOR"),
    ]


def _random_facts(rng: random.Random, start: int, count: int) -> list[dict]:
    """Facts with timestamps anywhere in the last 30 days: later batches hold late facts."""
    facts = []
    for n in range(start, start + count):
        at = (utcnow() - timedelta(minutes=rng.randrange(30 * 24 * 60))).isoformat()
        kind = rng.choice(
            [
                "request",
                "request",
                "test_run",
                "monitor_run",
                "content_event",
                "public_stat",
                "finding",
                "resolution",
            ]
        )
        if kind == "request":
            facts.append(
                {
                    **f.request(
                        id=f"r{n}",
                        team="acme",
                        user=rng.choice(["ada", "bob"]),
                        collection=rng.choice(["col", None]),
                        source=rng.choice(["REQUEST_BUILDER", "NEWMAN"]),
                    ),
                    "at": at,
                    "api": rng.choice(["api", None]),
                    "status": rng.choice([200, 201, 404, 500]),
                    "response_time_ms": rng.randrange(6000),
                }
            )
        elif kind == "test_run":
            facts.append(
                {
                    "type": "test_run",
                    "id": f"t{n}",
                    "team": "acme",
                    "at": at,
                    "source": "COLLECTION_RUN",
                    "collection": "col",
                    "passed": rng.randrange(9),
                    "failed": rng.choice([0, 0, 2]),
                }
            )
        elif kind == "monitor_run":
            facts.append(
                {
                    "type": "monitor_run",
                    "id": f"m{n}",
                    "team": "acme",
                    "at": at,
                    "monitor": "mon",
                    "success": rng.random() > 0.2,
                    "response_time_ms": rng.randrange(900),
                }
            )
        elif kind in ("finding", "resolution"):
            # A resolution re-sends an earlier id (or a new one, found already resolved).
            number = rng.randrange(max(start, 1)) if kind == "resolution" else n
            finding = {
                "type": "security_finding",
                "id": f"sf{number}",
                "team": "acme",
                "at": at,
                "element": "api",
                "rule": rng.choice(["TLS", "Auth"]),
                "severity": rng.choice(["LOW", "HIGH"]),
            }
            if kind == "resolution":
                finding["resolved_at"] = utcnow().isoformat()
            facts.append(finding)
        elif kind == "public_stat":
            facts.append(
                {
                    "type": "public_stat",
                    "id": f"p{n}",
                    "team": "acme",
                    "at": at,
                    "workspace": "ws",
                    "views": rng.randrange(50),
                    "watches": rng.randrange(3),
                    "forks": rng.randrange(2),
                }
            )
        else:
            facts.append(
                {
                    "type": "content_event",
                    "id": f"c{n}",
                    "team": "acme",
                    "at": at,
                    "user": "ada",
                    "element": "api",
                    "action": rng.choice(["CREATED", "UPDATED"]),
                }
            )
    return facts


async def _snapshot(db) -> dict[str, list[tuple]]:
    async with db() as session:
        return {
            table.__tablename__: sorted(
                tuple(row) for row in await session.execute(select(table.__table__))
            )
            for table in SUMMARY_TABLES
        }


async def test_incremental_refreshes_equal_a_full_rebuild_for_random_streams_with_late_facts(db):
    rng = random.Random(20261121)
    await f.ingest(db, *_world())
    for batch in range(6):
        await f.ingest(db, *_random_facts(rng, batch * 80, 80))
        if rng.random() < 0.7:
            await refresh(db, utcnow())
    await refresh(db, utcnow())
    incremental = await _snapshot(db)
    result = await refresh(db, utcnow(), full=True)
    assert result.ran
    assert await _snapshot(db) == incremental
    assert any(incremental.values())


async def test_refreshing_again_adds_nothing(db):
    await f.ingest(db, *_world(), *_random_facts(random.Random(1), 0, 50))
    await refresh(db, utcnow())
    once = await _snapshot(db)
    second = await refresh(db, utcnow())
    assert second.folded == {}
    assert await _snapshot(db) == once


async def test_every_request_is_counted_once_even_when_refreshes_overlap(db):
    rng = random.Random(2)
    await f.ingest(db, *_world())
    for batch in range(3):
        await f.ingest(db, *_random_facts(rng, batch * 60, 60))
        await asyncio.gather(refresh(db, utcnow()), refresh(db, utcnow()))
    await refresh(db, utcnow())
    async with db() as session:
        counted = await session.scalar(select(func.sum(DailyRequests.requests)))
        facts = await session.scalar(select(func.count()).select_from(RequestEvent))
    assert counted == facts


async def test_a_refresh_skips_while_another_process_holds_the_lock_on_postgresql(db):
    async with db() as session:
        if session.get_bind().dialect.name != "postgresql":
            return  # SQLite has one writer: a second refresh waits, then finds nothing new.
    await f.ingest(db, *_world(), *_random_facts(random.Random(3), 0, 10))
    async with db() as other, other.begin():
        await other.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": REFRESH_LOCK_KEY})
        assert (await refresh(db, utcnow())).ran is False
    assert (await refresh(db, utcnow())).ran is True


async def test_response_time_buckets_and_status_classes_are_summed_per_day(db):
    await f.ingest(
        db,
        *_world(),
        {**f.request(id="a", team="acme", user="ada"), "response_time_ms": 10, "status": 200},
        {**f.request(id="b", team="acme", user="ada"), "response_time_ms": 30, "status": 201},
        {**f.request(id="c", team="acme", user="ada"), "response_time_ms": 9000, "status": 503},
    )
    await refresh(db, utcnow())
    async with db() as session:
        rows = (
            await session.execute(
                select(
                    DailyRequests.status_class,
                    func.sum(DailyRequests.requests),
                    func.sum(DailyRequests.h00),
                    func.sum(DailyRequests.h01),
                    func.sum(DailyRequests.h15),
                )
                .group_by(DailyRequests.status_class)
                .order_by(DailyRequests.status_class)
            )
        ).all()
    assert [tuple(r) for r in rows] == [(2, 2, 1, 1, 0), (5, 1, 0, 0, 1)]
