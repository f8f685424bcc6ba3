"""The root Mutation, assembled from each domain's mutations."""

from __future__ import annotations

import strawberry

from graphql_api.schema.api_keys import mutations as api_keys
from graphql_api.schema.exports import mutations as exports
from graphql_api.schema.exports.types import ExportJob
from graphql_api.schema.permissions import (
    AuditReader,
    MembersReportReader,
    ReportReader,
)


@strawberry.type(description="Everything that changes state. Each mutation records an audit event.")
class Mutation:
    create_api_key: api_keys.CreateApiKeyPayload = strawberry.mutation(
        resolver=api_keys.create_api_key,
        description="Create an API key for the viewer. Its secret is in the payload, once.",
    )
    revoke_api_key: api_keys.RevokeApiKeyPayload = strawberry.mutation(
        resolver=api_keys.revoke,
        description="Revoke an API key: one's own, or as SUPER_ADMIN or ADMIN any of the "
        "team's. It stops working on the next request. Revoking twice changes nothing.",
    )
    export_audit_events: ExportJob = strawberry.mutation(
        resolver=exports.export_audit_events,
        permission_classes=[AuditReader],
        description="Export the audit log to CSV with these filters and order (default: "
        "the last seven days, newest first); timestamps in `timezone` if given. Needs what "
        "`team.auditEvents` needs. Returns the job; its link is valid for an hour.",
    )
    export_team_apis: ExportJob = strawberry.mutation(
        resolver=exports.export_team_apis,
        permission_classes=[ReportReader],
        description="Export the Team APIs report table to CSV, with the query's arguments.",
    )
    export_members: ExportJob = strawberry.mutation(
        resolver=exports.export_members,
        permission_classes=[MembersReportReader],
        description="Export the Members overview's member list to CSV, with its arguments.",
    )
    export_public_workspaces: ExportJob = strawberry.mutation(
        resolver=exports.export_public_workspaces,
        description="Export public workspace metrics to CSV, with the query's arguments.",
    )
    export_content_elements: ExportJob = strawberry.mutation(
        resolver=exports.export_content_elements,
        permission_classes=[ReportReader],
        description="Export the Content activity report's most active elements to CSV "
        "(for one API with `api`), with the query's arguments.",
    )
    export_api_findings: ExportJob = strawberry.mutation(
        resolver=exports.export_api_findings,
        permission_classes=[ReportReader],
        description="Export the API security report's APIs by open findings to CSV.",
    )
