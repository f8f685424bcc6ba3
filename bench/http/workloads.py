"""The HTTP benchmark's workloads: one logical request, written for each server that serves it.

W1  a page of 50 among the newest audit events, with their actors (id, name, email)
W2  the same page 20,000 rows deep (a keyset cursor from a previous page)
W3  a Team APIs page of 100 ordered by p95 (graphql-api, and the raw endpoint)
W4  Summary over 90 days with a daily series (graphql-api only)
W5  GET /audit/logs?limit=300 (graphql-api's REST feed, and the raw endpoint)
W6  a dashboard's first screen in one request: Summary with its series, the
    first 20 Team APIs, lastUpdatedAt (graphql-api only)

Inputs vary from request to request: W1 and W2 cycle through cursors at
different depths (W1's first is no cursor: the newest page), W3, W4 and W6
through 90-day windows ending on different days, W5 through `until` instants of
different events. graphql-api keeps compiled report answers in memory until
their data changes (issue 11), so after its first sight of each window W3, W4
and W6 are answered from memory; the bench prints the hit rate, and runs two
more graphql-api processes so each layer shows: one with that report cache off
(`report cache off`: compiled plans reading the database) and one with compiled
operations off (`compiled off`: strawberry's executor).
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any
from urllib.parse import quote

from loadgen import Request

GRAPHQL_API, POSTGRAPHILE, THIN, RAW = "graphql-api", "postgraphile", "thin strawberry", "raw"
COMPILED_OFF, CACHE_OFF = "compiled off", "report cache off"
# graphql-api run again with a setting changed: the same requests, other paths inside.
VARIANTS = {
    COMPILED_OFF: {"GRAPHQL_API_COMPILED_OPERATIONS": "0"},
    CACHE_OFF: {"GRAPHQL_API_REPORT_CACHE_SECONDS": "0"},
}
GRAPHQL_APIS = (GRAPHQL_API, *VARIANTS)
SERVERS = (GRAPHQL_API, CACHE_OFF, COMPILED_OFF, POSTGRAPHILE, THIN, RAW)
WORKLOADS = {
    "W1": "50 newest audit events with actors",
    "W2": "the same page 20,000 rows deep",
    "W3": "Team APIs page of 100 by p95",
    "W4": "Summary, 90 days, daily series",
    "W5": "GET /audit/logs?limit=300",
    "W6": "dashboard first screen",
}
SERVED_BY = {
    "W1": (GRAPHQL_API, COMPILED_OFF, POSTGRAPHILE, THIN, RAW),
    "W2": (GRAPHQL_API, POSTGRAPHILE, THIN, RAW),
    "W3": (GRAPHQL_API, CACHE_OFF, COMPILED_OFF, RAW),
    "W4": (GRAPHQL_API, CACHE_OFF, COMPILED_OFF, RAW),
    "W5": (GRAPHQL_API, RAW),
    "W6": (GRAPHQL_API, CACHE_OFF, COMPILED_OFF),
}
DEEP = 20_000
# Cursor depths: W1 pages start within the newest ~220 events, W2 pages 20,000 deeper.
SHALLOW_DEPTHS = [7 * k for k in range(32)]
DEEP_DEPTHS = [DEEP + d for d in SHALLOW_DEPTHS]
WINDOW_ENDS = 8  # W3/W4/W6: 90-day windows ending today, yesterday, ... 7 days ago

AUDIT_GQL = (
    "query($first: Int!, $after: String) { team { auditEvents(first: $first, after: $after) {"
    " nodes { eventId timestamp actionCode message actor { id name email } }"
    " pageInfo { endCursor hasNextPage } } } }"
)
AUDIT_THIN = (
    "query($first: Int!, $after: String) { auditEvents(first: $first, after: $after) {"
    " nodes { eventId timestamp actionCode message actor { id name email } }"
    " pageInfo { endCursor hasNextPage } } }"
)
# PostGraphile reads the same columns (the actor as recorded on the event); it has no
# computed action code, so it returns the stored action name.
AUDIT_PGL = (
    "query($first: Int!, $after: Cursor) { allAuditEvents(first: $first, after: $after,"
    ' orderBy: [AT_DESC, EVENT_ID_DESC], condition: {teamId: "bt"}) {'
    " nodes { eventId at action message actorId actorName actorEmail }"
    " pageInfo { endCursor hasNextPage } } }"
)
TEAM_APIS_GQL = (
    "query($first: Int!, $from: Date!, $to: Date!) { team { reports {"
    " teamApis(first: $first, range: {from: $from, to: $to},"
    " orderBy: {field: P95_RESPONSE_TIME}) { totalCount"
    " nodes { name requestCount errorRate avgResponseTimeMs p95ResponseTimeMs uptime }"
    " pageInfo { endCursor hasNextPage } } } } }"
)
SUMMARY_FIELDS = (
    "requestCount errorRate avgResponseTimeMs p95ResponseTimeMs avgResponseSizeBytes uptime"
    " apiCount apisWithTests apisWithMonitor testRuns failedTestRuns"
    " series { date requestCount errorRate avgResponseTimeMs p95ResponseTimeMs uptime }"
)
SUMMARY_GQL = (
    "query($from: Date!, $to: Date!) { team { reports {"
    " summary(range: {from: $from, to: $to}, granularity: DAY) { " + SUMMARY_FIELDS + " } } } }"
)
DASHBOARD_GQL = (
    "query($first: Int!, $from: Date!, $to: Date!) { team { reports { lastUpdatedAt"
    " summary(range: {from: $from, to: $to}, granularity: DAY) { " + SUMMARY_FIELDS + " }"
    " teamApis(first: $first, range: {from: $from, to: $to}) { totalCount"
    " nodes { name requestCount errorRate p95ResponseTimeMs uptime } } } } }"
)
DRILL_GQL = (
    "query($from: Date!, $to: Date!) { team { reports {"
    " summary(range: {from: $from, to: $to}, granularity: DAY) {"
    " series { date teamApis(first: 5) { nodes { name } } } } } } }"
)


def graphql(path: str, query: str, variables: dict[str, Any], key: str | None = None) -> Request:
    """A POST of a GraphQL document with its variables (and graphql-api's key header)."""
    headers = {"Content-Type": "application/json"}
    if key is not None:
        headers["X-Api-Key"] = key
    body = json.dumps({"query": query, "variables": variables}, separators=(",", ":"))
    return Request("POST", path, headers, body.encode())


def audit_page(server: str, first: int, after: str | None, key: str) -> Request:
    """W1/W2 on `server`: `first` events after `after` (None: the newest)."""
    variables = {"first": first, "after": after}
    if server == GRAPHQL_API:
        return graphql("/graphql", AUDIT_GQL, variables, key)
    if server == THIN:
        return graphql("/graphql", AUDIT_THIN, variables)
    if server == POSTGRAPHILE:
        return graphql("/graphql", AUDIT_PGL, variables)
    query = f"/audit/events?first={first}" + (f"&after={_quote(after)}" if after else "")
    return Request("GET", query)


def audit_connection(server: str, body: dict[str, Any]) -> dict[str, Any]:
    """The audit-event connection inside `server`'s response body."""
    data = body["data"]
    if server == GRAPHQL_API:
        return data["team"]["auditEvents"]
    if server == POSTGRAPHILE:
        return data["allAuditEvents"]
    return data["auditEvents"]


def trails(server: str, limit: int, until: str | None, key: str) -> Request:
    """W5 on `server`: a page of the REST feed."""
    path = f"/audit/logs?limit={limit}" + (f"&until={_quote(until)}" if until else "")
    return Request("GET", path, {"X-Api-Key": key} if server == GRAPHQL_API else {})


def window(end_days_ago: int, days: int, today: date) -> dict[str, str]:
    """A range of `days` whole UTC days ending `end_days_ago` days before `today`."""
    end = today - timedelta(days=end_days_ago)
    return {"from": (end - timedelta(days=days - 1)).isoformat(), "to": end.isoformat()}


def team_apis(first: int, rng: dict[str, str], key: str) -> Request:
    """W3: a Team APIs page by p95 over `rng`."""
    return graphql("/graphql", TEAM_APIS_GQL, {"first": first, **rng}, key)


def raw_team_apis(rng: dict[str, str]) -> Request:
    """W3 on the raw endpoint (its first 100 rows)."""
    return Request("GET", f"/reports/team-apis?from={rng['from']}&to={rng['to']}")


def summary(rng: dict[str, str], key: str) -> Request:
    """W4: Summary with its daily series over `rng`."""
    return graphql("/graphql", SUMMARY_GQL, rng, key)


def raw_summary(rng: dict[str, str]) -> Request:
    """W4 on the raw endpoint."""
    return Request("GET", f"/reports/summary?from={rng['from']}&to={rng['to']}")


def dashboard(first: int, rng: dict[str, str], key: str) -> Request:
    """W6: the dashboard's first screen over `rng`."""
    return graphql("/graphql", DASHBOARD_GQL, {"first": first, **rng}, key)


def drill_down(rng: dict[str, str], key: str) -> Request:
    """The drill-down: each series point's first 5 Team APIs."""
    return graphql("/graphql", DRILL_GQL, rng, key)


def _quote(value: str) -> str:
    return quote(value, safe="")
