"""Operations generated from the schema, sent over HTTP with three keys (issue 8).

hypothesis-graphql builds queries and mutations from the SDL; our strategies
for the scalars make most values look valid (real ids of the world, cursors
the server handed out, dates near today) and some hostile (integers beyond
64 bits, Unicode digits, NUL, long strings, dates at the ends of the
calendar, timestamps without an offset). Half the operations carry their
arguments as variables, which take another coercion path than literals.

Whatever is sent, the answer must have no INTERNAL_SERVER_ERROR, a code on
every error, no 5xx status, and no name the key may not see. An export the
mutation accepted must succeed when the worker runs it.

Operations come from all three keys: queries from any root field half the
time, from `team` alone a quarter, mutations otherwise; before and after them
each key asks for every surface that shows names (SURFACES). Mutations change
the world (keys, jobs, audit events); after each one the world's own keys are
un-revoked, so every later answer is still that key's, and the export jobs it
started are run.

The budget is `GRAPHQL_API_FUZZ_EXAMPLES` operations per database (400 by
default, about 30 s); the draw is derandomized unless `GRAPHQL_API_FUZZ_SEED`
names a seed (run several seeds for a larger search in chunks). Run with `-s`
to see the figures: operations sent, statuses, errors by code, and the
server's unexpected exceptions by where they were raised.
"""

from __future__ import annotations

import asyncio
import base64
import dataclasses
import json
import logging
import os
import traceback
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import graphql
import hypothesis_graphql
import pytest
from hypothesis import HealthCheck, Phase, given, seed
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from hypothesis_graphql import nodes
from sqlalchemy import select, update

from graphql_api.config import Settings
from graphql_api.db.base import utcnow
from graphql_api.db.models import ApiKey, ExportJob
from graphql_api.exports.runner import run_job
from graphql_api.refresh.service import refresh
from graphql_api.repositories import export_jobs
from graphql_api.schema import export_sdl
from graphql_api.schema.relay import to_global_id
from tests import factories as f
from tests.conftest import SECRET
from tests.world import ADMIN_READABLE, DEV_HIDDEN, DEV_READABLE

BUDGET = int(os.environ.get("GRAPHQL_API_FUZZ_EXAMPLES", "400"))
SEED = os.environ.get("GRAPHQL_API_FUZZ_SEED")
# Failures printed in full when the test fails (all are counted).
SHOWN_FAILURES = 10

ACME_ELEMENTS = {*DEV_READABLE, *DEV_HIDDEN}
ACME_WORKSPACES = {"ws-team", "ws-public", "ws-private", "ws-grouped", "ws-secret", "ws-personal"}
DEV_WORKSPACES = {"ws-team", "ws-public", "ws-private", "ws-grouped"}
ADMIN_WORKSPACES = {"ws-team", "ws-public"}
# What the other team holds (names, emails), and a marker in its audit log.
GLOBEX_SECRETS = {"Api-Globex", "Ws-Globex", "gus@example.com", "globex-only event"}
ACME_SECRETS = {
    *(e.title() for e in ACME_ELEMENTS),
    *(w.title() for w in ACME_WORKSPACES),
    "ada@example.com",
    "dev@example.com",
    "acme-only event",
}


def _titles(ids: set[str]) -> set[str]:
    # The world's factories name each element and workspace after its id.
    return {i.title() for i in ids}


# Names each key must never see in any response.
FORBIDDEN = {
    "admin": _titles(ACME_ELEMENTS - ADMIN_READABLE)
    | _titles(ACME_WORKSPACES - ADMIN_WORKSPACES)
    | GLOBEX_SECRETS,
    "dev": _titles(DEV_HIDDEN) | _titles(ACME_WORKSPACES - DEV_WORKSPACES) | GLOBEX_SECRETS,
    "other_admin": ACME_SECRETS,
}

# A name each key may see: responses showing it prove the leak check looks where names are.
VISIBLE = {"admin": "Api-Team", "dev": "Api-Granted", "other_admin": "Api-Globex"}

NODE_TYPES = (
    "Team",
    "User",
    "Membership",
    "Group",
    "Workspace",
    "Api",
    "Collection",
    "Environment",
    "MockServer",
    "Monitor",
    "AuditEvent",
    "ApiKey",
    "Invoice",
    "ExportJob",
    "Nope",
)
WORLD_IDS = (
    "acme",
    "globex",
    "ada",
    "dev",
    "gus",
    "m-acme-ada",
    "m-acme-dev",
    "m-globex-gus",
    "platform",
    *sorted(ACME_WORKSPACES),
    "ws-globex",
    *sorted(ACME_ELEMENTS),
    "api-globex",
    "inv-acme",
    "inv-globex",
)
TIME_ZONES = ("UTC", "Europe/Paris", "America/St_Johns", "Etc/GMT+12")
# The world's nodes under their own types (the numbered ones are made as the run goes).
TYPED_IDS = (
    ("Team", "acme"),
    ("Team", "globex"),
    *(("User", u) for u in ("ada", "dev", "gus")),
    *(("Membership", m) for m in ("m-acme-ada", "m-acme-dev", "m-globex-gus")),
    ("Group", "platform"),
    *(("Workspace", w) for w in sorted(ACME_WORKSPACES | {"ws-globex"})),
    *(("Api", e) for e in sorted(ACME_ELEMENTS | {"api-globex"}) if e.startswith("api")),
    ("Collection", "col-personal"),
    *(("Invoice", i) for i in ("inv-acme", "inv-globex")),
    *(("AuditEvent", str(n)) for n in range(1, 6)),
    *(("ApiKey", str(n)) for n in range(1, 6)),
    *(("ExportJob", str(n)) for n in range(1, 6)),
)
# Every place a name can show, asked by each key before and after the generated
# operations (which are mostly too shallow to reach them all): the leak check then
# looks at every surface, and at it again once the mutations have changed the world.
_NAMED = "... on Element { name workspace { name } } ... on Workspace { name }"
SURFACES = (
    "{ team { name elements(first: 100) { nodes { id name workspace { name } } } } }",
    "{ team { members(first: 100) { nodes { user { name email } invitedBy { email } } } } }",
    """{ team { reports {
      teamApis(first: 100) { nodes { restricted name api { name workspace { name } } } }
      publicWorkspaces(first: 100) { nodes { name workspace { name } } }
      contentActivity(range: {preset: LAST_7_DAYS}) {
        topElements(first: 100) { nodes { restricted name element { name } } }
        series { elements(first: 100) { nodes { name element { name } } } } }
      apiSecurity(range: {preset: LAST_7_DAYS}) {
        apisByOpenFindings(first: 100) { nodes { restricted name api { name } } } }
      members { members(first: 100) { nodes { name membership { user { email } } } } }
    } } }""",
    "{ team { auditEvents(first: 100) { nodes { message data actor { name email } } } } }",
    f"query($ids: [ID!]!) {{ nodes(ids: $ids) {{ {_NAMED} ... on User {{ email }} "
    "... on Team { name } } }",
)
HUGE_INTS = (2**31, 2**53 + 1, 2**63 - 1, 2**63, 2**64, 10**30, -(2**63) - 1)
HOSTILE_TEXT = (
    "",
    " ",
    "\x00",
    "a\x00b",
    "\u00b3",  # superscript three: str.isdigit() holds, int() raises
    "\u0663",  # Arabic-Indic three: int() reads it as 3
    "\u0661\u0662\u0663",
    "\U0001d7d7",  # mathematical bold nine
    "\ud800",
    "%",
    "%_\\",
    "'; DROP TABLE teams; --",
    "UTC",
    "Europe/Paris",
    "America/St_Johns",
    "Etc/GMT+12",
    "../../etc/passwd",
    "/etc/localtime",
    "Europe/Paris\x00",
    "NaN",
    "-1",
    "1e400",
)


def _global_id(type_name: str, node_id: str) -> str:
    """As `to_global_id`, but a lone surrogate goes in as the bytes a careless client encodes."""
    return base64.b64encode(f"{type_name}:{node_id}".encode(errors="surrogatepass")).decode()


def _long_texts() -> st.SearchStrategy[str]:
    # Long, but within the 1 MB body limit even when every character is escaped.
    return st.sampled_from((200, 201, 1_000, 5_000, 60_000)).flatmap(
        lambda n: st.sampled_from(("a", "\u00e9", "\x00", "\u0663", "%")).map(lambda c: c * n)
    )


NOTHING_YET = st.just("")


@dataclass
class Pools:
    """Values the server handed out (cursors, ids), fed back into later operations."""

    cursors: list[str] = field(default_factory=list)
    ids: list[str] = field(default_factory=list)

    def harvest(self, body: Any) -> None:
        """Keep every cursor and id in a response (bounded)."""
        for key, value in _walk(body):
            if not isinstance(value, str):
                continue
            if key in {"cursor", "startCursor", "endCursor"} and len(self.cursors) < 500:
                self.cursors.append(value)
            elif key == "id" and len(self.ids) < 500:
                self.ids.append(value)

    def pick(
        self, pool: str, empty: st.SearchStrategy[str] = NOTHING_YET
    ) -> st.SearchStrategy[str]:
        """One value of a pool, or of `empty` while nothing was harvested."""
        values = getattr(self, pool)
        return st.builds(
            lambda i, fallback: values[i % len(values)] if values else fallback,
            st.integers(min_value=0),
            empty,
        )


def _walk(value: Any, key: str = "") -> Iterator[tuple[str, Any]]:
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _walk(v, k)
    elif isinstance(value, list):
        for v in value:
            yield from _walk(v, key)
    else:
        yield key, value


def scalar_strategies(
    pools: Pools, today: date, *, hostile: bool
) -> dict[str, st.SearchStrategy[Any]]:
    """Value nodes for every scalar an argument can take.

    Plausible values only, or (`hostile`) plausible and hostile ones mixed:
    an operation with one bad argument is refused whole, so most operations
    must be plausible for the resolvers behind them to run at all.
    """
    nearby_day = st.integers(min_value=-500, max_value=60).map(lambda n: today + timedelta(days=n))
    offsets = st.integers(min_value=-14 * 60, max_value=14 * 60).map(
        lambda m: timezone(timedelta(minutes=m))
    )
    nearby_instant = st.builds(
        lambda day, seconds, tz: (
            datetime.combine(day, datetime.min.time(), tz) + timedelta(seconds=seconds)
        ),
        nearby_day,
        st.integers(min_value=0, max_value=86_399),
        offsets,
    ).map(datetime.isoformat)
    typed_id = st.sampled_from(TYPED_IDS).map(lambda pair: to_global_id(*pair))
    world_global_id = st.builds(
        to_global_id,
        st.sampled_from(NODE_TYPES),
        st.one_of(st.sampled_from(WORLD_IDS), st.integers(min_value=1, max_value=60).map(str)),
    )
    plausible: dict[str, st.SearchStrategy[Any]] = {
        "String": st.one_of(
            st.text(max_size=20),
            st.sampled_from((*TIME_ZONES, "event")),
            pools.pick("cursors"),
            pools.pick("cursors"),
        ),
        "ID": st.one_of(
            typed_id,
            typed_id,
            world_global_id,
            pools.pick("ids", typed_id),
            pools.pick("ids", typed_id),
        ),
        "Int": st.integers(min_value=0, max_value=100),
        "Date": nearby_day.map(date.isoformat),
        "DateTime": nearby_instant,
    }
    nodes_of = {
        "String": nodes.String,
        "ID": nodes.String,
        "Int": nodes.Int,
        "Date": nodes.String,
        "DateTime": nodes.String,
    }
    if not hostile:
        return {name: strategy.map(nodes_of[name]) for name, strategy in plausible.items()}
    node_id = st.one_of(
        st.sampled_from(WORLD_IDS),
        st.sampled_from(HUGE_INTS).map(str),
        st.sampled_from(HOSTILE_TEXT),
        st.text(max_size=10),
        _long_texts(),
    )
    # Well-formed but out of range: these reach the resolvers, where the bugs were.
    out_of_range: dict[str, st.SearchStrategy[Any]] = {
        "String": st.one_of(st.sampled_from(HOSTILE_TEXT), _long_texts()),
        "ID": st.one_of(
            st.builds(_global_id, st.sampled_from(NODE_TYPES), node_id),
            st.sampled_from(HOSTILE_TEXT),
            st.text(max_size=20),
        ),
        "Int": st.one_of(
            st.integers(min_value=-(2**31), max_value=2**31 - 1),
            st.sampled_from((-1, 101, 366, 36_500, 36_501, 1_000_000, 2**31 - 1, -(2**31))),
        ),
        "Date": st.one_of(
            st.dates().map(date.isoformat),
            st.sampled_from(
                (
                    "0001-01-01",
                    "0001-01-05",
                    "9999-12-31",
                    "9999-12-01",
                    "9998-12-31",
                    "1900-01-01",
                    "1899-12-31",
                )
            ),
        ),
        "DateTime": st.one_of(
            st.datetimes(timezones=st.just(UTC) | offsets).map(datetime.isoformat),
            # Without an offset.
            st.datetimes().map(datetime.isoformat),
            st.sampled_from(
                (
                    "9999-12-31T23:59:59-14:00",
                    "9999-12-31T23:59:59+00:00",
                    "0001-01-01T00:00:00+14:00",
                    "0001-01-01T00:00:00+00:00",
                    "2025-06-01T12:00:00",
                    "2025-06-01",
                )
            ),
        ),
    }
    # Not even of the argument's type: GraphQL refuses the whole operation, so rarer.
    malformed: dict[str, st.SearchStrategy[Any]] = {
        "String": st.nothing(),
        "ID": st.nothing(),
        "Int": st.sampled_from(HUGE_INTS),
        "Date": st.sampled_from(
            (
                "2025-02-30",
                "2025-1-1",
                "\u0662\u0660\u0662\u0665-\u0660\u0661-\u0660\u0661",
                "2025-01-01T00:00:00Z",
                "",
                "\x00",
            )
        ),
        "DateTime": st.sampled_from(
            ("2025-06-01T25:00:00Z", "2025-06-01T12:00:00+24:00", "now", "", "\x00")
        ),
    }
    return {
        name: st.one_of(
            strategy, strategy, strategy, out_of_range[name], out_of_range[name], malformed[name]
        ).map(nodes_of[name])
        for name, strategy in plausible.items()
    }


class _Hoist(graphql.Visitor):
    """Moves every argument's literal into a variable of the argument's type."""

    def __init__(self, type_info: graphql.TypeInfo) -> None:
        super().__init__()
        self.type_info = type_info
        self.definitions: list[graphql.VariableDefinitionNode] = []
        self.values: dict[str, Any] = {}

    def enter_argument(self, node: graphql.ArgumentNode, *_: Any) -> Any:
        argument = self.type_info.get_argument()
        if argument is None or isinstance(node.value, graphql.VariableNode):
            return None
        name = f"v{len(self.values)}"
        self.values[name] = graphql.value_from_ast_untyped(node.value)
        variable = graphql.VariableNode(name=graphql.NameNode(value=name))
        self.definitions.append(
            graphql.VariableDefinitionNode(
                variable=variable, type=graphql.parse_type(str(argument.type)), directives=()
            )
        )
        return graphql.ArgumentNode(name=node.name, value=variable)


class _Tidy(graphql.Visitor):
    """Makes a plausible operation likely to run to the end rather than fail on its first
    connection: hypothesis-graphql fills every argument independently, so most would
    pass both `first` and `last`, a `preset` with `from`, or a random `after`."""

    def __init__(self, cursors: set[str]) -> None:
        super().__init__()
        self.cursors = cursors

    def enter_field(self, node: graphql.FieldNode, *_: Any) -> Any:
        present = {a.name.value for a in node.arguments or () if not _is_null(a.value)}
        dropped = {"last", "before"} if "first" in present or "after" in present else set()
        kept = tuple(
            a
            for a in node.arguments or ()
            if a.name.value not in dropped and self._plausible(a.name.value, a.value)
        )
        return (
            None
            if len(kept) == len(node.arguments or ())
            else dataclasses.replace(node, arguments=kept)
        )

    def enter_object_value(self, node: graphql.ObjectValueNode, *_: Any) -> Any:
        fields = {f.name.value: f for f in node.fields}
        if "preset" in fields and not _is_null(fields["preset"].value):
            kept = tuple(f for f in node.fields if f.name.value not in {"from", "to"})
            return dataclasses.replace(node, fields=kept)
        start, end = fields.get("from"), fields.get("to")
        if (
            start is not None
            and end is not None
            and isinstance(start.value, graphql.StringValueNode)
            and isinstance(end.value, graphql.StringValueNode)
            and start.value.value > end.value.value
        ):
            swapped = {
                "from": dataclasses.replace(start, value=end.value),
                "to": dataclasses.replace(end, value=start.value),
            }
            return dataclasses.replace(
                node, fields=tuple(swapped.get(f.name.value, f) for f in node.fields)
            )
        return None

    def _plausible(self, name: str, value: graphql.ValueNode) -> bool:
        if _is_null(value) or not isinstance(value, graphql.StringValueNode):
            return True
        if name in {"after", "before"}:
            return value.value in self.cursors
        if name == "timezone":
            return value.value in TIME_ZONES
        return True


def _is_null(value: graphql.ValueNode) -> bool:
    return isinstance(value, graphql.NullValueNode)


def tidied(document: graphql.DocumentNode, cursors: set[str]) -> graphql.DocumentNode:
    """`document` with the argument combinations that would refuse it at once left out."""
    return graphql.visit(document, _Tidy(cursors))


def with_variables(
    document: graphql.DocumentNode, schema: graphql.GraphQLSchema
) -> tuple[str, dict[str, Any]]:
    """The operation with its arguments as variables, and their values."""
    type_info = graphql.TypeInfo(schema)
    hoist = _Hoist(type_info)
    edited = graphql.visit(document, graphql.TypeInfoVisitor(type_info, hoist))
    (operation,) = edited.definitions
    operation = dataclasses.replace(operation, variable_definitions=tuple(hoist.definitions))
    return graphql.print_ast(graphql.DocumentNode(definitions=(operation,))), hoist.values


@dataclass
class Tally:
    """What the run sent and got back."""

    sent: Counter[str] = field(default_factory=Counter)
    codes: Counter[str] = field(default_factory=Counter)
    statuses: Counter[int] = field(default_factory=Counter)
    # answered: data and no error; partly: data and errors; refused: no data at all.
    outcomes: Counter[str] = field(default_factory=Counter)
    sent_hostile: Counter[bool] = field(default_factory=Counter)
    exports: Counter[str] = field(default_factory=Counter)
    # Responses showing a name their key may see (see VISIBLE).
    names_shown: Counter[str] = field(default_factory=Counter)
    # Exceptions the server logged as unexpected, by type, message and where raised.
    causes: Counter[str] = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)

    def report(self) -> str:
        """The figures, one line each."""
        return "\n".join(
            (
                f"operations sent: {sum(self.sent.values())} {dict(sorted(self.sent.items()))}",
                f"of which with hostile values: {self.sent_hostile[True]}",
                f"HTTP statuses: {dict(sorted(self.statuses.items()))}",
                f"outcomes: {dict(sorted(self.outcomes.items()))}",
                f"errors by code: {dict(sorted(self.codes.items()))}",
                f"exports run: {dict(sorted(self.exports.items()))}",
                f"responses showing a visible name: {dict(sorted(self.names_shown.items()))}",
                f"failures: {len(self.failures)}",
                *(f"  {n} x {cause}" for cause, n in self.causes.most_common()),
            )
        )


class _Causes(logging.Handler):
    """Counts the exceptions the server logs, by where in our code they were raised."""

    def __init__(self, tally: Tally) -> None:
        super().__init__(logging.ERROR)
        self.tally = tally

    def emit(self, record: logging.LogRecord) -> None:
        if not record.exc_info or record.exc_info[1] is None:
            return
        error = record.exc_info[1]
        ours = [
            frame
            for frame in traceback.extract_tb(error.__traceback__)
            if "/graphql_api/" in frame.filename
        ]
        where = (
            f"{ours[-1].filename.rsplit('/graphql_api/', 1)[1]}:{ours[-1].lineno}" if ours else "?"
        )
        self.tally.causes[f"{type(error).__name__}: {str(error)[:90]!r} at {where}"] += 1


def check_response(
    status: int, text: str, role: str, tally: Tally, fail: Callable[[str], None]
) -> Any:
    """Tally one response; report every broken rule through `fail`. Returns the body."""
    tally.statuses[status] += 1
    if status >= 500:
        fail(f"HTTP {status}")
    try:
        body = json.loads(text)
    except ValueError:
        fail(f"HTTP {status} with a body that is not JSON: {text[:200]!r}")
        return None
    errors = body.get("errors") if isinstance(body, dict) else None
    data = body.get("data") if isinstance(body, dict) else None
    tally.outcomes["refused" if not data else "partly" if errors else "answered"] += 1
    for error in errors or []:
        code = (error.get("extensions") or {}).get("code")
        tally.codes[str(code)] += 1
        if not isinstance(code, str) or not code:
            fail(f"an error without a code: {error}")
        elif code == "INTERNAL_SERVER_ERROR":
            fail(f"INTERNAL_SERVER_ERROR at {error.get('path')}")
    if VISIBLE[role] in text:
        tally.names_shown[role] += 1
    leaked = sorted(name for name in FORBIDDEN[role] if name in text)
    if leaked:
        fail(f"{role} was shown {leaked}")
    return body


@pytest.fixture
def settings(database_url: str, tmp_path: Any) -> Settings:
    """No rate limit in the way of a few thousand operations; exports written to tmp."""
    return Settings(
        database_url=database_url,
        secret_key=SECRET,
        environment="test",
        rate_limit_per_minute=10**9,
        export_dir=str(tmp_path / "exports"),
    )


async def _add_facts(db: Any) -> None:
    """Something in every report, restricted elements and the other team included."""
    records: list[dict[str, Any]] = []
    for n, element in enumerate(sorted(ACME_ELEMENTS)):
        for action in ("CREATED", "UPDATED", "COMMENTED"):
            records.append(
                {
                    "type": "content_event",
                    "id": f"ce-{element}-{action}",
                    "team": "acme",
                    "at": f.ago(hours=n + 1),
                    "user": "dev" if n % 2 else "ada",
                    "element": element,
                    "action": action,
                }
            )
        if element.startswith("api"):
            records.append(
                {**f.request(id=f"rq-{element}", team="acme", user="dev"), "api": element}
            )
            records.append(
                {
                    "type": "security_finding",
                    "id": f"sf-{element}",
                    "team": "acme",
                    "at": f.ago(days=3),
                    "element": element,
                    "rule": "leaked-token",
                    "severity": "HIGH",
                }
            )
    records += [
        {**f.request(id="rq-globex", team="globex", user="gus"), "api": "api-globex"},
        {
            "type": "content_event",
            "id": "ce-globex",
            "team": "globex",
            "at": f.ago(hours=1),
            "user": "gus",
            "element": "api-globex",
            "action": "CREATED",
        },
        {
            "type": "token_alert",
            "id": "ta-secret",
            "team": "acme",
            "at": f.ago(days=2),
            "workspace": "ws-secret",
            "token_type": "github",
        },
        {
            "type": "public_stat",
            "id": "ps-public",
            "team": "acme",
            "at": f.ago(days=1),
            "workspace": "ws-public",
            "views": 5,
            "watches": 2,
            "forks": 1,
        },
        f.invoice(id="inv-acme"),
        f.invoice(id="inv-globex", team="globex"),
        f.usage(id="us-acme", resource="MONITOR_REQUESTS", quantity=10),
        f.seat_change(id="sc-acme", seats=5),
        f.audit_event(id="ae-acme-1", team="acme", actor="ada", message="acme-only event"),
        f.audit_event(id="ae-acme-2", team="acme", actor="dev", action="Changed Plan"),
        f.audit_event(id="ae-globex", team="globex", actor="gus", message="globex-only event"),
    ]
    await f.ingest(db, *records)
    await refresh(db, utcnow())


async def _run_exports(
    db: Any, settings: Settings, tally: Tally, fail: Callable[[str], None]
) -> None:
    """Run every waiting export job, as the worker would; each must succeed."""
    while True:
        async with db() as session, session.begin():
            job = await export_jobs.claim_next(session, utcnow())
        if job is None:
            return
        await run_job(db, settings, job)
        async with db() as session:
            done = await session.get(ExportJob, job.id)
        assert done is not None
        tally.exports[f"{done.kind} {done.status}"] += 1
        if done.status != export_jobs.ExportStatus.SUCCEEDED.value:
            fail(f"export {done.kind} accepted, then {done.status}: {done.error}")


async def test_no_generated_operation_gets_an_internal_error_or_a_forbidden_name(
    api, world, db, settings
):
    await _add_facts(db)
    loop = asyncio.get_running_loop()
    sdl = export_sdl()
    schema = graphql.build_schema(sdl)
    pools = Pools()
    today = utcnow().date()
    # Operations from every root field, and from `team` alone: generated from the root,
    # few reach as deep as the team's elements and reports, where the names are.
    operations = {
        (kind, hostile): build(
            sdl,
            custom_scalars=scalar_strategies(pools, today, hostile=hostile),
            print_ast=lambda d: d,
            **({"fields": ["team"]} if kind == "team query" else {}),
        )
        for kind, build in (
            ("query", hypothesis_graphql.queries),
            ("team query", hypothesis_graphql.queries),
            ("mutation", hypothesis_graphql.mutations),
        )
        for hostile in (False, True)
    }
    keys = {"admin": world.admin_key, "dev": world.dev_key, "other_admin": world.other_admin_key}
    async with db() as session:
        world_key_ids = list(await session.scalars(select(ApiKey.id)))
    tally = Tally()

    async def send(
        role: str, kind: str, hostile: bool, query: str, variables: dict[str, Any]
    ) -> None:
        def fail(why: str) -> None:
            tally.failures.append(
                f"{why}\n  key: {role}\n  operation: {query[:2000]}\n"
                f"  variables: {json.dumps(variables)[:2000]}"
            )

        tally.sent[f"{kind} as {role}"] += 1
        tally.sent_hostile[hostile] += 1
        # Escaped to ASCII, so a lone surrogate travels as `\ud800`, as a client may send it.
        response = await api.http.post(
            "/graphql",
            content=json.dumps({"query": query, "variables": variables}).encode(),
            headers={"X-Api-Key": keys[role], "Content-Type": "application/json"},
        )
        body = check_response(response.status_code, response.text, role, tally, fail)
        pools.harvest(body)
        if kind == "mutation":
            await _run_exports(db, settings, tally, fail)
            # A revoked key of the world would turn every later answer into a 401.
            async with db() as session, session.begin():
                await session.execute(
                    update(ApiKey).where(ApiKey.id.in_(world_key_ids)).values(revoked_at=None)
                )

    @hypothesis_settings(
        max_examples=BUDGET,
        derandomize=SEED is None,
        database=None,
        deadline=None,
        phases=(Phase.explicit, Phase.generate),
        suppress_health_check=list(HealthCheck),
    )
    @given(data=st.data())
    def fuzz(data: st.DataObject) -> None:
        role = data.draw(st.sampled_from(sorted(keys)), label="key")
        kind = data.draw(
            st.sampled_from(("query", "query", "team query", "mutation")), label="kind"
        )
        hostile = data.draw(st.integers(0, 9), label="hostility") < 4
        document = data.draw(operations[kind, hostile], label="operation")
        if not hostile:
            document = tidied(document, set(pools.cursors))
        if data.draw(st.booleans(), label="as variables"):
            query, variables = with_variables(document, schema)
        else:
            query, variables = graphql.print_ast(document), {}
        asyncio.run_coroutine_threadsafe(send(role, kind, hostile, query, variables), loop).result()

    async def surfaces() -> None:
        every_id = [to_global_id(*pair) for pair in TYPED_IDS]
        for role in sorted(keys):
            for query in SURFACES:
                await send(
                    role, "surface", False, query, {"ids": every_id} if "$ids" in query else {}
                )

    if SEED is not None:
        fuzz = seed(int(SEED))(fuzz)
    causes = _Causes(tally)
    logging.getLogger("graphql_api").addHandler(causes)
    try:
        # Hypothesis drives a thread; each operation runs on this test's event loop.
        await surfaces()
        await asyncio.to_thread(fuzz)
        await surfaces()
    finally:
        logging.getLogger("graphql_api").removeHandler(causes)
    print(f"\nfuzz ({api.app.state.graphql_api.engine.dialect.name}):\n{tally.report()}")
    assert not tally.failures, (
        tally.report() + "\n\n" + "\n\n".join(tally.failures[:SHOWN_FAILURES])
    )
