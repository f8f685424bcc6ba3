"""A realistic, deterministic demo dataset, produced as ingest records.

Three teams on different plans; members with every role, groups, invites and
removals; workspaces of every visibility; APIs, collections, environments,
mock servers and monitors with grants to users and groups; 90 days of
requests from every source, test and monitor runs, content events, security
findings, token alerts, public stats, billing facts, and thousands of audit
events covering every action. The same day always gives the same data.

The records are made by `directory`, `workspaces`, `facts`, `billing` and
`audit` beside this module, each team drawing from its own random source.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from graphql_api.demo.audit import audit
from graphql_api.demo.directory import directory
from graphql_api.demo.facts import facts
from graphql_api.demo.team import DAYS, DEMO_ADMIN, DEMO_DEVELOPER, TEAMS, DemoTeam

__all__ = ["DAYS", "DEMO_ADMIN", "DEMO_DEVELOPER", "TEAMS", "demo_records", "demo_start"]


def demo_start(today: date) -> datetime:
    """The first instant of the demo's 90 days, which end at the start of `today` (UTC)."""
    return datetime.combine(today, time(0), tzinfo=UTC) - timedelta(days=DAYS)


def demo_records(today: date | None = None) -> Iterator[dict[str, Any]]:
    """Every demo record: all entities first, then facts, then audit events."""
    start = demo_start(today or datetime.now(UTC).date())
    teams = [DemoTeam(spec, start, random.Random(f"{spec.id}-demo")) for spec in TEAMS]
    for team in teams:
        yield from directory(team)
    for team in teams:
        yield from facts(team)
        yield from audit(team)
