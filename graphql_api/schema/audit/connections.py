"""The audit-event connection and the resolver that pages it."""

from __future__ import annotations

import strawberry

from graphql_api.repositories.audit import SORT_KEYS, AuditQuery, audit_events_statement
from graphql_api.repositories.pagination import PageArgs
from graphql_api.schema import arguments
from graphql_api.schema.audit.enums import AuditEventOrderField
from graphql_api.schema.audit.inputs import AuditEventFilter, AuditEventOrder
from graphql_api.schema.audit.types import AuditEvent
from graphql_api.schema.context import Info
from graphql_api.schema.ordering import OrderDirection
from graphql_api.schema.paging import keyset_page
from graphql_api.schema.relay import KeysetConnection, node_ids_of


@strawberry.type(description="A page of the team's audit log.")
class AuditEventConnection(KeysetConnection[AuditEvent]):
    pass


def audit_query(filter: AuditEventFilter | None) -> AuditQuery:
    """Translate the GraphQL filter into the repository's query, each value checked
    to its range (instants in UTC)."""
    if filter is None:
        return AuditQuery()
    search = filter.search or None
    return AuditQuery(
        since=arguments.instant("filter.since", filter.since),
        until=arguments.instant("filter.until", filter.until),
        actions=arguments.distinct(a.name for a in filter.actions or ()),
        categories=arguments.distinct(c.value for c in filter.categories or ()),
        actor_ids=node_ids_of(
            arguments.ids("filter.actorIds", filter.actor_ids or []),
            "User",
            argument="filter.actorIds",
        ),
        search=(
            None
            if search is None
            else arguments.text("filter.search", search, max_length=arguments.MAX_SEARCH_LENGTH)
        ),
    )


def audit_order(order_by: AuditEventOrder | None) -> tuple[str, bool]:
    """The sort field's name and whether it descends; newest first by default."""
    order = order_by or AuditEventOrder(field=AuditEventOrderField.TIMESTAMP)
    return order.field.name, order.direction is OrderDirection.DESC


def audit_timezone(timezone: str | None) -> str | None:
    """The IANA zone asked for, checked; BAD_USER_INPUT for anything that is not one."""
    return arguments.time_zone("timezone", timezone)


async def audit_events(
    info: Info,
    first: int | None,
    after: str | None,
    last: int | None,
    before: str | None,
    filter: AuditEventFilter | None,
    order_by: AuditEventOrder | None,
) -> AuditEventConnection:
    """The viewer's team's audit log within retention (the field declares the plan and
    role gate, `permissions.AuditReader`)."""
    ctx = info.context
    sort = SORT_KEYS[audit_order(order_by)]
    statement = audit_events_statement(ctx.viewer, audit_query(filter), ctx.now)
    fetched, count = await keyset_page(info, statement, sort, PageArgs(first, after, last, before))
    return AuditEventConnection.from_page(fetched, AuditEvent.from_row, count)
