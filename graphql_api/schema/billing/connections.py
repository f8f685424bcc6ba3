"""Billing connections: invoices and the billing-activity timeline."""

from __future__ import annotations

import strawberry

from graphql_api.repositories import billing
from graphql_api.repositories.pagination import PageArgs
from graphql_api.schema import arguments
from graphql_api.schema.billing.inputs import InvoiceFilter
from graphql_api.schema.billing.types import BillingActivity, Invoice
from graphql_api.schema.context import Info
from graphql_api.schema.paging import keyset_page
from graphql_api.schema.relay import KeysetConnection


@strawberry.type(description="A page of invoices, newest first.")
class InvoiceConnection(KeysetConnection[Invoice]):
    pass


@strawberry.type(description="A page of billing activity, newest first.")
class BillingActivityConnection(KeysetConnection[BillingActivity]):  # type: ignore[type-var]
    pass


def invoice_query(filter: InvoiceFilter | None) -> billing.InvoiceQuery:
    """Translate the GraphQL filter into the repository's query."""
    if filter is None:
        return billing.InvoiceQuery()
    return billing.InvoiceQuery(
        statuses=arguments.distinct(s.value for s in filter.statuses or ()),
        period_from=arguments.day("filter.periodFrom", filter.period_from),
        period_to=arguments.day("filter.periodTo", filter.period_to),
    )


async def invoices(info: Info, filter: InvoiceFilter | None, args: PageArgs) -> InvoiceConnection:
    """The team's invoices, newest first."""
    statement = billing.invoices_statement(info.context.viewer, invoice_query(filter))
    fetched, count = await keyset_page(info, statement, billing.INVOICE_SORT, args)
    return InvoiceConnection.from_page(fetched, Invoice.from_row, count)


async def activity(info: Info, args: PageArgs) -> BillingActivityConnection:
    """BILLING audit events and invoices in one timeline; two lookups per page of any size."""
    ctx = info.context
    statement, sort = billing.billing_activity_statement(ctx.viewer, ctx.now)
    fetched, count = await keyset_page(info, statement, sort, args)
    async with ctx.db() as session:
        entries = await billing.activity_entries(session, ctx.viewer, fetched.rows, ctx.now)
    built = {
        (row.kind, row.ref): BillingActivity.from_row(row, event, invoice)
        for row, (event, invoice) in zip(fetched.rows, entries, strict=True)
    }
    return BillingActivityConnection.from_page(
        fetched, lambda row: built[(row.kind, row.ref)], count
    )
