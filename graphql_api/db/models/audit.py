"""Audit events: immutable, numbered in ingestion order, purged only by retention."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from graphql_api.db.base import Base, ExternalId, Json, Sequence, UTCDateTime


class AuditEvent(Base):
    __tablename__ = "audit_events"
    __table_args__ = (
        # Newest-first pages: (team, timestamp, eventId) serves both directions.
        Index("ix_audit_events_team_id_at_event_id", "team_id", "at", "event_id"),
        Index("ix_audit_events_team_id_event_id", "team_id", "event_id"),
        Index("ix_audit_events_team_id_actor_id", "team_id", "actor_id"),
        {"sqlite_autoincrement": True},
    )

    event_id: Mapped[int] = mapped_column(Sequence, primary_key=True, autoincrement=True)
    ext_id: Mapped[str] = mapped_column(ExternalId, unique=True)
    team_id: Mapped[str] = mapped_column(ForeignKey("teams.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    action: Mapped[str] = mapped_column(String(64))
    category: Mapped[str] = mapped_column(String(10))
    actor_id: Mapped[str] = mapped_column(ForeignKey("users.id"))
    # The actor as they were when the event was ingested: later renames do
    # not rewrite history.
    actor_name: Mapped[str] = mapped_column(String(200))
    actor_username: Mapped[str] = mapped_column(String(100))
    actor_email: Mapped[str] = mapped_column(String(254))
    ip: Mapped[str | None] = mapped_column(String(64))
    user_agent: Mapped[str | None] = mapped_column(String(512))
    message: Mapped[str] = mapped_column(Text)
    data: Mapped[dict[str, Any] | None] = mapped_column(Json)
