"""Inputs that filter invoices."""

from __future__ import annotations

from datetime import date

import strawberry

from graphql_api.schema.arguments import EARLIEST_DAY, LATEST_DAY
from graphql_api.schema.billing.enums import InvoiceStatus

_DAYS = f"between {EARLIEST_DAY.isoformat()} and {LATEST_DAY.isoformat()}"


@strawberry.input(description="Narrows the invoice list; filters combine with AND.")
class InvoiceFilter:
    statuses: list[InvoiceStatus] | None = strawberry.field(
        default=None, description="Only invoices in these statuses."
    )
    period_from: date | None = strawberry.field(
        default=None,
        description=f"Only invoices whose period ends on or after this day ({_DAYS}).",
    )
    period_to: date | None = strawberry.field(
        default=None,
        description=f"Only invoices whose period starts on or before this day ({_DAYS}).",
    )
