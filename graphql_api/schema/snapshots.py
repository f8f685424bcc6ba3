"""One database snapshot per query: every field of one response reads the same state.

The request's sessions (graphql_api.db.request_sessions) can share one read-only
transaction; this extension turns that on once the operation is known to be a
query. Mutations read what they have just written, and subscriptions read new
events for as long as they live, so neither takes a snapshot.
"""

from __future__ import annotations

from collections.abc import Iterator

from strawberry.extensions import SchemaExtension
from strawberry.types.graphql import OperationType


class OneSnapshotPerQuery(SchemaExtension):
    """Before a query executes, makes its request's sessions share one snapshot."""

    def on_execute(self) -> Iterator[None]:
        context = self.execution_context.context
        use_snapshot = getattr(context, "use_snapshot", None)
        if (
            use_snapshot is not None
            and self.execution_context.operation_type is OperationType.QUERY
        ):
            use_snapshot()
        yield
