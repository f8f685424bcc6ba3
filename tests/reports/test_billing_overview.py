"""Billing overview (docs/concepts.md#reports): spend and usage against allowances."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from graphql_api.db.base import utcnow
from graphql_api.refresh.service import refresh
from tests import factories as f
from tests.conftest import serving_api

QUERY = """{ team { reports { billingOverview(range: {preset: LAST_7_DAYS}) {
  plan seatsTotal seatsUsed spend { month currency amountCents }
  usage { resource used allowance overage } } } } }"""


def _invoice(n: int, status: str, cents: int) -> dict:
    month = date.today().replace(day=1)
    return {
        "type": "invoice",
        "id": f"inv{n}",
        "team": "acme",
        "at": f.ago(hours=1),
        "number": f"N{n}",
        "period_start": month.isoformat(),
        "period_end": month.replace(day=28).isoformat(),
        "amount_cents": cents,
        "currency": "USD",
        "status": status,
    }


async def _world(db) -> None:
    await f.ingest(
        db,
        f.user(id="bill"),
        f.membership(team="acme", user="bill", roles=["BILLING"]),
        {"type": "seat_change", "id": "s1", "team": "acme", "at": f.ago(days=2), "seats": 25},
        _invoice(1, "PAID", 5000),
        _invoice(2, "OPEN", 700),
        _invoice(3, "VOID", 999),
        _invoice(4, "DRAFT", 111),
        {
            "type": "usage",
            "id": "u1",
            "team": "acme",
            "at": f.ago(hours=1),
            "resource": "MONITOR_REQUESTS",
            "quantity": 60_000,
        },
        {
            "type": "usage",
            "id": "u2",
            "team": "acme",
            "at": f.ago(hours=2),
            "resource": "MOCK_REQUESTS",
            "quantity": 10,
        },
    )
    await refresh(db, utcnow())


async def test_spend_and_usage_against_the_plans_allowance(api, world, db):
    await _world(db)
    key = await f.api_key_for(db, team="acme", email="bill@example.com")
    body = await api.graphql(QUERY, key)
    report = body["data"]["team"]["reports"]["billingOverview"]
    assert report["plan"] == "ENTERPRISE"
    assert report["seatsTotal"] == 25 and report["seatsUsed"] == 3
    assert [(s["currency"], s["amountCents"]) for s in report["spend"]] == [("USD", 5700)]
    usage = {u["resource"]: u for u in report["usage"]}
    assert usage["MONITOR_REQUESTS"] == {
        "resource": "MONITOR_REQUESTS",
        "used": 60_000,
        "allowance": 50_000,
        "overage": 10_000,
    }
    assert usage["MOCK_REQUESTS"]["overage"] == 0


async def test_allowances_come_from_configuration(settings, world, db):
    await _world(db)
    configured = replace(settings, plan_allowances='{"ENTERPRISE": {"MONITOR_REQUESTS": 70000}}')
    async with serving_api(configured) as api:
        body = await api.graphql(QUERY, world.admin_key)
    usage = {u["resource"]: u for u in body["data"]["team"]["reports"]["billingOverview"]["usage"]}
    assert usage["MONITOR_REQUESTS"]["allowance"] == 70_000
    assert usage["MONITOR_REQUESTS"]["overage"] == 0


async def test_developers_get_forbidden(api, world, db):
    body = await api.graphql(QUERY, world.dev_key)
    assert body["data"]["team"]["reports"]["billingOverview"] is None
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
