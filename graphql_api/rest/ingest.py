"""`POST /ingest`: newline-delimited JSON from platform services, with a service token."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse

from graphql_api.auth.credentials import service_token_is_valid
from graphql_api.auth.headers import presented_secret
from graphql_api.auth.requests import authenticate_limited, client_address
from graphql_api.bodies import read_limited
from graphql_api.errors import ErrorCode, error_body
from graphql_api.ingest.service import BatchRejected, ingest_lines
from graphql_api.state import AppState

# A batch of 100,000 bad lines would otherwise answer with megabytes of reasons;
# the first ones say what is wrong, the count says how much.
MAX_LISTED_ERRORS = 100


def rejected_body(exc: BatchRejected) -> dict[str, object]:
    """The first bad lines' numbers and reasons and how many lines were bad, under one
    BAD_USER_INPUT error."""
    listed = exc.errors[:MAX_LISTED_ERRORS]
    message = f"Batch rejected, nothing was written: {exc.bad_lines} bad line(s)."
    if len(listed) < len(exc.errors):
        message += (
            f" The first {len(listed)} of {len(exc.errors)} errors are listed; "
            "fix them and send the batch again to see the rest."
        )
    return error_body(
        ErrorCode.BAD_USER_INPUT,
        message,
        lines=[{"line": e.line, "reason": e.reason} for e in listed],
        badLines=exc.bad_lines,
    )


async def _valid_token(state: AppState, request: Request) -> str | None:
    secret = presented_secret(request.headers, allow_api_key_header=False)
    if secret is None:
        return None
    async with state.db() as session:
        return secret if await service_token_is_valid(session, secret) else None


async def ingest(request: Request) -> JSONResponse:
    """Write one all-or-nothing batch; 422 with its bad lines (the first 100) when refused."""
    state: AppState = request.app.state.graphql_api
    attempt = await authenticate_limited(
        state.rate_limiter, client_address(request), lambda: _valid_token(state, request)
    )
    if attempt.refusal is not None:
        return JSONResponse(
            error_body(ErrorCode.RATE_LIMITED, attempt.refusal.message()),
            status_code=429,
            headers=attempt.refusal.headers(),
        )
    if attempt.found is None:
        return JSONResponse(
            error_body(
                ErrorCode.UNAUTHENTICATED,
                "Send a service token (graphql-api create-service-token) as Authorization: Bearer.",
            ),
            status_code=401,
        )
    body = await read_limited(request, state.settings.ingest_max_bytes)
    if body is None:
        return JSONResponse(
            error_body(
                ErrorCode.BAD_USER_INPUT,
                f"Batch larger than {state.settings.ingest_max_bytes} bytes; split it.",
            ),
            status_code=413,
        )
    try:
        result = await ingest_lines(state.background_db, body.splitlines())
    except BatchRejected as exc:
        return JSONResponse(rejected_body(exc), status_code=422)
    return JSONResponse({"lines": result.lines, "counts": result.counts})
