"""Billing types: seats, invoices, monthly usage and billing-activity entries.

`ResourceUsage` is shared with the Billing overview report (schema/reports/billing.py).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import strawberry
from strawberry import relay

from graphql_api.domain import enums as domain
from graphql_api.repositories.reports.billing import MonthlyUsage
from graphql_api.schema.audit.types import AuditEvent
from graphql_api.schema.billing.enums import BillingActivityKind, InvoiceStatus, UsageResource


@strawberry.type(description="Licenses bought and in use.")
class Seats:
    total: int | None = strawberry.field(
        description="Licenses bought (the latest seat change); null if none was recorded."
    )
    used: int = strawberry.field(description="Licenses in use: the team's active members.")

    @strawberry.field(description="Licenses free to assign; null when the total is unknown.")
    def available(self) -> int | None:
        return None if self.total is None else max(0, self.total - self.used)


@strawberry.type(description="An invoice of the team.")
class Invoice(relay.Node):
    id: relay.NodeID[str]
    number: str = strawberry.field(description="The invoice number.")
    period_start: date = strawberry.field(description="First day billed.")
    period_end: date = strawberry.field(description="Last day billed.")
    amount_cents: int = strawberry.field(description="Amount in the currency's minor unit.")
    currency: str = strawberry.field(description="ISO 4217 currency code.")
    status: InvoiceStatus = strawberry.field(description="Where the invoice stands.")
    issued_at: datetime = strawberry.field(description="When the invoice was issued.")

    @classmethod
    def from_row(cls, row: Any) -> Invoice:
        return cls(
            id=row.ext_id,
            number=row.number,
            period_start=row.period_start,
            period_end=row.period_end,
            amount_cents=int(row.amount_cents),
            currency=row.currency,
            status=domain.InvoiceStatus(row.status),
            issued_at=row.at,
        )


@strawberry.type(description="One resource's use in one month against the plan's allowance.")
class ResourceUsage:
    month: date = strawberry.field(description="First day of the month.")
    resource: UsageResource = strawberry.field(description="The resource.")
    used: int = strawberry.field(description="Quantity used in the month (within the range).")
    allowance: int | None = strawberry.field(
        description="The plan's monthly allowance; null when the plan sets none."
    )
    overage: int = strawberry.field(description="Quantity used beyond the allowance.")

    @classmethod
    def from_row(cls, row: MonthlyUsage) -> ResourceUsage:
        return cls(
            month=row.month,
            resource=domain.UsageResource(row.resource),
            used=row.used,
            allowance=row.allowance,
            overage=row.overage,
        )


@strawberry.type(description="Metered usage in one month against the plan's allowances.")
class BillingUsage:
    month: date = strawberry.field(description="First day of the month.")
    resources: list[ResourceUsage] = strawberry.field(
        description="Every metered resource the plan allows or the team used, by name."
    )


@strawberry.type(description="One entry of the billing-activity timeline.")
class BillingActivity:
    at: datetime = strawberry.field(description="When it happened.")
    kind: BillingActivityKind = strawberry.field(description="What the entry is.")
    message: str = strawberry.field(description="What happened, in words.")
    audit_event: AuditEvent | None = strawberry.field(
        description="The audit event, for an AUDIT_EVENT entry."
    )
    invoice: Invoice | None = strawberry.field(description="The invoice, for an INVOICE entry.")

    @classmethod
    def from_row(cls, row: Any, event: Any, invoice: Any) -> BillingActivity:
        """`row` is the timeline's row (its `kind`); `event` or `invoice` is the entry."""
        kind = row.kind
        if event is not None:
            return cls(
                at=event.at,
                kind=kind,
                message=event.message,
                audit_event=AuditEvent.from_row(event),
                invoice=None,
            )
        shown = Invoice.from_row(invoice)
        amount = f"{shown.currency} {shown.amount_cents / 100:,.2f}"
        return cls(
            at=shown.issued_at,
            kind=kind,
            message=f"Invoice {shown.number} for {shown.period_start} to {shown.period_end}: "
            f"{amount}, {shown.status.value}.",
            audit_event=None,
            invoice=shown,
        )
