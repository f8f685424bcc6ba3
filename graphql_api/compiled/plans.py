"""Which operations compile: the roots a plan can start from, and the plan of each."""

from __future__ import annotations

from graphql import DocumentNode, GraphQLSchema

from graphql_api.compiled.audit_plan import AuditPagePlan, audit_events, audit_page_plan
from graphql_api.compiled.summary_plan import (
    SummaryPlan,
    last_updated_at,
    summary,
    summary_plan,
)
from graphql_api.compiled.team_apis_plan import TeamApisPlan, team_apis, team_apis_plan
from graphql_api.compiled.writers import (
    Compiling,
    FieldCompiler,
    object_field,
    object_writer,
    single_query,
)

Plan = AuditPagePlan | SummaryPlan | TeamApisPlan

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
ROOT: dict[str, FieldCompiler] = {"team": object_field(TEAM, lambda fetched: fetched)}


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
    if write is None or c.root is None:
        return None
    kind = c.root[0]
    if kind == "auditEvents":
        return audit_page_plan(document, operation, operation_name, c, write)
    if kind == "teamApis":
        return team_apis_plan(document, operation, operation_name, c, write)
    return summary_plan(document, operation, operation_name, c, write)
