"""Reading a trusted-documents manifest: the operations a client build registered.

Two shapes are read, as the tools that emit them write them:
- an object of id to document text: graphql-codegen's client preset
  (`persistedDocuments: true` writes `persisted-documents.json`, ids the SHA-256 of
  the text) and relay-compiler (`persistConfig.file`, ids its own hashes);
- Apollo's persisted query manifest (`generate-persisted-query-manifest`):
  `{"format": "apollo-persisted-query-manifest", "version": 1,
    "operations": [{"id": ..., "name": ..., "type": ..., "body": ...}]}`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

APOLLO_FORMAT = "apollo-persisted-query-manifest"


class ManifestError(ValueError):
    """The manifest cannot be read as one of the shapes above; the message says why."""


def read_manifest(path: str) -> Mapping[str, str]:
    """The documents of the manifest at `path`, by id."""
    try:
        raw = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise ManifestError(f"cannot read {path}: {exc.strerror or exc}") from exc
    try:
        manifest = json.loads(raw)
    except ValueError as exc:
        raise ManifestError(f"{path} is not JSON: {exc}") from exc
    documents = _documents(manifest)
    if not documents:
        raise ManifestError(f"{path} registers no operation")
    return documents


def _documents(manifest: Any) -> dict[str, str]:
    if isinstance(manifest, dict) and manifest.get("format") == APOLLO_FORMAT:
        operations = manifest.get("operations")
        if manifest.get("version") != 1 or not isinstance(operations, list):
            raise ManifestError("an Apollo manifest must be version 1 with a list of operations")
        pairs = [
            (o.get("id"), o.get("body")) if isinstance(o, dict) else (None, None)
            for o in operations
        ]
    elif isinstance(manifest, dict):
        pairs = list(manifest.items())
    else:
        raise ManifestError("a manifest is a JSON object of id to document, or Apollo's")
    documents: dict[str, str] = {}
    for document_id, text in pairs:
        if not isinstance(document_id, str) or not isinstance(text, str) or not text.strip():
            raise ManifestError(
                f"every operation needs a string id and a document: {document_id!r} has none"
            )
        documents[document_id] = text
    return documents
