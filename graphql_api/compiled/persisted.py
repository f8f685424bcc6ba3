"""Automatic persisted queries: the `extensions.persistedQuery` protocol that Apollo
Client, urql and Relay speak.

A client sends only the SHA-256 of its document:
`{"extensions": {"persistedQuery": {"version": 1, "sha256Hash": "<hex>"}}, "variables": ...}`
(as a POST body, or as GET parameters). When the server knows the hash it runs the
document it stands for; when it does not it answers `PersistedQueryNotFound`
(code `PERSISTED_QUERY_NOT_FOUND`, HTTP 200), and the client sends the document
once with its hash, which the server checks and remembers. Repeated operations
then travel as a hash and are neither sent nor parsed again (their plans are
found by the document, graphql_api/compiled/operations.py).

Documents are remembered per process, the last `max_documents`; a process that
has forgotten one asks for it again, which the protocol expects.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from typing import Any

from graphql_api.errors import ErrorCode

# Apollo Client retries with the document on this exact message or code.
NOT_FOUND_MESSAGE = "PersistedQueryNotFound"


class PersistedQueryError(Exception):
    """A persisted query the server cannot run: its code, message and HTTP status."""

    def __init__(self, code: ErrorCode, message: str, status: int = 200) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status


def with_document(
    payload: dict[str, Any], query: str, dropped: tuple[str, ...] = ()
) -> dict[str, Any]:
    """`payload` with `query` as its document, without the fields in `dropped` or its
    `extensions.persistedQuery` (other extensions kept): what runs once a persisted
    query or a registered document's id has been resolved."""
    resolved = {k: v for k, v in payload.items() if k not in dropped and k != "extensions"}
    resolved["query"] = query
    extensions = payload.get("extensions")
    if isinstance(extensions, dict):
        others = {k: v for k, v in extensions.items() if k != "persistedQuery"}
        if others:
            resolved["extensions"] = others
    return resolved


class PersistedQueries:
    """Documents by the SHA-256 of their text, the last `max_documents` used."""

    def __init__(self, max_documents: int = 1024) -> None:
        self.max_documents = max_documents
        self._documents: OrderedDict[str, str] = OrderedDict()
        self.hits = 0
        self.misses = 0

    def resolve(self, payload: dict[str, Any]) -> dict[str, Any]:
        """`payload` (a decoded GraphQL request) with the document its persisted-query
        hash stands for in `query`, and that extension taken out; `payload` itself when
        it names no persisted query. PersistedQueryError when it cannot be run."""
        extensions = payload.get("extensions")
        if not isinstance(extensions, dict) or "persistedQuery" not in extensions:
            return payload
        persisted = extensions["persistedQuery"]
        if not isinstance(persisted, dict) or persisted.get("version") != 1:
            raise PersistedQueryError(
                ErrorCode.PERSISTED_QUERY_NOT_SUPPORTED,
                "Only version 1 of persisted queries is supported: "
                '`{"persistedQuery": {"version": 1, "sha256Hash": "<hex>"}}`.',
            )
        digest = persisted.get("sha256Hash")
        if not isinstance(digest, str):
            raise PersistedQueryError(
                ErrorCode.BAD_USER_INPUT,
                "`extensions.persistedQuery.sha256Hash` must be the document's SHA-256 in hex.",
                status=400,
            )
        digest = digest.lower()
        query = payload.get("query")
        if isinstance(query, str) and query:
            if hashlib.sha256(query.encode()).hexdigest() != digest:
                raise PersistedQueryError(
                    ErrorCode.BAD_USER_INPUT,
                    "provided sha does not match query: `sha256Hash` must be the SHA-256 "
                    "of `query`'s UTF-8 text, in hex.",
                    status=400,
                )
            self._remember(digest, query)
        else:
            found = self._documents.get(digest)
            if found is None:
                self.misses += 1
                raise PersistedQueryError(ErrorCode.PERSISTED_QUERY_NOT_FOUND, NOT_FOUND_MESSAGE)
            self.hits += 1
            self._documents.move_to_end(digest)
            query = found
        return with_document(payload, query)

    def _remember(self, digest: str, query: str) -> None:
        self._documents[digest] = query
        self._documents.move_to_end(digest)
        while len(self._documents) > self.max_documents:
            self._documents.popitem(last=False)
