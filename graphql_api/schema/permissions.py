"""The role and plan gates, declared on the fields they guard.

A field lists its gates with `permission_classes=[...]`; strawberry runs them
before the resolver. A gate that refuses raises the error of `auth.gates`
(FORBIDDEN or PLAN_REQUIRED, with its extensions), so a gated nullable field
answers null with that code, as before the resolver would. Which fields must
declare a gate is checked by tests/schema/test_permissions.py.
"""

from __future__ import annotations

from typing import Any

from strawberry.permission import BasePermission

from graphql_api.auth import gates
from graphql_api.auth.viewer import Viewer
from graphql_api.schema.context import Info


class Gate(BasePermission):
    """A gate of `auth.gates` as a strawberry permission: raises when it refuses."""

    def check(self, viewer: Viewer) -> None:
        """Raise the gate's error unless `viewer` may read the field."""
        raise NotImplementedError

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        self.check(info.context.viewer)
        return True


class ReportReader(Gate):
    """Reports other than public workspace metrics: the ENTERPRISE plan."""

    def check(self, viewer: Viewer) -> None:
        gates.require_report_reader(viewer)


class MembersReportReader(Gate):
    """The Members overview: ENTERPRISE plan, and a SUPER_ADMIN or ADMIN role."""

    def check(self, viewer: Viewer) -> None:
        gates.require_members_report_reader(viewer)


class BillingReader(Gate):
    """Billing figures: SUPER_ADMIN, ADMIN or BILLING."""

    def check(self, viewer: Viewer) -> None:
        gates.require_billing_reader(viewer)


class AuditReader(Gate):
    """Audit events: PROFESSIONAL or ENTERPRISE plan, and a SUPER_ADMIN or ADMIN role."""

    def check(self, viewer: Viewer) -> None:
        gates.require_audit_reader(viewer)
