"""A hand-written asyncpg + orjson endpoint for W1, W2, W4 and W5: the floor under any framework.

    python bench/http/raw_endpoint.py --dsn postgresql://... --port 8002

A bare ASGI app served by uvicorn, one pooled asyncpg statement per request:

- `GET /audit/events?first=50&after=<cursor>`: the W1/W2 page, answered in
  the shape of the GraphQL peers' response (`data.auditEvents.nodes`, `pageInfo`).
- `GET /audit/logs?limit=300&until=<instant>&cursor=<cursor>`: graphql-api's
  REST feed (docs/rest-feed.md) with the same trail shape; the team's name and
  each actor's `active` flag come from the same statement (a join and an
  init-plan), as a careful endpoint would write it.
- `GET /reports/summary?from=<day>&to=<day>`: W4, the Summary with its daily
  series from the request builder, in graphql-api's response shape (the figures
  are checked equal to graphql-api's), from one statement over the daily tables.
- `GET /reports/team-apis?from=<day>&to=<day>`: W3, the first 100 Team APIs by
  p95 in graphql-api's shape (rows checked equal), from one statement: the plain
  aggregate of own_sql.py (graphql-api's per-API subqueries, no access masking)
  with the team's API count on every row, its text made once per range.

No authentication and no rate limit. Cursors are plain `timestamp|eventId`.
"""

from __future__ import annotations

import argparse
import functools
from datetime import UTC, date, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs

import asyncpg
import orjson
import uvicorn
from own_sql import literal_sql, plain_team_apis_statement
from peer_lifespan import run_lifespan
from sqlalchemy import func, select

from graphql_api.db.models import Element
from graphql_api.db.models.summary import BUCKET_COLUMNS
from graphql_api.domain.audit_actions import ACTIONS
from graphql_api.repositories.reports.figures import p95_from_buckets

TEAM = "bt"
RETENTION = timedelta(days=180)
CODES = {name: info.code for name, info in ACTIONS.items()}

EVENTS_SQL = """
SELECT event_id, at, action, message, actor_id, actor_name, actor_email
FROM audit_events
WHERE team_id = $1 AND at >= $2 AND ($4::timestamptz IS NULL OR (at, event_id) < ($4, $5))
ORDER BY at DESC, event_id DESC
LIMIT $3
"""
TRAILS_SQL = """
SELECT e.event_id, e.ip, e.user_agent, e.action, e.at, e.message, e.data,
       e.actor_id, e.actor_name, e.actor_username, e.actor_email,
       coalesce(m.status = 'ACTIVE', false) AS active,
       (SELECT name FROM teams WHERE id = $1) AS team_name
FROM audit_events AS e
LEFT JOIN memberships AS m ON m.team_id = e.team_id AND m.user_id = e.actor_id
WHERE e.team_id = $1 AND e.at >= $2 AND e.at <= $3
  AND ($5::timestamptz IS NULL OR (e.at, e.event_id) < ($5, $6))
ORDER BY e.at DESC, e.event_id DESC
LIMIT $4
"""
FAR_FUTURE = datetime(9999, 1, 1, tzinfo=UTC)
HISTOGRAM = ", ".join(f"sum({c})" for c in BUCKET_COLUMNS)
NULLS = ", ".join("NULL" for _ in BUCKET_COLUMNS)
# Rows: kind, day, then figures (requests, errors, time sum, size sum, buckets...).
SUMMARY_SQL = f"""
SELECT 'r', day, sum(requests), sum(CASE WHEN status_class >= 4 THEN requests ELSE 0 END),
       sum(response_time_ms_sum), sum(response_size_bytes_sum), {HISTOGRAM}
FROM daily_team_requests
WHERE team_id = $1 AND day BETWEEN $2 AND $3 AND source = 'REQUEST_BUILDER' GROUP BY day
UNION ALL
SELECT 'm', day, sum(runs), sum(successes), NULL, NULL, {NULLS}
FROM daily_monitor_runs WHERE team_id = $1 AND day BETWEEN $2 AND $3 GROUP BY day
UNION ALL
SELECT 't', NULL, coalesce(sum(runs), 0), coalesce(sum(failed_runs), 0), NULL, NULL, {NULLS}
FROM daily_test_runs
WHERE team_id = $1 AND day BETWEEN $2 AND $3 AND source = 'COLLECTION_RUN'
UNION ALL
SELECT 'c', NULL, count(DISTINCT e.id),
       count(DISTINCT CASE WHEN l.relation = 'TEST' THEN e.id END),
       count(DISTINCT CASE WHEN l.relation = 'MONITOR' THEN e.id END), NULL, {NULLS}
FROM elements AS e LEFT JOIN api_links AS l ON l.api_id = e.id
WHERE e.team_id = $1 AND e.kind = 'API'
"""


def _cursor(value: str | None) -> tuple[datetime | None, int | None]:
    if not value:
        return None, None
    at, event_id = value.rsplit("|", 1)
    return datetime.fromisoformat(at), int(event_id)


def _instant(value: str | None) -> datetime | None:
    if not value:
        return None
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def _millis(at: datetime) -> str:
    return at.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


async def events_page(pool: asyncpg.Pool, params: dict[str, list[str]]) -> dict[str, Any]:
    """The W1/W2 page in the GraphQL peers' response shape."""
    first = int(params.get("first", ["50"])[0])
    at, event_id = _cursor(params.get("after", [None])[0])
    oldest = datetime.now(UTC) - RETENTION
    rows = await pool.fetch(EVENTS_SQL, TEAM, oldest, first + 1, at, event_id)
    more = len(rows) > first
    rows = rows[:first]
    nodes = [
        {
            "eventId": r["event_id"],
            "timestamp": r["at"].isoformat(),
            "actionCode": CODES[r["action"]],
            "message": r["message"],
            "actor": {"id": r["actor_id"], "name": r["actor_name"], "email": r["actor_email"]},
        }
        for r in rows
    ]
    end = f"{rows[-1]['at'].isoformat()}|{rows[-1]['event_id']}" if rows else None
    return {
        "data": {
            "auditEvents": {"nodes": nodes, "pageInfo": {"endCursor": end, "hasNextPage": more}}
        }
    }


async def trails_page(pool: asyncpg.Pool, params: dict[str, list[str]]) -> dict[str, Any]:
    """One page of the REST feed, newest first."""
    limit = int(params.get("limit", ["300"])[0])
    until = _instant(params.get("until", [None])[0]) or FAR_FUTURE
    at, event_id = _cursor(params.get("cursor", [None])[0])
    oldest = datetime.now(UTC) - RETENTION
    rows = await pool.fetch(TRAILS_SQL, TEAM, oldest, until, limit + 1, at, event_id)
    more = len(rows) > limit
    rows = rows[:limit]
    trails = []
    for r in rows:
        variables = orjson.loads(r["data"]) if r["data"] else {}
        trails.append(
            {
                "id": r["event_id"],
                "ip": r["ip"],
                "userAgent": r["user_agent"],
                "action": CODES[r["action"]],
                "timestamp": _millis(r["at"]),
                "message": r["message"],
                "data": {
                    "actor": {
                        "id": r["actor_id"],
                        "name": r["actor_name"],
                        "username": r["actor_username"],
                        "email": r["actor_email"],
                        "active": r["active"],
                    },
                    "user": variables.get("user"),
                    "team": {"id": TEAM, "name": r["team_name"]},
                    "variables": variables,
                },
            }
        )
    cursor = f"{rows[-1]['at'].isoformat()}|{rows[-1]['event_id']}" if rows and more else None
    return {"trails": trails, "nextCursor": cursor}


def _figures(requests: int, errors: int, time_sum: int, buckets: list[int]) -> dict[str, Any]:
    return {
        "requestCount": requests,
        "errorRate": errors / requests if requests else None,
        "avgResponseTimeMs": time_sum / requests if requests else None,
        "p95ResponseTimeMs": p95_from_buckets(buckets),
    }


async def summary_report(pool: asyncpg.Pool, params: dict[str, list[str]]) -> dict[str, Any]:
    """W4: the Summary over `from`..`to` with a point per day, as graphql-api shapes it."""
    first = date.fromisoformat(params["from"][0])
    last = date.fromisoformat(params["to"][0])
    rows = await pool.fetch(SUMMARY_SQL, TEAM, first, last)
    days = {r[1]: r for r in rows if r[0] == "r"}
    runs = {r[1]: r for r in rows if r[0] == "m"}
    other = {r[0]: r for r in rows if r[0] in "tc"}
    totals = [0] * (4 + len(BUCKET_COLUMNS))
    series = []
    day = first
    while day <= last:
        r, m = days.get(day), runs.get(day)
        values = [int(v) for v in r[2:]] if r else [0] * len(totals)
        totals = [a + b for a, b in zip(totals, values, strict=True)]
        point = {"date": day.isoformat(), **_figures(*values[:3], values[4:])}
        point["uptime"] = 100.0 * m[3] / m[2] if m and m[2] else None
        series.append(point)
        day += timedelta(days=1)
    runs_total = sum(int(m[2]) for m in runs.values())
    successes = sum(int(m[3]) for m in runs.values())
    requests = totals[0]
    summary = {
        **_figures(*totals[:3], totals[4:]),
        "avgResponseSizeBytes": totals[3] / requests if requests else None,
        "uptime": 100.0 * successes / runs_total if runs_total else None,
        "apiCount": int(other["c"][2]),
        "apisWithTests": int(other["c"][3]),
        "apisWithMonitor": int(other["c"][4]),  # a numeric column of the union
        "testRuns": int(other["t"][2]),
        "failedTestRuns": int(other["t"][3]),
        "series": series,
    }
    return {"data": {"team": {"reports": {"summary": summary}}}}


@functools.lru_cache(maxsize=64)
def team_apis_sql(first: date, last: date) -> str:
    """W3's statement over `first`..`last` (a careful endpoint would write it by hand)."""
    count = (
        select(func.count())
        .where(Element.team_id == TEAM, Element.kind == "API")
        .scalar_subquery()
        .label("total")
    )
    return literal_sql(plain_team_apis_statement(TEAM, first, last).add_columns(count))


async def team_apis(pool: asyncpg.Pool, params: dict[str, list[str]]) -> dict[str, Any]:
    """W3: the first 100 Team APIs by p95 over `from`..`to`, as graphql-api shapes them."""
    first = date.fromisoformat(params["from"][0])
    last = date.fromisoformat(params["to"][0])
    rows = await pool.fetch(team_apis_sql(first, last))
    page = rows[:100]
    nodes = [
        {
            "name": r["name"],
            "requestCount": r["request_count"],
            "errorRate": r["error_rate"],
            "avgResponseTimeMs": r["avg_response_time_ms"],
            "p95ResponseTimeMs": r["p95_response_time_ms"],
            "uptime": r["uptime"],
        }
        for r in page
    ]
    connection = {
        "totalCount": rows[0]["total"] if rows else 0,
        "nodes": nodes,
        "pageInfo": {"endCursor": page[-1]["id"] if page else None, "hasNextPage": len(rows) > 100},
    }
    return {"data": {"team": {"reports": {"teamApis": connection}}}}


ROUTES = {
    "/audit/events": events_page,
    "/audit/logs": trails_page,
    "/reports/summary": summary_report,
    "/reports/team-apis": team_apis,
}


def make_app(dsn: str) -> Any:
    """The bare ASGI app."""
    state: dict[str, asyncpg.Pool] = {}

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            await run_lifespan(receive, send, state, dsn)
            return
        handler = ROUTES.get(scope["path"])
        if handler is None:
            status, body = 404, b'{"error":"not found"}'
        else:
            params = parse_qs(scope["query_string"].decode())
            status, body = 200, orjson.dumps(await handler(state["pool"], params))
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [(b"content-type", b"application/json")],
            }
        )
        await send({"type": "http.response.body", "body": body})

    return app


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
