"""Turns on the event loop: CPU work of one request must not keep the loop from the
others' sockets for long.

The loop runs every callback that is ready before it polls its sockets again. A
request that makes many coroutines ready at once (graphql-core starts every item
of a list together) keeps it from every other client until all of them have run
their first step. Code that is about to do CPU work calls `take_turn()` first:
once its request has used its slice, it waits for the loop's next turn, after the
sockets were read; other requests' work goes on meanwhile.
"""

from __future__ import annotations

import asyncio
import time
from contextvars import ContextVar

# CPU seconds one request's work may keep the event loop from its sockets. Long
# enough that the resolvers of an ordinary page start in one turn (so DataLoaders
# still batch them: 100 nodes take about 10 ms), short enough that another
# client's request, which needs a few turns, is answered within a fraction of a
# second. Counted in the loop thread's CPU time, not wall time, so a machine that
# is merely busy (the process descheduled) does not split a page's batches.
SLICE_SECONDS = 0.03


class Slice:
    """When one request's current busy stretch on the loop began (None: the loop has
    polled its sockets since, as far as this request can tell)."""

    __slots__ = ("started",)

    def __init__(self) -> None:
        self.started: float | None = None

    def over(self, loop: asyncio.AbstractEventLoop) -> bool:
        """Whether this stretch has used up the slice (starting one if none runs)."""
        now = time.thread_time()
        if self.started is None:
            self.started = now
            # Runs on the loop's next turn, after it has polled its sockets.
            loop.call_soon(self.end)
            return False
        return now - self.started > SLICE_SECONDS

    def end(self) -> None:
        self.started = None


# Each request counts its own slice, so turns are fair between requests, not between
# coroutines: a request with 450 resolvers waiting does not queue ahead of another
# request's one. Tasks a request starts inherit its slice with its context.
_current: ContextVar[Slice] = ContextVar("graphql_api_slice")
_shared = Slice()


def own_slice() -> None:
    """Give the running request (this task and the tasks it starts) its own slice."""
    _current.set(Slice())


async def take_turn() -> None:
    """Return at once, unless this request has kept the loop busy for a whole slice
    without it polling its sockets: then wait for the loop's next turn."""
    loop = asyncio.get_running_loop()
    slice_ = _current.get(_shared)
    while slice_.over(loop):
        turn = loop.create_future()
        loop.call_soon(turn.set_result, None)
        await turn
