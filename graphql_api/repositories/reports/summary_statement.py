"""The Summary's one statement: every figure it shows, in rows told apart by kind.

One statement is one database state on every backend, so the Summary needs no
transaction around it, and one round trip instead of six. Each branch of the
UNION ALL gives one kind of row; the columns are `kind`, `day`, then up to
`VALUES` figures, then `refreshed_at`, padded with NULLs where a kind has fewer.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

from sqlalchemy import (
    CompoundSelect,
    String,
    bindparam,
    case,
    cast,
    distinct,
    func,
    literal,
    null,
    select,
    union_all,
)

from graphql_api.db.base import UTCDateTime
from graphql_api.db.models import (
    ApiLink,
    DailyMonitorRuns,
    DailyTeamRequests,
    DailyTestRuns,
    Element,
    RefreshState,
)
from graphql_api.db.models.summary import BUCKET_COLUMNS
from graphql_api.domain.enums import ApiRelation, ElementKind
from graphql_api.repositories.pagination import AnySelect
from graphql_api.repositories.reports.figures import request_sums

# Row kinds, and what their figures are.
REQUESTS = "r"  # per day: the sums in `request_sums` order
MONITORS = "m"  # per day: runs, successes
TESTS = "t"  # runs, failed runs, tests passed, tests failed (zeros when none)
COVERAGE = "c"  # APIs, then those linked to a test, documentation, a monitor, a mock
ANY_SOURCE = "a"  # 1 if any source had a request in the range, else 0
REFRESHED = "f"  # no figures; `refreshed_at`: when the summaries were last refreshed

VALUES = 4 + len(BUCKET_COLUMNS)
FIRST_VALUE = 2  # a row's figures are row[FIRST_VALUE : FIRST_VALUE + VALUES]
REFRESHED_AT = FIRST_VALUE + VALUES


def _within(table: Any) -> list[Any]:
    return [
        table.team_id == bindparam("team_id"),
        table.day >= bindparam("first"),
        table.day <= bindparam("last"),
    ]


def _row(kind: str, day: Any, values: Sequence[Any], refreshed: Any = None) -> AnySelect:
    padded = [*values, *[null()] * (VALUES - len(values))]
    # The first branch sets the columns' types, refreshed_at's included.
    refreshed = cast(null(), UTCDateTime()) if refreshed is None else refreshed
    return select(literal(kind, String()), day, *padded, refreshed)


def _coverage() -> AnySelect:
    # One join counted by relation: a correlated EXISTS per relation made PostgreSQL's
    # generic plan (the one prepared statements settle on) scan the links once per API
    # and relation, 3-6 ms for 150 APIs against 0.3 ms for this.
    links = ApiLink.__table__.alias("links")

    def linked(relation: ApiRelation) -> Any:
        return func.count(distinct(case((links.c.relation == relation.value, Element.id))))

    counts = [
        func.count(distinct(Element.id)),
        *(linked(r) for r in (ApiRelation.TEST, ApiRelation.DOCUMENTATION)),
        *(linked(r) for r in (ApiRelation.MONITOR, ApiRelation.MOCK)),
    ]
    return (
        _row(COVERAGE, null(), counts)
        .select_from(Element)
        .outerjoin(links, links.c.api_id == Element.id)
        .where(Element.team_id == bindparam("team_id"), Element.kind == ElementKind.API.value)
    )


@functools.cache
def summary_statement() -> CompoundSelect[Any]:
    """Every row the Summary reads; bind `team_id`, `first`, `last` (days), `sources` and
    `test_sources`."""
    t, m, r = DailyTeamRequests, DailyMonitorRuns, DailyTestRuns
    sources: Any = bindparam("sources", expanding=True)
    test_sources: Any = bindparam("test_sources", expanding=True)
    any_request = select(literal(1)).where(*_within(t), t.requests > 0).limit(1).subquery()
    return union_all(
        _row(REQUESTS, t.day, list(request_sums(t).values()))
        .where(*_within(t), t.source.in_(sources))
        .group_by(t.day),
        _row(MONITORS, m.day, [func.sum(m.runs), func.sum(m.successes)])
        .where(*_within(m))
        .group_by(m.day),
        _row(
            TESTS,
            null(),
            [
                func.coalesce(func.sum(r.runs), 0),
                func.coalesce(func.sum(r.failed_runs), 0),
                func.coalesce(func.sum(r.tests_passed), 0),
                func.coalesce(func.sum(r.tests_failed), 0),
            ],
        ).where(*_within(r), r.source.in_(test_sources)),
        _coverage(),
        _row(ANY_SOURCE, null(), [func.count()]).select_from(any_request),
        _row(REFRESHED, null(), [], func.min(RefreshState.refreshed_at)),
    )
