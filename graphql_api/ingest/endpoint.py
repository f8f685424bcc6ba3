"""`POST /ingest`: newline-delimited JSON from platform services, with a service token."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse

from graphql_api.auth.credentials import service_token_is_valid
from graphql_api.auth.headers import presented_secret
from graphql_api.errors import ErrorCode, error_body
from graphql_api.ingest.service import BatchRejected, ingest_lines
from graphql_api.state import AppState


def rejected_body(exc: BatchRejected) -> dict[str, object]:
    """Every bad line's number and reason, under one BAD_USER_INPUT error."""
    return error_body(
        ErrorCode.BAD_USER_INPUT,
        f"Batch rejected, nothing was written: {len(exc.errors)} bad line(s).",
        lines=[{"line": e.line, "reason": e.reason} for e in exc.errors],
    )


async def _read_limited(request: Request, limit: int) -> bytes | None:
    body = bytearray()
    async for chunk in request.stream():
        body.extend(chunk)
        if len(body) > limit:
            return None
    return bytes(body)


async def ingest(request: Request) -> JSONResponse:
    """Write one all-or-nothing batch; 422 with every bad line when it is refused."""
    state: AppState = request.app.state.graphql_api
    secret = presented_secret(request.headers, allow_api_key_header=False)
    valid = False
    if secret is not None:
        async with state.db() as session:
            valid = await service_token_is_valid(session, secret)
    if not valid:
        return JSONResponse(
            error_body(
                ErrorCode.UNAUTHENTICATED,
                "Send a service token (graphql-api create-service-token) as Authorization: Bearer.",
            ),
            status_code=401,
        )
    body = await _read_limited(request, state.settings.ingest_max_bytes)
    if body is None:
        return JSONResponse(
            error_body(
                ErrorCode.BAD_USER_INPUT,
                f"Batch larger than {state.settings.ingest_max_bytes} bytes; split it.",
            ),
            status_code=413,
        )
    try:
        result = await ingest_lines(state.db, body.splitlines())
    except BatchRejected as exc:
        return JSONResponse(rejected_body(exc), status_code=422)
    return JSONResponse({"lines": result.lines, "counts": result.counts})
