"""team.billing (docs/concepts.md#billing): seats, invoices, usage against allowances, activity."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from tests import factories as f
from tests.conftest import serving_api

SEATS = "{ team { billing { plan seats { total used available } } } }"
INVOICES = """query($filter: InvoiceFilter, $first: Int, $after: String) {
  team { billing { invoices(filter: $filter, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    nodes { id number status amountCents currency periodStart } } } } }"""
USAGE = """query($month: Date) { team { billing { usage(month: $month) {
  month resources { resource used allowance overage } } } } }"""
ACTIVITY = """query($first: Int, $after: String) {
  team { billing { activity(first: $first, after: $after) {
  totalCount pageInfo { hasNextPage endCursor }
  nodes { kind message at auditEvent { action } invoice { number status } } } } } }"""


async def _billing_world(db) -> str:
    """acme with a BILLING member; returns that member's key."""
    await f.ingest(
        db,
        f.user(id="bill"),
        f.membership(team="acme", user="bill", roles=["BILLING"]),
    )
    return await f.api_key_for(db, team="acme", email="bill@example.com")


async def test_billing_is_for_billing_roles_only(api, world, db):
    bill = await _billing_world(db)
    assert (await api.graphql(SEATS, bill))["data"]["team"]["billing"]["plan"] == "ENTERPRISE"
    assert (await api.graphql(SEATS, world.admin_key))["data"]["team"]["billing"] is not None
    body = await api.graphql(SEATS, world.dev_key)
    assert body["data"]["team"]["billing"] is None
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_seats_count_licenses_from_the_latest_seat_change_and_active_members(api, world, db):
    bill = await _billing_world(db)
    await f.ingest(
        db,
        f.seat_change(id="s1", seats=10, at=f.ago(days=5)),
        f.seat_change(id="s2", seats=25, at=f.ago(days=1)),
        f.user(id="gone"),
        f.membership(team="acme", user="gone", status="REMOVED"),
    )
    seats = (await api.graphql(SEATS, bill))["data"]["team"]["billing"]["seats"]
    # ada, dev and bill are active; the removed member holds no seat.
    assert seats == {"total": 25, "used": 3, "available": 22}


async def test_seats_total_is_null_before_any_seat_change(api, world, db):
    bill = await _billing_world(db)
    seats = (await api.graphql(SEATS, bill))["data"]["team"]["billing"]["seats"]
    assert seats == {"total": None, "used": 3, "available": None}


async def test_invoices_are_newest_first_and_page_by_keyset(api, world, db):
    bill = await _billing_world(db)
    await f.ingest(db, *(f.invoice(id=f"i{n}", at=f.ago(days=10 - n)) for n in range(5)))
    first = await api.graphql(INVOICES, bill, {"first": 3})
    page = first["data"]["team"]["billing"]["invoices"]
    assert [n["number"] for n in page["nodes"]] == ["N-i4", "N-i3", "N-i2"]
    assert page["totalCount"] == 5 and page["pageInfo"]["hasNextPage"]
    rest = await api.graphql(INVOICES, bill, {"first": 3, "after": page["pageInfo"]["endCursor"]})
    assert [n["number"] for n in rest["data"]["team"]["billing"]["invoices"]["nodes"]] == [
        "N-i1",
        "N-i0",
    ]


async def test_invoices_filter_by_status_and_period(api, world, db):
    bill = await _billing_world(db)
    await f.ingest(
        db,
        f.invoice(id="jan-paid", status="PAID", period_start=date(2026, 1, 1)),
        f.invoice(id="feb-open", status="OPEN", period_start=date(2026, 2, 1)),
        f.invoice(id="mar-paid", status="PAID", period_start=date(2026, 3, 1)),
    )
    paid = await api.graphql(INVOICES, bill, {"filter": {"statuses": ["PAID"]}})
    numbers = {n["number"] for n in paid["data"]["team"]["billing"]["invoices"]["nodes"]}
    assert numbers == {"N-jan-paid", "N-mar-paid"}
    window = {"periodFrom": "2026-02-10", "periodTo": "2026-03-05"}
    overlapping = await api.graphql(INVOICES, bill, {"filter": window})
    numbers = {n["number"] for n in overlapping["data"]["team"]["billing"]["invoices"]["nodes"]}
    assert numbers == {"N-feb-open", "N-mar-paid"}


async def test_an_invoice_resent_with_a_new_status_shows_the_new_status(api, world, db):
    bill = await _billing_world(db)
    await f.ingest(db, f.invoice(id="i1", status="OPEN"))
    await f.ingest(db, f.invoice(id="i1", status="PAID"))
    body = await api.graphql(INVOICES, bill)
    assert [n["status"] for n in body["data"]["team"]["billing"]["invoices"]["nodes"]] == ["PAID"]


async def test_an_invoice_is_a_node(api, world, db):
    bill = await _billing_world(db)
    await f.ingest(db, f.invoice(id="i1"))
    listed = await api.graphql(INVOICES, bill)
    invoice_id = listed["data"]["team"]["billing"]["invoices"]["nodes"][0]["id"]
    query = "query($id: ID!) { node(id: $id) { ... on Invoice { number } } }"
    assert (await api.graphql(query, bill, {"id": invoice_id}))["data"]["node"] == {
        "number": "N-i1"
    }
    body = await api.graphql(query, world.dev_key, {"id": invoice_id})
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_usage_compares_the_month_with_the_plans_allowances(api, world, db):
    bill = await _billing_world(db)
    this_month = date.today().replace(day=1)
    await f.ingest(
        db,
        f.usage(id="u1", resource="MONITOR_REQUESTS", quantity=40_000, at=f.ago(minutes=5)),
        f.usage(id="u2", resource="MONITOR_REQUESTS", quantity=20_000, at=f.ago(minutes=4)),
    )
    body = await api.graphql(USAGE, bill, {"month": this_month.isoformat()})
    usage = body["data"]["team"]["billing"]["usage"]
    assert usage["month"] == this_month.isoformat()
    by_resource = {r["resource"]: r for r in usage["resources"]}
    assert by_resource["MONITOR_REQUESTS"] == {
        "resource": "MONITOR_REQUESTS",
        "used": 60_000,
        "allowance": 50_000,
        "overage": 10_000,
    }
    # Resources the plan allows but the team did not use are listed at zero.
    assert by_resource["MOCK_REQUESTS"]["used"] == 0


async def test_usage_of_another_month_does_not_count(api, world, db):
    bill = await _billing_world(db)
    await f.ingest(
        db, f.usage(id="u1", resource="MOCK_REQUESTS", quantity=7, at="2026-01-15T12:00:00+00:00")
    )
    january = await api.graphql(USAGE, bill, {"month": "2026-01-20"})
    february = await api.graphql(USAGE, bill, {"month": "2026-02-01"})

    def used(body: dict) -> int:
        resources = body["data"]["team"]["billing"]["usage"]["resources"]
        return next(r["used"] for r in resources if r["resource"] == "MOCK_REQUESTS")

    assert (used(january), used(february)) == (7, 0)


async def test_allowances_come_from_configuration(settings, world, db):
    bill = await _billing_world(db)
    await f.ingest(db, f.usage(id="u1", resource="MOCK_REQUESTS", quantity=7, at=f.ago(minutes=1)))
    configured = replace(settings, plan_allowances='{"ENTERPRISE": {"MOCK_REQUESTS": 5}}')
    async with serving_api(configured) as api:
        body = await api.graphql(USAGE, bill)
    resources = body["data"]["team"]["billing"]["usage"]["resources"]
    mock = next(r for r in resources if r["resource"] == "MOCK_REQUESTS")
    assert (mock["allowance"], mock["overage"]) == (5, 2)


async def test_activity_merges_billing_audit_events_and_invoices_newest_first(api, world, db):
    bill = await _billing_world(db)
    await f.ingest(
        db,
        f.audit_event(id="a1", team="acme", actor="ada", action="Changed Plan", at=f.ago(days=3)),
        f.invoice(id="i1", status="PAID", cents=12_345, at=f.ago(days=2)),
        f.audit_event(id="a2", team="acme", actor="ada", at=f.ago(days=1)),  # a TEAM event
        f.audit_event(
            id="a3",
            team="acme",
            actor="ada",
            action="billing.team_size.increase",
            at=f.ago(hours=5),
        ),
    )
    body = await api.graphql(ACTIVITY, bill)
    activity = body["data"]["team"]["billing"]["activity"]
    assert [(n["kind"], (n["auditEvent"] or n["invoice"])) for n in activity["nodes"]] == [
        ("AUDIT_EVENT", {"action": "TEAM_SIZE_INCREASED"}),
        ("INVOICE", {"number": "N-i1", "status": "PAID"}),
        ("AUDIT_EVENT", {"action": "PLAN_CHANGED"}),
    ]
    assert "USD 123.45" in activity["nodes"][1]["message"]
    assert activity["totalCount"] == 3


async def test_activity_pages_without_repeats(api, world, db):
    bill = await _billing_world(db)
    await f.ingest(db, *_alternating_activity(6))
    seen: list[str] = []
    after = None
    while True:
        body = await api.graphql(ACTIVITY, bill, {"first": 5, "after": after})
        page = body["data"]["team"]["billing"]["activity"]
        seen += [n["at"] for n in page["nodes"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert len(seen) == 12 and seen == sorted(seen, reverse=True)


async def test_activity_statements_do_not_grow_with_page_size(api, world, db, statements):
    bill = await _billing_world(db)
    await f.ingest(db, *_alternating_activity(6))
    await api.use_key(bill)
    counts = []
    for size in (2, 12):
        statements.count = 0
        body = await api.graphql(ACTIVITY, bill, {"first": size})
        assert len(body["data"]["team"]["billing"]["activity"]["nodes"]) == size
        counts.append(statements.count)
    assert counts[0] == counts[1], counts


def _alternating_activity(pairs: int) -> list[dict]:
    records = []
    for n in range(pairs):
        records.append(f.invoice(id=f"i{n}", at=f.ago(days=20 - 2 * n)))
        records.append(
            f.audit_event(
                id=f"a{n}",
                team="acme",
                actor="ada",
                action="billing.team_size.increase",
                at=f.ago(days=19 - 2 * n),
            )
        )
    return records
