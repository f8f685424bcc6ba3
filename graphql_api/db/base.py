"""Declarative base, naming convention and column types shared by every model."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, DateTime, ForeignKey, Index, Integer, MetaData, String
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column
from sqlalchemy.types import TypeDecorator

# Deterministic constraint names keep Alembic's autogenerate quiet and
# migrations portable between SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Base of every model; its metadata is what Alembic compares against."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class UTCDateTime(TypeDecorator[datetime]):
    """An aware UTC timestamp on every backend.

    SQLite has no time zones: we store naive UTC there (its text form sorts
    chronologically, which keyset pagination relies on) and attach UTC on the
    way out, so Python code only ever sees aware datetimes.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    @property
    def python_type(self) -> type[datetime]:
        return datetime

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTCDateTime column")
        value = value.astimezone(UTC)
        if dialect.name == "sqlite":
            return value.replace(tzinfo=None)
        return value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


# String ids are the clients' own (docs/ingest.md#ids-and-references: unique within a type).
ExternalId = String(128)
# 64-bit on PostgreSQL; plain INTEGER on SQLite so the column aliases the rowid.
Sequence = BigInteger().with_variant(Integer(), "sqlite")
# SQL NULL (not JSON null) when a document is absent.
Json = JSON(none_as_null=True)


def utcnow() -> datetime:
    """The current instant, aware, in UTC."""
    return datetime.now(UTC)


class FactColumns:
    """What every fact table has: ingestion order, the client's id, the team, the moment.

    `seq` is handed out in ingestion order; AUTOINCREMENT on SQLite so a purge
    never lets a later fact reuse one. `ext_id` makes a re-sent fact a no-op.
    """

    seq: Mapped[int] = mapped_column(Sequence, primary_key=True, autoincrement=True)
    ext_id: Mapped[str] = mapped_column(ExternalId, unique=True)
    team_id: Mapped[str] = mapped_column(ForeignKey("teams.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime)

    @declared_attr.directive
    def __table_args__(cls) -> tuple[Any, ...]:
        return (
            Index(f"ix_{cls.__tablename__}_team_id_at", "team_id", "at"),  # type: ignore[attr-defined]
            {"sqlite_autoincrement": True},
        )
