"""The directory's connections and the resolvers that page them."""

from __future__ import annotations

import strawberry

from graphql_api.domain import enums as domain
from graphql_api.repositories import directory
from graphql_api.repositories.pagination import PageArgs
from graphql_api.schema.context import Info
from graphql_api.schema.directory.types import Element, Membership, element_from_row
from graphql_api.schema.paging import keyset_page
from graphql_api.schema.relay import KeysetConnection


@strawberry.type(description="A page of the team's memberships.")
class MembershipConnection(KeysetConnection[Membership]):
    pass


@strawberry.type(description="A page of the elements the viewer can access.")
class ElementConnection(KeysetConnection[Element]):
    pass


async def members(
    info: Info, first: int | None, after: str | None, last: int | None, before: str | None
) -> MembershipConnection:
    """Every membership of the viewer's team, by member name."""
    statement = directory.members_statement(info.context.viewer)
    fetched, count = await keyset_page(
        info, statement, directory.MEMBER_SORT, PageArgs(first, after, last, before)
    )
    return MembershipConnection.from_page(fetched, Membership.from_row, count)


async def elements(
    info: Info,
    kind: domain.ElementKind | None,
    first: int | None,
    after: str | None,
    last: int | None,
    before: str | None,
) -> ElementConnection:
    """The elements the viewer may access, by name; access is applied in SQL, before paging."""
    statement = directory.readable_elements_statement(
        info.context.viewer, kind.value if kind else None
    )
    fetched, count = await keyset_page(
        info, statement, directory.ELEMENT_SORT, PageArgs(first, after, last, before)
    )
    return ElementConnection.from_page(fetched, element_from_row, count)
