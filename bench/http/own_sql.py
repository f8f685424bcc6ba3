"""Request time against SQL time: a bare HTTP client, and the SQL the floors would run.

The issue's W3/W4 targets compare a request's time end to end with the time of
its own SQL run directly through asyncpg. Both sides are measured with bare
clients: the SQL through one asyncpg connection, the request through one
keep-alive HTTP/1.1 socket (as wrk sends it). httpx, which the benchmark uses
to check answers, spends 0.5-0.9 ms of its own on every request; that time is
the client's, not the server's, so it is printed beside the bare figure but not
used for the ratio.

Two references put the ratios in context:
- W4 on the raw asyncpg + orjson endpoint (raw_endpoint.py), against its own
  statement: the ratio a hand-written endpoint reaches on this stack;
- W3 on the raw endpoint (the plain aggregate below, with the team's API count),
  against its own statement: the same floor for a Team APIs page;
- for W3, the plain aggregate the Team APIs page needs (the same per-API
  figures, sorted by p95, 101 rows, with no access masking), built from
  graphql-api's own subqueries and run as literal SQL like the replayed ones.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from datetime import date, timedelta
from typing import Any

import asyncpg
from loadgen import Request, _read_response
from sqlalchemy import nulls_last, select
from sqlalchemy.dialects import postgresql

from graphql_api.db.models import Element
from graphql_api.domain.enums import ElementKind
from graphql_api.repositories.reports import team_apis
from graphql_api.repositories.reports.ranges import DayRange


async def bare_serial_ms(port: int, request: Request, runs: int) -> float:
    """Median end-to-end time of `request`, one at a time on one keep-alive connection,
    after two warm-ups; RuntimeError unless every answer is 200."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    raw = request.raw(port)
    times = []
    try:
        for run in range(runs + 2):
            started = time.perf_counter()
            writer.write(raw)
            status, _ = await _read_response(reader)
            if status != 200:
                raise RuntimeError(f"{request.path} answered {status}")
            if run >= 2:
                times.append(time.perf_counter() - started)
    finally:
        writer.close()
    return statistics.median(times) * 1000


async def statement_ms(dsn: str, sql: str, args: tuple[object, ...], runs: int) -> float:
    """Median time of one statement through asyncpg, prepared once (as a server's driver
    keeps it prepared; see `replay_ms`)."""
    connection = await asyncpg.connect(dsn)
    try:
        prepared = await connection.prepare(sql)
        times = []
        for run in range(runs + 2):
            started = time.perf_counter()
            await prepared.fetch(*args)
            if run >= 2:
                times.append(time.perf_counter() - started)
    finally:
        await connection.close()
    return statistics.median(times) * 1000


def plain_team_apis_statement(team: str, first: date, last: date) -> Any:
    """The plain aggregate a Team APIs page of 100 by p95 needs: every API's figures from
    the same per-API subqueries the report joins, no access masking, 101 rows."""
    days = DayRange(first, last)
    requests = team_apis._request_sums(team, days, ["REQUEST_BUILDER"])
    links = team_apis._link_flags(team)
    pairs = team_apis._api_collections(team)
    uptime = team_apis._monitor_sums(team, days, pairs)
    tests = team_apis._failed_test_sums(team, days, ["COLLECTION_RUN"], pairs)
    figures = team_apis._figures(requests, links, uptime, tests)
    p95 = next(f for f in figures if f.name == "p95_response_time_ms")
    return (
        select(Element.id, Element.name, *figures)
        .select_from(Element)
        .outerjoin(requests, requests.c.api_id == Element.id)
        .outerjoin(links, links.c.api_id == Element.id)
        .outerjoin(uptime, uptime.c.api_id == Element.id)
        .outerjoin(tests, tests.c.api_id == Element.id)
        .where(Element.team_id == team, Element.kind == ElementKind.API.value)
        .order_by(nulls_last(p95.desc()), Element.id)
        .limit(101)
    )


def literal_sql(statement: Any) -> str:
    """`statement` as PostgreSQL text with its values written in."""
    return str(
        statement.compile(dialect=postgresql.dialect(), compile_kwargs={"literal_binds": True})
    )


def plain_team_apis_sql(team: str, first: date, last: date) -> str:
    """`plain_team_apis_statement` as literal SQL, as the replayed statements are run."""
    return literal_sql(plain_team_apis_statement(team, first, last))


def ninety_days(today: date) -> tuple[date, date]:
    """The W3/W4 range ending today."""
    return today - timedelta(days=89), today
