"""Running a compiled audit page for one request: its variables, its gate, its SQL."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from graphql import GraphQLSchema

from graphql_api.auth.gates import require_audit_reader
from graphql_api.auth.viewer import Viewer
from graphql_api.compiled.audit_plan import Fetched
from graphql_api.compiled.checks import NotCompiled, argument_values
from graphql_api.compiled.reading import one_state, snapshot_session
from graphql_api.compiled.writers import Plan, Root
from graphql_api.config import Settings
from graphql_api.db.request_sessions import RequestSessions
from graphql_api.errors import ApiError
from graphql_api.repositories.audit import SORT_KEYS, newest_events_statement, retention_start
from graphql_api.repositories.cursors import CursorCodec
from graphql_api.repositories.pagination import PageArgs, count_of, fetch_page, probes_other_side

NEWEST_FIRST = SORT_KEYS[("TIMESTAMP", True)]


def page_args(schema: GraphQLSchema, plan: Plan, root: Root, variables: dict[str, Any]) -> PageArgs:
    """The connection's first/after/last/before, coerced as the executor coerces them."""
    values = argument_values(schema, plan.operation, root.field, root.field_definition, variables)
    return PageArgs(
        values.get("first"), values.get("after"), values.get("last"), values.get("before")
    )


async def fetch(
    plan: Plan,
    args: PageArgs,
    *,
    viewer: Viewer,
    sessions: RequestSessions,
    codec: CursorCodec,
    settings: Settings,
    now: datetime,
) -> Fetched:
    """Check the gate, then read the page (and its count) in one snapshot."""
    try:
        require_audit_reader(viewer)
    except ApiError as exc:
        raise NotCompiled from exc
    oldest = retention_start(viewer.plan, now)
    statement = newest_events_statement(viewer.team_id, oldest is not None)
    params = None if oldest is None else {"oldest": oldest}
    several = plan.count or probes_other_side(args, plan.flags)
    async with one_state(sessions, several) as session:
        page = await fetch_page(
            session,
            statement,
            NEWEST_FIRST,
            args,
            codec,
            default_size=settings.default_page_size,
            max_size=settings.max_page_size,
            flags=plan.flags,
            params=params,
        )
        count = None
        if plan.count:
            counting = snapshot_session(session)
            count = int((await counting.execute(count_of(statement), params)).scalar_one())
    return Fetched(page, count)
