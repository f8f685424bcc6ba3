"""Soak: one server under a steady mix of a day's traffic, watched for growth and drift.

Run before a release (issue 17; docs/soak.md):

    python bench/soak.py                      # 20 minutes on a private PostgreSQL cluster
    python bench/soak.py --database sqlite --minutes 6

It loads 300,000 audit events and 1,000,000 request facts, starts one
`graphql-api serve` in production mode, and for `--minutes` runs: six readers
looping over the audit log (newest page and 2,000 deep), Summary, Team APIs,
Members, Billing and `GET /audit/logs`; one writer posting 100 audit events and
100 request facts every second; ten open `auditEventAdded` subscriptions; an
audit export with its download every two minutes. Every 30 s it prints the
server's RSS and open files, database sessions opened and open, the pool,
p50/p99 per query and errors by code, and the load average. Then it checks the
data (every fact stored once, every subscription complete and in order,
summaries equal to a full rebuild, exports equal to their counts, no traceback
in the server's log), watches the idle server, prints the drift and exits 1 when
a bound is broken:

- RSS grows at most 64 MB past its size at 20 % of the run (minute 4 of 20),
  and not at all while idle (at most 4 MB, allocator noise);
- at most 0.1 new database sessions a second after warm-up (10 % of the run);
- each query's p50 and p99 over the last 20 % within 1.3x of those over 10-30 %
  (judged where both windows hold at least 50 of its requests).

The rate limit is lifted for the run (the readers are one key's worth of
traffic many times over); every other setting is production's default.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import csv
import io
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import websockets
from pgcluster import free_port, private_cluster
from soak_data import TEAM, Credentials, live_lines, load
from sqlalchemy import func, select

from graphql_api.db.base import utcnow
from graphql_api.db.engine import create_engine, create_sessionmaker
from graphql_api.db.models import AuditEvent, RefreshState, RequestEvent
from graphql_api.live.listener import asyncpg_dsn
from graphql_api.refresh.service import refresh
from graphql_api.refresh.summaries import SUMMARIES

RSS_GROWTH_MB = 64
IDLE_GROWTH_MB = 4
SESSIONS_PER_SECOND = 0.1
DRIFT = 1.3
SAMPLE_SECONDS = 30
# Fewer requests than this in a drift window and its p99 is one or two outliers:
# the ratio is printed, not judged (a run of 20 minutes has hundreds per query).
DRIFT_MIN_SAMPLES = 50
READERS = 6
SUBSCRIBERS = 10
WRITER_BATCH = 100  # audit events, and as many request facts, each second
EXPORT_EVERY = 120

AUDIT_PAGE = """query AuditPage($after: String) { team { auditEvents(first: 50, after: $after) {
  %s pageInfo { hasNextPage endCursor }
  nodes { id eventId action actionName category actor { id name email } ip userAgent message
          timestamp data } } } }"""
QUERIES: dict[str, str] = {
    "audit_newest": AUDIT_PAGE % "totalCount",
    "audit_2000_deep": AUDIT_PAGE % "",
    "summary": """{ team { reports { lastUpdatedAt
  summary(range: {preset: LAST_90_DAYS}, granularity: DAY) {
    requestCount errorRate avgResponseTimeMs p95ResponseTimeMs uptime apiCount emptyReason
    series { date requestCount p95ResponseTimeMs uptime } } } } }""",
    "team_apis": """{ team { reports { teamApis(first: 20, range: {preset: LAST_30_DAYS},
  orderBy: {field: P95_RESPONSE_TIME, direction: DESC}) { totalCount restrictedCount
  nodes { restricted name requestCount avgResponseTimeMs p95ResponseTimeMs uptime
          failedTestRuns hasDocumentation hasTests hasMonitor } } } } }""",
    "members": """{ team { reports { members(range: {preset: LAST_30_DAYS}) {
  activeMembers invitedMembers removedMembers seatsUsed seatsTotal invites joins removals
  roles { role count } activeMembersSeries { date count }
  members(first: 20) { totalCount nodes { name status roles joinedAt lastActiveOn
                                          requestCount } } } } } }""",
    "billing": """{ team { billing { plan seats { total used available }
  invoices(first: 5) { nodes { number status amountCents currency } }
  usage { month resources { resource used allowance overage } }
  activity(first: 10) { nodes { at kind message } } } } }""",
}
REST = "rest_audit_logs"
MIX = [*QUERIES, REST]
INGEST = "ingest"
SUBSCRIBE = """subscription { auditEventAdded { eventId message } }"""


@dataclass
class Record:
    at: float
    name: str
    seconds: float
    outcome: str


@dataclass
class Run:
    """What the load saw; shared by its tasks."""

    base: str
    creds: Credentials
    deep_cursor: str
    started: float = 0.0
    records: list[Record] = field(default_factory=list)
    stored_batches: int = 0
    received: list[list[int]] = field(default_factory=lambda: [[] for _ in range(SUBSCRIBERS)])
    exports: list[tuple[int, int, int]] = field(default_factory=list)  # rowCount, CSV rows, total
    export_filter: dict[str, str] = field(default_factory=dict)

    def now(self) -> float:
        return time.monotonic() - self.started

    def record(self, name: str, started: float, outcome: str) -> None:
        self.records.append(
            Record(started - self.started, name, time.monotonic() - started, outcome)
        )


def outcome_of(response: httpx.Response) -> str:
    if response.status_code != 200:
        return f"HTTP {response.status_code}"
    if response.headers.get("content-type", "").startswith("application/json"):
        body = response.json()
        if isinstance(body, dict) and body.get("errors"):
            return str(body["errors"][0].get("extensions", {}).get("code", "NO_CODE"))
    return "ok"


async def graphql(
    http: httpx.AsyncClient, key: str, query: str, variables: dict[str, Any] | None = None
) -> dict[str, Any]:
    response = await http.post(
        "/graphql", json={"query": query, "variables": variables or {}}, headers={"X-Api-Key": key}
    )
    body: dict[str, Any] = response.json()
    if response.status_code != 200 or body.get("errors"):
        raise RuntimeError(f"{response.status_code}: {response.text[:400]}")
    return body["data"]


# ---------------------------------------------------------------- the load


async def reader(run: Run, index: int, stop: asyncio.Event) -> None:
    key = run.creds.admin_key
    async with httpx.AsyncClient(base_url=run.base, timeout=120) as http:
        turn = index
        while not stop.is_set():
            name = MIX[turn % len(MIX)]
            turn += 1
            started = time.monotonic()
            try:
                if name == REST:
                    response = await http.get("/audit/logs?limit=300", headers={"X-Api-Key": key})
                else:
                    variables = {"after": run.deep_cursor} if name == "audit_2000_deep" else {}
                    response = await http.post(
                        "/graphql",
                        json={"query": QUERIES[name], "variables": variables},
                        headers={"X-Api-Key": key},
                    )
                outcome = outcome_of(response)
            except httpx.HTTPError as exc:
                outcome = type(exc).__name__
            run.record(name, started, outcome)


async def writer(run: Run, stop: asyncio.Event) -> None:
    headers = {"Authorization": f"Bearer {run.creds.service_token}"}
    async with httpx.AsyncClient(base_url=run.base, timeout=120) as http:
        batch = 0
        tick = time.monotonic()
        while not stop.is_set():
            body = "\n".join(live_lines(batch, WRITER_BATCH)).encode()
            started = time.monotonic()
            try:
                response = await http.post("/ingest", content=body, headers=headers)
                outcome = outcome_of(response)
            except httpx.HTTPError as exc:
                outcome = type(exc).__name__
            run.record(INGEST, started, outcome)
            if outcome == "ok":
                run.stored_batches = batch + 1
                batch += 1
            tick += 1
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), max(0.0, tick - time.monotonic()))


async def subscriber(run: Run, index: int, ready: asyncio.Event, stop: asyncio.Event) -> None:
    url = run.base.replace("http://", "ws://") + "/graphql"
    received = run.received[index]
    async with websockets.connect(url, subprotocols=["graphql-transport-ws"], max_queue=None) as ws:
        init = {"type": "connection_init", "payload": {"X-Api-Key": run.creds.admin_key}}
        await ws.send(json.dumps(init))
        assert json.loads(await ws.recv())["type"] == "connection_ack"
        await ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": {"query": SUBSCRIBE}}))
        ready.set()
        while not stop.is_set():
            try:
                message = json.loads(await asyncio.wait_for(ws.recv(), 1))
            except TimeoutError:
                continue
            if message["type"] != "next":
                raise RuntimeError(f"subscription {index}: {message}")
            received.append(message["payload"]["data"]["auditEventAdded"]["eventId"])


async def exporter(run: Run, stop: asyncio.Event) -> None:
    key = run.creds.admin_key
    mutation = """mutation($filter: AuditEventFilter) {
      exportAuditEvents(filter: $filter) { id } }"""
    poll = "query($id: ID!) { node(id: $id) { ... on ExportJob { status rowCount downloadUrl } } }"
    async with httpx.AsyncClient(base_url=run.base, timeout=300) as http:
        total = (
            await graphql(
                http,
                key,
                "query($f: AuditEventFilter) { team { auditEvents(first: 1, filter: $f) "
                "{ totalCount } } }",
                {"f": run.export_filter},
            )
        )["team"]["auditEvents"]["totalCount"]
        while not stop.is_set():
            started = time.monotonic()
            job = (await graphql(http, key, mutation, {"filter": run.export_filter}))[
                "exportAuditEvents"
            ]
            while True:
                node = (await graphql(http, key, poll, {"id": job["id"]}))["node"]
                if node["status"] in {"SUCCEEDED", "FAILED", "EXPIRED"}:
                    break
                await asyncio.sleep(1)
            if node["status"] != "SUCCEEDED":
                run.record("export", started, f"export {node['status']}")
            else:
                download = await http.get(node["downloadUrl"])
                rows = sum(1 for _ in csv.reader(io.StringIO(download.text))) - 1
                run.exports.append((node["rowCount"], rows, total))
                run.record("export", started, outcome_of(download))
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(
                    stop.wait(), max(0.0, EXPORT_EVERY - (time.monotonic() - started))
                )


# ---------------------------------------------------------------- watching


@dataclass
class Sample:
    at: float
    rss_mb: float
    open_files: int
    sessions_opened: int | None
    sessions_open: int | None
    pool: dict[str, float]
    load: float
    wal_mb: float | None


def rss_mb(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) / 1024  # type: ignore[union-attr]


def pool_metrics(text: str) -> dict[str, float]:
    wanted = {
        "graphql_api_db_pool_checked_out": "in_use",
        "graphql_api_db_connections_opened_total": "opened",
        "graphql_api_db_pool_waits_total": "waits",
    }
    found = {}
    for line in text.splitlines():
        name, _, value = line.partition(" ")
        if name in wanted:
            found[wanted[name]] = float(value)
    return found


class Watcher:
    """Samples the server process, its database and its /metrics."""

    def __init__(
        self, pid: int, base: str, pg: asyncpg.Connection | None, wal: Path | None
    ) -> None:
        self.pid, self.base, self.pg, self.wal = pid, base, pg, wal
        self.samples: list[Sample] = []

    async def sample(self, at: float) -> Sample:
        opened = open_now = None
        if self.pg is not None:
            opened = await self.pg.fetchval(
                "SELECT sessions FROM pg_stat_database WHERE datname = current_database()"
            )
            open_now = await self.pg.fetchval(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND backend_type = 'client backend' AND pid <> pg_backend_pid()"
            )
        async with httpx.AsyncClient(base_url=self.base) as http:
            pool = pool_metrics((await http.get("/metrics")).text)
        sample = Sample(
            at=at,
            rss_mb=rss_mb(self.pid),
            open_files=len(os.listdir(f"/proc/{self.pid}/fd")),
            sessions_opened=opened,
            sessions_open=open_now,
            pool=pool,
            load=os.getloadavg()[0],
            wal_mb=(self.wal.stat().st_size / 2**20 if self.wal and self.wal.exists() else None),
        )
        self.samples.append(sample)
        return sample


def percentile(values: list[float], q: int) -> float:
    if len(values) == 1:
        return values[0]
    return (
        statistics.quantiles(values, n=100, method="inclusive")[q - 1] if q < 100 else max(values)
    )


def latencies(records: list[Record], since: float, until: float) -> dict[str, list[float]]:
    out: dict[str, list[float]] = defaultdict(list)
    for r in records:
        if since <= r.at < until and r.outcome == "ok":
            out[r.name].append(r.seconds * 1000)
    return out


def print_sample(run: Run, sample: Sample, previous: Sample | None) -> None:
    since = previous.at if previous else 0.0
    window = [r for r in run.records if since <= r.at < sample.at]
    errors = Counter(r.outcome for r in window if r.outcome != "ok")
    opened = (
        f" pg_sessions +{sample.sessions_opened - previous.sessions_opened}"
        if previous and sample.sessions_opened is not None and previous.sessions_opened is not None
        else ""
    )
    pool = sample.pool
    print(
        f"t={sample.at:5.0f}s rss={sample.rss_mb:7.1f}MB files={sample.open_files:3d}{opened}"
        f" open={sample.sessions_open} pool in_use={pool.get('in_use', 0):.0f}"
        f" opened={pool.get('opened', 0):.0f} waits={pool.get('waits', 0):.0f}"
        f" load={sample.load:.2f} requests={len(window)} errors={dict(errors)}"
        + (f" wal={sample.wal_mb:.1f}MB" if sample.wal_mb is not None else ""),
        flush=True,
    )
    for name, values in sorted(latencies(run.records, since, sample.at).items()):
        print(
            f"    {name:16} n={len(values):4d} p50={percentile(values, 50):7.1f}ms "
            f"p99={percentile(values, 99):7.1f}ms",
            flush=True,
        )


# ---------------------------------------------------------------- the server


@contextlib.asynccontextmanager
async def server(url: str, folder: Path) -> AsyncIterator[tuple[asyncio.subprocess.Process, str]]:
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "GRAPHQL_API_ENV": "production",
        "GRAPHQL_API_SECRET_KEY": "soak-" + os.urandom(16).hex(),
        "GRAPHQL_API_RATE_LIMIT_PER_MINUTE": "100000000",
        "GRAPHQL_API_EXPORT_DIR": str(folder / "exports"),
    }
    log = (folder / "server.log").open("wb")
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "graphql_api.cli",
        "serve",
        "--port",
        str(port),
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        async with httpx.AsyncClient(base_url=base) as http:
            for _ in range(600):
                with contextlib.suppress(httpx.TransportError):
                    if (await http.get("/readyz")).status_code == 200:
                        break
                if process.returncode is not None:
                    raise SystemExit((folder / "server.log").read_text()[-3000:])
                await asyncio.sleep(0.1)
        yield process, base
    finally:
        if process.returncode is None:
            process.terminate()
            await process.wait()
        log.close()


# ---------------------------------------------------------------- checks


async def summaries_snapshot(db: Any) -> dict[str, list[tuple[Any, ...]]]:
    async with db() as session:
        return {
            s.name: sorted(tuple(row) for row in await session.execute(select(s.table.__table__)))
            for s in SUMMARIES
        }


async def refreshed_up_to_date(db: Any) -> bool:
    async with db() as session:
        marks = dict(
            (await session.execute(select(RefreshState.name, RefreshState.watermark))).all()
        )
        for summary in SUMMARIES:
            top = await session.scalar(select(func.max(summary.order))) or 0
            if marks.get(summary.name, 0) < top:
                return False
    return True


async def expected_live_events(db: Any, after: int) -> list[int]:
    async with db() as session:
        return list(
            await session.scalars(
                select(AuditEvent.event_id)
                .where(AuditEvent.team_id == TEAM, AuditEvent.event_id > after)
                .order_by(AuditEvent.event_id)
            )
        )


async def stored(db: Any, model: Any, prefix: str) -> int:
    async with db() as session:
        return int(
            await session.scalar(
                select(func.count()).select_from(model).where(model.ext_id.like(f"{prefix}%"))
            )
            or 0
        )


# ---------------------------------------------------------------- the run


def drift_table(run: Run, total: float) -> list[str]:
    base = latencies(run.records, 0.1 * total, 0.3 * total)
    last = latencies(run.records, 0.8 * total, total)
    failures = []
    print(f"\nDrift: p50/p99 over the last 20 % against 10-30 % of the run (bound {DRIFT}x)")
    print(f"  {'query':16} {'n':>9} {'p50 ms':>17} {'p99 ms':>17} {'p50 x':>6} {'p99 x':>6}")
    for name in [*MIX, INGEST]:
        if not base.get(name) or not last.get(name):
            failures.append(f"{name}: no successful requests in a window")
            continue
        b50, b99 = percentile(base[name], 50), percentile(base[name], 99)
        l50, l99 = percentile(last[name], 50), percentile(last[name], 99)
        r50, r99 = l50 / b50, l99 / b99
        print(
            f"  {name:16} {len(base[name]):4d}/{len(last[name]):4d} "
            f"{b50:7.1f} -> {l50:7.1f} {b99:7.1f} -> {l99:7.1f} {r50:6.2f} {r99:6.2f}"
        )
        if min(len(base[name]), len(last[name])) < DRIFT_MIN_SAMPLES:
            print(f"  {'':16} (too few requests to judge drift; run longer)")
        elif r50 > DRIFT or r99 > DRIFT:
            failures.append(f"{name}: p50 x{r50:.2f}, p99 x{r99:.2f} (bound {DRIFT})")
    return failures


def judge_the_server(
    run: Run, all_samples: list[Sample], idle: list[Sample], total: float, idle_seconds: int
) -> list[str]:
    """Memory, connections, drift and errors against their bounds; what broke."""
    failures: list[str] = []
    samples = [s for s in all_samples if s.at <= total + 1]
    warm = min(samples, key=lambda s: abs(s.at - 0.2 * total))
    after = [s for s in samples if s.at >= warm.at]
    growth = max(s.rss_mb for s in after) - warm.rss_mb
    idle_growth = max(s.rss_mb for s in idle) - idle[0].rss_mb
    print(
        f"\nRSS: {samples[0].rss_mb:.0f} MB at start, {warm.rss_mb:.0f} MB at "
        f"{warm.at / 60:.1f} min, at most {max(s.rss_mb for s in after):.0f} MB after: "
        f"+{growth:.1f} MB (bound {RSS_GROWTH_MB}); idle {idle_seconds} s: "
        f"+{idle_growth:.1f} MB (bound {IDLE_GROWTH_MB})"
    )
    if growth > RSS_GROWTH_MB:
        failures.append(f"RSS grew {growth:.1f} MB after warm-up")
    if idle_growth > IDLE_GROWTH_MB:
        failures.append(f"RSS grew {idle_growth:.1f} MB while idle")
    settled = min(samples, key=lambda s: abs(s.at - 0.1 * total))
    end = samples[-1]
    seconds = max(1.0, end.at - settled.at)
    opened = end.pool.get("opened", 0) - settled.pool.get("opened", 0)
    print(
        f"Connections opened by the server after {settled.at / 60:.1f} min: {opened:.0f} "
        f"({opened / seconds:.3f}/s); pool waits {end.pool.get('waits', 0):.0f}"
    )
    if opened / seconds > SESSIONS_PER_SECOND:
        failures.append(f"the pool opened {opened / seconds:.3f} connections a second")
    if end.sessions_opened is not None and settled.sessions_opened is not None:
        new = end.sessions_opened - settled.sessions_opened
        print(f"PostgreSQL sessions opened after warm-up: {new} ({new / seconds:.3f}/s)")
        if new / seconds > SESSIONS_PER_SECOND:
            failures.append(f"PostgreSQL saw {new / seconds:.3f} new sessions a second")
    print(f"Open files: {samples[0].open_files} at start, {end.open_files} at the end")
    failures += drift_table(run, total)
    counts = Counter(r.name for r in run.records)
    errors = Counter((r.name, r.outcome) for r in run.records if r.outcome != "ok")
    print(f"\nRequests: {sum(counts.values()):,} ({dict(counts)}); errors: {dict(errors)}")
    if errors:
        failures.append(f"errors: {dict(errors)}")
    loads = [s.load for s in samples]
    print(f"Load average: median {statistics.median(loads):.2f}, max {max(loads):.2f}")

    return failures


async def check_the_data(
    db: Any, run: Run, expected: list[int], incremental: Any, folder: Path
) -> list[str]:
    """Facts, live events, summaries, exports and the log; what was wrong."""
    failures: list[str] = []
    sent = run.stored_batches * WRITER_BATCH
    audit_stored = await stored(db, AuditEvent, "soak-a-")
    requests_stored = await stored(db, RequestEvent, "soak-r-")
    print(
        f"\nData: {sent:,} audit events and {sent:,} request facts acknowledged; "
        f"stored {audit_stored:,} and {requests_stored:,}"
    )
    if audit_stored != sent or requests_stored != sent:
        failures.append("stored facts differ from those acknowledged")
    complete = [r == expected for r in run.received]
    print(
        f"Subscriptions: {sum(complete)} of {SUBSCRIBERS} received all {len(expected):,} "
        f"events in order (received: {sorted({len(r) for r in run.received})})"
    )
    if not all(complete):
        failures.append("a subscription missed, repeated or reordered events")
    await refresh(db, utcnow(), full=True)
    rebuilt = await summaries_snapshot(db)
    differing = [name for name in rebuilt if rebuilt[name] != incremental[name]]
    print(f"Summaries equal a full rebuild: {differing or 'yes'}")
    if differing:
        failures.append(f"summaries differ from a rebuild: {differing}")
    good = [e for e in run.exports if e[0] == e[1] == e[2]]
    print(f"Exports: {len(good)} of {len(run.exports)} equal their counts {run.exports}")
    if not run.exports or len(good) != len(run.exports):
        failures.append("an export differs from its count (or none ran)")
    log = (folder / "server.log").read_text(errors="replace")
    tracebacks = log.count("Traceback")
    print(f"Tracebacks in the server log: {tracebacks}")
    if tracebacks:
        failures.append(f"{tracebacks} tracebacks in the server log")
    return failures


async def soak(args: argparse.Namespace, url: str, folder: Path) -> int:
    total = args.minutes * 60
    print(
        f"Loading {args.requests:,} request facts and {args.audit:,} audit events ...", flush=True
    )
    loaded = time.monotonic()
    creds = await load(url, requests=args.requests, audit=args.audit)
    print(f"  loaded and refreshed in {time.monotonic() - loaded:.0f} s", flush=True)
    engine = create_engine(url)
    db = create_sessionmaker(engine)
    failures: list[str] = []
    pg = await asyncpg.connect(asyncpg_dsn(url)) if url.startswith("postgresql") else None
    try:
        async with server(url, folder) as (process, base):
            async with httpx.AsyncClient(base_url=base, timeout=120) as http:
                cursor = None
                for _ in range(20):  # 20 pages of 100: a cursor 2,000 deep
                    page = await graphql(
                        http,
                        creds.admin_key,
                        "query($after: String) { team { auditEvents(first: 100, after: $after) "
                        "{ pageInfo { endCursor } } } }",
                        {"after": cursor},
                    )
                    cursor = page["team"]["auditEvents"]["pageInfo"]["endCursor"]
            run = Run(base=base, creds=creds, deep_cursor=cursor)
            # A window that ends before the writer starts: its count cannot change.
            until = utcnow().replace(microsecond=0)
            run.export_filter = {
                "since": (until - timedelta(days=7)).isoformat(),
                "until": until.isoformat(),
            }
            first_live = (await expected_live_events(db, 0))[-1]
            stop = asyncio.Event()
            # Subscribers read on after the load stops, until they have every event.
            caught_up = asyncio.Event()
            ready = [asyncio.Event() for _ in range(SUBSCRIBERS)]
            subscribers = [
                asyncio.create_task(subscriber(run, i, ready[i], caught_up))
                for i in range(SUBSCRIBERS)
            ]
            await asyncio.gather(*(r.wait() for r in ready))
            await asyncio.sleep(1)  # the server registers each subscription
            run.started = time.monotonic()
            load_tasks = [
                *(asyncio.create_task(reader(run, i, stop)) for i in range(READERS)),
                asyncio.create_task(writer(run, stop)),
                asyncio.create_task(exporter(run, stop)),
            ]
            wal = Path(url.split("///", 1)[1] + "-wal") if pg is None else None
            watcher = Watcher(process.pid, base, pg, wal)
            previous = await watcher.sample(0.0)
            print(f"\nSoak of {args.minutes} min on {engine.dialect.name}", flush=True)
            print_sample(run, previous, None)
            while run.now() < total:
                await asyncio.sleep(min(SAMPLE_SECONDS, total - run.now()))
                sample = await watcher.sample(run.now())
                print_sample(run, sample, previous)
                previous = sample
                if any(t.done() and t.exception() for t in [*load_tasks, *subscribers]):
                    break
            stop.set()
            ended = await asyncio.gather(*load_tasks, return_exceptions=True)
            failures += [f"a client failed: {e!r}" for e in ended if isinstance(e, Exception)]
            expected = await expected_live_events(db, first_live)
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline and any(  # noqa: ASYNC110
                len(r) < len(expected) for r in run.received
            ):
                await asyncio.sleep(0.5)
            caught_up.set()
            ended = await asyncio.gather(*subscribers, return_exceptions=True)
            failures += [f"a subscriber failed: {e!r}" for e in ended if isinstance(e, Exception)]

            # Idle: nothing asks anything; the server should stand still.
            idle = [await watcher.sample(run.now())]
            idle_end = time.monotonic() + args.idle_seconds
            while time.monotonic() < idle_end:
                await asyncio.sleep(min(10, max(0.0, idle_end - time.monotonic())))
                idle.append(await watcher.sample(run.now()))
            # The server's own refresher folds what the writer sent.
            deadline = time.monotonic() + 120
            while not await refreshed_up_to_date(db) and time.monotonic() < deadline:  # noqa: ASYNC110
                await asyncio.sleep(2)
            incremental = await summaries_snapshot(db)
            process.terminate()
            await process.wait()

        failures += judge_the_server(run, watcher.samples, idle, total, args.idle_seconds)
        failures += await check_the_data(db, run, expected, incremental, folder)
    finally:
        if pg is not None:
            await pg.close()
        await engine.dispose()
    print("\n" + ("PASS" if not failures else "FAIL:\n  " + "\n  ".join(failures)))
    return 0 if not failures else 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=20)
    parser.add_argument("--database", choices=["postgresql", "sqlite"], default="postgresql")
    parser.add_argument("--audit", type=int, default=300_000)
    parser.add_argument("--requests", type=int, default=1_000_000)
    parser.add_argument("--idle-seconds", type=int, default=60)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="graphql-api-soak-") as name:
        folder = Path(name)
        if args.database == "sqlite":
            code = asyncio.run(soak(args, f"sqlite+aiosqlite:///{folder / 'soak.db'}", folder))
        else:
            with private_cluster(max_connections="200") as url:
                code = asyncio.run(soak(args, url, folder))
    sys.exit(code)


if __name__ == "__main__":
    main()
