"""The directory's enums as GraphQL sees them (the domain's own, described)."""

from __future__ import annotations

import strawberry

from graphql_api.domain import enums

Plan = strawberry.enum(enums.Plan, description="A team's subscription plan.")
MembershipStatus = strawberry.enum(
    enums.MembershipStatus, description="Where a user stands in a team."
)
TeamRole = strawberry.enum(enums.TeamRole, description="A team-wide role.")
Visibility = strawberry.enum(enums.Visibility, description="Who can see a workspace.")
ElementKind = strawberry.enum(enums.ElementKind, description="The kind of an element.")
