"""The audit log's enums: every action with its display name and dotted code, categories, orders."""

from __future__ import annotations

from enum import Enum

import strawberry

from graphql_api.domain import enums as domain
from graphql_api.domain.audit_actions import ACTIONS
from graphql_api.schema.describe import described_enum, graphql_enum

AuditAction = graphql_enum(
    "AuditAction",
    "Every action the audit log records: Postman's logged events and this server's own. "
    "Each value's description gives its display name and dotted code.",
    {
        name: (name, f"{info.display_name} ({info.code}): {info.description}")
        for name, info in ACTIONS.items()
    },
)

AuditCategory = described_enum(
    domain.AuditCategory,
    "What an audit event concerns.",
    {
        "TEAM": "The team's settings, domains, SSO, SCIM and exports.",
        "USERS": "Members, invites, groups, roles and sign-ins.",
        "BILLING": "The plan, licenses, payment and invoices.",
    },
)


@strawberry.enum(description="What the audit log can be ordered by.")
class AuditEventOrderField(Enum):
    TIMESTAMP = strawberry.enum_value(
        "TIMESTAMP", description="When the event happened; ties broken by eventId."
    )
    EVENT_ID = strawberry.enum_value(
        "EVENT_ID",
        description="Ingestion order. Ascending with `after:` is the tailing order: a "
        "consumer that keeps its last cursor sees every event exactly once.",
    )
