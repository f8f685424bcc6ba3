"""The Summary report: request volume, errors, response times, uptime, coverage and tests."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from graphql_api.db.driver_reads import connection_of, read_rows
from graphql_api.repositories.reports import summary_statement as s
from graphql_api.repositories.reports.figures import RequestFigures
from graphql_api.repositories.reports.ranges import DayRange, Granularity, bucket_of
from graphql_api.repositories.reports.summary_statement import summary_statement


class EmptyReason(StrEnum):
    NOT_REFRESHED_YET = "NOT_REFRESHED_YET"
    NO_LINKED_COLLECTION = "NO_LINKED_COLLECTION"
    NO_REQUESTS = "NO_REQUESTS"
    ONLY_OTHER_SOURCES = "ONLY_OTHER_SOURCES"


@dataclass
class SeriesPoint:
    """One point of a series: the figures of the days from `start` on."""

    start: date
    requests: RequestFigures = field(default_factory=RequestFigures)
    monitor_runs: int = 0
    monitor_successes: int = 0

    @property
    def uptime(self) -> float | None:
        return 100.0 * self.monitor_successes / self.monitor_runs if self.monitor_runs else None


@dataclass
class SummaryData:
    """Everything the Summary report shows, for every element (restricted ones included)."""

    totals: SeriesPoint
    series: list[SeriesPoint]
    api_count: int
    apis_with_tests: int
    apis_with_documentation: int
    apis_with_monitor: int
    apis_with_mock: int
    test_runs: int
    failed_test_runs: int
    tests_passed: int
    tests_failed: int
    empty_reason: EmptyReason | None
    refreshed_at: datetime | None  # when the summaries were last refreshed, read with them


async def summary_report(
    session: AsyncSession | AsyncConnection,
    team_id: str,
    days: DayRange,
    granularity: Granularity,
    sources: Sequence[str],
    test_sources: Sequence[str],
) -> SummaryData:
    """The Summary report from the daily tables, in one statement."""
    # Run on the session's connection: the ORM layer adds nothing to plain aggregates.
    connection = await connection_of(session)
    result = await read_rows(
        connection,
        summary_statement(),
        {
            "team_id": team_id,
            "first": days.first,
            "last": days.last,
            "sources": sources,
            "test_sources": test_sources,
        },
    )
    rows: dict[str, list[Any]] = {kind: [] for kind in KINDS}
    for row in result:
        rows[row[0]].append(row)
    series = _series(days, granularity, rows[s.REQUESTS], rows[s.MONITORS])
    totals = SeriesPoint(
        days.first,
        RequestFigures.summed(rows[s.REQUESTS], s.FIRST_VALUE),
        sum(point.monitor_runs for point in series),
        sum(point.monitor_successes for point in series),
    )
    tests = _figures(rows[s.TESTS][0])
    coverage = _figures(rows[s.COVERAGE][0])
    refreshed_at = rows[s.REFRESHED][0][s.REFRESHED_AT]
    empty_reason = None
    if totals.requests.requests == 0:
        if refreshed_at is None:
            empty_reason = EmptyReason.NOT_REFRESHED_YET
        elif _figures(rows[s.ANY_SOURCE][0])[0]:
            empty_reason = EmptyReason.ONLY_OTHER_SOURCES
        else:
            empty_reason = EmptyReason.NO_REQUESTS
    return SummaryData(
        totals=totals,
        series=series,
        api_count=coverage[0],
        apis_with_tests=coverage[1],
        apis_with_documentation=coverage[2],
        apis_with_monitor=coverage[3],
        apis_with_mock=coverage[4],
        test_runs=tests[0],
        failed_test_runs=tests[1],
        tests_passed=tests[2],
        tests_failed=tests[3],
        empty_reason=empty_reason,
        refreshed_at=refreshed_at,
    )


KINDS = (s.REQUESTS, s.MONITORS, s.TESTS, s.COVERAGE, s.ANY_SOURCE, s.REFRESHED)


def _figures(row: Any) -> list[int]:
    return [int(v or 0) for v in row[s.FIRST_VALUE : s.REFRESHED_AT]]


def _series(
    days: DayRange, granularity: Granularity, requests: list[Any], monitors: list[Any]
) -> list[SeriesPoint]:
    """Every point of the range, in order, with its requests and monitor runs."""
    at = s.FIRST_VALUE
    if granularity is Granularity.DAY:
        return _daily_series(days, requests, monitors)
    # Weeks and months: rows are grouped by point first, so each point is built once
    # from its rows (adding rows one by one into empty points cost twice as much).
    starts: dict[date, tuple[list[Any], list[Any]]] = {
        bucket_of(d, granularity): ([], []) for d in days.days()
    }
    for row in requests:
        starts[bucket_of(row[1], granularity)][0].append(row)
    for row in monitors:
        starts[bucket_of(row[1], granularity)][1].append(row)
    return [
        SeriesPoint(
            start,
            RequestFigures.from_sums(rows[0], at)
            if len(rows) == 1
            else RequestFigures.summed(rows, at),
            sum(int(run[at]) for run in runs),
            sum(int(run[at + 1]) for run in runs),
        )
        for start, (rows, runs) in starts.items()
    ]


def _daily_series(days: DayRange, requests: list[Any], monitors: list[Any]) -> list[SeriesPoint]:
    """`_series` by day: the statement gives at most one row of each kind per day, so
    each point is its day's rows as they are (a third of the grouping's time)."""
    at = s.FIRST_VALUE
    by_day = {row[1]: row for row in requests}
    runs_by_day = {row[1]: row for row in monitors}
    points = []
    for day in days.days():
        row, runs = by_day.get(day), runs_by_day.get(day)
        points.append(
            SeriesPoint(
                day,
                RequestFigures() if row is None else RequestFigures.from_sums(row, at),
                0 if runs is None else int(runs[at]),
                0 if runs is None else int(runs[at + 1]),
            )
        )
    return points
