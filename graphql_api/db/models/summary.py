"""Daily summary tables the reports read, and the refresh watermarks that fill them.

Rows are keyed by team, UTC day and each report's dimensions. Keys are never
NULL (an absent element is ''), so each combination has exactly one row to
add into. Response times are kept as counts per fixed bucket, which add up
across rows and days, so p95 works over any range on any database.

Counts are 32-bit: PostgreSQL sums those into a fast bigint, where a sum of
bigints is a slow numeric (measured: the Team APIs query spent most of its
time there). Only the millisecond and byte sums need 64 bits.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Date, Integer, PrimaryKeyConstraint, String
from sqlalchemy.orm import Mapped, mapped_column

from graphql_api.db.base import Base, ExternalId, UTCDateTime

# Upper bounds (ms) of the response-time buckets; the last bucket is open.
RESPONSE_TIME_BUCKETS_MS = (
    25,
    50,
    75,
    100,
    150,
    200,
    300,
    400,
    500,
    750,
    1000,
    1500,
    2000,
    3000,
    5000,
)
BUCKET_COLUMNS = tuple(f"h{i:02d}" for i in range(len(RESPONSE_TIME_BUCKETS_MS) + 1))


class RequestMeasures:
    """What every request rollup sums: the count, time and size totals, and the buckets."""

    requests: Mapped[int] = mapped_column(Integer)
    response_time_ms_sum: Mapped[int] = mapped_column(BigInteger)
    response_size_bytes_sum: Mapped[int] = mapped_column(BigInteger)
    h00: Mapped[int] = mapped_column(Integer)
    h01: Mapped[int] = mapped_column(Integer)
    h02: Mapped[int] = mapped_column(Integer)
    h03: Mapped[int] = mapped_column(Integer)
    h04: Mapped[int] = mapped_column(Integer)
    h05: Mapped[int] = mapped_column(Integer)
    h06: Mapped[int] = mapped_column(Integer)
    h07: Mapped[int] = mapped_column(Integer)
    h08: Mapped[int] = mapped_column(Integer)
    h09: Mapped[int] = mapped_column(Integer)
    h10: Mapped[int] = mapped_column(Integer)
    h11: Mapped[int] = mapped_column(Integer)
    h12: Mapped[int] = mapped_column(Integer)
    h13: Mapped[int] = mapped_column(Integer)
    h14: Mapped[int] = mapped_column(Integer)
    h15: Mapped[int] = mapped_column(Integer)


class DailyRequests(RequestMeasures, Base):
    """Requests per team, day, API, collection, source and status class."""

    __tablename__ = "daily_requests"
    __table_args__ = (
        PrimaryKeyConstraint("team_id", "day", "api_id", "collection_id", "source", "status_class"),
    )

    team_id: Mapped[str] = mapped_column(ExternalId)
    day: Mapped[date] = mapped_column(Date)
    api_id: Mapped[str] = mapped_column(ExternalId)
    collection_id: Mapped[str] = mapped_column(ExternalId)
    source: Mapped[str] = mapped_column(String(20))
    # 2 for 2xx ... 5 for 5xx.
    status_class: Mapped[int] = mapped_column(Integer)


class DailyTeamRequests(RequestMeasures, Base):
    """Requests per team, day, source and status class: the Summary's small rollup."""

    __tablename__ = "daily_team_requests"
    __table_args__ = (PrimaryKeyConstraint("team_id", "day", "source", "status_class"),)

    team_id: Mapped[str] = mapped_column(ExternalId)
    day: Mapped[date] = mapped_column(Date)
    source: Mapped[str] = mapped_column(String(20))
    # 2 for 2xx ... 5 for 5xx.
    status_class: Mapped[int] = mapped_column(Integer)


class DailyApiRequests(RequestMeasures, Base):
    """Requests per team, day, API and source: the Team APIs report's rollup."""

    __tablename__ = "daily_api_requests"
    __table_args__ = (PrimaryKeyConstraint("team_id", "day", "api_id", "source"),)

    team_id: Mapped[str] = mapped_column(ExternalId)
    day: Mapped[date] = mapped_column(Date)
    api_id: Mapped[str] = mapped_column(ExternalId)
    source: Mapped[str] = mapped_column(String(20))
    # Answered 4xx or 5xx.
    errors: Mapped[int] = mapped_column(Integer)


class WeeklyApiRequests(RequestMeasures, Base):
    """Requests per team, week (starting Monday, UTC), API and source.

    A 90-day Team APIs report reads about 13 of these per API and source, plus
    the daily rows of the partial weeks at its edges, instead of 90 daily rows.
    """

    __tablename__ = "weekly_api_requests"
    __table_args__ = (PrimaryKeyConstraint("team_id", "week", "api_id", "source"),)

    team_id: Mapped[str] = mapped_column(ExternalId)
    week: Mapped[date] = mapped_column(Date)
    api_id: Mapped[str] = mapped_column(ExternalId)
    source: Mapped[str] = mapped_column(String(20))
    # Answered 4xx or 5xx.
    errors: Mapped[int] = mapped_column(Integer)


class DailyUserRequests(Base):
    """Requests per team, day, user and source (usage per member)."""

    __tablename__ = "daily_user_requests"
    __table_args__ = (PrimaryKeyConstraint("team_id", "day", "user_id", "source"),)

    team_id: Mapped[str] = mapped_column(ExternalId)
    day: Mapped[date] = mapped_column(Date)
    user_id: Mapped[str] = mapped_column(ExternalId)
    source: Mapped[str] = mapped_column(String(20))
    requests: Mapped[int] = mapped_column(Integer)


class DailyTestRuns(Base):
    """Test runs per team, day, collection and source."""

    __tablename__ = "daily_test_runs"
    __table_args__ = (PrimaryKeyConstraint("team_id", "day", "collection_id", "source"),)

    team_id: Mapped[str] = mapped_column(ExternalId)
    day: Mapped[date] = mapped_column(Date)
    collection_id: Mapped[str] = mapped_column(ExternalId)
    source: Mapped[str] = mapped_column(String(20))
    runs: Mapped[int] = mapped_column(Integer)
    failed_runs: Mapped[int] = mapped_column(Integer)
    tests_passed: Mapped[int] = mapped_column(Integer)
    tests_failed: Mapped[int] = mapped_column(Integer)


class DailyMonitorRuns(Base):
    """Monitor runs per team, day and monitor: the source of uptime."""

    __tablename__ = "daily_monitor_runs"
    __table_args__ = (PrimaryKeyConstraint("team_id", "day", "monitor_id"),)

    team_id: Mapped[str] = mapped_column(ExternalId)
    day: Mapped[date] = mapped_column(Date)
    monitor_id: Mapped[str] = mapped_column(ExternalId)
    runs: Mapped[int] = mapped_column(Integer)
    successes: Mapped[int] = mapped_column(Integer)
    response_time_ms_sum: Mapped[int] = mapped_column(BigInteger)


class DailyContent(Base):
    """Content events per team, day, element and action."""

    __tablename__ = "daily_content"
    __table_args__ = (PrimaryKeyConstraint("team_id", "day", "element_id", "action"),)

    team_id: Mapped[str] = mapped_column(ExternalId)
    day: Mapped[date] = mapped_column(Date)
    element_id: Mapped[str] = mapped_column(ExternalId)
    action: Mapped[str] = mapped_column(String(20))
    events: Mapped[int] = mapped_column(Integer)


class RefreshState(Base):
    """How far each summary has folded in its fact table (by ingestion order)."""

    __tablename__ = "refresh_state"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    watermark: Mapped[int] = mapped_column(BigInteger)
    refreshed_at: Mapped[datetime] = mapped_column(UTCDateTime)


class DailyPublicStats(Base):
    """Views, watches and forks per team, day and public workspace."""

    __tablename__ = "daily_public_stats"
    __table_args__ = (PrimaryKeyConstraint("team_id", "day", "workspace_id"),)

    team_id: Mapped[str] = mapped_column(ExternalId)
    day: Mapped[date] = mapped_column(Date)
    workspace_id: Mapped[str] = mapped_column(ExternalId)
    views: Mapped[int] = mapped_column(Integer)
    watches: Mapped[int] = mapped_column(Integer)
    forks: Mapped[int] = mapped_column(Integer)


class DailyAuditActions(Base):
    """Audit events per team, day and action (invites, joins, removals...)."""

    __tablename__ = "daily_audit_actions"
    __table_args__ = (PrimaryKeyConstraint("team_id", "day", "action"),)

    team_id: Mapped[str] = mapped_column(ExternalId)
    day: Mapped[date] = mapped_column(Date)
    action: Mapped[str] = mapped_column(String(64))
    events: Mapped[int] = mapped_column(Integer)


class DailyFindings(Base):
    """Security findings found and resolved per team, day, element, rule and severity."""

    __tablename__ = "daily_findings"
    __table_args__ = (PrimaryKeyConstraint("team_id", "day", "element_id", "rule", "severity"),)

    team_id: Mapped[str] = mapped_column(ExternalId)
    day: Mapped[date] = mapped_column(Date)
    element_id: Mapped[str] = mapped_column(ExternalId)
    rule: Mapped[str] = mapped_column(String(200))
    severity: Mapped[str] = mapped_column(String(10))
    found: Mapped[int] = mapped_column(Integer)
    resolved: Mapped[int] = mapped_column(Integer)


class DailyTokenAlerts(Base):
    """Token-scanner alerts raised and resolved per team, day, workspace and token type."""

    __tablename__ = "daily_token_alerts"
    __table_args__ = (PrimaryKeyConstraint("team_id", "day", "workspace_id", "token_type"),)

    team_id: Mapped[str] = mapped_column(ExternalId)
    day: Mapped[date] = mapped_column(Date)
    workspace_id: Mapped[str] = mapped_column(ExternalId)
    token_type: Mapped[str] = mapped_column(String(200))
    found: Mapped[int] = mapped_column(Integer)
    resolved: Mapped[int] = mapped_column(Integer)


class DailyUsage(Base):
    """Metered usage per team, day and resource."""

    __tablename__ = "daily_usage"
    __table_args__ = (PrimaryKeyConstraint("team_id", "day", "resource"),)

    team_id: Mapped[str] = mapped_column(ExternalId)
    day: Mapped[date] = mapped_column(Date)
    resource: Mapped[str] = mapped_column(String(40))
    quantity: Mapped[int] = mapped_column(BigInteger)
