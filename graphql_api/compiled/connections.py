"""A Relay connection's fields, written from a fetched page: nodes, edges, pageInfo and
totalCount, for any node type."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from graphql import FieldNode, GraphQLField

from graphql_api.compiled.writers import Compiling, FieldCompiler, Writer, leaf, object_field


def _flag(flag: str) -> FieldCompiler:
    write = leaf(lambda page: getattr(page, flag))

    def compile_flag(node: FieldNode, definition: GraphQLField, c: Compiling) -> Writer | None:
        c.flags.add(flag)  # the probe for a flag runs only when the flag is asked for
        return write(node, definition, c)

    return compile_flag


def _cursor_at(index: int) -> Writer:
    return lambda page: page.cursors[index] if page.rows else None


PAGE_INFO: dict[str, FieldCompiler] = {
    "hasNextPage": _flag("has_next_page"),
    "hasPreviousPage": _flag("has_previous_page"),
    "startCursor": leaf(_cursor_at(0)),
    "endCursor": leaf(_cursor_at(-1)),
}


def _total_count(node: FieldNode, definition: GraphQLField, c: Compiling) -> Writer | None:
    c.count = True
    return leaf(lambda fetched: fetched.count)(node, definition, c)


def connection_fields(
    node_fields: Mapping[str, FieldCompiler],
    node_of: Callable[[Any, Any], Any] | None = None,
) -> dict[str, FieldCompiler]:
    """The fields of a connection whose fetched object has `page` (a Page) and `count`;
    `node_of(fetched, row)` gives what the node's writers read (the row by default)."""
    if node_of is None:
        nodes: Writer = lambda fetched: fetched.page.rows  # noqa: E731
        node_at: Writer = lambda edge: edge[0].page.rows[edge[1]]  # noqa: E731
    else:
        nodes = lambda fetched: [node_of(fetched, row) for row in fetched.page.rows]  # noqa: E731
        node_at = lambda edge: node_of(edge[0], edge[0].page.rows[edge[1]])  # noqa: E731
    edge: dict[str, FieldCompiler] = {
        "cursor": leaf(lambda edge: edge[0].page.cursors[edge[1]]),
        "node": object_field(node_fields, node_at),
    }
    return {
        "nodes": object_field(node_fields, nodes, many=True),
        "edges": object_field(
            edge, lambda fetched: [(fetched, i) for i in range(len(fetched.page.rows))], many=True
        ),
        "pageInfo": object_field(PAGE_INFO, lambda fetched: fetched.page),
        "totalCount": _total_count,
    }
