"""What the running app holds: settings, the engine, sessions, the schema, the cursor codec."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from graphql_api.auth.key_cache import KeyCache
from graphql_api.auth.rate_limit import RateLimiter
from graphql_api.compiled.checks import Checked
from graphql_api.compiled.operations import CompiledOperations
from graphql_api.compiled.persisted import PersistedQueries
from graphql_api.compiled.trusted import TrustedDocuments
from graphql_api.config import Settings
from graphql_api.db.engine import create_engine, create_sessionmaker
from graphql_api.db.pool import count_connections, pool_options
from graphql_api.db.statement_timeout import bound_statements, connect_args, unbounded_sessions
from graphql_api.exports.worker import ExportWorker
from graphql_api.ops.metrics import Metrics
from graphql_api.repositories.cursors import CursorCodec
from graphql_api.repositories.live_audit import live_read_slots
from graphql_api.repositories.reports.team_apis import built_subquery_counts
from graphql_api.schema import Schema, build_schema


@dataclass
class AppState:
    """Built once per app; shared by every request."""

    settings: Settings
    engine: AsyncEngine
    db: async_sessionmaker[AsyncSession]
    # Sessions for the refresher, exports and ingest: not bound by the statement timeout.
    background_db: async_sessionmaker[AsyncSession]
    schema: Schema
    codec: CursorCodec
    rate_limiter: RateLimiter
    key_cache: KeyCache
    # None when GRAPHQL_API_COMPILED_OPERATIONS is off.
    compiled: CompiledOperations | None
    persisted_queries: PersistedQueries
    # In trusted documents mode (GRAPHQL_API_TRUSTED_DOCUMENTS), what replaces them.
    trusted_documents: TrustedDocuments | None
    export_worker: ExportWorker
    metrics: Metrics
    live_reads: asyncio.Semaphore

    @classmethod
    def build(cls, settings: Settings) -> AppState:
        engine = create_engine(
            settings.database_url,
            **pool_options(settings.db_pool_size, settings.db_max_overflow),
            connect_args=connect_args(settings.database_url, settings.statement_timeout),
        )
        count_connections(engine)
        bound_statements(engine, settings.statement_timeout)
        db = create_sessionmaker(engine)
        background_db = unbounded_sessions(engine)
        schema = build_schema(settings)
        state = cls(
            settings=settings,
            engine=engine,
            db=db,
            background_db=background_db,
            schema=schema,
            codec=CursorCodec(settings.secret_key),
            rate_limiter=RateLimiter(settings),
            compiled=(
                CompiledOperations(
                    schema._schema,
                    settings,
                    needs_listener=engine.dialect.name == "postgresql",
                )
                if settings.compiled_operations
                else None
            ),
            persisted_queries=PersistedQueries(),
            trusted_documents=(
                None
                if settings.trusted_documents is None
                else TrustedDocuments(settings.trusted_documents)
            ),
            key_cache=KeyCache(
                settings.key_cache_seconds,
                needs_listener=engine.dialect.name == "postgresql",
            ),
            export_worker=ExportWorker(background_db, settings),
            metrics=Metrics(engine),
            live_reads=live_read_slots(),
        )
        state.count_caches()
        return state

    @property
    def documents(self) -> PersistedQueries | TrustedDocuments:
        """What a request's document id or persisted-query hash is resolved with."""
        return self.persisted_queries if self.trusted_documents is None else self.trusted_documents

    def count_caches(self) -> None:
        """The key cache's and the compiled operations' counts in `/metrics`."""
        cache, compiled, count = self.key_cache, self.compiled, self.metrics.count_from
        count("graphql_api_key_cache_hits", "Requests whose key was cached.", lambda: cache.hits)
        count(
            "graphql_api_key_cache_misses",
            "Requests whose key was looked up while the cache was in use.",
            lambda: cache.misses,
        )
        count(
            "graphql_api_team_api_statement_cache_hits",
            "Team APIs requests that reused a subquery built for the same viewer, range and "
            "sources (statements are cached, never results).",
            lambda: built_subquery_counts()[0],
        )
        count(
            "graphql_api_team_api_statement_cache_misses",
            "Team APIs subqueries built.",
            lambda: built_subquery_counts()[1],
        )
        count(
            "graphql_api_persisted_query_hits",
            "Requests that sent only a persisted query's hash, which this process knew.",
            lambda: self.persisted_queries.hits,
        )
        count(
            "graphql_api_persisted_query_misses",
            "Requests that sent only a persisted query's hash, which this process did not "
            "know (the client then sends the document once).",
            lambda: self.persisted_queries.misses,
        )
        if compiled is not None:
            count(
                "graphql_api_compiled_operations_served",
                "Requests answered from a compiled plan (graphql_api/compiled).",
                lambda: compiled.served,
            )
            answers = compiled.answers
            count(
                "graphql_api_report_answer_cache_hits",
                "Compiled report requests answered from memory (compiled/answers.py).",
                lambda: answers.hits,
            )
            count(
                "graphql_api_report_answer_cache_misses",
                "Compiled report requests read from the database while the report answer "
                "cache was in use.",
                lambda: answers.misses,
            )
            count(
                "graphql_api_compiled_argument_cache_hits",
                "Compiled requests whose variables' price and arguments were worked out for "
                "a recent request of the same plan (checks.Checked).",
                lambda: Checked.hits,
            )
            count(
                "graphql_api_compiled_argument_cache_misses",
                "Compiled requests whose variables' price and arguments were worked out anew.",
                lambda: Checked.misses,
            )
