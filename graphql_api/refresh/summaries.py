"""What each summary table holds: its fact table, its keys and its measures, as SQL."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Integer, and_, case, cast, func, literal
from sqlalchemy.orm import InstrumentedAttribute
from sqlalchemy.sql.elements import ColumnElement

from graphql_api.db import models as m
from graphql_api.db.models.summary import BUCKET_COLUMNS, RESPONSE_TIME_BUCKETS_MS

Expr = ColumnElement[Any] | InstrumentedAttribute[Any]


def utc_day(column: Any, dialect: str) -> Expr:
    """The UTC calendar day of a timestamp column."""
    if dialect == "postgresql":
        return cast(func.timezone("UTC", column), m.DailyRequests.day.type)
    # SQLite keeps timestamps as naive UTC text; date() takes its day.
    return func.date(column)


def utc_week(column: Any, dialect: str) -> Expr:
    """The Monday (UTC) starting the week of a timestamp column."""
    if dialect == "postgresql":
        return cast(func.date_trunc("week", func.timezone("UTC", column)), m.DailyRequests.day.type)
    # The Monday on or before the day: step back six days, then forward to a Monday.
    return func.date(column, "-6 days", "weekday 1")


def _count_if(condition: Expr) -> Expr:
    return func.sum(case((condition, 1), else_=0))


def _bucket_counts(response_time: Any) -> dict[str, Expr]:
    bounds = (0, *RESPONSE_TIME_BUCKETS_MS)
    counts: dict[str, Expr] = {}
    for index, name in enumerate(BUCKET_COLUMNS):
        lower = bounds[index]
        if index < len(RESPONSE_TIME_BUCKETS_MS):
            condition = and_(response_time >= lower, response_time < bounds[index + 1])
        else:
            condition = response_time >= lower
        counts[name] = _count_if(condition)
    return counts


@dataclass(frozen=True)
class Summary:
    """One summary table: how to group a fact table's rows into it."""

    name: str
    fact: Any
    table: Any
    # Column name -> expression over the fact table (keys are grouped by).
    keys: Callable[[str], dict[str, Expr]]
    measures: Callable[[], dict[str, Expr]]
    # Only the facts this summary is about (default: all).
    where: Callable[[], Expr] | None = None
    # The measure counting the facts in a row, for summaries of facts that
    # retention deletes: a row whose count falls to 0 is dropped.
    count: str | None = None

    @property
    def order(self) -> Any:
        """The fact table's ingestion-order column."""
        return self.fact.event_id if self.fact is m.AuditEvent else self.fact.seq


def _request_keys(dialect: str) -> dict[str, Expr]:
    r = m.RequestEvent
    return {
        "team_id": r.team_id,
        "day": utc_day(r.at, dialect),
        "api_id": func.coalesce(r.api_id, literal("")),
        "collection_id": func.coalesce(r.collection_id, literal("")),
        "source": r.source,
        "status_class": cast(r.status / 100, Integer),
    }


def _request_measures() -> dict[str, Expr]:
    r = m.RequestEvent
    return {
        "requests": func.count(),
        "response_time_ms_sum": func.sum(r.response_time_ms),
        "response_size_bytes_sum": func.sum(r.response_size_bytes),
        **_bucket_counts(r.response_time_ms),
    }


def _api_request_keys(dialect: str) -> dict[str, Expr]:
    r = m.RequestEvent
    return {
        "team_id": r.team_id,
        "day": utc_day(r.at, dialect),
        "api_id": r.api_id,
        "source": r.source,
    }


def _weekly_api_request_keys(dialect: str) -> dict[str, Expr]:
    r = m.RequestEvent
    return {
        "team_id": r.team_id,
        "week": utc_week(r.at, dialect),
        "api_id": r.api_id,
        "source": r.source,
    }


def _api_request_measures() -> dict[str, Expr]:
    measures = _request_measures()
    return {
        "requests": measures.pop("requests"),
        "errors": _count_if(m.RequestEvent.status >= 400),
        **measures,
    }


def _team_request_keys(dialect: str) -> dict[str, Expr]:
    keys = _request_keys(dialect)
    del keys["api_id"], keys["collection_id"]
    return keys


SUMMARIES: tuple[Summary, ...] = (
    Summary("requests", m.RequestEvent, m.DailyRequests, _request_keys, _request_measures),
    Summary(
        "api_requests",
        m.RequestEvent,
        m.DailyApiRequests,
        _api_request_keys,
        _api_request_measures,
        where=lambda: m.RequestEvent.api_id.is_not(None),
    ),
    Summary(
        "weekly_api_requests",
        m.RequestEvent,
        m.WeeklyApiRequests,
        _weekly_api_request_keys,
        _api_request_measures,
        where=lambda: m.RequestEvent.api_id.is_not(None),
    ),
    Summary(
        "team_requests",
        m.RequestEvent,
        m.DailyTeamRequests,
        _team_request_keys,
        _request_measures,
    ),
    Summary(
        "user_requests",
        m.RequestEvent,
        m.DailyUserRequests,
        lambda d: {
            "team_id": m.RequestEvent.team_id,
            "day": utc_day(m.RequestEvent.at, d),
            "user_id": m.RequestEvent.user_id,
            "source": m.RequestEvent.source,
        },
        lambda: {"requests": func.count()},
    ),
    Summary(
        "test_runs",
        m.TestRun,
        m.DailyTestRuns,
        lambda d: {
            "team_id": m.TestRun.team_id,
            "day": utc_day(m.TestRun.at, d),
            "collection_id": m.TestRun.collection_id,
            "source": m.TestRun.source,
        },
        lambda: {
            "runs": func.count(),
            "failed_runs": _count_if(m.TestRun.failed > 0),
            "tests_passed": func.sum(m.TestRun.passed),
            "tests_failed": func.sum(m.TestRun.failed),
        },
    ),
    Summary(
        "monitor_runs",
        m.MonitorRun,
        m.DailyMonitorRuns,
        lambda d: {
            "team_id": m.MonitorRun.team_id,
            "day": utc_day(m.MonitorRun.at, d),
            "monitor_id": m.MonitorRun.monitor_id,
        },
        lambda: {
            "runs": func.count(),
            "successes": _count_if(m.MonitorRun.success.is_(True)),
            "response_time_ms_sum": func.sum(m.MonitorRun.response_time_ms),
        },
    ),
    Summary(
        "content",
        m.ContentEvent,
        m.DailyContent,
        lambda d: {
            "team_id": m.ContentEvent.team_id,
            "day": utc_day(m.ContentEvent.at, d),
            "element_id": m.ContentEvent.element_id,
            "action": m.ContentEvent.action,
        },
        lambda: {"events": func.count()},
    ),
    Summary(
        "findings_found",
        m.SecurityFinding,
        m.DailyFindings,
        lambda d: {
            "team_id": m.SecurityFinding.team_id,
            "day": utc_day(m.SecurityFinding.at, d),
            "element_id": m.SecurityFinding.element_id,
            "rule": m.SecurityFinding.rule,
            "severity": m.SecurityFinding.severity,
        },
        lambda: {"found": func.count(), "resolved": literal(0)},
    ),
    Summary(
        "findings_resolved",
        m.Resolution,
        m.DailyFindings,
        lambda d: {
            "team_id": m.Resolution.team_id,
            "day": utc_day(m.Resolution.at, d),
            "element_id": m.Resolution.subject_id,
            "rule": m.Resolution.label,
            "severity": func.coalesce(m.Resolution.severity, literal("")),
        },
        lambda: {"found": literal(0), "resolved": func.count()},
        where=lambda: m.Resolution.kind == "FINDING",
    ),
    Summary(
        "token_alerts_found",
        m.TokenAlert,
        m.DailyTokenAlerts,
        lambda d: {
            "team_id": m.TokenAlert.team_id,
            "day": utc_day(m.TokenAlert.at, d),
            "workspace_id": m.TokenAlert.workspace_id,
            "token_type": m.TokenAlert.token_type,
        },
        lambda: {"found": func.count(), "resolved": literal(0)},
    ),
    Summary(
        "token_alerts_resolved",
        m.Resolution,
        m.DailyTokenAlerts,
        lambda d: {
            "team_id": m.Resolution.team_id,
            "day": utc_day(m.Resolution.at, d),
            "workspace_id": m.Resolution.subject_id,
            "token_type": m.Resolution.label,
        },
        lambda: {"found": literal(0), "resolved": func.count()},
        where=lambda: m.Resolution.kind == "TOKEN_ALERT",
    ),
    Summary(
        "usage",
        m.UsageRecord,
        m.DailyUsage,
        lambda d: {
            "team_id": m.UsageRecord.team_id,
            "day": utc_day(m.UsageRecord.at, d),
            "resource": m.UsageRecord.resource,
        },
        lambda: {"quantity": func.sum(m.UsageRecord.quantity)},
    ),
    Summary(
        "audit_actions",
        m.AuditEvent,
        m.DailyAuditActions,
        lambda d: {
            "team_id": m.AuditEvent.team_id,
            "day": utc_day(m.AuditEvent.at, d),
            "action": m.AuditEvent.action,
        },
        lambda: {"events": func.count()},
        count="events",
    ),
    Summary(
        "public_stats",
        m.PublicStat,
        m.DailyPublicStats,
        lambda d: {
            "team_id": m.PublicStat.team_id,
            "day": utc_day(m.PublicStat.at, d),
            "workspace_id": m.PublicStat.workspace_id,
        },
        lambda: {
            "views": func.sum(m.PublicStat.views),
            "watches": func.sum(m.PublicStat.watches),
            "forks": func.sum(m.PublicStat.forks),
        },
    ),
)
