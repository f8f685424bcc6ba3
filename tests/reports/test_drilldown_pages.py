"""A series point's drill-down pages exactly as its report table does over the point's days."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from graphql_api.db.base import utcnow
from graphql_api.refresh.service import refresh
from tests import factories as f

DAY = timedelta(days=1)
ROWS = "restricted name requestCount"
PAGE = f"""totalCount restrictedCount pageInfo {{ hasNextPage hasPreviousPage
  startCursor endCursor }} nodes {{ {ROWS} }}"""
POINT_PAGES = f"""query($from: Date!, $to: Date!, $g: Granularity!, $first: Int, $after: String,
  $last: Int, $before: String, $order: TeamApiOrder) {{ team {{ reports {{
  summary(range: {{from: $from, to: $to}}, granularity: $g) {{ series {{ date
    teamApis(first: $first, after: $after, last: $last, before: $before, orderBy: $order) {{
      {PAGE} }} }} }} }} }} }}"""
TABLE_PAGE = f"""query($from: Date!, $to: Date!, $first: Int, $after: String, $last: Int,
  $before: String, $order: TeamApiOrder) {{ team {{ reports {{
  teamApis(range: {{from: $from, to: $to}}, first: $first, after: $after, last: $last,
    before: $before, orderBy: $order) {{ {PAGE} }} }} }} }}"""


def _monday_weeks_ago(weeks: int) -> date:
    today = datetime.now(UTC).date()
    return today - timedelta(days=today.weekday()) - timedelta(weeks=weeks)


async def _traffic(db, first_day: date) -> None:
    """Requests on several APIs over three weeks, with ties, restricted APIs included."""
    records = []
    apis = ["api-team", "api-public", "api-secret", "api-granted", "api-private"]
    for day_n in range(0, 21, 2):
        at = datetime.combine(first_day + day_n * DAY, datetime.min.time(), UTC)
        for i, api_id in enumerate(apis):
            for n in range((day_n + i) % 3):
                records.append(
                    {
                        **f.request(id=f"q{day_n}-{api_id}-{n}", team="acme", user="ada"),
                        "api": api_id,
                        "at": (at + timedelta(hours=12, minutes=n)).isoformat(),
                    }
                )
    await f.ingest(db, *records)
    await refresh(db, utcnow())


def _shown(page: dict) -> dict:
    """A page without its cursors (they are encrypted afresh each time)."""
    info = {k: v for k, v in page["pageInfo"].items() if not k.endswith("Cursor")}
    return {**{k: v for k, v in page.items() if k != "pageInfo"}, "pageInfo": info}


async def _walk(fetch, forward: bool) -> list[dict]:
    """Every page of a connection, two rows at a time, forwards or backwards."""
    pages, cursor = [], None
    while True:
        if forward:
            page = await fetch({"first": 2, "after": cursor})
        else:
            page = await fetch({"last": 2, "before": cursor})
        pages.append(_shown(page))
        info = page["pageInfo"]
        if not (info["hasNextPage"] if forward else info["hasPreviousPage"]):
            return pages
        cursor = info["endCursor"] if forward else info["startCursor"]


@pytest.mark.parametrize("granularity", ["DAY", "WEEK"])
@pytest.mark.parametrize("order", [None, {"field": "NAME", "direction": "ASC"}])
async def test_team_apis_of_a_point_page_like_the_table_over_its_days(
    api, world, db, granularity, order
):
    start = _monday_weeks_ago(3)
    await _traffic(db, start)
    end = start + 20 * DAY
    step = 7 if granularity == "WEEK" else 1
    for offset in (0, 7, 14) if granularity == "WEEK" else (0, 2, 3):
        day = start + offset * DAY
        last = day + (step - 1) * DAY

        async def point(args: dict, day: date = day) -> dict:
            variables = {"from": start.isoformat(), "to": end.isoformat(), "g": granularity}
            body = await api.graphql(
                POINT_PAGES, world.dev_key, {**variables, **args, "order": order}
            )
            assert "errors" not in body, body
            series = body["data"]["team"]["reports"]["summary"]["series"]
            return next(p for p in series if p["date"] == day.isoformat())["teamApis"]

        async def table(args: dict, day: date = day, last: date = last) -> dict:
            variables = {"from": day.isoformat(), "to": last.isoformat(), "order": order}
            body = await api.graphql(TABLE_PAGE, world.dev_key, {**variables, **args})
            assert "errors" not in body, body
            return body["data"]["team"]["reports"]["teamApis"]

        for forward in (True, False):
            assert await _walk(point, forward) == await _walk(table, forward)
