"""Running a compiled Summary for one request: its arguments, its gate, its SQL."""

from __future__ import annotations

from datetime import date
from typing import Any

from graphql_api.auth.gates import require_report_reader
from graphql_api.auth.viewer import Viewer
from graphql_api.compiled.checks import NotCompiled, resolver_arguments
from graphql_api.compiled.reading import one_state
from graphql_api.compiled.summary_plan import SummaryFetched
from graphql_api.compiled.writers import Plan, Root
from graphql_api.db.request_sessions import RequestSessions
from graphql_api.errors import ApiError
from graphql_api.repositories.reports.ranges import Granularity
from graphql_api.repositories.reports.summary import summary_report
from graphql_api.schema.reports.connections import days_asked, report_sources


async def fetch_summary(
    strawberry_schema: Any,
    plan: Plan,
    root: Root,
    variables: dict[str, Any],
    *,
    viewer: Viewer,
    sessions: RequestSessions,
    today: date,
    several: bool,
) -> SummaryFetched:
    """Check the gate and the arguments as the resolver does, then read the report (and
    when it was refreshed) in its one statement; in the request's snapshot when the plan
    reads `several` roots."""
    kwargs = resolver_arguments(
        strawberry_schema, "Reports", plan.operation, root.field, root.field_definition, variables
    )
    try:
        require_report_reader(viewer)
        days = days_asked(kwargs.get("range"), today)
        request_sources, test_sources = report_sources(kwargs.get("sources"))
    except ApiError as exc:
        raise NotCompiled from exc
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
