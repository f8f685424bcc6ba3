"""Export jobs: a CSV of the audit log or a report table, written in the background."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from graphql_api.db.base import Base, Json, UTCDateTime


class ExportJob(Base):
    """One requested export; a worker claims it, writes the file and sends the link."""

    __tablename__ = "export_jobs"
    __table_args__ = (
        Index("ix_export_jobs_status_heartbeat_at", "status", "heartbeat_at"),
        Index("ix_export_jobs_team_id_requested_by_id", "team_id", "requested_by_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    team_id: Mapped[str] = mapped_column(ForeignKey("teams.id"))
    requested_by_id: Mapped[str] = mapped_column(ForeignKey("users.id"))
    kind: Mapped[str] = mapped_column(String(40))
    # The query's arguments as the worker needs them (filters, range, order).
    parameters: Mapped[dict[str, Any]] = mapped_column(Json)
    status: Mapped[str] = mapped_column(String(20))
    # Where the server was reached, for the link in the email.
    base_url: Mapped[str] = mapped_column(String(500))
    row_count: Mapped[int | None] = mapped_column(Integer)
    file_name: Mapped[str | None] = mapped_column(String(255))
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # A running job's worker touches this; a stale one means the worker died.
    heartbeat_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    emailed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    email_error: Mapped[str | None] = mapped_column(Text)
