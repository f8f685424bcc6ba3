"""The thinnest strawberry app serving W1/W2: the ceiling of graphql-api's own stack.

    python bench/http/thin_strawberry.py --dsn postgresql://... --port 8001

One asyncpg query per request (a pool, prepared statements), the page's rows
turned into plain dataclasses before execution so every field resolves
synchronously by attribute, the schema with its parser and validation caches
built once, the response serialised with orjson, served by uvicorn. No
authentication, no rate limit, no request log: the peer shows what strawberry
itself costs for the query, not what a product around it costs. Cursors are
plain `timestamp|eventId` strings (graphql-api encrypts its cursors).
"""

from __future__ import annotations

import argparse
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg
import orjson
import strawberry
import uvicorn
from peer_lifespan import run_lifespan
from strawberry.extensions import ParserCache, ValidationCache
from strawberry.types import Info

from graphql_api.domain.audit_actions import ACTIONS

TEAM = "bt"
RETENTION = timedelta(days=180)  # ENTERPRISE keeps 180 days; graphql-api bounds the same way
CODES = {name: info.code for name, info in ACTIONS.items()}

PAGE_SQL = """
SELECT event_id, at, action, message, actor_id, actor_name, actor_email
FROM audit_events
WHERE team_id = $1 AND at >= $2 {after}
ORDER BY at DESC, event_id DESC
LIMIT $3
"""
FIRST_PAGE = PAGE_SQL.format(after="")
NEXT_PAGE = PAGE_SQL.format(after="AND (at, event_id) < ($4, $5)")


@strawberry.type
class Actor:
    """The actor as recorded on the event."""

    id: strawberry.ID
    name: str
    email: str


@strawberry.type
class AuditEvent:
    """One audit event, prebuilt from its row."""

    event_id: int
    timestamp: str
    action_code: str
    message: str
    actor: Actor


@strawberry.type
class PageInfo:
    """Relay's page flags, only what the workloads ask for."""

    end_cursor: str | None
    has_next_page: bool


@strawberry.type
class AuditEventConnection:
    """A page of audit events."""

    nodes: list[AuditEvent]
    page_info: PageInfo


def encode_cursor(at: datetime, event_id: int) -> str:
    """A plain keyset cursor: the row's timestamp and eventId."""
    return f"{at.isoformat()}|{event_id}"


def decode_cursor(cursor: str) -> tuple[datetime, int]:
    """The keyset position of a cursor made by `encode_cursor`."""
    at, event_id = cursor.rsplit("|", 1)
    return datetime.fromisoformat(at), int(event_id)


@strawberry.type
class Query:
    """The one field the benchmark asks this peer for."""

    @strawberry.field
    async def audit_events(
        self, info: Info, first: int = 50, after: str | None = None
    ) -> AuditEventConnection:
        """Newest first, keyset-paged; one statement."""
        pool: asyncpg.Pool = info.context
        oldest = datetime.now(UTC) - RETENTION
        if after is None:
            rows = await pool.fetch(FIRST_PAGE, TEAM, oldest, first + 1)
        else:
            rows = await pool.fetch(NEXT_PAGE, TEAM, oldest, first + 1, *decode_cursor(after))
        more = len(rows) > first
        rows = rows[:first]
        nodes = [
            AuditEvent(
                event_id=r["event_id"],
                timestamp=r["at"].isoformat(),
                action_code=CODES[r["action"]],
                message=r["message"],
                actor=Actor(id=r["actor_id"], name=r["actor_name"], email=r["actor_email"]),
            )
            for r in rows
        ]
        end = encode_cursor(rows[-1]["at"], rows[-1]["event_id"]) if rows else None
        return AuditEventConnection(
            nodes=nodes, page_info=PageInfo(end_cursor=end, has_next_page=more)
        )


SCHEMA = strawberry.Schema(
    query=Query, extensions=[ParserCache(maxsize=256), ValidationCache(maxsize=256)]
)


def make_app(dsn: str) -> Any:
    """A bare ASGI app: POST /graphql with a JSON body, anything else 404."""
    state: dict[str, asyncpg.Pool] = {}

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            await run_lifespan(receive, send, state, dsn)
            return
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        if scope["path"] != "/graphql":
            await _send(send, 404, b'{"error":"not found"}')
            return
        request = orjson.loads(body)
        result = await SCHEMA.execute(
            request["query"],
            variable_values=request.get("variables"),
            context_value=state["pool"],
        )
        payload: dict[str, Any] = {"data": result.data}
        if result.errors:
            payload["errors"] = [{"message": e.message} for e in result.errors]
        await _send(send, 200, orjson.dumps(payload))

    return app


async def _send(send: Any, status: int, body: bytes) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"application/json")],
        }
    )
    await send({"type": "http.response.body", "body": body})


def main() -> None:
    """Serve on 127.0.0.1:--port until killed."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dsn", required=True)
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    uvicorn.run(
        make_app(args.dsn), host="127.0.0.1", port=args.port, log_level="warning", access_log=False
    )


if __name__ == "__main__":
    main()
