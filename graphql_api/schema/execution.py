"""The execution context every operation runs in.

graphql-core 3.3 memoizes the sub-fields it collects on its executor, keyed on
the identity of a field list it keeps alive. A subscription executes each
event on a shallow copy of its executor (`build_per_event_executor`), so every
copy wrote into the one shared dict: each delivered event left its collected
fields alive until the socket closed (about 2 objects per event, without
bound). Here each event's executor gets its own memo, which dies with it.
"""

from __future__ import annotations

from typing import Any

from graphql.pyutils import RefMap
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext


class EventScopedExecutionContext(StrawberryGraphQLCoreExecutionContext):
    """Strawberry's execution context, with no state carried from one event to the next."""

    def build_per_event_executor(self, payload: Any) -> Any:
        executor = super().build_per_event_executor(payload)
        # The memo is only an optimisation within one execution; a fresh one per
        # event costs one collection per object type per event.
        executor._relevant_sub_fields = {}
        executor._stream_usages = RefMap()
        return executor
