"""Alembic owns the schema: the migrations build exactly what the models describe."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from graphql_api.db.base import Base
from graphql_api.db.engine import create_engine
from graphql_api.db.migrate import current_revision, head_revision, upgrade_to_head


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
