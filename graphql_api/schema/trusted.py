"""Trusted documents mode, in the schema: an operation whose text the clients' builds did
not register is refused before it is parsed, whatever carried it (POST, GET, a
WebSocket subscription). Requests naming a document by id are resolved to its text
before they get here (graphql_api/compiled/trusted.py)."""

from __future__ import annotations

from collections.abc import Iterator

from graphql import GraphQLError
from strawberry.extensions import SchemaExtension

from graphql_api.errors import ErrorCode

NOT_REGISTERED = (
    "This server runs only the operations registered from its clients' builds (trusted "
    "documents), and this document is not one of them: send a registered document, or "
    "its id as `documentId`."
)


class TrustedDocumentsOnly(SchemaExtension):
    """Refuses, before parsing, every document that is not one of `texts` exactly."""

    def __init__(self, texts: frozenset[str]) -> None:
        self.texts = texts

    def on_parse(self) -> Iterator[None]:
        if self.execution_context.query not in self.texts:
            raise GraphQLError(
                NOT_REGISTERED, extensions={"code": ErrorCode.PERSISTED_QUERY_NOT_IN_LIST.value}
            )
        yield
