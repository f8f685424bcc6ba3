"""Append-only usage facts. `seq` is ingestion order; `ext_id` makes re-sends no-ops."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from graphql_api.db.base import Base, ExternalId, Sequence, UTCDateTime

# AUTOINCREMENT on SQLite: a purge must never let a later fact reuse a seq.
_SQLITE_AUTOINCREMENT = {"sqlite_autoincrement": True}


class RequestEvent(Base):
    __tablename__ = "request_events"
    __table_args__ = (Index("ix_request_events_team_id_at", "team_id", "at"), _SQLITE_AUTOINCREMENT)

    seq: Mapped[int] = mapped_column(Sequence, primary_key=True, autoincrement=True)
    ext_id: Mapped[str] = mapped_column(ExternalId, unique=True)
    team_id: Mapped[str] = mapped_column(ForeignKey("teams.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"))
    source: Mapped[str] = mapped_column(String(20))
    collection_id: Mapped[str | None] = mapped_column(ForeignKey("elements.id"))
    api_id: Mapped[str | None] = mapped_column(ForeignKey("elements.id"))
    method: Mapped[str] = mapped_column(String(10))
    status: Mapped[int] = mapped_column(Integer)
    response_time_ms: Mapped[int] = mapped_column(Integer)
    response_size_bytes: Mapped[int] = mapped_column(Integer)


class TestRun(Base):
    __tablename__ = "test_runs"
    __table_args__ = (Index("ix_test_runs_team_id_at", "team_id", "at"), _SQLITE_AUTOINCREMENT)

    seq: Mapped[int] = mapped_column(Sequence, primary_key=True, autoincrement=True)
    ext_id: Mapped[str] = mapped_column(ExternalId, unique=True)
    team_id: Mapped[str] = mapped_column(ForeignKey("teams.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    source: Mapped[str] = mapped_column(String(20))
    collection_id: Mapped[str] = mapped_column(ForeignKey("elements.id"))
    passed: Mapped[int] = mapped_column(Integer)
    failed: Mapped[int] = mapped_column(Integer)


class MonitorRun(Base):
    __tablename__ = "monitor_runs"
    __table_args__ = (Index("ix_monitor_runs_team_id_at", "team_id", "at"), _SQLITE_AUTOINCREMENT)

    seq: Mapped[int] = mapped_column(Sequence, primary_key=True, autoincrement=True)
    ext_id: Mapped[str] = mapped_column(ExternalId, unique=True)
    team_id: Mapped[str] = mapped_column(ForeignKey("teams.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    monitor_id: Mapped[str] = mapped_column(ForeignKey("elements.id"))
    success: Mapped[bool] = mapped_column(Boolean)
    response_time_ms: Mapped[int] = mapped_column(Integer)


class ContentEvent(Base):
    __tablename__ = "content_events"
    __table_args__ = (
        Index("ix_content_events_team_id_at", "team_id", "at"),
        _SQLITE_AUTOINCREMENT,
    )

    seq: Mapped[int] = mapped_column(Sequence, primary_key=True, autoincrement=True)
    ext_id: Mapped[str] = mapped_column(ExternalId, unique=True)
    team_id: Mapped[str] = mapped_column(ForeignKey("teams.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"))
    element_id: Mapped[str] = mapped_column(ForeignKey("elements.id"))
    action: Mapped[str] = mapped_column(String(20))


class SecurityFinding(Base):
    """A finding; a later version of its line may set `resolved_at`, nothing else."""

    __tablename__ = "security_findings"
    __table_args__ = (
        Index("ix_security_findings_team_id_at", "team_id", "at"),
        _SQLITE_AUTOINCREMENT,
    )

    seq: Mapped[int] = mapped_column(Sequence, primary_key=True, autoincrement=True)
    ext_id: Mapped[str] = mapped_column(ExternalId, unique=True)
    team_id: Mapped[str] = mapped_column(ForeignKey("teams.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    element_id: Mapped[str] = mapped_column(ForeignKey("elements.id"))
    rule: Mapped[str] = mapped_column(String(200))
    severity: Mapped[str] = mapped_column(String(10))
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class TokenAlert(Base):
    """A token-scanner alert; a later version of its line may set `resolved_at`."""

    __tablename__ = "token_alerts"
    __table_args__ = (Index("ix_token_alerts_team_id_at", "team_id", "at"), _SQLITE_AUTOINCREMENT)

    seq: Mapped[int] = mapped_column(Sequence, primary_key=True, autoincrement=True)
    ext_id: Mapped[str] = mapped_column(ExternalId, unique=True)
    team_id: Mapped[str] = mapped_column(ForeignKey("teams.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    workspace_id: Mapped[str] = mapped_column(ForeignKey("workspaces.id"))
    token_type: Mapped[str] = mapped_column(String(100))
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class PublicStat(Base):
    __tablename__ = "public_stats"
    __table_args__ = (Index("ix_public_stats_team_id_at", "team_id", "at"), _SQLITE_AUTOINCREMENT)

    seq: Mapped[int] = mapped_column(Sequence, primary_key=True, autoincrement=True)
    ext_id: Mapped[str] = mapped_column(ExternalId, unique=True)
    team_id: Mapped[str] = mapped_column(ForeignKey("teams.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    workspace_id: Mapped[str] = mapped_column(ForeignKey("workspaces.id"))
    views: Mapped[int] = mapped_column(Integer)
    watches: Mapped[int] = mapped_column(Integer)
    forks: Mapped[int] = mapped_column(Integer)
