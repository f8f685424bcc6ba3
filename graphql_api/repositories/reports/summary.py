"""The Summary report: request volume, errors, response times, uptime, coverage and tests."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

from sqlalchemy import case, exists, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from graphql_api.db.models import (
    ApiLink,
    DailyMonitorRuns,
    DailyTeamRequests,
    DailyTestRuns,
    Element,
)
from graphql_api.domain.enums import ApiRelation, ElementKind
from graphql_api.repositories.reports.figures import RequestFigures, request_sums
from graphql_api.repositories.reports.ranges import DayRange, Granularity, bucket_of, team_days


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


async def summary_report(
    session: AsyncSession,
    team_id: str,
    days: DayRange,
    granularity: Granularity,
    sources: Sequence[str],
    test_sources: Sequence[str],
    refreshed: bool,
) -> SummaryData:
    """The Summary report from the daily tables: a fixed handful of statements."""
    points = {
        bucket_of(d, granularity): SeriesPoint(bucket_of(d, granularity)) for d in days.days()
    }
    totals = SeriesPoint(days.first)
    await _add_requests(session, team_id, days, granularity, sources, points, totals)
    await _add_monitor_runs(session, team_id, days, granularity, points, totals)
    tests = await _test_totals(session, team_id, days, test_sources)
    coverage = await _coverage(session, team_id)
    empty_reason = None
    if totals.requests.requests == 0:
        empty_reason = await _why_empty(session, team_id, days, refreshed)
    return SummaryData(
        totals=totals,
        series=sorted(points.values(), key=lambda p: p.start),
        api_count=int(coverage[0]),
        apis_with_tests=int(coverage[1] or 0),
        apis_with_documentation=int(coverage[2] or 0),
        apis_with_monitor=int(coverage[3] or 0),
        apis_with_mock=int(coverage[4] or 0),
        test_runs=int(tests[0]),
        failed_test_runs=int(tests[1]),
        tests_passed=int(tests[2]),
        tests_failed=int(tests[3]),
        empty_reason=empty_reason,
    )


async def _add_requests(
    session: AsyncSession,
    team_id: str,
    days: DayRange,
    granularity: Granularity,
    sources: Sequence[str],
    points: dict[date, SeriesPoint],
    totals: SeriesPoint,
) -> None:
    """Request figures per day from `sources`, into their points and the totals."""
    by_day = await session.execute(
        select(
            DailyTeamRequests.day,
            *[e.label(n) for n, e in request_sums(DailyTeamRequests).items()],
        )
        .where(
            *team_days(DailyTeamRequests, team_id, days),
            DailyTeamRequests.source.in_(sources),
        )
        .group_by(DailyTeamRequests.day)
    )
    for row in by_day:
        figures = RequestFigures.from_row(row)
        points[bucket_of(row.day, granularity)].requests.add(figures)
        totals.requests.add(figures)


async def _add_monitor_runs(
    session: AsyncSession,
    team_id: str,
    days: DayRange,
    granularity: Granularity,
    points: dict[date, SeriesPoint],
    totals: SeriesPoint,
) -> None:
    """Monitor runs and successes per day, into their points and the totals."""
    monitors = await session.execute(
        select(
            DailyMonitorRuns.day,
            func.sum(DailyMonitorRuns.runs).label("runs"),
            func.sum(DailyMonitorRuns.successes).label("successes"),
        )
        .where(*team_days(DailyMonitorRuns, team_id, days))
        .group_by(DailyMonitorRuns.day)
    )
    for row in monitors:
        point = points[bucket_of(row.day, granularity)]
        point.monitor_runs += int(row.runs)
        point.monitor_successes += int(row.successes)
        totals.monitor_runs += int(row.runs)
        totals.monitor_successes += int(row.successes)


async def _test_totals(
    session: AsyncSession, team_id: str, days: DayRange, test_sources: Sequence[str]
) -> Any:
    """Runs, failed runs, tests passed and tests failed over the range (zeros when none)."""
    return (
        await session.execute(
            select(
                func.coalesce(func.sum(DailyTestRuns.runs), 0),
                func.coalesce(func.sum(DailyTestRuns.failed_runs), 0),
                func.coalesce(func.sum(DailyTestRuns.tests_passed), 0),
                func.coalesce(func.sum(DailyTestRuns.tests_failed), 0),
            ).where(
                *team_days(DailyTestRuns, team_id, days), DailyTestRuns.source.in_(test_sources)
            )
        )
    ).one()


async def _coverage(session: AsyncSession, team_id: str) -> Any:
    """The team's API count, then how many have a test, documentation, monitor and mock link."""

    def linked(relation: ApiRelation) -> Any:
        return func.sum(
            case(
                (
                    exists().where(
                        ApiLink.api_id == Element.id, ApiLink.relation == relation.value
                    ),
                    1,
                ),
                else_=0,
            )
        )

    return (
        await session.execute(
            select(
                func.count(),
                linked(ApiRelation.TEST),
                linked(ApiRelation.DOCUMENTATION),
                linked(ApiRelation.MONITOR),
                linked(ApiRelation.MOCK),
            ).where(Element.team_id == team_id, Element.kind == ElementKind.API.value)
        )
    ).one()


async def _why_empty(
    session: AsyncSession, team_id: str, days: DayRange, refreshed: bool
) -> EmptyReason:
    if not refreshed:
        return EmptyReason.NOT_REFRESHED_YET
    any_source = await session.scalar(
        select(func.coalesce(func.sum(DailyTeamRequests.requests), 0)).where(
            *team_days(DailyTeamRequests, team_id, days)
        )
    )
    return EmptyReason.ONLY_OTHER_SOURCES if any_source else EmptyReason.NO_REQUESTS
