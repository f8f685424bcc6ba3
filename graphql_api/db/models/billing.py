"""Billing facts: invoices, metered usage and seat changes."""

from __future__ import annotations

from datetime import date

from sqlalchemy import BigInteger, Date, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from graphql_api.db.base import Base, FactColumns


class Invoice(FactColumns, Base):
    """An invoice; its status moves on (OPEN to PAID), so a re-sent line updates it."""

    __tablename__ = "invoices"

    number: Mapped[str] = mapped_column(String(64))
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    amount_cents: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    status: Mapped[str] = mapped_column(String(20))


class UsageRecord(FactColumns, Base):
    __tablename__ = "usage_records"
    __table_args__ = (
        Index("ix_usage_records_team_id_resource_at", "team_id", "resource", "at"),
        {"sqlite_autoincrement": True},
    )

    resource: Mapped[str] = mapped_column(String(40))
    quantity: Mapped[int] = mapped_column(BigInteger)


class SeatChange(FactColumns, Base):
    __tablename__ = "seat_changes"

    seats: Mapped[int] = mapped_column(Integer)
