"""Generated audit-page operations: the compiled answer equals the executor's, every time.

Operations are drawn (with a fixed seed, so a failure reproduces) from the shapes the
compiler knows, plus a few it does not: any subset and order of the connection's
and the event's fields, aliases, `__typename`, literal or variable page arguments,
good and bad cursors, out-of-range sizes, `actor.user`. Each is sent by the admin,
a developer and another team's admin to a compiling server (twice: the first
sending teaches it) and to one with compilation off.
"""

from __future__ import annotations

import json
import random
from typing import Any

import pytest

from graphql_api.repositories.cursors import CursorCodec
from tests.compiled.pairs import answers
from tests.compiled.test_compiled_equals_executor import _normalised, events, servers

# The compiled path against the executor: compiled operations on in every run.
pytestmark = pytest.mark.compiled

__all__ = ["events", "servers"]  # fixtures shared with the hand-written cases

SEED = 20261204
OPERATIONS = 100
EVENT_FIELDS = [
    "eventId",
    "id",
    "action",
    "actionName",
    "actionCode",
    "category",
    "ip",
    "userAgent",
    "message",
    "data",
    "timestamp",
]
ACTOR_FIELDS = ["id", "name", "username", "email"]
FLAGS = ["hasNextPage", "hasPreviousPage", "startCursor", "endCursor"]


def _some(rng: random.Random, names: list[str], extra: str | None = None) -> str:
    chosen = rng.sample(names, rng.randint(1, len(names)))
    if extra and rng.random() < 0.2:
        chosen.append(extra)
    parts = []
    for i, name in enumerate(chosen):
        alias = f"a{i}: " if rng.random() < 0.2 and not name.startswith("actor") else ""
        parts.append(alias + name)
    return " ".join(parts)


def _event(rng: random.Random) -> str:
    fields = _some(rng, EVENT_FIELDS, "__typename")
    if rng.random() < 0.5:
        actor = _some(rng, ACTOR_FIELDS, "__typename")
        if rng.random() < 0.1:
            actor += " user { id }"  # not compiled: the executor answers
        fields += f" actor {{ {actor} }}"
    return fields


def _connection(rng: random.Random) -> str:
    parts = []
    for part in rng.sample(
        ["nodes", "edges", "pageInfo", "totalCount", "__typename"], rng.randint(1, 4)
    ):
        if part == "nodes":
            parts.append(f"nodes {{ {_event(rng)} }}")
        elif part == "edges":
            inner = _some(rng, ["cursor", "node"], "__typename").replace(
                "node", f"node {{ {_event(rng)} }}"
            )
            parts.append(f"edges {{ {inner} }}")
        elif part == "pageInfo":
            parts.append(f"pageInfo {{ {_some(rng, FLAGS, '__typename')} }}")
        else:
            parts.append(part)
    return " ".join(parts)


def _arguments(rng: random.Random, cursors: list[str]) -> tuple[str, str, dict[str, Any]]:
    """The field's arguments, the operation's variable definitions and their values."""
    forward = rng.random() < 0.7
    size = rng.choice([0, 1, 3, 5, 20, 100] + ([101, -1] if rng.random() < 0.1 else []))
    cursor = rng.choice([None, None, *cursors, "not-a-cursor"])
    names = ("first", "after") if forward else ("last", "before")
    values: dict[str, Any] = {names[0]: size}
    if cursor is not None:
        values[names[1]] = cursor
    if rng.random() < 0.5:  # as literals
        args = ", ".join(f"{k}: {json.dumps(v)}" for k, v in values.items())
        return args, "", {}
    types = {"first": "Int", "last": "Int", "after": "String", "before": "String"}
    args = ", ".join(f"{k}: ${k}" for k in values)
    definitions = "(" + ", ".join(f"${k}: {types[k]}" for k in values) + ")"
    return args, definitions, values


def _operation(rng: random.Random, cursors: list[str]) -> tuple[str, dict[str, Any]]:
    args, definitions, variables = _arguments(rng, cursors)
    alias = "log: " if rng.random() < 0.2 else ""
    head = f"query{definitions}" if definitions else "query"
    args = f"({args})" if args else ""
    document = f"{head} {{ team {{ {alias}auditEvents{args} {{ {_connection(rng)} }} }} }}"
    return document, variables


@pytest.mark.sends_once
async def test_generated_audit_pages_answer_as_the_executor(servers, world, settings):
    codec = CursorCodec(settings.secret_key)
    compiling, _ = servers
    page = await compiling.graphql(
        "{ team { auditEvents(first: 4) { edges { cursor } } } }", world.admin_key
    )
    cursors = [e["cursor"] for e in page["data"]["team"]["auditEvents"]["edges"]]
    rng = random.Random(SEED)
    keys = [world.admin_key, world.dev_key, world.other_admin_key]
    compiled_answers = 0
    for _ in range(OPERATIONS):
        query, variables = _operation(rng, cursors)
        for key in keys:
            compiled, executed, used = await answers(servers, key, query, variables)
            assert _normalised(compiled, codec) == _normalised(executed, codec), (query, variables)
            compiled_answers += used
    # Most admin operations are compiled; the test must not pass on fallbacks alone.
    assert compiled_answers >= OPERATIONS // 3
