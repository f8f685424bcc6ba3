"""Series drill-downs are batched: their statements do not grow with the number of points."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from graphql_api.db.base import utcnow
from graphql_api.refresh.service import refresh
from tests import factories as f

DAY = timedelta(days=1)

DRILL_DOWNS = {
    "team APIs": """query($from: Date!, $to: Date!) { team { reports {
        summary(range: {from: $from, to: $to}, granularity: DAY) { series { date
          teamApis(first: 5) { totalCount restrictedCount pageInfo { hasNextPage endCursor }
            nodes { name requestCount } } } } } } }""",
    "content elements": """query($from: Date!, $to: Date!) { team { reports {
        contentActivity(range: {from: $from, to: $to}, granularity: DAY) { series { date kind
          elements(first: 5) { totalCount nodes { name events } } } } } } }""",
    "findings": """query($from: Date!, $to: Date!) { team { reports {
        apiSecurity(range: {from: $from, to: $to}, granularity: DAY) { trend { date
          apis(first: 5) { totalCount nodes { name openFindings } } } } } } }""",
    "active members": """query($from: Date!, $to: Date!) { team { reports {
        members(range: {from: $from, to: $to}, granularity: DAY) { activeMembersSeries { date
          members(first: 5) { totalCount nodes { name requestCount } } } } } } }""",
}


def _at(days_ago: int) -> str:
    today = datetime.now(UTC).replace(hour=12, minute=0, second=0, microsecond=0)
    return (today - days_ago * DAY).isoformat()


async def _some_activity(db) -> None:
    facts = []
    for n, days_ago in enumerate((1, 5, 20, 60)):
        facts += [
            {
                **f.request(id=f"r{n}", team="acme", user="ada"),
                "api": "api-team",
                "at": _at(days_ago),
            },
            {
                **f.request(id=f"s{n}", team="acme", user="dev"),
                "api": "api-secret",
                "at": _at(days_ago),
            },
            {
                "type": "content_event",
                "id": f"ce{n}",
                "team": "acme",
                "at": _at(days_ago),
                "user": "ada",
                "element": "api-team",
                "action": "UPDATED",
            },
            {
                "type": "security_finding",
                "id": f"sf{n}",
                "team": "acme",
                "at": _at(days_ago),
                "element": "api-team",
                "rule": "Weak TLS",
                "severity": "HIGH",
            },
        ]
    await f.ingest(db, *facts)
    await refresh(db, utcnow())


async def _statements_over(api, statements, query: str, key: str, days: int) -> int:
    today = datetime.now(UTC).date()
    variables = {"from": (today - (days - 1) * DAY).isoformat(), "to": today.isoformat()}
    before = statements.count
    body = await api.graphql(query, key, variables)
    assert "errors" not in body, body
    return statements.count - before


@pytest.mark.parametrize("drill_down", list(DRILL_DOWNS))
async def test_a_daily_drill_down_costs_the_same_statements_over_7_and_90_days(
    api, world, db, statements, drill_down
):
    await _some_activity(db)
    await api.use_key(world.admin_key)
    query = DRILL_DOWNS[drill_down]
    counts = {
        n: await _statements_over(api, statements, query, world.admin_key, n) for n in (7, 30, 90)
    }
    print(f"{drill_down}: statements per request by days {counts}")
    assert counts[7] == counts[30] == counts[90]
    assert counts[90] <= 12
