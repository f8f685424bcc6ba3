"""What the fault scripts share: a private cluster they can restart, servers, tallies, checks.

The scripts in this folder break things on purpose (a database restart under
load, kill -9 during a refresh, two servers on one database) and print what
they saw. They run on demand (`make bench-faults`), never in CI, and only ever
against a private PostgreSQL cluster of their own (bench/pgcluster.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import re
import subprocess
import sys
import time
from collections import Counter
from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import asyncpg
import httpx
from sqlalchemy import select, text

from graphql_api.db.engine import create_engine, create_sessionmaker
from graphql_api.live.listener import asyncpg_dsn
from graphql_api.refresh.service import refresh
from graphql_api.refresh.summaries import SUMMARIES

# The bench scripts import each other by bare name (python bench/soak.py puts
# bench/ on the path); from bench/faults/ we put it there ourselves.
BENCH = Path(__file__).resolve().parent.parent
if str(BENCH) not in sys.path:
    sys.path.insert(0, str(BENCH))

from pgcluster import _bindir, free_port, private_cluster  # noqa: E402
from reports_bench import APIS, DAYS, MONITORS, POSTGRES_FACTS, USERS  # noqa: E402
from soak_data import TEAM, Credentials, load  # noqa: E402

__all__ = [
    "APIS",
    "TEAM",
    "USERS",
    "Cluster",
    "Credentials",
    "Outcome",
    "Server",
    "Tally",
    "free_port",
    "load",
    "private_cluster",
]

SOURCES = "[REQUEST_BUILDER, NEWMAN, COLLECTION_RUN, MONITOR]"
# Days the report check covers: the bench data spans 90 days (reports_bench.DAYS).
REPORT_DAYS = 100


def load_average() -> str:
    """The machine's 1, 5 and 15 minute load averages, for judging the figures printed."""
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} {five:.2f} {fifteen:.2f} (1/5/15 min, {os.cpu_count()} cores)"


# When the script started (it imports this module first): the run's length is printed.
STARTED = time.monotonic()


def banner(title: str, settings: dict[str, Any]) -> None:
    """The run's title, its sizes and the load average at its start."""
    print(title, flush=True)
    print("  " + ", ".join(f"{k}={v}" for k, v in settings.items()), flush=True)
    print(f"  load average at start: {load_average()}", flush=True)


# ---------------------------------------------------------------- the cluster


class Cluster:
    """pg_ctl on the private cluster behind a URL: restart, stop and start it under load."""

    def __init__(self, url: str, data: Path) -> None:
        self.url = url
        self.data = data
        # The cluster belongs to `postgres` when we are root (initdb refuses root).
        self.as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        self.log = data.parent / "pg_ctl.log"

    @classmethod
    async def attach(cls, url: str) -> Cluster:
        """Find the cluster's data directory; make a plain `pg_ctl start` bring it back as it is.

        private_cluster() gives port, sockets and settings on the postmaster's
        command line, which `pg_ctl restart` reuses but `pg_ctl start` does not:
        ALTER SYSTEM writes them into postgresql.auto.conf so both come back alike.
        """
        connection = await asyncpg.connect(asyncpg_dsn(url))
        try:
            data = Path(await connection.fetchval("SHOW data_directory"))
            rows = await connection.fetch(
                "SELECT name, setting FROM pg_settings WHERE source = 'command line'"
            )
            for row in rows:
                literal = row["setting"].replace("'", "''")
                await connection.execute(f"ALTER SYSTEM SET {row['name']} = '{literal}'")
        finally:
            await connection.close()
        return cls(url, data)

    async def _pg_ctl(self, *args: str) -> float:
        """Run pg_ctl without blocking the load's event loop; seconds it took."""
        started = time.monotonic()
        process = await asyncio.create_subprocess_exec(
            *self.as_user,
            str(_bindir() / "pg_ctl"),
            "-D",
            str(self.data),
            "-w",
            "-t",
            "120",
            *args,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
        )
        output, _ = await process.communicate()
        if process.returncode != 0:
            raise RuntimeError(f"pg_ctl {' '.join(args)} failed: {output.decode()[-500:]}")
        return time.monotonic() - started

    async def restart(self) -> float:
        """`pg_ctl restart -m fast`: every session is cut, the server comes straight back."""
        return await self._pg_ctl("restart", "-m", "fast", "-l", str(self.log))

    async def stop(self) -> float:
        """`pg_ctl stop -m fast`: every session is cut and nothing listens on the port."""
        return await self._pg_ctl("stop", "-m", "fast")

    async def start(self) -> float:
        """`pg_ctl start`, with the settings pinned by attach()."""
        return await self._pg_ctl("start", "-l", str(self.log))


async def admin_connection(url: str) -> asyncpg.Connection:
    """A connection to the cluster's `postgres` database: it never blocks copying `bench`."""
    return await asyncpg.connect(asyncpg_dsn(url.rsplit("/", 1)[0] + "/postgres"))


async def other_backends(
    admin: asyncpg.Connection, database: str = "bench"
) -> list[asyncpg.Record]:
    """Client sessions on `database` other than the caller's, with what each is running."""
    return await admin.fetch(
        """SELECT pid, state, now() - xact_start AS in_transaction, left(query, 70) AS query
           FROM pg_stat_activity
           WHERE datname = $1 AND backend_type = 'client backend' AND pid <> pg_backend_pid()""",
        database,
    )


async def insert_request_facts(url: str, offset: int, count: int) -> None:
    """`count` more request facts made inside the database (as reports_bench loads them).

    Their ext_ids continue after `offset`; their timestamps fall anywhere in
    the last 90 days, so to the refresher most are late facts.
    """
    engine = create_engine(url)
    fmt = {"days": DAYS, "users": USERS, "apis": APIS, "monitors": MONITORS}
    try:
        async with engine.begin() as connection:
            await connection.execute(
                text(POSTGRES_FACTS.format(**fmt)), {"offset": offset, "count": count}
            )
    finally:
        await engine.dispose()


# ---------------------------------------------------------------- servers


@dataclass
class Server:
    """One `graphql-api serve` subprocess."""

    name: str
    process: asyncio.subprocess.Process
    base: str
    log: Path

    def log_text(self) -> str:
        return self.log.read_text(errors="replace")

    def log_counts(self) -> dict[str, int]:
        """Lines of its log worth a look after a fault."""
        text = self.log_text()
        return {
            "tracebacks": text.count("Traceback"),
            "refresh failed": text.count("summary refresh failed"),
            "refreshes that folded": text.count("refreshed summaries"),
            "ERROR lines": sum(1 for line in text.splitlines() if line.startswith("ERROR")),
        }

    def log_errors(self, most: int = 6) -> list[str]:
        """The commonest ERROR lines and exceptions ending a traceback, with their counts."""
        found = Counter[str]()
        for line in self.log_text().splitlines():
            if line.startswith("ERROR") or EXCEPTION_LINE.match(line):
                found[line[:150]] += 1
        return [f"{n:4d} x {line}" for line, n in found.most_common(most)]


# The last line of a traceback: `package.module.SomeError: message`.
EXCEPTION_LINE = re.compile(r"^[A-Za-z_][\w.]*(Error|Exception|Timeout|Interrupt)\w*(:|$)")


async def start_server(
    url: str, folder: Path, name: str, *, refresh_interval: int, extra: dict[str, str] | None = None
) -> Server:
    """Start `graphql-api serve` in production mode; return once /readyz says 200.

    The rate limits are lifted (the load is one key's traffic many times over);
    everything else is production's default unless `extra` says otherwise.
    """
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "GRAPHQL_API_ENV": "production",
        "GRAPHQL_API_SECRET_KEY": "faults-" + os.urandom(16).hex(),
        "GRAPHQL_API_RATE_LIMIT_PER_MINUTE": "100000000",
        "GRAPHQL_API_AUTH_FAILURE_LIMIT_PER_MINUTE": "100000000",
        "GRAPHQL_API_REFRESH_INTERVAL": str(refresh_interval),
        "GRAPHQL_API_EXPORT_DIR": str(folder / f"exports-{name}"),
        **(extra or {}),
    }
    log = folder / f"server-{name}.log"
    with log.open("ab") as handle:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "graphql_api.cli",
            "serve",
            "--port",
            str(port),
            env=env,
            stdout=handle,
            stderr=subprocess.STDOUT,
        )
    server = Server(name, process, f"http://127.0.0.1:{port}", log)
    async with httpx.AsyncClient(base_url=server.base) as http:
        for _ in range(600):
            with contextlib.suppress(httpx.TransportError):
                if (await http.get("/readyz")).status_code == 200:
                    return server
            if process.returncode is not None:
                raise SystemExit(f"server {name} exited:\n{server.log_text()[-3000:]}")
            await asyncio.sleep(0.1)
    raise SystemExit(f"server {name} was not ready in 60 s:\n{server.log_text()[-3000:]}")


async def stop_server(server: Server) -> None:
    """SIGTERM and wait (a graceful shutdown); nothing if it is already gone."""
    if server.process.returncode is None:
        server.process.terminate()
        try:
            await asyncio.wait_for(server.process.wait(), 30)
        except TimeoutError:
            server.process.kill()
            await server.process.wait()


@contextlib.asynccontextmanager
async def running_server(
    url: str, folder: Path, name: str, *, refresh_interval: int, extra: dict[str, str] | None = None
) -> AsyncIterator[Server]:
    """start_server() for the length of a block."""
    server = await start_server(url, folder, name, refresh_interval=refresh_interval, extra=extra)
    try:
        yield server
    finally:
        await stop_server(server)


# ---------------------------------------------------------------- what clients saw


@dataclass(frozen=True)
class Outcome:
    """One response as the fault reports count it."""

    status: str  # the HTTP status, or the transport error's name when none came
    code: str  # "ok", the error's code, or NO_CODE
    retry_after: bool

    @property
    def ok(self) -> bool:
        return self.code == "ok"


def outcome_of(response: httpx.Response) -> Outcome:
    """Status, error code (GraphQL or REST body, both shaped {"errors": [...]}) and Retry-After."""
    code = "ok" if response.status_code < 400 else "NO_CODE"
    with contextlib.suppress(ValueError):
        body = response.json()
        if isinstance(body, dict) and body.get("errors"):
            first = body["errors"][0]
            code = str((first.get("extensions") or {}).get("code", "NO_CODE"))
    return Outcome(str(response.status_code), code, "retry-after" in response.headers)


def failure(exc: Exception) -> Outcome:
    """A request that got no response at all."""
    return Outcome(type(exc).__name__, "-", False)


@dataclass
class Tally:
    """Every request's kind, outcome, and when its answer (or failure) arrived.

    Requests are placed in time by their answer: one sent just before a fault
    and refused because of it counts in the fault's window.
    """

    started: float = field(default_factory=time.monotonic)
    records: list[tuple[float, str, Outcome]] = field(default_factory=list)

    def now(self) -> float:
        return time.monotonic() - self.started

    def add(self, kind: str, at: float, outcome: Outcome) -> None:
        self.records.append((at, kind, outcome))

    def between(self, start: float, end: float) -> list[tuple[float, str, Outcome]]:
        return [r for r in self.records if start <= r[0] < end]

    def print_window(self, title: str, start: float, end: float, kinds: str = "") -> None:
        """Answers in [start, end) by kind, status, code and Retry-After."""
        window = [r for r in self.between(start, end) if r[1].startswith(kinds)]
        counts = Counter((kind, o.status, o.code, o.retry_after) for _, kind, o in window)
        print(f"  {title} ({start:.1f}-{end:.1f} s, {len(window)} answers):")
        if not counts:
            print("    (none)")
        for (kind, status, code, retry), n in sorted(counts.items()):
            retry_text = "Retry-After" if retry else ""
            print(f"    {kind:16} {status:>16} {code:24} {retry_text:11} {n:6d}")

    def by_status(self, start: float = 0.0, end: float = float("inf")) -> dict[str, int]:
        return dict(
            Counter(f"{o.status} {o.code}" for _, _, o in self.between(start, end)).most_common()
        )


async def timed(tally: Tally, kind: str, request: Any) -> Outcome:
    """Await an httpx request; record its outcome under `kind` when it arrives, and return it."""
    try:
        outcome = outcome_of(await request)
    except httpx.HTTPError as exc:
        outcome = failure(exc)
    tally.add(kind, tally.now(), outcome)
    return outcome


# ---------------------------------------------------------------- ingest batches


def batch_lines(prefix: str, size: int, *, at: datetime, salt: int = 0) -> bytes:
    """One ingest batch: `size` request facts and `size` audit events, ids under `prefix`.

    Ids are `{prefix}-r-{n}` and `{prefix}-a-{n}`, so a batch's rows can be
    counted in SQL by prefix; their contents vary with `salt` only.
    """
    lines = []
    for n in range(size):
        k = n + salt
        lines.append(
            json.dumps(
                {
                    "type": "request",
                    "id": f"{prefix}-r-{n}",
                    "team": TEAM,
                    "at": at.isoformat(),
                    "user": f"u{k % USERS}",
                    "source": ("REQUEST_BUILDER", "NEWMAN")[k % 2],
                    "collection": f"c{k % APIS}",
                    "api": f"a{k % APIS}" if k % 5 else None,
                    "method": "GET",
                    "status": 500 if k % 17 == 0 else 200,
                    "response_time_ms": (k * 37) % 2000,
                    "response_size_bytes": 1000 + k,
                }
            )
        )
        lines.append(
            json.dumps(
                {
                    "type": "audit_event",
                    "id": f"{prefix}-a-{n}",
                    "team": TEAM,
                    "at": at.isoformat(),
                    "action": "team.add_member" if k % 2 else "user.logout",
                    "actor": f"u{k % USERS}",
                    "ip": "198.51.100.9",
                    "user_agent": "bench-faults",
                    "message": f"fault bench {prefix} {n}",
                    "data": {"batch": prefix},
                }
            )
        )
    return "\n".join(lines).encode()


@dataclass
class BatchFate:
    """Everything the clients were told about one batch (it may be sent more than once)."""

    size: int
    answers: list[Outcome] = field(default_factory=list)

    @property
    def acknowledged(self) -> bool:
        return any(a.status.startswith("2") for a in self.answers)

    @property
    def unanswered(self) -> bool:
        """Some send got no response: it may or may not have been written."""
        return any(not a.status.isdigit() for a in self.answers)


async def stored_per_batch(url: str, prefix: str) -> dict[str, tuple[int, int, int]]:
    """Per batch under `prefix`: request facts, audit events, and rows beyond one per id."""
    connection = await asyncpg.connect(asyncpg_dsn(url))
    try:
        out: dict[str, list[int]] = {}
        for table, marker, slot in (("request_events", "-r-", 0), ("audit_events", "-a-", 1)):
            rows = await connection.fetch(
                f"""SELECT split_part(ext_id, $1, 1) AS batch, count(*) AS n,
                           count(*) - count(DISTINCT ext_id) AS extra
                    FROM {table} WHERE ext_id LIKE $2 GROUP BY 1""",
                marker,
                prefix + "%",
            )
            for row in rows:
                counts = out.setdefault(row["batch"], [0, 0, 0])
                counts[slot] += row["n"]
                counts[2] += row["extra"]
        return {batch: (c[0], c[1], c[2]) for batch, c in out.items()}
    finally:
        await connection.close()


def judge_batches(
    fates: dict[str, BatchFate], stored: dict[str, tuple[int, int, int]]
) -> tuple[list[str], list[str]]:
    """Lost, partial and doubled batches (failures), and notes worth reading (not failures).

    A batch acknowledged with a 2xx must be stored whole, once. A batch only
    ever refused must have left nothing, or (when the connection broke during
    its commit, so the server could not know) be stored whole: a resend is
    then a no-op. Anything in between is a partial batch.
    """
    failures: list[str] = []
    notes: list[str] = []
    counts = Counter[str]()
    for batch, fate in sorted(fates.items()):
        requests, audit, extra = stored.get(batch, (0, 0, 0))
        whole = requests == fate.size and audit == fate.size
        empty = requests == 0 and audit == 0
        if extra:
            failures.append(f"{batch}: {extra} rows stored more than once")
        if fate.acknowledged:
            counts["acknowledged"] += 1
            if not whole:
                failures.append(
                    f"{batch}: acknowledged but {requests}/{fate.size} request facts and "
                    f"{audit}/{fate.size} audit events stored"
                )
        elif not (whole or empty):
            counts["refused or unanswered"] += 1
            failures.append(
                f"{batch}: refused ({[a.status for a in fate.answers]}) and left a partial "
                f"batch: {requests}/{fate.size} request facts, {audit}/{fate.size} audit events"
            )
        else:
            counts["refused or unanswered"] += 1
            if whole:
                counts["refused yet stored whole"] += 1
                notes.append(
                    f"{batch}: answered {[f'{a.status} {a.code}' for a in fate.answers]} "
                    "but stored whole (commit outcome unknown to the server; a resend is a no-op)"
                )
            else:
                counts["refused and left nothing"] += 1
    stray = sorted(set(stored) - set(fates))
    if stray:
        failures.append(f"rows stored for batches never sent: {stray[:5]}")
    notes.insert(0, f"batches: {dict(counts)}")
    return failures, notes


# ---------------------------------------------------------------- summaries


async def summaries_snapshot(url: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every summary table's rows, sorted, keyed by table name."""
    engine = create_engine(url)
    try:
        async with create_sessionmaker(engine)() as session:
            tables = {s.table.__tablename__: s.table for s in SUMMARIES}
            return {
                name: sorted(tuple(row) for row in await session.execute(select(table.__table__)))
                for name, table in tables.items()
            }
    finally:
        await engine.dispose()


async def watermarks(url: str) -> dict[str, int]:
    connection = await asyncpg.connect(asyncpg_dsn(url))
    try:
        rows = await connection.fetch("SELECT name, watermark FROM refresh_state")
        return {r["name"]: r["watermark"] for r in rows}
    finally:
        await connection.close()


async def up_to_date(url: str) -> bool:
    """Every summary's watermark at its fact table's newest ingestion number."""
    marks = await watermarks(url)
    connection = await asyncpg.connect(asyncpg_dsn(url))
    try:
        for summary in SUMMARIES:
            table = summary.fact.__tablename__
            column = summary.order.key
            top = await connection.fetchval(f"SELECT coalesce(max({column}), 0) FROM {table}")
            if marks.get(summary.name, 0) < top:
                return False
        return True
    finally:
        await connection.close()


async def rebuilt_on_copy(url: str) -> dict[str, list[tuple[Any, ...]]]:
    """Copy the database, rebuild the copy's summaries from scratch (refresh --full), snapshot it.

    The original is left as the faults left it. Copying needs nobody else
    connected to it: call this with every server and CLI process stopped.
    """
    admin = await admin_connection(url)
    copy = "bench_rebuilt"
    try:
        await admin.execute(f"DROP DATABASE IF EXISTS {copy}")
        # A killed client's backend can linger until it notices; it has
        # nothing left to commit, so ending it changes nothing.
        await admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = 'bench' AND pid <> pg_backend_pid()"
        )
        for _ in range(100):
            try:
                await admin.execute(f"CREATE DATABASE {copy} TEMPLATE bench")
                break
            except asyncpg.ObjectInUseError:
                await asyncio.sleep(0.2)
        else:
            raise RuntimeError("the bench database stayed in use; cannot copy it")
        copy_url = url.rsplit("/", 1)[0] + "/" + copy
        engine = create_engine(copy_url)
        try:
            result = await refresh(create_sessionmaker(engine), datetime.now(UTC), full=True)
            assert result.ran, "the copy's full rebuild did not run"
        finally:
            await engine.dispose()
        snapshot = await summaries_snapshot(copy_url)
        await admin.execute(f"DROP DATABASE {copy}")
        return snapshot
    finally:
        await admin.close()


def diff_summaries(
    found: dict[str, list[tuple[Any, ...]]], rebuilt: dict[str, list[tuple[Any, ...]]]
) -> list[str]:
    """Per table that differs from the rebuild: how many rows only one side has."""
    out = []
    for name in sorted(rebuilt):
        mine, theirs = Counter(found.get(name, [])), Counter(rebuilt[name])
        if mine != theirs:
            extra, missing = mine - theirs, theirs - mine
            example = next(iter(extra or missing))
            out.append(
                f"{name}: {sum(extra.values())} rows not in the rebuild, "
                f"{sum(missing.values())} rebuilt rows missing (e.g. {example})"
            )
    return out


# What each request or audit summary adds up to, against the raw facts it folds.
TOTALS = (
    ("daily_requests", "requests", "request_events", "TRUE"),
    ("daily_team_requests", "requests", "request_events", "TRUE"),
    ("daily_api_requests", "requests", "request_events", "api_id IS NOT NULL"),
    ("weekly_api_requests", "requests", "request_events", "api_id IS NOT NULL"),
    ("daily_user_requests", "requests", "request_events", "TRUE"),
    ("daily_audit_actions", "events", "audit_events", "TRUE"),
)


async def totals_against_facts(url: str) -> list[tuple[str, int, int]]:
    """(summary, what it adds up to, raw facts counted with SQL), for each of TOTALS."""
    connection = await asyncpg.connect(asyncpg_dsn(url))
    try:
        out = []
        for table, measure, facts, where in TOTALS:
            summed = await connection.fetchval(f"SELECT coalesce(sum({measure}), 0) FROM {table}")
            raw = await connection.fetchval(f"SELECT count(*) FROM {facts} WHERE {where}")
            out.append((table, int(summed), int(raw)))
        return out
    finally:
        await connection.close()


def print_totals(rows: Iterable[tuple[str, int, int]]) -> list[str]:
    """Print summary sums against raw counts; the ones that differ, as failures."""
    failures = []
    for table, summed, raw in rows:
        verdict = "equal" if summed == raw else f"DIFFER by {summed - raw:+,}"
        print(f"    {table:22} sums to {summed:>11,}   raw facts {raw:>11,}   {verdict}")
        if summed != raw:
            failures.append(f"{table} sums to {summed:,}, raw facts count {raw:,}")
    return failures


async def report_against_sql(base: str, key: str, url: str) -> list[str]:
    """The Summary report's requests per day (every source) against SQL over the raw facts.

    The report reads the daily summaries; SQL counts request_events by UTC day.
    Prints both totals and returns a failure per day that differs.
    """
    today = datetime.now(UTC).date()
    first = today - timedelta(days=REPORT_DAYS - 1)
    query = (
        f'{{ team {{ reports {{ summary(range: {{from: "{first}", to: "{today}"}}, '
        f"granularity: DAY, sources: {SOURCES}) {{ requestCount series {{ date requestCount }} }} "
        "} } }"
    )
    async with httpx.AsyncClient(base_url=base, timeout=60) as http:
        response = await http.post("/graphql", json={"query": query}, headers={"X-Api-Key": key})
    body = response.json()
    if response.status_code != 200 or body.get("errors"):
        return [f"the Summary report failed: {response.status_code} {response.text[:300]}"]
    summary = body["data"]["team"]["reports"]["summary"]
    connection = await asyncpg.connect(asyncpg_dsn(url))
    try:
        rows = await connection.fetch(
            """SELECT (at AT TIME ZONE 'UTC')::date AS day, count(*) AS n FROM request_events
               WHERE team_id = $1 AND (at AT TIME ZONE 'UTC')::date BETWEEN $2 AND $3
               GROUP BY 1""",
            TEAM,
            first,
            today,
        )
    finally:
        await connection.close()
    raw: dict[date, int] = {r["day"]: r["n"] for r in rows}
    failures = []
    for point in summary["series"]:
        day = date.fromisoformat(point["date"])
        if point["requestCount"] != raw.get(day, 0):
            failures.append(
                f"report says {point['requestCount']:,} requests on {day}, SQL counts "
                f"{raw.get(day, 0):,}"
            )
    total = sum(raw.values())
    print(
        f"    Summary report, {REPORT_DAYS} days, every source: {summary['requestCount']:,} "
        f"requests; SQL over raw facts: {total:,}; days differing: {len(failures)}"
    )
    if summary["requestCount"] != total:
        failures.insert(0, f"report total {summary['requestCount']:,} != SQL {total:,}")
    return failures


def verdict(failures: list[str]) -> int:
    """Print the load average, then PASS or every failure; the exit status."""
    print(
        f"\nload average at end: {load_average()}; the run took {time.monotonic() - STARTED:.0f} s"
    )
    if failures:
        print("FAIL: lost, partial or double-counted data:\n  " + "\n  ".join(failures))
        return 1
    print("PASS: no lost, partial or double-counted data")
    return 0
