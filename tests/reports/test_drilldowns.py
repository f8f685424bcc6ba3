"""Every series point drills down to the rows behind it (docs/concepts.md#reports)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from graphql_api.db.base import utcnow
from graphql_api.refresh.service import refresh
from tests import factories as f

DAY = timedelta(days=1)


def _at(days_ago: int) -> str:
    """Noon UTC that many days ago, so a fact sits squarely in its day."""
    today = datetime.now(UTC).replace(hour=12, minute=0, second=0, microsecond=0)
    return (today - days_ago * DAY).isoformat()


def _day(days_ago: int) -> str:
    return (datetime.now(UTC).date() - days_ago * DAY).isoformat()


def _point(series: list[dict], days_ago: int) -> dict:
    (point,) = [p for p in series if p["date"] == _day(days_ago)]
    return point


async def test_a_summary_point_drills_down_to_the_team_apis_of_that_day(api, world, db):
    await f.ingest(
        db,
        *[
            {**f.request(id=f"a{n}", team="acme", user="ada"), "api": "api-team", "at": _at(3)}
            for n in range(2)
        ],
        {**f.request(id="b", team="acme", user="ada"), "api": "api-secret", "at": _at(3)},
        {**f.request(id="c", team="acme", user="ada"), "api": "api-team", "at": _at(1)},
    )
    await refresh(db, utcnow())
    body = await api.graphql(
        """{ team { reports { summary(range: {preset: LAST_7_DAYS}) { series { date requestCount
             teamApis { restrictedCount nodes { restricted name requestCount } } } } } } }""",
        world.dev_key,
    )
    point = _point(body["data"]["team"]["reports"]["summary"]["series"], 3)
    assert point["requestCount"] == 3
    rows = {n["name"]: n["requestCount"] for n in point["teamApis"]["nodes"]}
    assert rows["Api-Team"] == 2
    assert point["teamApis"]["restrictedCount"] == 1
    assert next(n for n in point["teamApis"]["nodes"] if n["restricted"])["requestCount"] is None


async def test_an_activity_point_drills_down_to_the_members_active_then(api, world, db):
    await f.ingest(
        db,
        {**f.request(id="a", team="acme", user="ada"), "at": _at(2)},
        {**f.request(id="d", team="acme", user="dev"), "at": _at(4)},
    )
    await refresh(db, utcnow())
    body = await api.graphql(
        """{ team { reports { members(range: {preset: LAST_7_DAYS}) { activeMembersSeries {
             date count members { nodes { name } } } } } } }""",
        world.admin_key,
    )
    series = body["data"]["team"]["reports"]["members"]["activeMembersSeries"]
    assert [n["name"] for n in _point(series, 2)["members"]["nodes"]] == ["Ada"]
    assert [n["name"] for n in _point(series, 4)["members"]["nodes"]] == ["Dev"]
    assert _point(series, 3)["members"]["nodes"] == []


async def test_a_content_point_drills_down_to_the_elements_of_its_kind(api, world, db):
    events = [
        {
            "type": "content_event",
            "id": f"ce{n}",
            "team": "acme",
            "at": _at(days_ago),
            "user": "ada",
            "element": element,
            "action": "UPDATED",
        }
        for n, (days_ago, element) in enumerate(
            [(2, "api-team"), (2, "api-secret"), (5, "api-public")]
        )
    ]
    await f.ingest(db, *events)
    await refresh(db, utcnow())
    body = await api.graphql(
        """{ team { reports { contentActivity(range: {preset: LAST_7_DAYS}) { series {
             date kind elements { nodes { restricted name events } } } } } } }""",
        world.dev_key,
    )
    series = [
        p
        for p in body["data"]["team"]["reports"]["contentActivity"]["series"]
        if p["kind"] == "API"
    ]
    assert _point(series, 2)["elements"]["nodes"] == [
        {"restricted": False, "name": "Api-Team", "events": 1},
        {"restricted": True, "name": None, "events": None},
    ]
    assert [n["name"] for n in _point(series, 5)["elements"]["nodes"]] == ["Api-Public"]


async def test_a_trend_point_drills_down_to_apis_by_findings_open_then(api, world, db):
    finding = {
        "type": "security_finding",
        "id": "sf1",
        "team": "acme",
        "at": _at(4),
        "element": "api-team",
        "rule": "Weak TLS",
        "severity": "HIGH",
    }
    await f.ingest(db, finding)
    await refresh(db, utcnow())
    await f.ingest(db, {**finding, "resolved_at": _at(2)})
    await refresh(db, utcnow())
    body = await api.graphql(
        """{ team { reports { apiSecurity(range: {preset: LAST_7_DAYS}) { trend {
             date open apis { nodes { name openFindings } } } } } } }""",
        world.admin_key,
    )
    trend = body["data"]["team"]["reports"]["apiSecurity"]["trend"]
    assert _point(trend, 3)["open"] == 1
    assert _point(trend, 3)["apis"]["nodes"] == [{"name": "Api-Team", "openFindings": 1}]
    assert _point(trend, 1)["apis"]["nodes"] == [{"name": "Api-Team", "openFindings": 0}]
