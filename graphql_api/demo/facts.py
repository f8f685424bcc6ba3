"""The demo's facts, day by day: requests, runs, content, security, public stats, usage."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from itertools import count
from typing import Any

from graphql_api.demo.billing import billing
from graphql_api.demo.team import DAYS, DemoTeam, iso

# Most requests come from the request builder; the rest from runners and monitors.
SOURCES = ["REQUEST_BUILDER"] * 6 + ["NEWMAN", "COLLECTION_RUN", "COLLECTION_RUN", "MONITOR"]
STATUSES = [200, 201, 204, 301, 400, 401, 404, 429, 500, 503]
STATUS_WEIGHTS = [60, 8, 4, 2, 6, 3, 6, 2, 3, 1]
FINDING_RULES = [
    "Missing authentication",
    "Weak TLS",
    "Sensitive data in URL",
    "No rate limiting",
    "Broken object level authorization",
]
TOKEN_TYPES = ["GitHub Token", "AWS Access Key", "Postman API Key", "Stripe Secret Key"]
# Each metered resource's typical daily quantity.
USAGE_BASES = (("MONITOR_REQUESTS", 900), ("MOCK_REQUESTS", 400), ("POSTMAN_API_CALLS", 600))


def facts(team: DemoTeam) -> Iterator[dict[str, Any]]:
    """Every day's facts of the team, in day order, then its billing."""
    request_ids = count(1)
    for day in range(DAYS):
        yield from _requests(team, day, request_ids)
        yield from _test_runs(team, day)
        yield from _monitor_runs(team, day)
        yield from _content_events(team, day)
        yield from _security_finding(team, day)
        yield from _token_alert(team, day)
        yield from _public_stats(team, day)
        yield from _usage(team, day)
    yield from billing(team)


def _requests(team: DemoTeam, day: int, ids: Iterator[int]) -> Iterator[dict[str, Any]]:
    """The day's requests: fewer at weekends, numbered on from the day before."""
    spec, t, rng = team.spec, team.t, team.rng
    collections, apis = team.elements["COLLECTION"], team.elements["API"]
    weekday = (team.start + timedelta(days=day)).weekday()
    volume = int(spec.requests_per_day * (0.35 if weekday >= 5 else 1.0) * rng.uniform(0.8, 1.2))
    for _ in range(volume):
        n = next(ids)
        col = rng.choice(collections)
        api = col.replace("-col-", "-api-").removesuffix("-tests")
        status = rng.choices(STATUSES, STATUS_WEIGHTS)[0]
        yield {
            "type": "request",
            "id": f"{t}-req-{n}",
            "team": t,
            "at": iso(team.at(day)),
            "user": rng.choice(team.active),
            "source": rng.choice(SOURCES),
            "collection": col,
            "api": api if api in apis else None,
            "method": rng.choice(["GET", "GET", "GET", "POST", "PUT", "DELETE"]),
            "status": status,
            "response_time_ms": int(rng.lognormvariate(5, 0.6)),
            "response_size_bytes": int(rng.lognormvariate(7.5, 1.0)),
        }


def _test_runs(team: DemoTeam, day: int) -> Iterator[dict[str, Any]]:
    t, rng = team.t, team.rng
    for col in team.elements["COLLECTION"]:
        if col.endswith("-tests") and rng.random() < 0.6:
            failed = rng.choices([0, 0, 0, 1, 2, 5], k=1)[0]
            yield {
                "type": "test_run",
                "id": f"{t}-tr-{col}-{day}",
                "team": t,
                "at": iso(team.at(day)),
                "source": rng.choice(["COLLECTION_RUN", "NEWMAN", "MONITOR"]),
                "collection": col,
                "passed": rng.randint(5, 40),
                "failed": failed,
            }


def _monitor_runs(team: DemoTeam, day: int) -> Iterator[dict[str, Any]]:
    """Every monitor runs every three hours, at seven past."""
    t, rng = team.t, team.rng
    for monitor in team.elements["MONITOR"]:
        for hour in range(0, 24, 3):
            moment = team.start + timedelta(days=day, hours=hour, minutes=7)
            yield {
                "type": "monitor_run",
                "id": f"{t}-mr-{monitor}-{day}-{hour}",
                "team": t,
                "at": iso(moment),
                "monitor": monitor,
                "success": rng.random() > 0.03,
                "response_time_ms": int(rng.lognormvariate(5.3, 0.4)),
            }


def _content_events(team: DemoTeam, day: int) -> Iterator[dict[str, Any]]:
    t, rng = team.t, team.rng
    for k in range(rng.randint(2, 8)):
        kind = rng.choice(["API", "COLLECTION", "COLLECTION", "ENVIRONMENT"])
        yield {
            "type": "content_event",
            "id": f"{t}-ce-{day}-{k}",
            "team": t,
            "at": iso(team.at(day)),
            "user": rng.choice(team.active),
            "element": rng.choice(team.elements[kind]),
            "action": rng.choices(
                ["CREATED", "UPDATED", "DELETED", "FORKED", "MERGED", "COMMENTED"],
                [2, 10, 1, 2, 1, 3],
            )[0],
        }


def _security_finding(team: DemoTeam, day: int) -> Iterator[dict[str, Any]]:
    """Every other day or so a finding, most of them resolved within the 90 days."""
    t, rng = team.t, team.rng
    if rng.random() < 0.5:
        found = team.at(day)
        resolved = found + timedelta(days=rng.randint(1, 20))
        finding = {
            "type": "security_finding",
            "id": f"{t}-sf-{day}",
            "team": t,
            "at": iso(found),
            "element": rng.choice(team.elements["API"]),
            "rule": rng.choice(FINDING_RULES),
            "severity": rng.choice(["LOW", "MEDIUM", "MEDIUM", "HIGH", "CRITICAL"]),
        }
        if day + (resolved - found).days < DAYS and rng.random() < 0.6:
            finding["resolved_at"] = iso(resolved)
        yield finding


def _token_alert(team: DemoTeam, day: int) -> Iterator[dict[str, Any]]:
    t, rng = team.t, team.rng
    if rng.random() < 0.12:
        yield {
            "type": "token_alert",
            "id": f"{t}-ta-{day}",
            "team": t,
            "at": iso(team.at(day)),
            "workspace": rng.choice(team.workspaces)[0],
            "token_type": rng.choice(TOKEN_TYPES),
        }


def _public_stats(team: DemoTeam, day: int) -> Iterator[dict[str, Any]]:
    t, rng = team.t, team.rng
    for wid, visibility in team.workspaces:
        if visibility == "PUBLIC":
            yield {
                "type": "public_stat",
                "id": f"{t}-ps-{wid}-{day}",
                "team": t,
                "at": iso(team.start + timedelta(days=day, hours=23)),
                "workspace": wid,
                "views": rng.randint(20, 400),
                "watches": rng.randint(0, 6),
                "forks": rng.randint(0, 3),
            }


def _usage(team: DemoTeam, day: int) -> Iterator[dict[str, Any]]:
    t, rng = team.t, team.rng
    for resource, base in USAGE_BASES:
        yield {
            "type": "usage",
            "id": f"{t}-us-{resource}-{day}",
            "team": t,
            "at": iso(team.start + timedelta(days=day, hours=23, minutes=30)),
            "resource": resource,
            "quantity": int(base * rng.uniform(0.5, 1.6)),
        }
