"""Compiling `team { auditEvents(first/after/last/before) { ... } }` into a plan.

The plan knows which statements the operation needs (the page; its COUNT only
if `totalCount` is selected; the page-flag probe only if that flag is) and holds
the writer of its response. Anything outside the shapes below (fragments,
directives, arguments other than the four page arguments, `actor.user`,
`timestamp(timezone:)`, a response key given twice) is not compiled.
"""

from __future__ import annotations

from dataclasses import dataclass
from operator import itemgetter
from typing import Any

from graphql import (
    FieldNode,
    GraphQLField,
)

from graphql_api.compiled.connections import connection_fields
from graphql_api.compiled.writers import (
    Compiling,
    FieldCompiler,
    Writer,
    leaf,
    object_field,
    root_field,
)
from graphql_api.domain import enums as domain
from graphql_api.domain.audit_actions import ACTIONS
from graphql_api.domain.global_ids import to_global_id
from graphql_api.repositories.audit import AUDIT_COLUMNS
from graphql_api.repositories.pagination import Page

PAGE_ARGUMENTS = frozenset({"first", "after", "last", "before"})


@dataclass(frozen=True)
class Fetched:
    """What a plan's statements returned: the page, and the count when it was asked."""

    page: Page[Any]
    count: int | None


# Rows are read by position: a Row's attribute lookup costs several times an index,
# and a page of 50 events reads about 500 values.
_AT = {column.key: i for i, column in enumerate(AUDIT_COLUMNS)}


def _column(name: str) -> Writer:
    return itemgetter(_AT[name])


def _category(row: Any) -> str:
    return domain.AuditCategory(row[_CATEGORY]).name


_CATEGORY, _ACTION, _EVENT_ID = _AT["category"], _AT["action"], _AT["event_id"]
_ACTOR_ID, _AT_TIME = _AT["actor_id"], _AT["at"]

ACTOR: dict[str, FieldCompiler] = {
    "id": leaf(lambda row: to_global_id("User", row[_ACTOR_ID])),
    "name": leaf(_column("actor_name")),
    "username": leaf(_column("actor_username")),
    "email": leaf(_column("actor_email")),
}

EVENT: dict[str, FieldCompiler] = {
    "id": leaf(lambda row: to_global_id("AuditEvent", row[_EVENT_ID])),
    "eventId": leaf(_column("event_id")),
    "action": leaf(_column("action")),
    "actionName": leaf(lambda row: ACTIONS[row[_ACTION]].display_name),
    "actionCode": leaf(lambda row: ACTIONS[row[_ACTION]].code),
    "category": leaf(_category),
    "actor": object_field(ACTOR, lambda row: row),
    "ip": leaf(_column("ip")),
    "userAgent": leaf(_column("user_agent")),
    "message": leaf(_column("message")),
    "data": leaf(_column("data")),
    # DateTime is written as strawberry's scalar writes it.
    "timestamp": leaf(lambda row: row[_AT_TIME].isoformat()),
}


CONNECTION = connection_fields(EVENT)


_AUDIT_EVENTS = root_field("auditEvents", CONNECTION)


def audit_events(node: FieldNode, definition: GraphQLField, c: Compiling) -> Writer | None:
    """`team.auditEvents` with page arguments only: a root."""
    if any(argument.name.value not in PAGE_ARGUMENTS for argument in node.arguments or ()):
        return None
    return _AUDIT_EVENTS(node, definition, c)
