"""The viewer's export jobs as a connection."""

from __future__ import annotations

import strawberry

from graphql_api.repositories.export_jobs import EXPORT_SORT, own_jobs_statement
from graphql_api.repositories.pagination import PageArgs
from graphql_api.schema.context import Info
from graphql_api.schema.exports.types import ExportJob
from graphql_api.schema.paging import keyset_page
from graphql_api.schema.relay import KeysetConnection


@strawberry.type(description="A page of export jobs, newest first.")
class ExportJobConnection(KeysetConnection[ExportJob]):
    pass


async def own_exports(info: Info, first: int | None, after: str | None) -> ExportJobConnection:
    """The viewer's own exports."""
    statement = own_jobs_statement(info.context.viewer)
    fetched, count = await keyset_page(info, statement, EXPORT_SORT, PageArgs(first, after))
    return ExportJobConnection.from_page(fetched, ExportJob.from_row, count)
