"""Creating scratch PostgreSQL databases for the test suite and the benchmarks."""

from __future__ import annotations

import asyncpg


async def recreate_database(server_url: str, name: str) -> str:
    """Drop and create database `name` on the server of `server_url`; return its URL."""
    connection = await asyncpg.connect(server_url.replace("postgresql+asyncpg://", "postgresql://"))
    try:
        await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await connection.execute(f'CREATE DATABASE "{name}"')
    finally:
        await connection.close()
    return server_url.rsplit("/", 1)[0] + "/" + name
