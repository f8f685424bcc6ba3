"""Public workspace metrics (docs/concepts.md#reports): every plan, public workspaces only."""

from __future__ import annotations

from graphql_api.db.base import utcnow
from graphql_api.refresh.service import refresh
from tests import factories as f

QUERY = """query($order: PublicWorkspaceOrder, $range: DateRangeInput) {
  team { reports { publicWorkspaces(orderBy: $order, range: $range) {
    totalCount nodes { name views watchers forks workspace { visibility } } } } } }"""


def _stat(n: int, workspace: str, views: int, *, days_ago: float = 1) -> dict:
    return {
        "type": "public_stat",
        "id": f"ps{n}",
        "team": "acme",
        "at": f.ago(days=days_ago),
        "workspace": workspace,
        "views": views,
        "watches": 1,
        "forks": n % 2,
    }


async def _metrics(api, key, **variables):
    body = await api.graphql(QUERY, key, variables)
    assert "errors" not in body, body
    return body["data"]["team"]["reports"]["publicWorkspaces"]


async def test_views_watchers_and_forks_are_summed_per_public_workspace(api, world, db):
    await f.ingest(
        db,
        f.workspace(id="ws-docs", team="acme", visibility="PUBLIC"),
        _stat(1, "ws-public", 10),
        _stat(2, "ws-public", 5),
        _stat(3, "ws-docs", 7),
        _stat(4, "ws-public", 1000, days_ago=200),
    )
    await refresh(db, utcnow())
    report = await _metrics(api, world.admin_key)
    assert report["totalCount"] == 2
    assert report["nodes"] == [
        {
            "name": "Ws-Public",
            "views": 15,
            "watchers": 2,
            "forks": 1,
            "workspace": {"visibility": "PUBLIC"},
        },
        {
            "name": "Ws-Docs",
            "views": 7,
            "watchers": 1,
            "forks": 1,
            "workspace": {"visibility": "PUBLIC"},
        },
    ]


async def test_every_plan_gets_public_workspace_metrics(api, world, db):
    await f.ingest(db, f.team(id="acme", plan="FREE"), _stat(1, "ws-public", 3))
    await refresh(db, utcnow())
    assert (await _metrics(api, world.dev_key))["nodes"][0]["views"] == 3


async def test_private_and_other_teams_workspaces_are_not_listed(api, world, db):
    await f.ingest(db, _stat(1, "ws-private", 3))
    await refresh(db, utcnow())
    assert [n["name"] for n in (await _metrics(api, world.admin_key))["nodes"]] == ["Ws-Public"]
    assert (await _metrics(api, world.other_admin_key))["totalCount"] == 0


async def test_public_workspaces_sort_by_name(api, world, db):
    await f.ingest(db, f.workspace(id="ws-docs", team="acme", visibility="PUBLIC"))
    report = await _metrics(api, world.admin_key, order={"field": "NAME", "direction": "ASC"})
    assert [n["name"] for n in report["nodes"]] == ["Ws-Docs", "Ws-Public"]
