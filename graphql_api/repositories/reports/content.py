"""Content activity: what was created, changed and discussed, team-wide or for one API."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from graphql_api.auth.viewer import Viewer
from graphql_api.db.models import (
    ApiLink,
    DailyApiRequests,
    DailyContent,
    DailyRequests,
    DailyTestRuns,
    Element,
)
from graphql_api.domain.enums import ContentAction, ElementKind
from graphql_api.repositories.pagination import AnySelect, SortKey
from graphql_api.repositories.reports.figures import RequestFigures, request_sums
from graphql_api.repositories.reports.masking import masked_elements
from graphql_api.repositories.reports.ranges import DayRange, Granularity, bucket_of, team_days
from graphql_api.repositories.reports.sorting import figure_sort


def _empty_counts() -> dict[str, int]:
    return {a.value: 0 for a in ContentAction}


@dataclass
class ContentActivity:
    """Counts per action, overall and per (series point, element kind)."""

    totals: dict[str, int] = field(default_factory=_empty_counts)
    series: dict[tuple[date, str], dict[str, int]] = field(default_factory=dict)


async def content_activity(
    session: AsyncSession,
    viewer: Viewer,
    days: DayRange,
    granularity: Granularity,
    element_id: str | None = None,
) -> ContentActivity:
    """Every element counts, restricted ones included (the figures name no element)."""
    activity = ContentActivity()
    for start in sorted({bucket_of(d, granularity) for d in days.days()}):
        for element_kind in ElementKind:
            activity.series[(start, element_kind.value)] = _empty_counts()
    statement = (
        select(DailyContent.day, Element.kind, DailyContent.action, func.sum(DailyContent.events))
        .join(Element, Element.id == DailyContent.element_id)
        .where(
            *team_days(DailyContent, viewer.team_id, days),
        )
        .group_by(DailyContent.day, Element.kind, DailyContent.action)
    )
    if element_id is not None:
        statement = statement.where(DailyContent.element_id == element_id)
    for day, kind, action, events in await session.execute(statement):
        activity.totals[action] += int(events)
        activity.series[(bucket_of(day, granularity), kind)][action] += int(events)
    return activity


def top_element_subquery(viewer: Viewer, days: DayRange, element_id: str | None = None) -> Any:
    """Elements by content events in the range; restricted ones are counted, never named."""
    events = (
        select(
            DailyContent.element_id.label("element_id"),
            func.sum(DailyContent.events).label("events"),
        )
        .where(
            *team_days(DailyContent, viewer.team_id, days),
        )
        .group_by(DailyContent.element_id)
        .subquery()
    )
    return masked_elements(
        viewer,
        [events.c.events.label("events")],
        [(events, events.c.element_id == Element.id)],
        where=[Element.id == element_id] if element_id is not None else [],
        figures_name="content_element_figures",
        name="content_element_rows",
    )


def sorted_top_elements(rows: Any) -> tuple[AnySelect, SortKey]:
    """Top elements in report order: most content events first, restricted ones last."""
    return figure_sort(rows, "content:top_elements", "events", True)


@dataclass
class ApiUsage:
    """One API's request figures, response codes and failed test runs."""

    requests: RequestFigures
    status_classes: dict[int, int]
    failed_test_runs: int


async def api_usage(
    session: AsyncSession,
    viewer: Viewer,
    api_id: str,
    days: DayRange,
    sources: Sequence[str],
    test_sources: Sequence[str],
) -> ApiUsage:
    """Figures of one API over the range, from the per-API and per-status daily rows."""
    team = viewer.team_id
    row = (
        await session.execute(
            select(*[e.label(n) for n, e in request_sums(DailyApiRequests).items()]).where(
                *team_days(DailyApiRequests, team, days),
                DailyApiRequests.api_id == api_id,
                DailyApiRequests.source.in_(sources),
            )
        )
    ).one()
    classes: dict[int, int] = defaultdict(int)
    for status_class, count in await session.execute(
        select(DailyRequests.status_class, func.sum(DailyRequests.requests))
        .where(
            *team_days(DailyRequests, team, days),
            DailyRequests.api_id == api_id,
            DailyRequests.source.in_(sources),
        )
        .group_by(DailyRequests.status_class)
    ):
        classes[int(status_class)] += int(count)
    collections = select(ApiLink.collection_id).where(ApiLink.api_id == api_id).distinct()
    failed = await session.scalar(
        select(func.coalesce(func.sum(DailyTestRuns.failed_runs), 0)).where(
            *team_days(DailyTestRuns, team, days),
            DailyTestRuns.collection_id.in_(collections),
            DailyTestRuns.source.in_(test_sources),
        )
    )
    return ApiUsage(RequestFigures.from_row(row), dict(sorted(classes.items())), int(failed or 0))
