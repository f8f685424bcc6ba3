"""Enums of the billing domain."""

from __future__ import annotations

from graphql_api.domain import enums as domain
from graphql_api.repositories.billing import AUDIT_ENTRY, INVOICE_ENTRY
from graphql_api.schema.describe import described_enum, graphql_enum

InvoiceStatus = described_enum(
    domain.InvoiceStatus,
    "Where an invoice stands.",
    {
        "DRAFT": "Being prepared; not yet a bill.",
        "OPEN": "Issued and awaiting payment.",
        "PAID": "Paid.",
        "VOID": "Cancelled; never owed.",
        "UNCOLLECTIBLE": "Issued, but payment is not expected.",
    },
)

BillingActivityKind = graphql_enum(
    "BillingActivityKind",
    "What a billing-activity entry is.",
    {
        AUDIT_ENTRY: (AUDIT_ENTRY, "A BILLING audit event (plan, payment, seats...)."),
        INVOICE_ENTRY: (INVOICE_ENTRY, "An invoice was issued."),
    },
)

UsageResource = described_enum(
    domain.UsageResource,
    "A metered resource with a monthly allowance.",
    {
        "MONITOR_REQUESTS": "Requests made by monitors.",
        "MOCK_REQUESTS": "Requests served by mock servers.",
        "POSTMAN_API_CALLS": "Calls to the platform's API.",
        "FLOWS_REQUESTS": "Requests made by flows.",
        "CUSTOM_DOMAINS": "Custom domains in use.",
    },
)
