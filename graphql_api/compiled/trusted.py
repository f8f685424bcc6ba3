"""Trusted documents: a server that runs only the operations its clients' builds
registered (GRAPHQL_API_TRUSTED_DOCUMENTS names their manifest, trusted_manifest.py).

A request names its operation by id, as the clients that register documents send it:
- `documentId` (graphql-codegen's client preset; the GraphQL-over-HTTP proposal), or
  `doc_id` (relay-compiler's examples), as a body field or a GET parameter;
- `extensions.persistedQuery.sha256Hash` (Apollo Client's persisted-query link, and
  any automatic-persisted-query client): the SHA-256 of a registered text;
or sends the text itself, which must be a registered one, exactly. An id the manifest
does not hold is answered `PERSISTED_QUERY_NOT_IN_LIST` here; a text it does not
hold is refused by the schema (schema/trusted.py), for every transport, WebSocket
subscriptions included. Nothing is learnt from requests: automatic persisted
queries cannot register a document in this mode.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

from graphql_api.compiled.persisted import PersistedQueryError, with_document
from graphql_api.errors import ErrorCode

ID_FIELDS = ("documentId", "doc_id")


def not_in_list(what: str) -> PersistedQueryError:
    """The refusal of an operation the manifest does not hold."""
    return PersistedQueryError(
        ErrorCode.PERSISTED_QUERY_NOT_IN_LIST,
        f"This server runs only the operations registered from its clients' builds "
        f"(trusted documents), and {what} is not one of them.",
    )


class TrustedDocuments:
    """The manifest's documents by id, and by the SHA-256 of their text."""

    def __init__(self, documents: Mapping[str, str]) -> None:
        self._by_id = {hashlib.sha256(t.encode()).hexdigest(): t for t in documents.values()}
        self._by_id.update(documents)

    def document(self, document_id: str) -> str | None:
        """The text registered under `document_id` (bare, or `sha256:`-prefixed)."""
        found = self._by_id.get(document_id)
        if found is None and document_id.startswith("sha256:"):
            found = self._by_id.get(document_id.removeprefix("sha256:").lower())
        return found

    def resolve(self, payload: dict[str, Any]) -> dict[str, Any]:
        """`payload` (a decoded GraphQL request) with the registered text its id names in
        `query`, and the id taken out; `payload` itself when it names none (its text is
        checked by the schema). PersistedQueryError when the id is not registered."""
        named = [f for f in ID_FIELDS if f in payload]
        extensions = payload.get("extensions")
        persisted = extensions.get("persistedQuery") if isinstance(extensions, dict) else None
        if not named and persisted is None:
            return payload
        if named:
            document_id = payload[named[0]]
        else:
            document_id = persisted.get("sha256Hash") if isinstance(persisted, dict) else None
        if not isinstance(document_id, str):
            raise PersistedQueryError(
                ErrorCode.BAD_USER_INPUT,
                f"`{named[0] if named else 'sha256Hash'}` must be a registered document's id.",
                status=400,
            )
        text = self.document(document_id)
        if text is None:
            raise not_in_list(f"the document {document_id[:80]!r}")
        query = payload.get("query")
        if query is not None and query != text:
            raise not_in_list("the document sent with that id")
        return with_document(payload, text, ID_FIELDS)
