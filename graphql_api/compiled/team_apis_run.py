"""Running a compiled Team APIs page for one request: its arguments, its gate, its SQL."""

from __future__ import annotations

from datetime import date
from typing import Any

from graphql_api.auth.viewer import Viewer
from graphql_api.compiled.checks import NotCompiled, report_arguments
from graphql_api.compiled.reading import one_state, snapshot_session
from graphql_api.compiled.team_apis_plan import TeamApisFetched
from graphql_api.compiled.writers import Plan, Root
from graphql_api.config import Settings
from graphql_api.db.request_sessions import RequestSessions
from graphql_api.repositories.cursors import CursorCodec
from graphql_api.repositories.freshness import last_refreshed_at
from graphql_api.repositories.pagination import PageArgs, fetch_page, probes_other_side
from graphql_api.repositories.reports.team_apis import (
    counted_team_api_rows,
    restricted_count,
    sorted_team_api_rows,
    team_api_subquery,
)
from graphql_api.schema.reports.connections import team_api_order


async def fetch_team_apis(
    strawberry_schema: Any,
    plan: Plan,
    root: Root,
    variables: dict[str, Any],
    entry: dict[str, Any],
    *,
    viewer: Viewer,
    sessions: RequestSessions,
    codec: CursorCodec,
    settings: Settings,
    today: date,
    several: bool,
    refreshed: bool,
) -> TeamApisFetched:
    """Check the gate and the arguments as the resolver does, then read the page and
    what else the operation asks for, in one snapshot when that is more than the page
    (`several`: the plan reads other roots too; `refreshed`: read the refresh time)."""
    kwargs, days, sources = report_arguments(
        strawberry_schema,
        plan.operation,
        root.field,
        root.field_definition,
        variables,
        viewer=viewer,
        today=today,
        entry=entry,
    )
    args = PageArgs(
        kwargs.get("first"), kwargs.get("after"), kwargs.get("last"), kwargs.get("before")
    )
    sort_field, descending = team_api_order(kwargs.get("order_by"))
    statement, sort = sorted_team_api_rows(
        team_api_subquery(viewer, days, *sources), sort_field, descending
    )
    if plan.count:
        statement = counted_team_api_rows(statement, viewer)
    several = several or plan.restricted or refreshed or probes_other_side(args, plan.flags)
    async with one_state(sessions, several) as session:
        page = await fetch_page(
            session,
            statement,
            sort,
            args,
            codec,
            default_size=settings.default_page_size,
            max_size=settings.max_page_size,
            flags=plan.flags,
        )
        hidden = refreshed_at = None
        if plan.restricted:
            hidden = await restricted_count(snapshot_session(session), viewer)
        if refreshed:
            refreshed_at = await last_refreshed_at(snapshot_session(session))
    count = None
    if plan.count:
        if not page.rows:
            raise NotCompiled  # no row to read the count from: the executor counts apart
        count = int(page.rows[0].team_api_count)
    return TeamApisFetched(page, count, hidden, refreshed_at)
