"""Writing a checked batch: each record type in turn, as its spec says, in one transaction.

Core inserts on the connection: the ORM's bulk layer costs more than the
database does here, and we need none of its bookkeeping.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, literal, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from graphql_api.db import models as m
from graphql_api.db.locks import take_event_order_lock
from graphql_api.ingest.batch import Batch
from graphql_api.ingest.bulk import insert_new_rows
from graphql_api.ingest.records import column_of
from graphql_api.ingest.references import Known, chunks
from graphql_api.ingest.specs import SPECS, RecordSpec, Row, Write
from graphql_api.live.notify import announce_audit_events


async def write_batch(batch: Batch, session: AsyncSession) -> None:
    """Write every record of a checked batch, numbering facts under the event-order lock."""
    connection = await session.connection()
    await take_event_order_lock(session)
    for spec in SPECS.values():
        await _write(spec, batch, session, connection)


async def _write(
    spec: RecordSpec, batch: Batch, session: AsyncSession, connection: AsyncConnection
) -> None:
    chosen = batch.first(spec.type) if spec.write is Write.INSERT_ONCE else batch.latest(spec.type)
    records = [rec for _, rec in chosen.values()]
    if spec.deletable:
        gone = [rec.id for rec in records if rec.deleted]
        if gone:
            key = getattr(spec.table, spec.key)
            await session.execute(delete(spec.table).where(key.in_(gone)))
        records = [rec for rec in records if not rec.deleted]
    if spec.resolution is not None:
        # Before the upsert, which would hide that a resolution is the first.
        await _record_resolutions(spec, records, connection)
    rows = _rows(spec, records, batch.known)
    if spec.write is Write.INSERT_ONCE:
        await insert_new_rows(connection, spec.table.__table__, rows, key=spec.key)
    else:
        await _upsert(spec, rows, connection)
    if spec.announces:
        await announce_audit_events(session, {row["team_id"] for row in rows})


def _rows(spec: RecordSpec, records: list[Any], known: Known) -> list[Row]:
    key, rename, team_ref, computed = spec.key, spec.rename, spec.team_ref, spec.computed
    if team_ref is None and computed is None:
        rows = [rec.columns(key, rename) for rec in records]
    else:
        rows = []
        for rec in records:
            extra = {} if team_ref is None else {"team_id": team_ref.team(rec, known)}
            if computed is not None:
                extra.update(computed(rec, known))
            rows.append(rec.columns(key, rename, **extra))
    if spec.row_order is not None:
        rows.sort(key=spec.row_order)
    return rows


async def _upsert(spec: RecordSpec, rows: list[Row], connection: AsyncConnection) -> None:
    if not rows:
        return
    insert = postgresql.insert if connection.dialect.name == "postgresql" else sqlite.insert
    stmt = insert(spec.table.__table__)
    changes = {c: stmt.excluded[c] for c in rows[0] if c != spec.key}
    if spec.keep is not None:
        changes.update(spec.keep(spec.table, stmt.excluded))
    await connection.execute(
        stmt.on_conflict_do_update(index_elements=[spec.key], set_=changes), rows
    )


async def _record_resolutions(
    spec: RecordSpec, records: list[Any], connection: AsyncConnection
) -> None:
    """Write each newly resolved fact's first resolution as a fact of its own."""
    resolution = spec.resolution
    assert resolution is not None
    resolved = {rec.id: rec for rec in records if rec.resolved_at is not None}
    if not resolved:
        return
    stored = await _stored_resolutions(spec, connection, set(resolved))
    rows = []
    for rid, rec in resolved.items():
        known = stored.get(rid)
        if known is not None and known.resolved_at is not None:
            continue  # resolved before: the first resolution stands
        rows.append(
            {
                "ext_id": f"{resolution.kind.lower()}:{rid}",
                "team_id": known.team_id if known else rec.team,
                "at": rec.resolved_at,
                "kind": resolution.kind,
                "subject_id": known.subject if known else getattr(rec, resolution.subject),
                "label": known.label if known else getattr(rec, resolution.label),
                "severity": known.severity if known else _severity(rec, resolution.severity),
            }
        )
    await insert_new_rows(connection, m.Resolution.__table__, rows)  # type: ignore[arg-type]


def _severity(rec: Any, field: str | None) -> Any:
    return None if field is None else getattr(rec, field)


async def _stored_resolutions(
    spec: RecordSpec, connection: AsyncConnection, ids: set[str]
) -> dict[str, Any]:
    """Stored facts among `ids`: team, subject, label, severity and whether they were
    resolved already."""
    resolution, model = spec.resolution, spec.table
    assert resolution is not None
    severity = literal(None) if resolution.severity is None else getattr(model, resolution.severity)
    found: dict[str, Any] = {}
    for chunk in chunks(ids):
        rows = await connection.execute(
            select(
                model.ext_id,
                model.team_id,
                model.resolved_at,
                getattr(model, column_of(resolution.subject)).label("subject"),
                getattr(model, column_of(resolution.label)).label("label"),
                severity.label("severity"),
            ).where(model.ext_id.in_(chunk))
        )
        found.update({row.ext_id: row for row in rows})
    return found
