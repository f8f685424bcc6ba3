"""Operations generated from the schema (hypothesis-graphql) answer the same through a
compiled plan and through strawberry's executor, for every viewer (issue 11).

Generated from the whole schema, almost no operation would have a shape the compiler
knows (one field beside a plan's roots is enough to make it the executor's), so they
are generated from two cuts of it:
- most from the fields the compiler writes (its own tables: `audit_plan.EVENT`,
  `summary_plan.REPORT`, `team_apis_plan.ROW`, `viewer_plan.USER` ...), under
  `team { auditEvents }`, `team { reports { summary teamApis lastUpdatedAt } }` and
  `viewer`;
- the rest from everything below those roots (drill-downs, `api`, `actor.user`), so
  plans that must decline and hand a request to the executor are tried too.
Arguments take the fuzz test's values (tests/schema/test_fuzz.py): real dates, cursors
the server gave out, hostile values sometimes; half travel as variables.

Each operation is taught to a compiling server by the admin's first sending (the
executor's answer, which compiles it), then sent by the admin, the restricted
developer and the other team's admin to that server; each answer its plan gives
must equal the executor's for the same key (the admin's first, the others' from a
server with compilation off). Where no plan answers (the shape does not compile,
the first answer had errors, or the plan declines this key) the executor answers
both ways, so nothing more is sent. `GRAPHQL_API_DIFFERENTIAL_EXAMPLES`
operations per database (2,000 by default); run with `-s` for the figures.
"""

from __future__ import annotations

import asyncio
import json
import os
import time
from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import replace
from typing import Any

import graphql
import hypothesis_graphql
import pytest
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from graphql_api.compiled import (
    audit_plan,
    connections,
    summary_plan,
    team_apis_plan,
    viewer_plan,
)
from graphql_api.db.base import utcnow
from graphql_api.schema import export_sdl
from tests.compiled.pairs import compiling_and_executing
from tests.conftest import access_listener
from tests.differential import first_difference, opened
from tests.schema.test_fuzz import (
    Pools,
    _add_facts,
    scalar_strategies,
    tidied,
    with_variables,
)

BUDGET = int(os.environ.get("GRAPHQL_API_DIFFERENTIAL_EXAMPLES", "2000"))
# The fields kept on the way to the compiled roots; every type below stays whole.
COMPILED_PART = {
    "team": {
        "auditEvents": "*",
        "reports": {"summary": "*", "teamApis": "*", "lastUpdatedAt": None},
    },
    "viewer": "*",
}


def _connection(node: dict[str, Any]) -> dict[str, Any]:
    return {
        "nodes": node,
        "edges": {"cursor": None, "node": node},
        "pageInfo": dict.fromkeys(connections.PAGE_INFO),
        "totalCount": None,
    }


# The fields the compiler writes, as its tables name them: an audit page alone, or
# reports (a plan reads either, not both).
AUDIT_SHAPES = {
    "team": {
        "auditEvents": _connection(
            {**dict.fromkeys(audit_plan.EVENT), "actor": dict.fromkeys(audit_plan.ACTOR)}
        )
    }
}
REPORT_SHAPES = {
    "team": {
        "reports": {
            "summary": {
                **dict.fromkeys(summary_plan.REPORT),
                "range": dict.fromkeys(summary_plan.RANGE),
                "series": dict.fromkeys(summary_plan.POINT),
            },
            "teamApis": {
                **_connection(dict.fromkeys(team_apis_plan.ROW)),
                "restrictedCount": None,
            },
            "lastUpdatedAt": None,
        }
    }
}
VIEWER_SHAPES = {"viewer": dict.fromkeys(viewer_plan.USER)}
# How often each cut is drawn: the two larger compiled shapes twice as often.
CUT_WEIGHTS = ("audit", "audit", "reports", "reports", "viewer", "part")
# The arguments a plan reads (an audit page's filter and order are the executor's).
ARGUMENTS = {("Team", "auditEvents"): audit_plan.PAGE_ARGUMENTS}

SMALL_PAGE = 10

# Whatever these tests send, they count: nothing is sent again by the suite's harness.
pytestmark = [pytest.mark.sends_once, pytest.mark.compiled]


def cut(kept: dict[str, Any]) -> str:
    """The schema with only the fields `kept` names below `Query` (a field's value: its
    fields, None for a leaf, "*" for all of them)."""
    schema = graphql.build_schema(export_sdl())

    def prune(object_type: Any, fields: dict[str, Any]) -> None:
        for name in list(object_type.fields):
            if name not in fields:
                del object_type.fields[name]
        for name, below in fields.items():
            assert name in object_type.fields, f"{object_type.name}.{name} is not in the schema"
            arguments = object_type.fields[name].args
            for argument in list(arguments):
                if argument not in ARGUMENTS.get((object_type.name, name), arguments):
                    del arguments[argument]
            if isinstance(below, dict):
                prune(graphql.get_named_type(object_type.fields[name].type), below)

    prune(schema.query_type, kept)
    return graphql.print_schema(schema)


class _Answerable(graphql.Visitor):
    """Leaves out what would refuse a plausible operation at once and so teach nothing:
    an empty `sources` list, and (unless `cursors`) a cursor, which the generator takes
    from any connection and ordering. Pages are kept to SMALL_PAGE rows: thousands of
    operations of up to 100 rows, each inside series points, would take minutes, and
    the largest pages are the hand-written tests' (test_compiled_*.py)."""

    def __init__(self, cursors: bool) -> None:
        super().__init__()
        self.dropped = {"sources"} | (set() if cursors else {"after", "before"})

    def enter_argument(self, node: graphql.ArgumentNode, *_: Any) -> Any:
        name, value = node.name.value, node.value
        if name in {"first", "last"} and isinstance(value, graphql.IntValueNode):
            small = str(min(int(value.value), SMALL_PAGE))
            return graphql.ArgumentNode(name=node.name, value=graphql.IntValueNode(value=small))
        if name not in self.dropped or isinstance(value, graphql.NullValueNode):
            return None
        empty = isinstance(value, graphql.ListValueNode) and not value.values
        return graphql.REMOVE if name != "sources" or empty else None


@pytest.fixture
async def servers(settings: Any, world: Any, db: Any) -> AsyncIterator[tuple[Any, Any]]:
    """A compiling server and an executing one on a world with something in every report;
    no rate limit in the way of thousands of requests."""
    await _add_facts(db)
    async with (
        access_listener(settings.database_url),  # report answers are kept on PostgreSQL too
        compiling_and_executing(replace(settings, rate_limit_per_minute=10**9)) as pair,
    ):
        yield pair


async def test_generated_operations_answer_the_same_through_plans_and_the_executor(servers, world):
    compiling, executing = servers
    plans = compiling.app.state.graphql_api.compiled
    codec = compiling.app.state.graphql_api.codec
    loop = asyncio.get_running_loop()
    # Every operation of either cut is valid against the whole schema.
    schema = graphql.build_schema(export_sdl())
    pools = Pools()
    cuts = {
        "audit": AUDIT_SHAPES,
        "reports": REPORT_SHAPES,
        "viewer": VIEWER_SHAPES,
        "part": COMPILED_PART,
    }
    generated = {
        (name, hostile): hypothesis_graphql.queries(
            cut(kept),
            custom_scalars=scalar_strategies(pools, utcnow().date(), hostile=hostile),
            print_ast=lambda d: d,
        )
        for name, kept in cuts.items()
        for hostile in (False, True)
    }
    keys = {"admin": world.admin_key, "dev": world.dev_key, "other_admin": world.other_admin_key}
    tally: Counter[str] = Counter()
    failures: list[str] = []
    refusals: Counter[str] = Counter()
    timing: Counter[str] = Counter()

    async def post(api: Any, key: str, query: str, variables: dict[str, Any]) -> Any:
        # Escaped to ASCII, so a lone surrogate travels as `\ud800`, as a client may send it.
        response = await api.http.post(
            "/graphql",
            content=json.dumps({"query": query, "variables": variables}).encode(),
            headers={"X-Api-Key": key, "Content-Type": "application/json"},
        )
        return response.status_code, response.json()

    async def compare(query: str, variables: dict[str, Any]) -> None:
        tally["operations"] += 1
        taught = await post(compiling, keys["admin"], query, variables)
        pools.harvest(taught[1])
        if plans.plan((query, None)) is None:
            # No plan: the executor answers it for every key, one way only.
            errors = taught[1].get("errors")
            codes = sorted({str((e.get("extensions") or {}).get("code")) for e in errors or []})
            tally[f"not compiled: {'refused ' + '/'.join(codes) if errors else 'its shape'}"] += 1
            for e in errors or []:
                refusals[str(e.get("message"))[:80]] += 1
            return
        for role, key in keys.items():
            served = plans.served
            through_plan = await post(compiling, key, query, variables)
            if plans.served == served:
                tally["declined by its plan"] += 1  # the executor answered: one way only
                continue
            tally[f"answered by a plan as {role}"] += 1
            # The admin's first answer was the executor's, in the same database state.
            through_executor = (
                taught if role == "admin" else await post(executing, key, query, variables)
            )
            difference = first_difference(
                opened(through_plan, codec), opened(through_executor, codec)
            )
            if difference is not None:
                failures.append(f"{role}: {difference}\n{query}\n  variables: {variables}")

    @hypothesis_settings(
        max_examples=BUDGET,
        derandomize=True,
        database=None,
        deadline=None,
        phases=(Phase.explicit, Phase.generate),
        suppress_health_check=list(HealthCheck),
    )
    @given(data=st.data())
    def generate(data: st.DataObject) -> None:
        name = data.draw(
            st.sampled_from(("audit", "audit", "reports", "reports", "viewer", "part")), "cut"
        )
        hostile = data.draw(st.integers(0, 9), label="hostility") < 2
        document = data.draw(generated[name, hostile], label="operation")
        if not hostile:
            cursors = data.draw(st.integers(0, 9), label="cursors") < 3
            document = graphql.visit(tidied(document, set(pools.cursors)), _Answerable(cursors))
        if data.draw(st.booleans(), label="as variables"):
            query, variables = with_variables(document, schema)
        else:
            query, variables = graphql.print_ast(document), {}
        started = time.perf_counter()
        asyncio.run_coroutine_threadsafe(compare(query, variables), loop).result()
        timing["requests"] += time.perf_counter() - started

    # Hypothesis drives a thread; each operation runs on this test's event loop.
    await asyncio.to_thread(generate)
    figures = ", ".join(f"{name}: {n}" for name, n in sorted(tally.items()))
    print(
        f"\ngenerated differential ({compiling.app.state.graphql_api.engine.dialect.name}): "
        f"{figures}; report answers from memory: {plans.answers.hits}; "
        f"{timing['requests']:.0f} s in requests\n"
        f"why the executor's first answer refused some: {refusals.most_common(8)}"
    )
    assert not failures, f"{len(failures)} differ ({figures})\n\n" + "\n\n".join(failures[:5])
    # The comparison means something only if plans answered a good share of them.
    by_plan = sum(n for name, n in tally.items() if name.startswith("answered by a plan"))
    assert by_plan >= tally["operations"] // 2, figures
