"""The directory's enums as GraphQL sees them: the domain's values, each described."""

from __future__ import annotations

from graphql_api.domain import enums
from graphql_api.schema.describe import described_enum

Plan = described_enum(
    enums.Plan,
    "A team's subscription plan.",
    {
        "FREE": "Free plan: public workspace metrics only.",
        "BASIC": "Basic plan: public workspace metrics only.",
        "PROFESSIONAL": "Professional plan: audit logs kept 90 days.",
        "ENTERPRISE": "Enterprise plan: every report, audit logs kept 180 days.",
    },
)
MembershipStatus = described_enum(
    enums.MembershipStatus,
    "Where a user stands in a team.",
    {
        "ACTIVE": "A member of the team.",
        "INVITED": "Invited, not joined yet.",
        "REMOVED": "Was a member, since removed.",
    },
)
TeamRole = described_enum(
    enums.TeamRole,
    "A team-wide role. Roles do not grant access to elements.",
    {
        "SUPER_ADMIN": "Manages everything in the team, including admins.",
        "ADMIN": "Manages members, settings and the audit log.",
        "BILLING": "Manages the plan, payment and invoices.",
        "DEVELOPER": "Works with the team's elements.",
        "COMMUNITY_MANAGER": "Manages public workspaces and the team's public profile.",
    },
)
Visibility = described_enum(
    enums.Visibility,
    "Who can see a workspace.",
    {
        "PERSONAL": "Only its owner (and whoever holds a grant).",
        "PRIVATE": "Only members holding a grant on it.",
        "TEAM": "Every member of the team.",
        "PUBLIC": "Everyone, including people outside the team.",
    },
)
ElementKind = described_enum(
    enums.ElementKind,
    "The kind of an element.",
    {
        "COLLECTION": "A collection of requests.",
        "API": "An API definition.",
        "ENVIRONMENT": "A set of variables.",
        "MOCK_SERVER": "A mock server.",
        "MONITOR": "A monitor that runs a collection on a schedule.",
    },
)
