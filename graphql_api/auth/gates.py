"""Role and plan gates: a gated field answers null with an error code.

See docs/concepts.md#roles-and-plans.
"""

from __future__ import annotations

from collections.abc import Iterable

from graphql_api.auth.viewer import Viewer
from graphql_api.domain.enums import AUDIT_READER_ROLES, AUDIT_RETENTION_DAYS, Plan, TeamRole
from graphql_api.errors import Forbidden, PlanRequired


def require_plan(viewer: Viewer, plans: Iterable[Plan], feature: str) -> None:
    """Raise PLAN_REQUIRED unless the viewer's team is on one of `plans`."""
    allowed = tuple(plans)
    if viewer.plan not in allowed:
        names = " or ".join(p.value for p in allowed)
        raise PlanRequired(
            f"{feature} needs the {names} plan; this team is on {viewer.plan.value}.",
            requiredPlans=[p.value for p in allowed],
        )


def require_role(viewer: Viewer, roles: frozenset[TeamRole], feature: str) -> None:
    """Raise FORBIDDEN unless the viewer holds one of `roles` in the team."""
    if not viewer.has_any_role(roles):
        names = ", ".join(sorted(r.value for r in roles))
        raise Forbidden(f"{feature} is visible to team roles {names} only.")


MEMBERS_REPORT_ROLES = frozenset({TeamRole.SUPER_ADMIN, TeamRole.ADMIN})
# Admins may revoke any member's key (a leaked key cannot wait for its owner).
KEY_ADMIN_ROLES = frozenset({TeamRole.SUPER_ADMIN, TeamRole.ADMIN})
BILLING_ROLES = frozenset({TeamRole.SUPER_ADMIN, TeamRole.ADMIN, TeamRole.BILLING})


def require_billing_reader(viewer: Viewer) -> None:
    """Billing figures: SUPER_ADMIN, ADMIN or BILLING (docs/concepts.md#roles-and-plans)."""
    require_role(viewer, BILLING_ROLES, "Billing")


REPORT_PLANS = (Plan.ENTERPRISE,)


def require_report_reader(viewer: Viewer) -> None:
    """Reports other than public workspace metrics: the ENTERPRISE plan."""
    require_plan(viewer, REPORT_PLANS, "Reports")


def require_members_report_reader(viewer: Viewer) -> None:
    """The Members overview: ENTERPRISE plan, and a SUPER_ADMIN or ADMIN role."""
    require_report_reader(viewer)
    require_role(viewer, MEMBERS_REPORT_ROLES, "The Members overview")


def require_audit_reader(viewer: Viewer) -> None:
    """Audit events: PROFESSIONAL or ENTERPRISE plan, and a SUPER_ADMIN or ADMIN role."""
    require_plan(viewer, AUDIT_RETENTION_DAYS, "The audit log")
    require_role(viewer, AUDIT_READER_ROLES, "The audit log")
