"""Running a compiled Summary for one request: its arguments, its gate, its SQL."""

from __future__ import annotations

from datetime import date
from typing import Any

from graphql_api.auth.viewer import Viewer
from graphql_api.compiled.checks import report_arguments
from graphql_api.compiled.reading import one_state
from graphql_api.compiled.summary_plan import SummaryFetched
from graphql_api.compiled.writers import Plan, Root
from graphql_api.db.request_sessions import RequestSessions
from graphql_api.repositories.reports.ranges import Granularity
from graphql_api.repositories.reports.summary import summary_report


async def fetch_summary(
    strawberry_schema: Any,
    plan: Plan,
    root: Root,
    variables: dict[str, Any],
    entry: dict[str, Any],
    *,
    viewer: Viewer,
    sessions: RequestSessions,
    today: date,
    several: bool,
) -> SummaryFetched:
    """Check the gate and the arguments as the resolver does, then read the report (and
    when it was refreshed) in its one statement; in the request's snapshot when the plan
    reads `several` roots."""
    kwargs, days, (request_sources, test_sources) = report_arguments(
        strawberry_schema,
        plan.operation,
        root.field,
        root.field_definition,
        variables,
        viewer=viewer,
        today=today,
        entry=entry,
    )
    async with one_state(sessions, several) as session:
        data = await summary_report(
            session,
            viewer.team_id,
            days,
            Granularity(kwargs["granularity"].value),
            request_sources,
            test_sources,
        )
    return SummaryFetched(data, days)
