"""Two servers on one database, one compiling operations and one not, and the answers
of both to one operation."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from dataclasses import replace
from typing import Any

from tests.conftest import serving_api


@contextlib.asynccontextmanager
async def compiling_and_executing(settings: Any) -> AsyncIterator[tuple[Any, Any]]:
    """A server compiling operations and one with GRAPHQL_API_COMPILED_OPERATIONS off."""
    async with (
        serving_api(replace(settings, compiled_operations=True)) as compiling,
        serving_api(replace(settings, compiled_operations=False)) as executing,
    ):
        yield compiling, executing


async def answers(servers: Any, key: str, query: str, variables: dict[str, Any]) -> Any:
    """The compiling server's second answer (the first teaches it), the executing
    server's answer, and whether the second answer came from a plan."""
    compiling, executing = servers
    await compiling.graphql(query, key, variables)  # learnt here, if it can be
    served = compiling.app.state.graphql_api.compiled.served
    compiled = await compiling.graphql(query, key, variables)
    executed = await executing.graphql(query, key, variables)
    used = compiling.app.state.graphql_api.compiled.served > served
    return compiled, executed, used
