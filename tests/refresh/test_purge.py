"""Retention purges keep the summaries exact: after a purge they equal a full rebuild."""

from __future__ import annotations

import asyncio
import random
from datetime import UTC, datetime, time, timedelta

import pytest
from sqlalchemy import func, select, text

from graphql_api.cli import main
from graphql_api.db.base import utcnow
from graphql_api.db.models import AuditEvent, DailyAuditActions
from graphql_api.refresh.service import REFRESH_LOCK_KEY, purge, purge_expired, refresh
from graphql_api.refresh.summaries import SUMMARIES
from tests import factories as f

SUMMARY_TABLES = tuple(summary.table for summary in SUMMARIES)

# The last noon (UTC) before now: a cutoff this many days back falls at noon,
# so events an hour either side of it share its UTC day.
_NOON = datetime.combine(utcnow().date(), time(12), tzinfo=UTC)
NOW = _NOON if utcnow() >= _NOON else _NOON - timedelta(days=1)
ENTERPRISE_CUTOFF = NOW - timedelta(days=180)
PROFESSIONAL_CUTOFF = NOW - timedelta(days=90)

# Each world team with one of its members, to act in its audit events.
TEAM_ACTORS = [{"team": "acme", "actor": "ada"}, {"team": "globex", "actor": "gus"}]

MEMBERS = """query($from: Date!, $to: Date!) { team { reports {
  members(range: {from: $from, to: $to}) { invites joins removals } } } }"""


def _at(moment: datetime) -> str:
    return moment.isoformat()


def _teams() -> list[dict]:
    """Teams on shorter plans than the world's ENTERPRISE ones (initech moves to FREE later)."""
    return [
        f.team(id="hooli", plan="PROFESSIONAL"),
        f.team(id="initech", plan="ENTERPRISE"),
        f.user(id="hal"),
        f.membership(team="hooli", user="hal"),
        f.membership(team="initech", user="hal"),
    ]


def _events_across_the_cutoff() -> list[dict]:
    """acme's cutoff day split by the cutoff, a day wholly past it, and recent days."""
    return [
        f.audit_event(
            id="split-old",
            team="acme",
            actor="ada",
            action="Sent Team Invite",
            at=_at(ENTERPRISE_CUTOFF - timedelta(hours=1)),
        ),
        f.audit_event(
            id="split-new",
            team="acme",
            actor="ada",
            action="Sent Team Invite",
            at=_at(ENTERPRISE_CUTOFF + timedelta(hours=1)),
        ),
        f.audit_event(
            id="split-gone",
            team="acme",
            actor="ada",
            action="Removed Team Member",
            at=_at(ENTERPRISE_CUTOFF - timedelta(hours=1)),
        ),
        f.audit_event(
            id="old-day",
            team="acme",
            actor="ada",
            action="Added Team Member",
            at=_at(ENTERPRISE_CUTOFF - timedelta(days=3)),
        ),
        f.audit_event(
            id="recent",
            team="acme",
            actor="ada",
            action="Added Team Member",
            at=_at(NOW - timedelta(days=1)),
        ),
        f.audit_event(
            id="hooli-old",
            team="hooli",
            actor="hal",
            at=_at(PROFESSIONAL_CUTOFF - timedelta(hours=1)),
        ),
        f.audit_event(
            id="hooli-new",
            team="hooli",
            actor="hal",
            at=_at(PROFESSIONAL_CUTOFF + timedelta(hours=1)),
        ),
        f.audit_event(id="initech-recent", team="initech", actor="hal"),
    ]


async def _snapshot(db) -> dict[str, list[tuple]]:
    async with db() as session:
        return {
            table.__tablename__: sorted(
                tuple(row) for row in await session.execute(select(table.__table__))
            )
            for table in SUMMARY_TABLES
        }


async def _rebuilt(db) -> dict[str, list[tuple]]:
    """The summaries as `refresh --full` makes them from the remaining facts."""
    assert (await refresh(db, NOW, full=True)).ran
    return await _snapshot(db)


async def _audit_actions(db, team: str) -> dict[tuple[str, str], int]:
    async with db() as session:
        rows = await session.execute(
            select(DailyAuditActions.day, DailyAuditActions.action, DailyAuditActions.events).where(
                DailyAuditActions.team_id == team
            )
        )
        return {(str(day), action): events for day, action, events in rows}


async def _arranged_and_refreshed(db) -> None:
    await f.ingest(db, *_teams(), *_events_across_the_cutoff())
    # Folded in back when every one of them was still kept.
    await refresh(db, ENTERPRISE_CUTOFF - timedelta(days=200))
    # A plan without an audit log keeps none of it.
    await f.ingest(db, f.team(id="initech", plan="FREE"))


async def test_the_refresh_purge_leaves_every_summary_equal_to_a_full_rebuild(world, db):
    await _arranged_and_refreshed(db)
    result = await refresh(db, NOW)
    assert result.purged == 5
    purged = await _snapshot(db)
    assert purged == await _rebuilt(db)
    assert purged["daily_audit_actions"]


async def test_the_cutoff_day_keeps_only_the_events_after_the_cutoff(world, db):
    await _arranged_and_refreshed(db)
    day = str(ENTERPRISE_CUTOFF.date())
    assert (await _audit_actions(db, "acme"))[(day, "TEAM_INVITE_SENT")] == 2
    await refresh(db, NOW)
    actions = await _audit_actions(db, "acme")
    assert actions[(day, "TEAM_INVITE_SENT")] == 1
    assert (day, "TEAM_MEMBER_REMOVED") not in actions


async def test_days_wholly_past_retention_have_no_summary_rows_left(world, db):
    await _arranged_and_refreshed(db)
    await refresh(db, NOW)
    async with db() as session:
        oldest = await session.scalar(select(func.min(DailyAuditActions.day)))
    assert str(oldest) == str(ENTERPRISE_CUTOFF.date())


async def test_a_team_whose_plan_has_no_audit_log_keeps_no_audit_summaries(world, db):
    await _arranged_and_refreshed(db)
    assert await _audit_actions(db, "initech")
    await refresh(db, NOW)
    assert await _audit_actions(db, "initech") == {}


async def test_a_plan_downgrade_drops_the_days_the_new_plan_no_longer_keeps(world, db):
    await f.ingest(
        db,
        f.audit_event(
            id="q2", team="globex", actor="gus", at=_at(PROFESSIONAL_CUTOFF - timedelta(days=1))
        ),
        f.audit_event(id="q4", team="globex", actor="gus", at=_at(NOW - timedelta(days=1))),
    )
    await refresh(db, NOW)
    assert len(await _audit_actions(db, "globex")) == 2
    await f.ingest(db, f.team(id="globex", plan="PROFESSIONAL"))
    assert (await refresh(db, NOW)).purged == 1
    assert len(await _audit_actions(db, "globex")) == 1
    assert await _snapshot(db) == await _rebuilt(db)


async def test_expired_events_not_yet_folded_in_are_purged_without_being_subtracted(world, db):
    await _arranged_and_refreshed(db)
    # Arrive after the refresh, so above its watermark: nothing of them is counted yet.
    await f.ingest(
        db,
        f.audit_event(
            id="late",
            team="acme",
            actor="ada",
            action="Sent Team Invite",
            at=_at(ENTERPRISE_CUTOFF - timedelta(hours=2)),
        ),
    )
    assert await purge(db, NOW) == 6
    purged = await _snapshot(db)
    await refresh(db, NOW)
    assert await _snapshot(db) == purged
    assert purged == await _rebuilt(db)


async def test_the_purge_command_keeps_the_summaries_equal_to_a_full_rebuild(
    world, db, database_url, monkeypatch, capsys
):
    monkeypatch.setenv("DATABASE_URL", database_url)
    await f.ingest(
        db,
        f.audit_event(id="old", team="acme", actor="ada", at=f.ago(days=200)),
        f.audit_event(id="new", team="acme", actor="ada", at=f.ago(days=2)),
    )
    await refresh(db, NOW - timedelta(days=100))
    # The command runs its own event loop, as from a shell.
    assert await asyncio.to_thread(main, ["purge"]) == 0
    assert "Purged 1 audit events" in capsys.readouterr().out
    purged = await _snapshot(db)
    assert len(purged["daily_audit_actions"]) == 1
    assert purged == await _rebuilt(db)


async def test_the_members_report_answers_after_a_purge_as_after_a_full_rebuild(api, world, db):
    await _arranged_and_refreshed(db)
    today = utcnow().date()
    variables = {"from": str(today - timedelta(days=365)), "to": str(today)}
    before = await api.graphql(MEMBERS, world.admin_key, variables)
    assert before["data"]["team"]["reports"]["members"] == {
        "invites": 2,
        "joins": 2,
        "removals": 1,
    }
    await refresh(db, NOW)
    purged = await api.graphql(MEMBERS, world.admin_key, variables)
    await _rebuilt(db)
    rebuilt = await api.graphql(MEMBERS, world.admin_key, variables)
    assert purged == rebuilt
    assert purged["data"]["team"]["reports"]["members"] == {
        "invites": 1,
        "joins": 1,
        "removals": 0,
    }


async def test_a_purge_that_fails_before_committing_leaves_events_and_summaries_as_they_were(
    world, db
):
    await _arranged_and_refreshed(db)
    before = await _snapshot(db)

    class Crash(Exception):
        pass

    with pytest.raises(Crash):
        async with db() as session, session.begin():
            assert await purge_expired(session, NOW) == 5
            raise Crash
    assert await _snapshot(db) == before
    async with db() as session:
        assert await session.scalar(select(func.count()).select_from(AuditEvent)) == 8


async def test_purges_racing_refreshes_leave_the_summaries_equal_to_a_full_rebuild(world, db):
    rng = random.Random(8)
    for batch in range(5):
        await f.ingest(
            db,
            *[
                f.audit_event(
                    id=f"e{batch}-{n}",
                    **rng.choice(TEAM_ACTORS),
                    action=rng.choice(["Sent Team Invite", "Removed Team Member"]),
                    at=_at(NOW - timedelta(minutes=rng.randrange(360 * 24 * 60))),
                )
                for n in range(40)
            ],
        )
        await asyncio.gather(refresh(db, NOW), purge(db, NOW), refresh(db, NOW))
    await refresh(db, NOW)
    raced = await _snapshot(db)
    assert raced["daily_audit_actions"]
    assert raced == await _rebuilt(db)


async def test_a_purge_waits_for_a_refresh_holding_the_lock_on_postgresql(world, db):
    async with db() as session:
        if session.get_bind().dialect.name != "postgresql":
            return  # SQLite has one writer: the purge waits for the write lock instead.
    await _arranged_and_refreshed(db)
    async with db() as other, other.begin():
        await other.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": REFRESH_LOCK_KEY})
        waiting = asyncio.create_task(purge(db, NOW))
        await asyncio.sleep(0.3)
        assert not waiting.done()
    assert await waiting == 5
    assert await _snapshot(db) == await _rebuilt(db)
