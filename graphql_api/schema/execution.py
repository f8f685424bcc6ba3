"""The execution context every operation runs in.

graphql-core 3.3 memoizes the sub-fields it collects on its executor, keyed on
the identity of a field list it keeps alive. A subscription executes each
event on a shallow copy of its executor (`build_per_event_executor`), so every
copy wrote into the one shared dict: each delivered event left its collected
fields alive until the socket closed (about 2 objects per event, without
bound). Here each event's executor gets its own memo, which dies with it.

It also takes turns. graphql-core starts every item of a list at once: a
90-day series with a drill-down on each point puts 90 resolvers on the event
loop's ready queue together, and the loop runs them all (building 90
statements, about 25 ms each) before it looks at its sockets again, so every
other client waited seconds. Here an awaited resolver that would start after
the loop has already been busy for a slice (graphql_api.db.turns) without looking at its
sockets waits for the next turn of the loop; other requests go on in between.
"""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Any, TypeVar

from graphql.pyutils import RefMap
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from graphql_api.db.turns import take_turn

T = TypeVar("T")


class EventScopedExecutionContext(StrawberryGraphQLCoreExecutionContext):
    """Strawberry's execution context, with no state carried from one event to the next,
    whose resolvers take turns with other requests."""

    async def with_abort_signal(self, awaitable: Awaitable[T]) -> T:
        await take_turn()
        return await super().with_abort_signal(awaitable)

    def build_per_event_executor(self, payload: Any) -> Any:
        executor = super().build_per_event_executor(payload)
        # The memo is only an optimisation within one execution; a fresh one per
        # event costs one collection per object type per event.
        executor._relevant_sub_fields = {}
        executor._stream_usages = RefMap()
        return executor
