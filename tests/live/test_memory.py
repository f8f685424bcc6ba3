"""An open subscription keeps nothing from the events it has delivered (issue 17).

graphql-core 3.3 memoizes collected sub-fields on its executor, and each event
of a subscription runs on a shallow copy of it: without our own execution
context every delivered event left one `CollectedFields` alive until the
socket closed, so a live audit view left open for a day ended the server.
"""

from __future__ import annotations

import gc

from graphql.execution.collect_fields import CollectedFields

from tests import factories as f
from tests.live.conftest import Subscriber

EVENTS = 1_000


def live_collected_fields() -> int:
    gc.collect()
    return sum(1 for o in gc.get_objects() if isinstance(o, CollectedFields))


async def test_an_open_subscription_keeps_nothing_alive_per_delivered_event(server_url, world, db):
    client = await Subscriber.connect(server_url, payload={"X-Api-Key": world.admin_key})
    await client.subscribe()
    # Warm up: the first events build what is built once per subscription.
    await f.ingest(db, *(f.audit_event(id=f"w{n}", team="acme", actor="ada") for n in range(10)))
    await client.events(10)
    before = live_collected_fields()

    await f.ingest(
        db, *(f.audit_event(id=f"e{n}", team="acme", actor="ada") for n in range(EVENTS))
    )
    delivered = await client.events(EVENTS)

    assert len(delivered) == EVENTS
    assert live_collected_fields() - before < 10
    await client.close()
