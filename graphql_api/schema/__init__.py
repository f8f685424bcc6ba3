"""Assembles the GraphQL schema from the per-domain types."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import aclosing
from typing import Any

import strawberry
from graphql import GraphQLError
from graphql.validation import NoSchemaIntrospectionCustomRule
from strawberry.extensions import AddValidationRules, ValidationCache
from strawberry.types import ExecutionContext
from strawberry.types.execution import PreExecutionError

from graphql_api.config import Settings
from graphql_api.schema.errors import log_unexpected, with_codes
from graphql_api.schema.execution import EventScopedExecutionContext
from graphql_api.schema.limits import DocumentSizeLimiter, QueryCostLimiter, shape_rules
from graphql_api.schema.mutation import Mutation
from graphql_api.schema.nodes import NODE_TYPES
from graphql_api.schema.root import Query
from graphql_api.schema.snapshots import OneSnapshotPerQuery
from graphql_api.schema.subscription import Subscription
from graphql_api.schema.trusted import TrustedDocumentsOnly


class Schema(strawberry.Schema):
    """Our schema: logs only unexpected errors, once (expected ones are the client's)."""

    # Production keeps the schema's names out of error messages (see with_codes).
    hide_suggestions = False

    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        log_unexpected(errors)

    async def stream(self, *args: Any, **kwargs: Any) -> Any:
        """Subscriptions' results get error codes too (HTTP results get them in the view)."""
        return _with_codes_each(await super().stream(*args, **kwargs), self.hide_suggestions)


async def _with_codes_each(source: Any, hide_suggestions: bool) -> AsyncIterator[Any]:
    started = False
    async with aclosing(source):
        try:
            async for result in source:
                started = True
                if getattr(result, "errors", None):
                    result.errors = with_codes(result.errors, hide_suggestions=hide_suggestions)
                yield result
        except GraphQLError as error:
            # Strawberry runs a stream's parse hooks outside the try that turns their
            # refusals (the token limit, trusted documents) into errors over HTTP; on a
            # socket they would end the operation's task with no answer.
            if started:
                raise
            yield PreExecutionError(
                data=None, errors=with_codes([error], hide_suggestions=hide_suggestions)
            )


def build_schema(settings: Settings | None = None) -> Schema:
    """The schema with its extensions; production also refuses introspection."""
    settings = settings or Settings()
    shape = shape_rules(settings)
    extensions: list[Any] = [
        # First, so that its bounds hold before any other extension validates; it
        # parses too (through a cache), to code the token limit's refusal.
        lambda: DocumentSizeLimiter(settings, maxsize=256),
        lambda: AddValidationRules(shape),
        lambda: QueryCostLimiter(settings),
        lambda: ValidationCache(maxsize=256),
        OneSnapshotPerQuery,
    ]
    if settings.is_production:
        extensions.append(lambda: AddValidationRules([NoSchemaIntrospectionCustomRule]))
    if settings.trusted_documents is not None:
        texts = frozenset(settings.trusted_documents.values())
        # Before anything parses a document this server will not run.
        extensions.insert(0, lambda: TrustedDocumentsOnly(texts))
    schema = Schema(
        query=Query,
        mutation=Mutation,
        subscription=Subscription,
        # Every Node type, also those only reachable through node(id:) or the
        # Element interface: the registry is the one list of them.
        types=NODE_TYPES,
        extensions=extensions,
        execution_context_class=EventScopedExecutionContext,
    )
    schema.hide_suggestions = settings.is_production
    return schema


def export_sdl() -> str:
    """The SDL clients generate code from (what `schema.graphql` must hold)."""
    return build_schema().as_str() + "\n"
