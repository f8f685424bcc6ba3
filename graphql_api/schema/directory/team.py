"""The Team type: the root of everything a viewer can see."""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry import relay

from graphql_api.auth.viewer import Viewer
from graphql_api.domain import enums as domain
from graphql_api.schema.audit import connections as audit
from graphql_api.schema.audit.inputs import AuditEventFilter, AuditEventOrder
from graphql_api.schema.billing.fields import Billing
from graphql_api.schema.context import Info
from graphql_api.schema.directory import connections
from graphql_api.schema.directory.enums import ElementKind, Plan
from graphql_api.schema.permissions import AuditReader, BillingReader
from graphql_api.schema.reports.fields import Reports


@strawberry.type(description="A team: the tenant every figure and event belongs to.")
class Team(relay.Node):
    id: relay.NodeID[str]
    name: str = strawberry.field(description="The team's name.")
    slug: str = strawberry.field(description="The team's URL name.")
    plan: Plan = strawberry.field(description="The team's plan; it gates reports and audit logs.")

    @strawberry.field(description="Every membership of the team (any status), by member name.")
    async def members(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> connections.MembershipConnection:
        return await connections.members(info, first, after, last, before)

    @strawberry.field(description="The elements the viewer can access, by name.")
    async def elements(
        self,
        info: Info,
        kind: ElementKind | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> connections.ElementConnection:
        return await connections.elements(info, kind, first, after, last, before)

    @strawberry.field(
        description="The team's audit log, newest first unless ordered otherwise. "
        "Needs the PROFESSIONAL (90 days kept) or ENTERPRISE (180 days) plan and the "
        "SUPER_ADMIN or ADMIN role; otherwise null with PLAN_REQUIRED or FORBIDDEN.",
        permission_classes=[AuditReader],
    )
    async def audit_events(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
        filter: AuditEventFilter | None = None,
        order_by: AuditEventOrder | None = None,
    ) -> audit.AuditEventConnection | None:
        return await audit.audit_events(info, first, after, last, before, filter, order_by)

    @strawberry.field(
        description="The team's billing, for SUPER_ADMIN, ADMIN and BILLING members "
        "(otherwise null with FORBIDDEN). Every plan has one.",
        permission_classes=[BillingReader],
    )
    def billing(self, info: Info) -> Billing | None:
        return Billing(plan=info.context.viewer.plan)

    @strawberry.field(description="The team's usage reports.")
    def reports(self) -> Reports:
        return Reports()

    @classmethod
    def from_row(cls, row: Any) -> Team:
        return cls(id=row.id, name=row.name, slug=row.slug, plan=domain.Plan(row.plan))

    @classmethod
    def from_viewer(cls, viewer: Viewer) -> Team:
        """The viewer's team as the key lookup read it."""
        return cls(
            id=viewer.team_id, name=viewer.team_name, slug=viewer.team_slug, plan=viewer.plan
        )
