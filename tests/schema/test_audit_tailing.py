"""Tailing the audit log: EVENT_ID ascending with `after:` while others write.

See docs/concepts.md#tailing-the-audit-log.

Numbers handed out by concurrent transactions could commit out of order; a
reader that saw event 101 before 100 committed would skip 100 forever. Every
writer takes the same ordering lock, so this cannot happen; this test writes
from several concurrent sessions while a consumer tails, and checks that it
saw every event exactly once.
"""

from __future__ import annotations

import asyncio

from sqlalchemy import select

from graphql_api.db.base import utcnow
from graphql_api.db.models import AuditEvent
from graphql_api.domain.origins import RequestOrigin
from graphql_api.repositories.audit_writes import record_audit_event
from tests import factories as f

TAIL = """query($after: String) { team { auditEvents(first: 50, after: $after,
  orderBy: {field: EVENT_ID, direction: ASC}) {
  pageInfo { endCursor } nodes { eventId } } } }"""
CREATE_KEY = 'mutation { createApiKey(input: {name: "tail"}) { secret } }'

WRITERS = 4
BATCHES = 8
PER_BATCH = 15


async def _write(db, writer: int) -> None:
    for batch in range(BATCHES):
        await f.ingest(
            db,
            *(
                # Timestamps deliberately out of order: the tailing order is ingestion order.
                f.audit_event(
                    id=f"w{writer}-b{batch}-e{n}",
                    team="acme",
                    actor="ada",
                    at=f.ago(minutes=(writer * 7 + batch * 3 + n) % 50),
                )
                for n in range(PER_BATCH)
            ),
        )
        await asyncio.sleep(0)


async def test_a_tailing_consumer_sees_every_event_once_while_others_ingest(api, world, db):
    writers = [asyncio.create_task(_write(db, w)) for w in range(WRITERS)]
    # The server's own events share the numbering: write some of those too.
    writers += [asyncio.create_task(api.graphql(CREATE_KEY, world.admin_key)) for _ in range(5)]
    seen: list[int] = []
    cursor = None

    async def drain() -> None:
        nonlocal cursor
        while True:
            body = await api.graphql(TAIL, world.admin_key, {"after": cursor})
            page = body["data"]["team"]["auditEvents"]
            seen.extend(n["eventId"] for n in page["nodes"])
            if not page["nodes"]:
                return
            cursor = page["pageInfo"]["endCursor"]

    while not all(w.done() for w in writers):
        await drain()
        await asyncio.sleep(0.01)
    for w in writers:
        w.result()  # a writer's failure fails the test
    await drain()

    async with db() as session:
        stored = list(await session.scalars(select(AuditEvent.event_id).order_by("event_id")))
    assert len(stored) == WRITERS * BATCHES * PER_BATCH + 5
    assert len(seen) == len(set(seen)), "an event was delivered twice"
    assert seen == stored, "an event was skipped or delivered out of order"


async def test_a_later_event_is_not_visible_while_an_earlier_number_is_uncommitted(api, world, db):
    seen: list[int] = []
    cursor = None

    async def drain() -> None:
        nonlocal cursor
        while True:
            body = await api.graphql(TAIL, world.admin_key, {"after": cursor})
            page = body["data"]["team"]["auditEvents"]
            seen.extend(n["eventId"] for n in page["nodes"])
            if not page["nodes"]:
                return
            cursor = page["pageInfo"]["endCursor"]

    # (A first read records the key's use now: `lastUsedAt` is then kept for a
    # minute, so the reads below do not write, which SQLite would make wait.)
    await drain()
    # A slow writer takes the next number and holds it uncommitted...
    async with db() as session, session.begin():
        slow_id = await record_audit_event(
            session,
            team_id="acme",
            actor_id="ada",
            action="API_KEY_CREATED",
            message="slow",
            at=utcnow(),
            origin=RequestOrigin(),
        )
        # ...while a fast one writes and a consumer tails.
        fast = asyncio.create_task(f.ingest(db, f.audit_event(id="fast", team="acme", actor="ada")))
        await asyncio.sleep(0.5)
        await drain()
        assert seen == [], "a later event was visible before an earlier one committed"
    await fast
    await drain()
    async with db() as session:
        stored = list(await session.scalars(select(AuditEvent.event_id).order_by("event_id")))
    assert seen == stored and seen[0] == slow_id
