"""Append-only usage facts. `seq` is ingestion order; `ext_id` makes re-sends no-ops."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from graphql_api.db.base import Base, ExternalId, FactColumns, UTCDateTime


class RequestEvent(FactColumns, Base):
    __tablename__ = "request_events"

    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"))
    source: Mapped[str] = mapped_column(String(20))
    collection_id: Mapped[str | None] = mapped_column(ForeignKey("elements.id"))
    api_id: Mapped[str | None] = mapped_column(ForeignKey("elements.id"))
    method: Mapped[str] = mapped_column(String(10))
    status: Mapped[int] = mapped_column(Integer)
    response_time_ms: Mapped[int] = mapped_column(Integer)
    response_size_bytes: Mapped[int] = mapped_column(Integer)


class TestRun(FactColumns, Base):
    __tablename__ = "test_runs"

    source: Mapped[str] = mapped_column(String(20))
    collection_id: Mapped[str] = mapped_column(ForeignKey("elements.id"))
    passed: Mapped[int] = mapped_column(Integer)
    failed: Mapped[int] = mapped_column(Integer)


class MonitorRun(FactColumns, Base):
    __tablename__ = "monitor_runs"

    monitor_id: Mapped[str] = mapped_column(ForeignKey("elements.id"))
    success: Mapped[bool] = mapped_column(Boolean)
    response_time_ms: Mapped[int] = mapped_column(Integer)


class ContentEvent(FactColumns, Base):
    __tablename__ = "content_events"

    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"))
    element_id: Mapped[str] = mapped_column(ForeignKey("elements.id"))
    action: Mapped[str] = mapped_column(String(20))


class SecurityFinding(FactColumns, Base):
    """A finding; a later version of its line may set `resolved_at`, nothing else."""

    __tablename__ = "security_findings"

    element_id: Mapped[str] = mapped_column(ForeignKey("elements.id"))
    rule: Mapped[str] = mapped_column(String(200))
    severity: Mapped[str] = mapped_column(String(10))
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class TokenAlert(FactColumns, Base):
    """A token-scanner alert; a later version of its line may set `resolved_at`."""

    __tablename__ = "token_alerts"

    workspace_id: Mapped[str] = mapped_column(ForeignKey("workspaces.id"))
    token_type: Mapped[str] = mapped_column(String(100))
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class PublicStat(FactColumns, Base):
    __tablename__ = "public_stats"

    workspace_id: Mapped[str] = mapped_column(ForeignKey("workspaces.id"))
    views: Mapped[int] = mapped_column(Integer)
    watches: Mapped[int] = mapped_column(Integer)
    forks: Mapped[int] = mapped_column(Integer)


class Resolution(FactColumns, Base):
    """The first resolution of a finding or token alert, recorded as a fact of its own.

    A finding is resolved by a later version of its line, which updates it in
    place and so gets no new ingestion number; this row gives the resolution
    one, so the incremental refresh folds it in like any other fact.
    `ext_id` is `finding:<id>` or `token_alert:<id>`; `at` is when it was resolved.
    """

    __tablename__ = "resolutions"

    kind: Mapped[str] = mapped_column(String(20))
    subject_id: Mapped[str] = mapped_column(ExternalId)
    label: Mapped[str] = mapped_column(String(200))
    severity: Mapped[str | None] = mapped_column(String(10))
