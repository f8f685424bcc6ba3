"""The viewer's API keys as a connection."""

from __future__ import annotations

import strawberry

from graphql_api.repositories.api_keys import API_KEY_SORT, own_keys_statement
from graphql_api.repositories.pagination import PageArgs
from graphql_api.schema.api_keys.types import ApiKey
from graphql_api.schema.context import Info
from graphql_api.schema.paging import keyset_page
from graphql_api.schema.relay import KeysetConnection


@strawberry.type(description="A page of API keys, newest first.")
class ApiKeyConnection(KeysetConnection[ApiKey]):
    pass


async def own_api_keys(
    info: Info, include_revoked: bool, first: int | None, after: str | None
) -> ApiKeyConnection:
    """The viewer's own keys in the viewer's team."""
    statement = own_keys_statement(info.context.viewer, include_revoked=include_revoked)
    fetched, count = await keyset_page(info, statement, API_KEY_SORT, PageArgs(first, after))
    return ApiKeyConnection.from_page(fetched, ApiKey.from_row, count)
