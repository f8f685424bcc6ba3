"""Every operation the suite sends that a plan can answer is answered both ways, and the
two answers must be equal (issue 11's differential test, run by the whole suite).

`Api.graphql` (tests/conftest.py) calls `compare_paths` after each answer: when the
server holds a plan for the document (it learns one from the executor's first clean
answer), the operation is sent again through the plan and once more with the
server's compiled operations set aside, so through strawberry's executor, against
the same database state. Data, errors and extensions must be equal; cursors are
encrypted with a fresh nonce each time, so they are compared by what they hold.

A test that counts statements or requests opts out with `@pytest.mark.sends_once`;
`GRAPHQL_API_TEST_DIFFERENTIAL=0` turns the comparison off for a whole run.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
from collections.abc import Awaitable, Callable
from typing import Any

from cryptography.exceptions import InvalidTag

from graphql_api.repositories.cursors import MAX_CURSOR_LENGTH, CursorCodec

ENABLED = os.environ.get("GRAPHQL_API_TEST_DIFFERENTIAL", "1").strip() != "0"
# Set by tests/conftest.py for a test marked `sends_once`.
SENDING_ONCE = False
# Operations compared in this run, for the summary at the end (`-s` shows it).
COMPARED: dict[str, int] = {"operations": 0}


def opened(value: Any, codec: CursorCodec) -> Any:
    """`value` with every cursor (under any alias, of any connection) replaced by the
    connection and sort key it holds."""
    if isinstance(value, dict):
        return {k: opened(v, codec) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [opened(v, codec) for v in value]
    if isinstance(value, str) and 60 < len(value) <= MAX_CURSOR_LENGTH:
        try:
            token = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
            # The codec's own cipher: which connection a cursor is of is what we compare.
            payload = codec._aead.decrypt(token[:12], token[12:], None)
        except (ValueError, binascii.Error, InvalidTag):
            return value
        return ("cursor", json.loads(payload))
    return value


def first_difference(a: Any, b: Any, path: str = "") -> str | None:
    """Where two answers first differ, and how, or None when they are equal."""
    if isinstance(a, dict) and isinstance(b, dict):
        for key in sorted(a.keys() | b.keys()):
            if key not in a or key not in b:
                return f"{path}.{key}: only in {'the first' if key in a else 'the second'}"
            found = first_difference(a[key], b[key], f"{path}.{key}")
            if found:
                return found
        return None
    if isinstance(a, list | tuple) and isinstance(b, list | tuple):
        if len(a) != len(b):
            return f"{path}: {len(a)} items against {len(b)}: {a!r:.300} / {b!r:.300}"
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            found = first_difference(x, y, f"{path}[{i}]")
            if found:
                return found
        return None
    return None if a == b else f"{path}: {a!r:.300} against {b!r:.300}"


async def compare_paths(
    app: Any,
    query: str,
    variables: dict[str, Any],
    send: Callable[[], Awaitable[dict[str, Any]]],
) -> None:
    """Send the operation through its plan and through the executor; assert the answers
    are equal. Nothing is sent when the server holds no plan for it."""
    state = app.state.graphql_api
    compiled = state.compiled
    if not ENABLED or SENDING_ONCE or compiled is None or compiled.plan((query, None)) is None:
        return
    served = compiled.served
    through_plan = await send()
    if compiled.served == served:
        return  # the plan was not sure of this request: the executor answered it
    state.compiled = None
    try:
        through_executor = await send()
    finally:
        state.compiled = compiled
    COMPARED["operations"] += 1
    difference = first_difference(
        opened(through_plan, state.codec), opened(through_executor, state.codec)
    )
    assert difference is None, (
        f"a compiled answer differs from the executor's at {difference}",
        query,
        variables,
    )
