"""API security (docs/concepts.md#reports): findings and token alerts, restricted APIs counted."""

from __future__ import annotations

import json

from graphql_api.db.base import utcnow
from graphql_api.refresh.service import refresh
from graphql_api.schema.relay import to_global_id
from tests import factories as f

QUERY = """{ team { reports { apiSecurity(range: {preset: LAST_7_DAYS}) {
  openFindings foundInRange resolvedInRange openBySeverity { severity count }
  byRule { rule open found resolved } trend { found resolved open }
  tokenAlerts { open found resolved openByType { tokenType open } }
  apisByOpenFindings { totalCount nodes { restricted name openFindings critical api { id } } }
} } } }"""


def _finding(
    n: int,
    api_id: str,
    severity: str,
    *,
    days_ago: float = 1,
    resolved: bool = False,
    rule: str = "Weak TLS",
) -> dict:
    record = {
        "type": "security_finding",
        "id": f"sf{n}",
        "team": "acme",
        "at": f.ago(days=days_ago),
        "element": api_id,
        "rule": rule,
        "severity": severity,
    }
    if resolved:
        record["resolved_at"] = f.ago(hours=1)
    return record


async def _report(api, key) -> dict:
    body = await api.graphql(QUERY, key)
    assert "errors" not in body, body
    return body["data"]["team"]["reports"]["apiSecurity"]


async def test_findings_are_counted_open_found_and_resolved(api, world, db):
    await f.ingest(
        db,
        _finding(1, "api-team", "CRITICAL"),
        _finding(2, "api-team", "HIGH"),
        _finding(3, "api-secret", "LOW", rule="Missing auth"),
        _finding(4, "api-team", "LOW", days_ago=30),
    )
    await refresh(db, utcnow())
    # Resolved later, by a new version of the line: the refresh must see it.
    await f.ingest(db, _finding(2, "api-team", "HIGH", resolved=True))
    await refresh(db, utcnow())
    report = await _report(api, world.admin_key)
    assert report["openFindings"] == 3
    assert report["foundInRange"] == 3 and report["resolvedInRange"] == 1
    severities = {s["severity"]: s["count"] for s in report["openBySeverity"]}
    assert severities == {"LOW": 2, "MEDIUM": 0, "HIGH": 0, "CRITICAL": 1}
    assert {r["rule"]: r["open"] for r in report["byRule"]} == {"Missing auth": 1, "Weak TLS": 2}
    assert report["trend"][-1]["open"] == 3
    assert sum(p["found"] for p in report["trend"]) == 3


async def test_resolving_twice_counts_once(api, world, db):
    await f.ingest(db, _finding(1, "api-team", "HIGH", resolved=True))
    await f.ingest(db, _finding(1, "api-team", "HIGH", resolved=True))
    await refresh(db, utcnow())
    report = await _report(api, world.admin_key)
    assert report["resolvedInRange"] == 1 and report["openFindings"] == 0


async def test_the_ranking_masks_apis_the_viewer_cannot_access(api, world, db):
    await f.ingest(
        db,
        _finding(1, "api-team", "CRITICAL"),
        _finding(2, "api-secret", "LOW"),
        _finding(3, "api-secret", "LOW"),
    )
    await refresh(db, utcnow())
    report = await _report(api, world.dev_key)
    assert report["openFindings"] == 3
    ranking = report["apisByOpenFindings"]
    assert ranking["totalCount"] == 2
    assert ranking["nodes"] == [
        {
            "restricted": False,
            "name": "Api-Team",
            "openFindings": 1,
            "critical": 1,
            "api": {"id": to_global_id("Api", "api-team")},
        },
        {"restricted": True, "name": None, "openFindings": None, "critical": None, "api": None},
    ]
    assert "api-secret" not in json.dumps(report)


async def test_token_alerts_are_counted_by_type(api, world, db):
    alert = {
        "type": "token_alert",
        "id": "ta1",
        "team": "acme",
        "at": f.ago(days=1),
        "workspace": "ws-team",
        "token_type": "GitHub Token",
    }
    await f.ingest(db, alert, {**alert, "id": "ta2", "token_type": "AWS Key"})
    await f.ingest(db, {**alert, "resolved_at": f.ago(hours=2)})
    await refresh(db, utcnow())
    alerts = (await _report(api, world.admin_key))["tokenAlerts"]
    assert alerts == {
        "open": 1,
        "found": 2,
        "resolved": 1,
        "openByType": [
            {"tokenType": "AWS Key", "open": 1},
            {"tokenType": "GitHub Token", "open": 0},
        ],
    }
