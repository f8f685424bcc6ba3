"""Appending facts fast: COPY on PostgreSQL, executemany on SQLite.

Measured on 50,000 request facts per run (foreign keys in place): multi-row
INSERT ... VALUES ran at about 13,000 rows/s on PostgreSQL, COPY into a
staging table then INSERT ... SELECT ... ON CONFLICT DO NOTHING at about
35,000 rows/s.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import JSON, Table
from sqlalchemy.dialects import sqlite
from sqlalchemy.ext.asyncio import AsyncConnection


async def insert_new_rows(
    connection: AsyncConnection, table: Table, rows: list[dict[str, Any]], *, key: str = "ext_id"
) -> None:
    """Insert `rows` whose `key` is not yet stored; ids are assigned in list order."""
    if not rows:
        return
    if connection.dialect.name != "postgresql":
        stmt = sqlite.insert(table).on_conflict_do_nothing(index_elements=[key])
        await connection.execute(stmt, rows)
        return
    columns = list(rows[0])
    json_columns = {c.name for c in table.columns if isinstance(c.type, JSON)}
    records = [
        (
            position,
            *(
                json.dumps(row[c]) if c in json_columns and row[c] is not None else row[c]
                for c in columns
            ),
        )
        for position, row in enumerate(rows)
    ]
    stage = f"_stage_{table.name}"
    names = ", ".join(f'"{c}"' for c in columns)
    raw = await connection.get_raw_connection()
    driver = raw.driver_connection
    assert driver is not None
    # The staging table lives only until the ingest transaction ends.
    await driver.execute(
        f'CREATE TEMP TABLE "{stage}" ON COMMIT DROP AS '
        f'SELECT 0::bigint AS "_position", {names} FROM "{table.name}" WITH NO DATA'
    )
    await driver.copy_records_to_table(stage, records=records, columns=["_position", *columns])
    await driver.execute(
        f'INSERT INTO "{table.name}" ({names}) SELECT {names} FROM "{stage}" '
        f'ORDER BY "_position" ON CONFLICT ("{key}") DO NOTHING'
    )
