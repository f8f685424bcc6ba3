"""API security: findings found, resolved and open, by severity and rule; token alerts."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from graphql_api.auth.viewer import Viewer
from graphql_api.db.models import DailyFindings, DailyTokenAlerts, Element
from graphql_api.domain.enums import ElementKind, Severity
from graphql_api.repositories.pagination import AnySelect, SortKey
from graphql_api.repositories.reports.masking import masked_elements
from graphql_api.repositories.reports.ranges import DayRange, Granularity, bucket_of
from graphql_api.repositories.reports.sorting import figure_sort


@dataclass
class FindingsPoint:
    start: date
    found: int = 0
    resolved: int = 0
    open_at_end: int = 0


@dataclass
class SecurityOverview:
    """Every finding counts, on APIs the viewer cannot access too (no element is named)."""

    open_by_severity: dict[str, int] = field(default_factory=lambda: {s.value: 0 for s in Severity})
    found_in_range: int = 0
    resolved_in_range: int = 0
    by_rule: dict[str, list[int]] = field(default_factory=dict)  # rule -> [open, found, resolved]
    trend: list[FindingsPoint] = field(default_factory=list)
    alerts_open: int = 0
    alerts_found: int = 0
    alerts_resolved: int = 0
    alerts_open_by_type: dict[str, int] = field(default_factory=dict)


async def security_overview(
    session: AsyncSession, viewer: Viewer, days: DayRange, granularity: Granularity
) -> SecurityOverview:
    """Open counts are everything found minus everything resolved up to the range's end."""
    overview = SecurityOverview()
    await _add_findings(session, viewer, days, granularity, overview)
    await _add_token_alerts(session, viewer, days, overview)
    return overview


async def _add_findings(
    session: AsyncSession,
    viewer: Viewer,
    days: DayRange,
    granularity: Granularity,
    overview: SecurityOverview,
) -> None:
    """Findings by severity, by rule and as a trend, from every day up to the range's end."""
    points = {
        bucket_of(d, granularity): FindingsPoint(bucket_of(d, granularity)) for d in days.days()
    }
    opening = 0
    rows = await session.execute(
        select(
            DailyFindings.day,
            DailyFindings.rule,
            DailyFindings.severity,
            func.sum(DailyFindings.found),
            func.sum(DailyFindings.resolved),
        )
        .where(DailyFindings.team_id == viewer.team_id, DailyFindings.day <= days.last)
        .group_by(DailyFindings.day, DailyFindings.rule, DailyFindings.severity)
    )
    for day, rule, severity, found, resolved in rows:
        found, resolved = int(found), int(resolved)
        overview.open_by_severity[severity] = (
            overview.open_by_severity.get(severity, 0) + found - resolved
        )
        counts = overview.by_rule.setdefault(rule, [0, 0, 0])
        counts[0] += found - resolved
        if day < days.first:
            opening += found - resolved
            continue
        counts[1] += found
        counts[2] += resolved
        overview.found_in_range += found
        overview.resolved_in_range += resolved
        point = points[bucket_of(day, granularity)]
        point.found += found
        point.resolved += resolved
    running = opening
    for point in sorted(points.values(), key=lambda p: p.start):
        running += point.found - point.resolved
        point.open_at_end = running
        overview.trend.append(point)


async def _add_token_alerts(
    session: AsyncSession, viewer: Viewer, days: DayRange, overview: SecurityOverview
) -> None:
    """Token alerts open at the range's end (by type), found and resolved within it."""
    alerts = await session.execute(
        select(
            DailyTokenAlerts.day,
            DailyTokenAlerts.token_type,
            func.sum(DailyTokenAlerts.found),
            func.sum(DailyTokenAlerts.resolved),
        )
        .where(DailyTokenAlerts.team_id == viewer.team_id, DailyTokenAlerts.day <= days.last)
        .group_by(DailyTokenAlerts.day, DailyTokenAlerts.token_type)
    )
    for day, token_type, found, resolved in alerts:
        found, resolved = int(found), int(resolved)
        overview.alerts_open += found - resolved
        overview.alerts_open_by_type[token_type] = (
            overview.alerts_open_by_type.get(token_type, 0) + found - resolved
        )
        if day >= days.first:
            overview.alerts_found += found
            overview.alerts_resolved += resolved


def _open_of(*severities: Severity) -> Any:
    net = DailyFindings.found - DailyFindings.resolved
    if not severities:
        return func.sum(net)
    wanted = [s.value for s in severities]
    return func.sum(case((DailyFindings.severity.in_(wanted), net), else_=0))


def open_findings_sums() -> list[Any]:
    """Open findings summed over daily rows: all, CRITICAL and HIGH, labelled."""
    return [
        _open_of().label("open_findings"),
        _open_of(Severity.CRITICAL).label("critical"),
        _open_of(Severity.HIGH).label("high"),
    ]


def api_findings_subquery(viewer: Viewer, days: DayRange) -> Any:
    """APIs with findings, by open findings at the range's end; restricted ones masked."""
    findings = (
        select(DailyFindings.element_id.label("element_id"), *open_findings_sums())
        .where(DailyFindings.team_id == viewer.team_id, DailyFindings.day <= days.last)
        .group_by(DailyFindings.element_id)
        .subquery()
    )
    return masked_elements(
        viewer,
        [
            findings.c.open_findings.label("open_findings"),
            findings.c.critical.label("critical"),
            findings.c.high.label("high"),
        ],
        [(findings, findings.c.element_id == Element.id)],
        where=[Element.kind == ElementKind.API.value],
        figures_name="api_findings_figures",
        name="api_findings_subquery",
    )


def sorted_api_findings(rows: Any) -> tuple[AnySelect, SortKey]:
    """APIs in report order: most open findings first, restricted ones last."""
    return figure_sort(rows, "security:apis", "open_findings", True)
