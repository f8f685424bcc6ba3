"""The Team APIs report: one row per API, restricted ones masked in SQL before paging.

Every API of the team has a row, so counts and totals include the ones the
viewer cannot access. A restricted row's name, element link and figures are
NULL in the SQL itself; sorting puts NULLs last in either direction, so a
restricted API's figures cannot be inferred from where it sorts.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from enum import StrEnum
from typing import Any

from sqlalchemy import Float, case, cast, distinct, false, func, select, union_all
from sqlalchemy.ext.asyncio import AsyncSession

from graphql_api.auth.access import element_readable
from graphql_api.auth.viewer import Viewer
from graphql_api.db.models import (
    ApiLink,
    DailyApiRequests,
    DailyMonitorRuns,
    DailyTestRuns,
    Element,
    WeeklyApiRequests,
)
from graphql_api.db.models.summary import BUCKET_COLUMNS
from graphql_api.domain.enums import ApiRelation, ElementKind
from graphql_api.repositories.pagination import AnySelect, SortKey
from graphql_api.repositories.reports.figures import p95_expression
from graphql_api.repositories.reports.masking import masked_elements
from graphql_api.repositories.reports.ranges import DayRange, split_weeks, team_days
from graphql_api.repositories.reports.sorting import figure_sort


class TeamApiSort(StrEnum):
    NAME = "NAME"
    REQUEST_COUNT = "REQUEST_COUNT"
    ERROR_RATE = "ERROR_RATE"
    AVG_RESPONSE_TIME = "AVG_RESPONSE_TIME"
    P95_RESPONSE_TIME = "P95_RESPONSE_TIME"
    UPTIME = "UPTIME"
    FAILED_TEST_RUNS = "FAILED_TEST_RUNS"


_SORT_COLUMN = {
    TeamApiSort.NAME: "name",
    TeamApiSort.REQUEST_COUNT: "request_count",
    TeamApiSort.ERROR_RATE: "error_rate",
    TeamApiSort.AVG_RESPONSE_TIME: "avg_response_time_ms",
    TeamApiSort.P95_RESPONSE_TIME: "p95_response_time_ms",
    TeamApiSort.UPTIME: "uptime",
    TeamApiSort.FAILED_TEST_RUNS: "failed_test_runs",
}


# The request measures summed per API; the figures are computed from these.
_MEASURES = (
    "requests",
    "errors",
    "response_time_ms_sum",
    "response_size_bytes_sum",
    *BUCKET_COLUMNS,
)


def team_api_subquery(
    viewer: Viewer, days: DayRange, sources: Sequence[str], test_sources: Sequence[str]
) -> Any:
    """A subquery of one row per API of the viewer's team, figures masked where restricted."""
    return _built_team_api_subquery(viewer, days, tuple(sources), tuple(test_sources))


# Building this subquery was about a quarter of a Team APIs request's time. It holds no
# data, only the viewer's identity (access is decided in SQL), the range and the
# sources, so one built for the same four is the same statement: keep the latest ones.
def built_subquery_counts() -> tuple[int, int]:
    """How often a Team APIs subquery was reused, and how often it was built."""
    info = _built_team_api_subquery.cache_info()
    return info.hits, info.misses


@functools.lru_cache(maxsize=256)
def _built_team_api_subquery(
    viewer: Viewer, days: DayRange, sources: tuple[str, ...], test_sources: tuple[str, ...]
) -> Any:
    team = viewer.team_id
    requests = _request_sums(team, days, sources)
    links = _link_flags(team)
    pairs = _api_collections(team)
    uptime = _monitor_sums(team, days, pairs)
    tests = _failed_test_sums(team, days, test_sources, pairs)
    return masked_elements(
        viewer,
        _figures(requests, links, uptime, tests),
        [
            (requests, requests.c.api_id == Element.id),
            (links, links.c.api_id == Element.id),
            (uptime, uptime.c.api_id == Element.id),
            (tests, tests.c.api_id == Element.id),
        ],
        where=[Element.kind == ElementKind.API.value],
        outer=True,
        with_kind=False,
        figures_name="team_api_figures",
        name="team_api_subquery",
        fenced=True,
    )


def _request_sums(team: str, days: DayRange, sources: Sequence[str]) -> Any:
    """The request measures per API over `days`, from `sources`."""
    # Whole weeks from the weekly rollup, the days around them from the daily one.
    weeks, edges = split_weeks(days)
    parts = []
    if weeks is not None:
        w = WeeklyApiRequests
        parts.append(
            select(w.api_id, *[getattr(w, n) for n in _MEASURES]).where(
                w.team_id == team,
                w.week >= weeks.first,
                w.week <= weeks.last,
                w.source.in_(sources),
            )
        )
    for edge in edges:
        d = DailyApiRequests
        parts.append(
            select(d.api_id, *[getattr(d, n) for n in _MEASURES]).where(
                *team_days(d, team, edge),
                d.source.in_(sources),
            )
        )
    rollup = union_all(*parts).subquery("api_request_rows")
    return (
        select(
            rollup.c.api_id.label("api_id"), *[func.sum(rollup.c[n]).label(n) for n in _MEASURES]
        )
        .group_by(rollup.c.api_id)
        .subquery()
    )


def _link_flags(team: str) -> Any:
    """Per API: whether it has each kind of link, and how many collections it links."""

    def has(relation: ApiRelation) -> Any:
        return func.max(case((ApiLink.relation == relation.value, 1), else_=0))

    return (
        select(
            ApiLink.api_id.label("api_id"),
            has(ApiRelation.DOCUMENTATION).label("docs"),
            has(ApiRelation.TEST).label("tests"),
            has(ApiRelation.MONITOR).label("monitor"),
            has(ApiRelation.MOCK).label("mock"),
            func.count(distinct(ApiLink.collection_id)).label("collections"),
        )
        .where(ApiLink.team_id == team)
        .group_by(ApiLink.api_id)
        .subquery()
    )


def _api_collections(team: str) -> Any:
    """Each (API, collection) once, whatever the relations, so nothing is counted twice."""
    return (
        select(ApiLink.api_id, ApiLink.collection_id)
        .where(ApiLink.team_id == team)
        .distinct()
        .subquery()
    )


def _monitor_sums(team: str, days: DayRange, pairs: Any) -> Any:
    """Monitor runs and successes per API, through the collections it links."""
    monitor = Element.__table__.alias("monitor")
    return (
        select(
            pairs.c.api_id.label("api_id"),
            func.sum(DailyMonitorRuns.runs).label("runs"),
            func.sum(DailyMonitorRuns.successes).label("successes"),
        )
        .select_from(DailyMonitorRuns)
        .join(monitor, monitor.c.id == DailyMonitorRuns.monitor_id)
        .join(pairs, pairs.c.collection_id == monitor.c.collection_id)
        .where(
            *team_days(DailyMonitorRuns, team, days),
        )
        .group_by(pairs.c.api_id)
        .subquery()
    )


def _failed_test_sums(team: str, days: DayRange, test_sources: Sequence[str], pairs: Any) -> Any:
    """Failed test runs per API, through the collections it links."""
    return (
        select(
            pairs.c.api_id.label("api_id"), func.sum(DailyTestRuns.failed_runs).label("failed_runs")
        )
        .select_from(DailyTestRuns)
        .join(pairs, pairs.c.collection_id == DailyTestRuns.collection_id)
        .where(
            *team_days(DailyTestRuns, team, days),
            DailyTestRuns.source.in_(test_sources),
        )
        .group_by(pairs.c.api_id)
        .subquery()
    )


def _figures(requests: Any, links: Any, uptime: Any, tests: Any) -> list[Any]:
    """The report's figure columns over the per-API subqueries (NULL-safe where joined out)."""
    count = func.coalesce(requests.c.requests, 0)
    per_request = func.nullif(cast(requests.c.requests, Float), 0.0)
    buckets = [getattr(requests.c, name) for name in BUCKET_COLUMNS]
    return [
        count.label("request_count"),
        (cast(requests.c.errors, Float) / per_request).label("error_rate"),
        (cast(requests.c.response_time_ms_sum, Float) / per_request).label("avg_response_time_ms"),
        cast(p95_expression(buckets, count), Float).label("p95_response_time_ms"),
        (
            100.0 * cast(uptime.c.successes, Float) / func.nullif(cast(uptime.c.runs, Float), 0.0)
        ).label("uptime"),
        func.coalesce(tests.c.failed_runs, 0).label("failed_test_runs"),
        (func.coalesce(links.c.docs, 0) > 0).label("has_documentation"),
        (func.coalesce(links.c.tests, 0) > 0).label("has_tests"),
        (func.coalesce(links.c.monitor, 0) > 0).label("has_monitor"),
        (func.coalesce(links.c.mock, 0) > 0).label("has_mock"),
        func.coalesce(links.c.collections, 0).label("linked_collection_count"),
    ]


@functools.lru_cache(maxsize=512)
def sorted_team_api_rows(
    rows: Any, sort: TeamApiSort, descending: bool
) -> tuple[AnySelect, SortKey]:
    """`sorted_rows` of a subquery from `team_api_subquery` (itself reused), built once,
    so the statements made from it are reused too."""
    return sorted_rows(rows, sort, descending)


def sorted_rows(rows: Any, sort: TeamApiSort, descending: bool) -> tuple[AnySelect, SortKey]:
    """The rows in report order for `sort` (see `figure_sort`)."""
    return figure_sort(
        rows,
        f"team_apis:{sort.value}",
        _SORT_COLUMN[sort],
        descending,
        text=sort is TeamApiSort.NAME,
    )


@functools.lru_cache(maxsize=256)
def api_count_statement(viewer: Viewer) -> Any:
    """How many rows the report has: one per API of the team (no figures needed)."""
    return select(func.count()).where(
        Element.team_id == viewer.team_id, Element.kind == ElementKind.API.value
    )


@functools.lru_cache(maxsize=512)
def counted_team_api_rows(rows: AnySelect, viewer: Viewer) -> AnySelect:
    """`rows` (a statement from `sorted_team_api_rows`) with the report's row count on every
    row, as `team_api_count`: a page and its total in one statement, so one state
    without a transaction around them. Built once per statement and viewer."""
    count = api_count_statement(viewer).scalar_subquery().label("team_api_count")
    return rows.add_columns(count)


async def restricted_count(session: AsyncSession, viewer: Viewer) -> int:
    """How many of the team's APIs the viewer cannot access."""
    return int(await session.scalar(_restricted_count_statement(viewer)) or 0)


@functools.lru_cache(maxsize=256)
def _restricted_count_statement(viewer: Viewer) -> Any:
    # One per viewer: its access test is three correlated subqueries to build and walk.
    return select(func.count()).where(
        Element.team_id == viewer.team_id,
        Element.kind == ElementKind.API.value,
        case((element_readable(viewer), false()), else_=True),
    )
