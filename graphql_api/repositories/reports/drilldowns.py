"""The series drill-downs as statements over many points (see `points.py`).

Each builds, from the `spans` relation, the same rows its report table has
for one range (`team_api_subquery`, `top_element_subquery`,
`api_findings_subquery`, `member_subquery`), once per point, with a `point`
column; the figures, masking and sort are the report table's own.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import and_, func, select, union_all

from graphql_api.auth.viewer import Viewer
from graphql_api.db.models import (
    DailyApiRequests,
    DailyContent,
    DailyFindings,
    DailyMonitorRuns,
    DailyTestRuns,
    DailyUserRequests,
    Element,
    Membership,
    User,
    WeeklyApiRequests,
)
from graphql_api.domain.enums import ElementKind
from graphql_api.repositories.pagination import AnySelect, SortKey
from graphql_api.repositories.reports.masking import masked_elements
from graphql_api.repositories.reports.members import (
    MemberSort,
    last_active_subquery,
    member_columns,
    sorted_member_rows,
)
from graphql_api.repositories.reports.points import PART_DAYS, PART_POINT, PART_WEEKS
from graphql_api.repositories.reports.security import open_findings_sums
from graphql_api.repositories.reports.sorting import figure_sort
from graphql_api.repositories.reports.team_apis import (
    _MEASURES,
    TeamApiSort,
    _api_collections,
    _figures,
    _link_flags,
    sorted_rows,
)

CONTENT_SCOPE = "content:elements"
FINDINGS_SCOPE = "security:apis"


def _within(spans: Any, part: int, day: Any) -> Any:
    """Join condition: `day` lies in a span of `part`."""
    return and_(spans.c.part == part, day >= spans.c.day_from, day <= spans.c.day_to)


def team_api_points(
    viewer: Viewer,
    spans: Any,
    sources: Sequence[str],
    test_sources: Sequence[str],
    sort: TeamApiSort,
    descending: bool,
) -> tuple[AnySelect, SortKey]:
    """The Team APIs rows of every point: one per (point, API of the team)."""
    team = viewer.team_id
    points = select(spans.c.point).where(spans.c.part == PART_POINT).subquery("points")
    requests = _request_sums(team, spans, sources)
    links = _link_flags(team)
    pairs = _api_collections(team)
    uptime = _monitor_sums(team, spans, pairs)
    tests = _failed_test_sums(team, spans, test_sources, pairs)

    def on(sums: Any) -> Any:
        return and_(sums.c.point == points.c.point, sums.c.api_id == Element.id)

    rows = masked_elements(
        viewer,
        _figures(requests, links, uptime, tests),
        [
            (requests, on(requests)),
            (links, links.c.api_id == Element.id),
            (uptime, on(uptime)),
            (tests, on(tests)),
        ],
        where=[Element.kind == ElementKind.API.value],
        outer=True,
        with_kind=False,
        figures_name="team_api_figures",
        name="team_api_subquery",
        points=[points.c.point.label("point")],
        per_point=points,
    )
    return sorted_rows(rows, sort, descending)


def _request_sums(team: str, spans: Any, sources: Sequence[str]) -> Any:
    """The request measures per (point, API): whole weeks from the weekly rollup, the days
    around them from the daily one, as `team_apis._request_sums` reads one range."""
    w, d = WeeklyApiRequests, DailyApiRequests
    weekly = (
        select(spans.c.point, w.api_id, *[getattr(w, n) for n in _MEASURES])
        .select_from(w)
        .join(spans, _within(spans, PART_WEEKS, w.week))
        .where(w.team_id == team, w.source.in_(sources))
    )
    daily = (
        select(spans.c.point, d.api_id, *[getattr(d, n) for n in _MEASURES])
        .select_from(d)
        .join(spans, _within(spans, PART_DAYS, d.day))
        .where(d.team_id == team, d.source.in_(sources))
    )
    rollup = union_all(weekly, daily).subquery("api_request_rows")
    return (
        select(
            rollup.c.point.label("point"),
            rollup.c.api_id.label("api_id"),
            *[func.sum(rollup.c[n]).label(n) for n in _MEASURES],
        )
        .group_by(rollup.c.point, rollup.c.api_id)
        .subquery()
    )


def _monitor_sums(team: str, spans: Any, pairs: Any) -> Any:
    """Monitor runs and successes per (point, API), through the collections it links."""
    monitor = Element.__table__.alias("monitor")
    return (
        select(
            spans.c.point.label("point"),
            pairs.c.api_id.label("api_id"),
            func.sum(DailyMonitorRuns.runs).label("runs"),
            func.sum(DailyMonitorRuns.successes).label("successes"),
        )
        .select_from(DailyMonitorRuns)
        .join(monitor, monitor.c.id == DailyMonitorRuns.monitor_id)
        .join(pairs, pairs.c.collection_id == monitor.c.collection_id)
        .join(spans, _within(spans, PART_POINT, DailyMonitorRuns.day))
        .where(DailyMonitorRuns.team_id == team)
        .group_by(spans.c.point, pairs.c.api_id)
        .subquery()
    )


def _failed_test_sums(team: str, spans: Any, test_sources: Sequence[str], pairs: Any) -> Any:
    """Failed test runs per (point, API), through the collections it links."""
    return (
        select(
            spans.c.point.label("point"),
            pairs.c.api_id.label("api_id"),
            func.sum(DailyTestRuns.failed_runs).label("failed_runs"),
        )
        .select_from(DailyTestRuns)
        .join(pairs, pairs.c.collection_id == DailyTestRuns.collection_id)
        .join(spans, _within(spans, PART_POINT, DailyTestRuns.day))
        .where(DailyTestRuns.team_id == team, DailyTestRuns.source.in_(test_sources))
        .group_by(spans.c.point, pairs.c.api_id)
        .subquery()
    )


def content_element_points(
    viewer: Viewer, spans: Any, element_id: str | None, kinds: Sequence[str]
) -> tuple[AnySelect, SortKey]:
    """Elements by content events per (point, element kind), of `kinds` (and only
    `element_id`, when given), most first, restricted ones masked and last."""
    d = DailyContent
    events = (
        select(
            spans.c.point.label("point"),
            d.element_id.label("element_id"),
            func.sum(d.events).label("events"),
        )
        .select_from(d)
        .join(spans, _within(spans, PART_POINT, d.day))
        .where(d.team_id == viewer.team_id)
        .group_by(spans.c.point, d.element_id)
        .subquery()
    )
    rows = masked_elements(
        viewer,
        [events.c.events.label("events")],
        [(events, events.c.element_id == Element.id)],
        where=[
            *([Element.id == element_id] if element_id is not None else []),
            Element.kind.in_(kinds),
        ],
        figures_name="content_element_figures",
        name="content_element_rows",
        points=[events.c.point.label("point"), Element.kind.label("point_kind")],
    )
    return figure_sort(rows, CONTENT_SCOPE, "events", True)


def api_findings_points(viewer: Viewer, spans: Any) -> tuple[AnySelect, SortKey]:
    """APIs by findings open at each point's end; restricted ones masked and last."""
    d = DailyFindings
    findings = (
        select(
            spans.c.point.label("point"),
            d.element_id.label("element_id"),
            *open_findings_sums(),
        )
        .select_from(d)
        .join(spans, and_(spans.c.part == PART_POINT, d.day <= spans.c.day_to))
        .where(d.team_id == viewer.team_id)
        .group_by(spans.c.point, d.element_id)
        .subquery()
    )
    rows = masked_elements(
        viewer,
        [
            findings.c.open_findings.label("open_findings"),
            findings.c.critical.label("critical"),
            findings.c.high.label("high"),
        ],
        [(findings, findings.c.element_id == Element.id)],
        where=[Element.kind == ElementKind.API.value],
        figures_name="api_findings_figures",
        name="api_findings_subquery",
        points=[findings.c.point.label("point")],
    )
    return figure_sort(rows, FINDINGS_SCOPE, "open_findings", True)


def active_member_points(
    viewer: Viewer, spans: Any, sources: Sequence[str], sort: MemberSort, descending: bool
) -> tuple[AnySelect, SortKey]:
    """Per point, the memberships of users who sent any request in it, with their requests
    in it from `sources`, as `member_subquery` gives them for one range."""
    team, d = viewer.team_id, DailyUserRequests
    active = (
        select(spans.c.point.label("point"), d.user_id.label("user_id"))
        .select_from(d)
        .join(spans, _within(spans, PART_POINT, d.day))
        .where(d.team_id == team)
        .distinct()
        .subquery("active_users")
    )
    usage = (
        select(
            spans.c.point.label("point"),
            d.user_id.label("user_id"),
            func.sum(d.requests).label("requests"),
        )
        .select_from(d)
        .join(spans, _within(spans, PART_POINT, d.day))
        .where(d.team_id == team, d.source.in_(sources))
        .group_by(spans.c.point, d.user_id)
        .subquery("user_requests")
    )
    last_active = last_active_subquery(team)
    rows = (
        select(active.c.point.label("point"), *member_columns(usage, last_active))
        .join(User, User.id == Membership.user_id)
        .join(active, active.c.user_id == Membership.user_id)
        .outerjoin(
            usage, and_(usage.c.point == active.c.point, usage.c.user_id == Membership.user_id)
        )
        .outerjoin(last_active, last_active.c.user_id == Membership.user_id)
        .where(Membership.team_id == team)
        .subquery("member_subquery")
    )
    return sorted_member_rows(rows, sort, descending)
