"""Which operations compile: the roots a plan can start from, and the plan of each."""

from __future__ import annotations

from datetime import datetime

from graphql import DocumentNode, FieldNode, GraphQLField, GraphQLSchema

from graphql_api.compiled.audit_plan import audit_events
from graphql_api.compiled.summary_plan import summary
from graphql_api.compiled.team_apis_plan import team_apis
from graphql_api.compiled.viewer_plan import viewer
from graphql_api.compiled.writers import (
    Compiling,
    FieldCompiler,
    Plan,
    Writer,
    leaf,
    object_field,
    object_writer,
    single_query,
)


def last_updated_at(node: FieldNode, definition: GraphQLField, c: Compiling) -> Writer | None:
    """`reports.lastUpdatedAt`, read in the snapshot of the plan's roots."""
    c.refreshed_at = True
    return leaf(lambda fetched: _iso(fetched["refreshed_at"]))(node, definition, c)


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


REPORTS: dict[str, FieldCompiler] = {
    "summary": summary,
    "teamApis": team_apis,
    "lastUpdatedAt": last_updated_at,
}
# The team is the viewer's, read with the key: its fields pass what the plan fetched on.
TEAM: dict[str, FieldCompiler] = {
    "auditEvents": audit_events,
    "reports": object_field(REPORTS, lambda fetched: fetched),
}
ROOT: dict[str, FieldCompiler] = {
    "team": object_field(TEAM, lambda fetched: fetched),
    # Alone in its operation (Compiling.claim): the key's user.
    "viewer": viewer,
}


def compile_operation(
    schema: GraphQLSchema, document: DocumentNode, operation_name: str | None
) -> Plan | None:
    """The plan of `document`'s operation, or None when it is not one this package
    compiles. `document` must already have passed validation."""
    operation = single_query(document, operation_name)
    if operation is None:
        return None
    c = Compiling()
    write = object_writer(operation.selection_set, schema.query_type, ROOT, c)  # type: ignore[arg-type]
    if write is None or not c.roots:
        return None
    if c.roots[0][0] == "auditEvents" and c.refreshed_at:
        return None  # lastUpdatedAt is read with a report, not beside an audit page
    return Plan.of(c, document, operation, operation_name, write)
