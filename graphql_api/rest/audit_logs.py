"""`GET /audit/logs`: the audit log as Postman's audit-log API serves it (docs/rest-feed.md).

A SIEM connector written for `https://api.getpostman.com/audit/logs` works
by changing its base URL: same parameters, same `trails` and `nextCursor`.
Permissions and retention are the GraphQL audit log's.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse

from graphql_api.auth.gates import require_audit_reader
from graphql_api.auth.requests import UNAUTHENTICATED_MESSAGE, admit
from graphql_api.db.base import utcnow
from graphql_api.domain import inputs
from graphql_api.domain.audit_actions import ACTIONS
from graphql_api.errors import ApiError, BadUserInput, ErrorCode
from graphql_api.repositories import directory
from graphql_api.repositories.audit import SORT_KEYS, AuditQuery, audit_events_statement
from graphql_api.repositories.pagination import PageArgs, fetch_page
from graphql_api.state import AppState

MAX_LIMIT = 300
# Our cursors are about 150 characters; anything much longer is not one of them.
MAX_CURSOR_LENGTH = 1024
# Postman's error names, so connectors that branch on them keep working.
_ERROR_NAMES = {
    ErrorCode.UNAUTHENTICATED: "AuthenticationError",
    ErrorCode.FORBIDDEN: "forbiddenError",
    ErrorCode.PLAN_REQUIRED: "forbiddenError",
    ErrorCode.BAD_USER_INPUT: "invalidParamsError",
    ErrorCode.RATE_LIMITED: "rateLimited",
}
_STATUS = {
    ErrorCode.UNAUTHENTICATED: 401,
    ErrorCode.FORBIDDEN: 403,
    ErrorCode.PLAN_REQUIRED: 403,
    ErrorCode.BAD_USER_INPUT: 400,
    ErrorCode.RATE_LIMITED: 429,
}


def error_response(code: ErrorCode, message: str) -> JSONResponse:
    """Postman's error shape (`error.name`, `error.message`) plus our `error.code`."""
    return JSONResponse(
        {"error": {"name": _ERROR_NAMES[code], "message": message, "code": code.value}},
        status_code=_STATUS[code],
    )


def parse_instant(name: str, value: str | None, *, end_of_day: bool) -> datetime | None:
    """ISO 8601 instant with offset, or `YYYY-MM-DD` (a UTC day: its start, or for
    `until` its end). Either must be representable in UTC."""
    if value is None or value == "":
        return None
    if len(value) == 10 and value[4:5] == "-":
        day = inputs.parse_date(name, value)
        start = datetime.combine(day, time(), tzinfo=UTC)
        return start + timedelta(days=1, microseconds=-1) if end_of_day else start
    return inputs.parse_instant(name, value)


def parse_limit(value: str | None) -> int:
    """`limit`: 1 to 300 in ASCII digits, default 300."""
    if value is None:
        return MAX_LIMIT
    return inputs.parse_int("limit", value, minimum=1, maximum=MAX_LIMIT)


def parse_cursor(value: str | None) -> str | None:
    """`cursor`: a `nextCursor` from an earlier page, or none for the first page."""
    if not value:
        return None
    return inputs.check_text("cursor", value, max_length=MAX_CURSOR_LENGTH)


def parse_order(value: str | None) -> bool:
    """`order_by`: `desc` (newest first, the default) or `asc`; True when descending."""
    if value is None or value.lower() == "desc":
        return True
    if value.lower() == "asc":
        return False
    raise BadUserInput("`order_by` must be `asc` or `desc`.")


def _timestamp(at: datetime) -> str:
    return at.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def trail(row: Any, team: Any, active_actors: set[str]) -> dict[str, Any]:
    """One event as Postman's API shows it."""
    variables = row.data or {}
    return {
        "id": row.event_id,
        "ip": row.ip,
        "userAgent": row.user_agent,
        "action": ACTIONS[row.action].code,
        "timestamp": _timestamp(row.at),
        "message": row.message,
        "data": {
            "actor": {
                "id": row.actor_id,
                "name": row.actor_name,
                "username": row.actor_username,
                "email": row.actor_email,
                "active": row.actor_id in active_actors,
            },
            "user": variables.get("user"),
            "team": {"id": team.id, "name": team.name},
            "variables": variables,
        },
    }


async def audit_logs(request: Request) -> JSONResponse:
    """One page of the viewer's team's audit log, with the cursor of the next."""
    state: AppState = request.app.state.graphql_api
    admission = await admit(state.db, state.rate_limiter, request, state.key_cache)
    viewer, rate = admission.viewer, admission.rate
    if rate is None:
        return error_response(ErrorCode.UNAUTHENTICATED, UNAUTHENTICATED_MESSAGE)
    if not rate.allowed:
        response = error_response(ErrorCode.RATE_LIMITED, rate.message())
    else:
        try:
            response = await _page(state, request, viewer)
        except ApiError as exc:
            response = error_response(ErrorCode(exc.extensions["code"]), exc.message)
    response.headers.update(rate.headers())
    return response


async def _page(state: AppState, request: Request, viewer: Any) -> JSONResponse:
    require_audit_reader(viewer)
    params = request.query_params
    query = AuditQuery(
        since=parse_instant("since", params.get("since"), end_of_day=False),
        until=parse_instant("until", params.get("until"), end_of_day=True),
    )
    limit = parse_limit(params.get("limit"))
    sort = SORT_KEYS[("TIMESTAMP", parse_order(params.get("order_by")))]
    statement = audit_events_statement(viewer, query, utcnow())
    async with state.db() as session:
        page = await fetch_page(
            session,
            statement,
            sort,
            PageArgs(first=limit, after=parse_cursor(params.get("cursor"))),
            state.codec,
            default_size=MAX_LIMIT,
            max_size=MAX_LIMIT,
            flags=["has_next_page"],  # the feed shows no previous page
        )
        team = await directory.team_by_id(session, viewer.team_id)
        actors = {row.actor_id for row in page.rows}
        active = await directory.active_member_ids(session, viewer.team_id, actors)
    return JSONResponse(
        {
            "trails": [trail(row, team, active) for row in page.rows],
            "nextCursor": page.cursors[-1] if page.has_next_page else None,
        }
    )
