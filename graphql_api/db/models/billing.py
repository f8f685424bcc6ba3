"""Billing facts: invoices, metered usage and seat changes."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Date, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from graphql_api.db.base import Base, ExternalId, Sequence, UTCDateTime

_SQLITE_AUTOINCREMENT = {"sqlite_autoincrement": True}


class Invoice(Base):
    """An invoice; its status moves on (OPEN to PAID), so a re-sent line updates it."""

    __tablename__ = "invoices"
    __table_args__ = (Index("ix_invoices_team_id_at", "team_id", "at"), _SQLITE_AUTOINCREMENT)

    seq: Mapped[int] = mapped_column(Sequence, primary_key=True, autoincrement=True)
    ext_id: Mapped[str] = mapped_column(ExternalId, unique=True)
    team_id: Mapped[str] = mapped_column(ForeignKey("teams.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    number: Mapped[str] = mapped_column(String(64))
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    amount_cents: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    status: Mapped[str] = mapped_column(String(20))


class UsageRecord(Base):
    __tablename__ = "usage_records"
    __table_args__ = (
        Index("ix_usage_records_team_id_resource_at", "team_id", "resource", "at"),
        _SQLITE_AUTOINCREMENT,
    )

    seq: Mapped[int] = mapped_column(Sequence, primary_key=True, autoincrement=True)
    ext_id: Mapped[str] = mapped_column(ExternalId, unique=True)
    team_id: Mapped[str] = mapped_column(ForeignKey("teams.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    resource: Mapped[str] = mapped_column(String(40))
    quantity: Mapped[int] = mapped_column(BigInteger)


class SeatChange(Base):
    __tablename__ = "seat_changes"
    __table_args__ = (Index("ix_seat_changes_team_id_at", "team_id", "at"), _SQLITE_AUTOINCREMENT)

    seq: Mapped[int] = mapped_column(Sequence, primary_key=True, autoincrement=True)
    ext_id: Mapped[str] = mapped_column(ExternalId, unique=True)
    team_id: Mapped[str] = mapped_column(ForeignKey("teams.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    seats: Mapped[int] = mapped_column(Integer)
