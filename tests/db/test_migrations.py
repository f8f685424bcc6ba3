"""Alembic owns the schema: the migrations build exactly what the models describe."""

from __future__ import annotations

import asyncio

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from graphql_api.db.base import Base
from graphql_api.db.engine import create_engine
from graphql_api.db.migrate import (
    alembic_config,
    current_revision,
    head_revision,
    upgrade_to_head,
)


async def test_the_migrated_database_matches_the_models(database_url):
    engine = create_engine(database_url)
    try:
        async with engine.connect() as connection:
            diff = await connection.run_sync(
                lambda sync: compare_metadata(
                    MigrationContext.configure(sync, opts={"compare_type": True}), Base.metadata
                )
            )
    finally:
        await engine.dispose()
    assert diff == []


async def test_migrating_again_is_a_no_op_and_stays_at_head(database_url):
    upgrade_to_head(database_url)
    engine = create_engine(database_url)
    try:
        assert await current_revision(engine) == head_revision()
    finally:
        await engine.dispose()


# Rows valid at every revision (columns that exist since the first one).
SEED_ROWS = (
    "INSERT INTO teams (id, name, slug, plan) VALUES ('t', 'T', 't', 'ENTERPRISE')",
    "INSERT INTO users (id, name, username, email) VALUES ('u', 'U', 'u', 'u@example.com')",
    "INSERT INTO workspaces (id, team_id, name, visibility) VALUES ('w', 't', 'W', 'TEAM')",
    "INSERT INTO elements (id, team_id, workspace_id, kind, name, created_at) "
    "VALUES ('e', 't', 'w', 'API', 'E', '2026-01-01 00:00:00+00:00')",
    "INSERT INTO elements (id, team_id, workspace_id, kind, name, created_at) "
    "VALUES ('c', 't', 'w', 'COLLECTION', 'C', '2026-01-01 00:00:00+00:00')",
    # A row that refers to elements by foreign key: rebuilding elements must not break it.
    "INSERT INTO api_links (id, team_id, api_id, collection_id, relation) "
    "VALUES ('l', 't', 'e', 'c', 'TEST')",
    "INSERT INTO grants (id, team_id, subject_type, subject_id, resource_type, resource_id, role) "
    "VALUES ('g', 't', 'USER', 'u', 'ELEMENT', 'e', 'VIEWER')",
)


async def _reset(database_url: str) -> None:
    engine = create_engine(database_url)
    try:
        async with engine.begin() as connection:
            await connection.run_sync(Base.metadata.drop_all)
            await connection.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
    finally:
        await engine.dispose()


async def test_every_revision_upgrades_to_head_with_data_in_place(database_url, db):
    """Migrations must work on a database holding data, not only on an empty one."""
    script = ScriptDirectory.from_config(alembic_config(database_url))
    revisions = [r.revision for r in reversed(list(script.walk_revisions()))]
    try:
        for start in revisions[:-1]:
            await _reset(database_url)
            await asyncio.to_thread(command.upgrade, alembic_config(database_url), start)
            engine = create_engine(database_url)
            try:
                async with engine.begin() as connection:
                    for statement in SEED_ROWS:
                        await connection.exec_driver_sql(statement)
            finally:
                await engine.dispose()
            await asyncio.to_thread(command.upgrade, alembic_config(database_url), "head")
            engine = create_engine(database_url)
            try:
                assert await current_revision(engine) == head_revision()
                async with engine.connect() as connection:
                    for table in ("grants", "api_links"):
                        kept = await connection.exec_driver_sql(f"SELECT COUNT(*) FROM {table}")
                        assert kept.scalar() == 1, (start, table)
            finally:
                await engine.dispose()
    finally:
        # Leave an empty database at head for the tests that follow.
        await _reset(database_url)
        upgrade_to_head(database_url)
