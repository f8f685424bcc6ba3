"""A request's persisted query (graphql_api/compiled/persisted.py), or in trusted
documents mode its registered document (graphql_api/compiled/trusted.py), put in place
before the request is read as GraphQL, by the compiled plans and by strawberry alike."""

from __future__ import annotations

import json
from contextlib import suppress
from contextvars import ContextVar
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from graphql_api.compiled.persisted import PersistedQueries, PersistedQueryError
from graphql_api.compiled.trusted import ID_FIELDS, TrustedDocuments
from graphql_api.errors import error_body

# A POST body as decoded (its persisted query resolved), with its bytes: whoever reads
# the same bytes in the same request (a compiled plan, strawberry) reuses it rather
# than parsing the body again.
DECODED_BODY: ContextVar[tuple[bytes, object] | None] = ContextVar(
    "graphql_api_decoded_body", default=None
)


# Automatic persisted queries, or the trusted documents that replace them.
Documents = PersistedQueries | TrustedDocuments


async def resolve_persisted(request: Request, store: Documents) -> Response | None:
    """Put the document a persisted-query hash (or a trusted document's id) stands for in
    place (in the decoded POST body, or in the GET parameters); the answer when it
    cannot be run; None to go on."""
    try:
        if request.method == "POST":
            await _post(request, store)
        elif request.method == "GET":
            _get(request, store)
    except PersistedQueryError as exc:
        return JSONResponse(error_body(exc.code, exc.message), status_code=exc.status)
    return None


async def _post(request: Request, store: Documents) -> None:
    if not request.headers.get("content-type", "").startswith("application/json"):
        return
    body = await request.body()
    try:
        payload = json.loads(body)
    except (ValueError, RecursionError):
        return  # strawberry decodes it again, and words the 400
    if isinstance(payload, dict):
        payload = store.resolve(payload)
    DECODED_BODY.set((body, payload))


def _get(request: Request, store: Documents) -> None:
    params = request.query_params
    named = {k: params[k] for k in ("extensions", *ID_FIELDS) if k in params}
    if not named:
        return
    payload: dict[str, object] = {k: v for k, v in named.items() if k != "extensions"}
    if "extensions" in named:
        try:
            payload["extensions"] = json.loads(named["extensions"])
        except (ValueError, RecursionError):
            return  # strawberry words it
    if "query" in params:
        payload["query"] = params["query"]
    resolved = store.resolve(payload)
    if resolved is payload:
        return
    dropped = ("query", "extensions", *ID_FIELDS)
    items = [(k, v) for k, v in params.multi_items() if k not in dropped]
    items.append(("query", resolved["query"]))
    if "extensions" in resolved:
        items.append(("extensions", json.dumps(resolved["extensions"])))
    request.scope["query_string"] = urlencode(items).encode()
    with suppress(AttributeError):
        del request._query_params  # Starlette's cache of the parameters read above
