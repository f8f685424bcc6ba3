"""Audit actions of the billing category: plans, team size, payment and invoices."""

from __future__ import annotations

from graphql_api.domain.audit_catalog import Row
from graphql_api.domain.enums import AuditCategory

_B = AuditCategory.BILLING

ROWS: tuple[Row, ...] = (
    ("PLAN_CHANGED", "Changed Plan", "billing.plan.change", _B, "A user changed your team plan."),
    (
        "TEAM_SIZE_INCREASED",
        "Increased Team Size",
        "billing.team_size.increase",
        _B,
        "More licenses were added to your team.",
    ),
    (
        "TEAM_SIZE_DECREASED",
        "Decreased Team Size",
        "billing.team_size.decrease",
        _B,
        "Extra licenses were removed from your team.",
    ),
    (
        "MONITORING_BLOCK_COUNT_UPDATED",
        "Updated Monitoring Block Count",
        "billing.monitoring_blocks.update",
        _B,
        "A user updated monitoring block count.",
    ),
    (
        "NEXT_BILLING_CYCLE_INSTRUCTIONS_SET",
        "Set Instructions for Next Billing Cycle",
        "billing.next_cycle.set_instructions",
        _B,
        "Instructions for the next billing cycle were added.",
    ),
    (
        "BILLING_EMAIL_UPDATED",
        "Updated Billing Email",
        "billing.email.update",
        _B,
        "A user changed your team's billing email address.",
    ),
    (
        "INVOICE_DETAILS_UPDATED",
        "Updated Invoice Details",
        "billing.invoice_details.update",
        _B,
        "A user updated invoice details.",
    ),
    (
        "PAYMENT_METHOD_ADDED",
        "Added Payment Method",
        "billing.payment_method.add",
        _B,
        "A user added a payment method.",
    ),
    (
        "DEFAULT_PAYMENT_METHOD_CHANGED",
        "Changed Default Payment Method",
        "billing.payment_method.change_default",
        _B,
        "A user changed the default payment method.",
    ),
    (
        "PAYMENT_METHOD_DELETED",
        "Deleted Payment Method",
        "billing.payment_method.delete",
        _B,
        "A user deleted a payment method.",
    ),
    (
        "INVOICE_RETRIED",
        "Successfully Retried Invoice",
        "billing.invoice.retry",
        _B,
        "An invoice for your team was paid.",
    ),
    (
        "INVOICE_CANCELLED",
        "Cancelled Invoice",
        "billing.invoice.cancel",
        _B,
        "A user cancelled an invoice for your team.",
    ),
    (
        "PLAN_CANCELLED",
        "Cancelled Plan",
        "billing.plan.cancel",
        _B,
        "A user cancelled your team's subscription.",
    ),
)
