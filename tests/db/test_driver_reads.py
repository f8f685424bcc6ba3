"""Reused statements read straight through the driver (db/driver_reads.py): the same
rows, errors, events and transaction as SQLAlchemy's path, on either database."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import BigInteger, bindparam, event, func, select
from sqlalchemy.exc import DBAPIError

from graphql_api.db.driver_reads import read_rows
from graphql_api.db.models import Team
from graphql_api.repositories.reports.summary_statement import summary_statement

# Literal values the statement carries (written into the text), and one it names.
TEAMS = (
    select(Team.id, Team.name, func.length(Team.slug).label("slug_length"))
    .where(Team.plan.in_(["ENTERPRISE", "FREE"]), Team.name != "it's not this one")
    .where(Team.id >= bindparam("from_id"))
    .order_by(Team.id)
)


async def _add_teams(db, *ids: str) -> None:
    async with db() as session, session.begin():
        session.add_all(Team(id=i, name=f"Team {i}", slug=f"team-{i}", plan="FREE") for i in ids)


async def _read(db, statement, params=None):
    async with db() as session:
        return await read_rows(await session.connection(), statement, params)


async def test_a_reused_statement_reads_the_rows_sqlalchemy_reads(db):
    await _add_teams(db, "t1", "t2", "t3")
    async with db() as session:
        expected = (await session.execute(TEAMS, {"from_id": "t2"})).all()
    for _ in range(3):  # the first read takes SQLAlchemy's path, the next ones may not
        rows = await _read(db, TEAMS, {"from_id": "t2"})
        assert [tuple(r) for r in rows] == [tuple(r) for r in expected]
        assert [(r.id, r.name, r.slug_length) for r in rows] == [
            ("t2", "Team t2", 7),
            ("t3", "Team t3", 7),
        ]


async def test_a_reused_statement_reads_each_list_parameter_as_given(db):
    params = {"team_id": "t1", "first": date(2026, 1, 1), "last": date(2026, 1, 31)}
    for sources in (["REQUEST_BUILDER"], ["REQUEST_BUILDER", "COLLECTION_RUN"], ["MONITOR"]):
        for _ in range(2):
            rows = await _read(
                db, summary_statement(), params | {"sources": sources, "test_sources": sources}
            )
            assert sorted(r[0] for r in rows) == ["a", "c", "f", "t"]


async def test_a_failing_reused_statement_raises_sqlalchemys_error(db):
    # abs() of the smallest 64-bit integer overflows on both databases.
    absolute = select(func.abs(bindparam("n", type_=BigInteger)).label("n"))
    await _read(db, absolute, {"n": -1})
    with pytest.raises(DBAPIError):
        await _read(db, absolute, {"n": -(2**63)})
    assert [r.n for r in await _read(db, absolute, {"n": -1})] == [1]


async def test_every_read_passes_through_the_engines_statement_events(db):
    seen: list[str] = []
    engine = db.kw["bind"].sync_engine

    def count(_connection, _cursor, statement, *_):
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        for _ in range(3):
            await _read(db, TEAMS, {"from_id": ""})
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert len(seen) == 3


async def test_a_reused_statement_reads_in_the_sessions_snapshot(db):
    await _add_teams(db, "t1")
    await _read(db, TEAMS, {"from_id": ""})  # seen once: the next read may use the driver
    async with db() as session:
        snapshot = {"isolation_level": "REPEATABLE READ"} if _postgres(db) else {}
        connection = await session.connection(execution_options=snapshot)
        if not _postgres(db):
            await connection.exec_driver_sql("BEGIN")
        first = await read_rows(connection, TEAMS, {"from_id": ""})
        await _add_teams(db, "t2")
        again = await read_rows(connection, TEAMS, {"from_id": ""})
    assert [r.id for r in first] == [r.id for r in again] == ["t1"]


def _postgres(db) -> bool:
    return bool(db.kw["bind"].dialect.name == "postgresql")
