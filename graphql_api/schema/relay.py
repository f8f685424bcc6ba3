"""Relay plumbing: global ids and the keyset connection base type."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any, Generic, TypeVar

import strawberry
from strawberry import relay

from graphql_api.domain import global_ids
from graphql_api.errors import BadUserInput
from graphql_api.repositories.pagination import Page
from graphql_api.schema import arguments

NodeT = TypeVar("NodeT", bound=relay.Node)


def to_global_id(type_name: str, node_id: str | int) -> str:
    """The opaque global id of a node."""
    return global_ids.to_global_id(type_name, node_id)


def from_global_id(value: str, *, argument: str = "id") -> relay.GlobalID:
    """Parse a global id, or raise BAD_USER_INPUT naming `argument` when it is not one.

    The node id inside must be text the databases can compare (no NUL, no lone
    surrogate) and no longer than any stored id.
    """
    arguments.text(argument, value, max_length=arguments.MAX_GLOBAL_ID_LENGTH)
    try:
        gid = relay.GlobalID.from_id(value)
    except Exception as exc:  # strawberry raises several kinds for bad base64/shape
        raise BadUserInput(f"Malformed id {value!r}.", argument=argument) from exc
    if not gid.type_name or not gid.node_id:
        raise BadUserInput(f"Malformed id {value!r}.", argument=argument)
    arguments.text(argument, gid.node_id, max_length=arguments.MAX_NODE_ID_LENGTH)
    return gid


def node_ids_of(values: list[strawberry.ID], type_name: str, *, argument: str = "id") -> list[str]:
    """Unwrap global ids that must all name nodes of `type_name`."""
    out = []
    for value in values:
        gid = from_global_id(value, argument=argument)
        if gid.type_name != type_name:
            raise BadUserInput(f"Id {value!r} is not a {type_name} id.", argument=argument)
        out.append(gid.node_id)
    return out


class DeferredCursor:
    """A cursor that becomes its text when the response is written.

    graphql-core serializes a String from any object through `str()`, so an edge
    or pageInfo holds this instead of the cursor, and a cursor nobody selected is
    never encrypted.
    """

    __slots__ = ("_cursors", "_index")

    def __init__(self, cursors: Sequence[str], index: int) -> None:
        self._cursors = cursors
        self._index = index

    def __str__(self) -> str:
        return self._cursors[self._index]


@strawberry.type(description="A connection to a page of items, paginated by keyset.")
class KeysetConnection(relay.Connection[NodeT], Generic[NodeT]):
    """Relay connection with `nodes` and a lazily counted `totalCount`."""

    count_loader: strawberry.Private[Callable[[], Awaitable[int]]]

    @strawberry.field(description="The items of this page, without their cursors.")
    def nodes(self) -> list[NodeT]:
        return [edge.node for edge in self.edges]

    @strawberry.field(
        description="How many items the whole connection holds, across all pages, "
        "with the current filters."
    )
    async def total_count(self) -> int:
        return await self.count_loader()

    @classmethod
    def from_page(
        cls,
        page: Page[Any],
        to_node: Callable[[Any], Any],
        count_loader: Callable[[], Awaitable[int]],
        *,
        edge_class: type[Any] = relay.Edge,
        **fields: Any,
    ) -> Any:
        """Wrap a fetched page: one edge per row, Relay's page info, the deferred count.

        Cursors are encrypted only if the response shows them (DeferredCursor)."""
        cursors = page.cursors
        edges = [
            edge_class(cursor=DeferredCursor(cursors, i), node=to_node(row))
            for i, row in enumerate(page.rows)
        ]
        last = len(edges) - 1
        return cls(
            edges=edges,
            page_info=relay.PageInfo(
                has_next_page=page.has_next_page,
                has_previous_page=page.has_previous_page,
                start_cursor=DeferredCursor(cursors, 0) if edges else None,  # type: ignore[arg-type]
                end_cursor=DeferredCursor(cursors, last) if edges else None,  # type: ignore[arg-type]
            ),
            count_loader=count_loader,
            **fields,
        )
