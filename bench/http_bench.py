"""Head to head over HTTP: graphql-api against its stack's ceiling and its peers (issues 10, 11).

    make bench-http                                  # full size, about 15 minutes on 2 cores
    python bench/http_bench.py --quick               # 100k events, 500k facts, 3 s x 2 rounds
    python bench/http_bench.py --audit-events 100000 --facts 500000 --seconds 5 --rounds 2

On a private PostgreSQL cluster (bench/pgcluster.py: its own port and data
directory, never the shared server) it migrates a database and loads one
ENTERPRISE team: 2,000 users, 150 APIs, 1,000,000 audit events from the 2,000
actors and 5,000,000 request facts (bench/http/http_dataset.py), fully
refreshed. Then it starts, one process each on loopback:

- graphql-api, production mode (`graphql-api serve`, refresh off, rate limits lifted);
  and twice more with one setting changed (bench/http/workloads.py: VARIANTS):
  its report answer cache off, and its compiled operations off;
- PostGraphile 5 (bench/http/postgraphile; `npm ci` on first use; skipped, with
  the reason, where Node.js is absent or the install fails);
- the thinnest strawberry app for the same query (bench/http/thin_strawberry.py);
- a raw asyncpg + orjson endpoint (bench/http/raw_endpoint.py).

Workloads W1-W6 are described in bench/http/workloads.py. Before any load,
every request of every workload is sent once and checked (no errors; W1/W2:
every server returns the same events; W3 and W4: the raw endpoint's Team APIs
rows and Summary equal graphql-api's). graphql-api's SQL statements per
request are counted from the cluster's statement log (`log_statement=all`,
switched on only while counting; transaction control and pings included) at
page sizes 1, 50 and 100 and over 7, 30 and 90 days, and the statements of a
W3 and a W4 request are replayed through asyncpg to compare the request's time
end to end (on a bare keep-alive connection, bench/http/own_sql.py) with its own
SQL's; W3 and W4 on the raw endpoint are compared with their own statements the
same way (the floor of the ratio on this stack), and the W3 page statement with the
plain aggregate it needs. Load comes from wrk
(else a Python generator), `--connections` connections, pinned to one CPU;
servers are interleaved round by round and the median of the rounds is
reported with the machine's load.
With `graphql-api serve --workers N` available, W1 is also run with 2 workers.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE / "http"))

import asyncpg  # noqa: E402
import http_dataset  # noqa: E402
import httpx  # noqa: E402
import loadgen  # noqa: E402
import own_sql  # noqa: E402
import raw_endpoint  # noqa: E402
import workloads as wl  # noqa: E402
from loadgen import Request, Result, generator_cpu, generator_name, run_load  # noqa: E402
from pgcluster import free_port, private_cluster  # noqa: E402

SECRET = "http-bench-secret-key-not-for-production-use-0123456789"
PAGE_SIZES = (1, 50, 100)
RANGES = (7, 30, 90)
VENV_BIN = Path(sys.executable).parent
POSTGRAPHILE_DIR = HERE / "http" / "postgraphile"


# --- processes --------------------------------------------------------------------------


@dataclass
class Server:
    """A server process on loopback."""

    name: str
    port: int
    process: subprocess.Popen[bytes]
    log: Path


def start(name: str, command: list[str], env: dict[str, str], folder: Path) -> Server:
    """Start `command` in its own process group, output to a log file in `folder`."""
    port = int(env["PORT"])
    log = folder / f"{name.replace(' ', '-')}.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            command,
            env=env,
            cwd=folder,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own group: stopping it stops its children too
        )
    return Server(name, port, process, log)


def stop(server: Server) -> None:
    """Stop a server's process group: SIGTERM, then SIGKILL after 15 s."""
    if server.process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(server.process.pid, signal.SIGTERM)
    try:
        server.process.wait(15)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.process.pid, signal.SIGKILL)
        server.process.wait(5)


async def wait_ready(client: httpx.AsyncClient, server: Server, probe: Request) -> None:
    """Until `probe` answers 200; SystemExit with the log's tail if the process dies."""
    for _ in range(600):
        if server.process.poll() is not None:
            tail = server.log.read_text(errors="replace")[-3000:]
            raise RuntimeError(f"{server.name} exited at start:\n{tail}")
        with contextlib.suppress(httpx.HTTPError):
            response = await send(client, server.port, probe)
            if response.status_code == 200:
                return
        await asyncio.sleep(0.25)
    raise RuntimeError(f"{server.name} did not become ready; see {server.log}")


async def send(client: httpx.AsyncClient, port: int, request: Request) -> httpx.Response:
    """Send one workload request with httpx (set-up and checks, not load)."""
    return await client.request(
        request.method,
        f"http://127.0.0.1:{port}{request.path}",
        headers=request.headers,
        content=request.body or None,
    )


def graphql_api_env(dsn: str, port: int, folder: Path) -> dict[str, str]:
    """graphql-api as production runs it, refresh off, rate limits out of the way."""
    return dict(
        os.environ,
        PORT=str(port),
        DATABASE_URL=dsn,
        GRAPHQL_API_ENV="production",
        GRAPHQL_API_SECRET_KEY=SECRET,
        GRAPHQL_API_REFRESH_INTERVAL="0",
        GRAPHQL_API_RATE_LIMIT_PER_MINUTE="1000000000",
        GRAPHQL_API_AUTH_FAILURE_LIMIT_PER_MINUTE="1000000000",
        GRAPHQL_API_EXPORT_DIR=str(folder / "exports"),
    )


def serve_help() -> str:
    """`graphql-api serve --help` as the server is now (others may be adding options)."""
    return subprocess.run(
        [str(VENV_BIN / "graphql-api"), "serve", "--help"], capture_output=True, text=True
    ).stdout


def postgraphile_available() -> str | None:
    """None when PostGraphile 5 can run here, else why not (installing it if needed)."""
    if not shutil.which("node"):
        return "Node.js (`node`) is not installed"
    if not (POSTGRAPHILE_DIR / "node_modules" / "postgraphile").exists():
        npm = shutil.which("npm")
        if npm is None:
            return "npm is not installed"
        done = subprocess.run(
            [npm, "ci", "--no-audit", "--no-fund"],
            cwd=POSTGRAPHILE_DIR,
            capture_output=True,
            text=True,
            timeout=900,
        )
        if done.returncode != 0:
            return f"`npm ci` in {POSTGRAPHILE_DIR} failed: {done.stderr.strip()[-500:]}"
    return None


# --- the statement log -----------------------------------------------------------------

# With the prefix set while counting (`<pid>|`), a line is `1234|LOG:  statement: BEGIN`.
LOG_PREFIX = "%p|"
LOG_LINE = re.compile(r"^(\d+)\|(LOG|DETAIL|ERROR|STATEMENT|HINT|WARNING):  (.*)$")
PARAM = re.compile(r"\$(\d+) = (NULL|'(?:[^']|'')*')")
TX_WORDS = ("BEGIN", "COMMIT", "ROLLBACK", "START TRANSACTION", "SAVEPOINT", "RELEASE", "END")


@dataclass
class Statement:
    """One statement the server ran, as the cluster logged it."""

    pid: int
    sql: str
    params: dict[int, str] = field(default_factory=dict)

    @property
    def kind(self) -> str:
        """tx (transaction control), ping (an empty statement) or sql."""
        text = self.sql.strip().rstrip(";").strip().upper()
        if not text:
            return "ping"
        if text.startswith(TX_WORDS) or text.startswith("SET TRANSACTION"):
            return "tx"
        return "sql"

    def literal_sql(self) -> str:
        """The SQL with its logged parameters written in as literals."""
        return re.sub(r"\$(\d+)\b", lambda m: self.params[int(m.group(1))], self.sql)


class StatementLog:
    """The private cluster's server log, read for the statements of graphql-api's requests."""

    def __init__(self, dsn: str, path: Path) -> None:
        self.dsn, self.path = dsn, path

    async def switch(self, on: bool) -> None:
        """log_statement=all while counting only: logging costs every server under load."""
        connection = await asyncpg.connect(self.dsn)
        try:
            if on:
                await connection.execute("ALTER SYSTEM SET log_statement = 'all'")
                await connection.execute(f"ALTER SYSTEM SET log_line_prefix = '{LOG_PREFIX}'")
            else:
                await connection.execute("ALTER SYSTEM RESET log_statement")
                await connection.execute("ALTER SYSTEM RESET log_line_prefix")
            await connection.execute("SELECT pg_reload_conf()")
        finally:
            await connection.close()
        await asyncio.sleep(0.5)  # backends pick the reload up before their next command

    def mark(self) -> int:
        """Where the log ends now."""
        return self.path.stat().st_size

    def since(self, offset: int) -> list[Statement]:
        """Statements logged after `offset`."""
        with self.path.open("rb") as f:
            f.seek(offset)
            text = f.read().decode(errors="replace")
        statements: list[Statement] = []
        current: Statement | None = None
        last_kind = ""
        for line in text.splitlines():
            match = LOG_LINE.match(line)
            if match is None:
                if line.startswith("\t") and current is not None and last_kind == "stmt":
                    current.sql += "\n" + line[1:]
                continue
            pid, level, message = int(match.group(1)), match.group(2), match.group(3)
            last_kind = ""
            if level == "LOG" and message.startswith("statement: "):
                current = Statement(pid, message[len("statement: ") :])
            elif level == "LOG" and message.startswith("execute "):
                current = Statement(pid, message.split(": ", 1)[1] if ": " in message else "")
            elif level == "DETAIL" and message.startswith("parameters: ") and current:
                current.params = {int(n): v for n, v in PARAM.findall(message)}
                continue
            else:
                current = None
                continue
            statements.append(current)
            last_kind = "stmt"
        return statements


# --- checks, cursors, counts -----------------------------------------------------------


async def body_of(client: httpx.AsyncClient, port: int, request: Request) -> dict[str, Any]:
    """The JSON answer to `request`; RuntimeError unless 200 without errors."""
    response = await send(client, port, request)
    try:
        body = response.json()
    except ValueError:
        body = {}
    if response.status_code != 200 or body.get("errors") or "error" in body:
        raise RuntimeError(
            f"{request.method} {request.path} {request.body[:200]!r} answered "
            f"{response.status_code}: {response.text[:600]}"
        )
    return body


async def cursors_at(
    client: httpx.AsyncClient, server: str, port: int, key: str, depths: list[int], step: int
) -> dict[int, str | None]:
    """Each depth's cursor on `server`, found by paging there as a client would."""
    out: dict[int, str | None] = {}
    cursor: str | None = None
    depth = 0
    for target in sorted(depths):
        while depth < target:
            n = min(step, target - depth)
            page = wl.audit_connection(
                server, await body_of(client, port, wl.audit_page(server, n, cursor, key))
            )
            cursor = page["pageInfo"]["endCursor"]
            depth += n
        out[target] = cursor
    return out


def event_ids(server: str, body: dict[str, Any]) -> list[int]:
    """The eventIds of a W1/W2 answer, in order."""
    # PostGraphile serialises BigInt columns as strings.
    return [int(node["eventId"]) for node in wl.audit_connection(server, body)["nodes"]]


@dataclass
class Count:
    """SQL statements of one graphql-api request (the fewest of three sendings)."""

    total: int
    tx: int
    ping: int
    sql: int
    most: int = 0
    note: str = ""

    def cell(self) -> str:
        """`total (tx+ping)`, the most seen if a sending ran more, and any refusal."""
        text = f"{self.total} ({self.tx + self.ping} tx)"
        if self.most > self.total:
            text += f" <={self.most}"
        return f"{text} {self.note}" if self.note else text


async def count_statements(
    client: httpx.AsyncClient, port: int, log: StatementLog, request: Request, exclude: set[int]
) -> tuple[Count, list[Statement]]:
    """Statements of `request`, sent once to warm statement caches, then three times.

    The fewest of the three is reported: a sending that happens to open a pool
    connection also runs the driver's set-up statements, shown as `<=most`.
    """
    await send(client, port, request)
    await asyncio.sleep(0.1)
    seen: list[tuple[list[Statement], httpx.Response]] = []
    for _ in range(3):
        offset = log.mark()
        response = await send(client, port, request)
        await asyncio.sleep(0.3)  # the server log is written as statements run; let it land
        seen.append(([s for s in log.since(offset) if s.pid not in exclude], response))
    statements, response = min(seen, key=lambda pair: len(pair[0]))
    note = ""
    try:
        errors = response.json().get("errors") or []
    except ValueError:
        errors = []
    if response.status_code != 200 or errors:
        code = errors[0].get("extensions", {}).get("code", "?") if errors else ""
        note = f"[HTTP {response.status_code} {code}]".replace(" ]", "]")
    kinds = [s.kind for s in statements]
    count = Count(
        len(kinds),
        kinds.count("tx"),
        kinds.count("ping"),
        kinds.count("sql"),
        most=max(len(pair[0]) for pair in seen),
        note=note,
    )
    return count, statements


async def replay_ms(dsn: str, statements: list[Statement], runs: int) -> float:
    """Median time to run `statements` (their data statements) directly through asyncpg.

    Each is prepared once, as the server's driver prepares its statements: asyncpg's
    own cache skips statements over 15 KB (the Team APIs page is 19 KB), and planning
    those again on every run added 3 ms to W3's "own SQL"."""
    data = [s.literal_sql() for s in statements if s.kind == "sql"]
    connection = await asyncpg.connect(dsn)
    try:
        prepared = [await connection.prepare(sql) for sql in data]
        times = []
        for run in range(runs + 2):
            started = time.perf_counter()
            for statement in prepared:
                await statement.fetch()
            if run >= 2:  # two warm-ups: plans and buffers as the server had them
                times.append(time.perf_counter() - started)
    finally:
        await connection.close()
    return statistics.median(times) * 1000


async def serial_ms(client: httpx.AsyncClient, port: int, request: Request, runs: int) -> float:
    """Median end-to-end time of `request`, one at a time."""
    times = []
    for run in range(runs + 2):
        started = time.perf_counter()
        await body_of(client, port, request)
        if run >= 2:
            times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


# --- the benchmark ---------------------------------------------------------------------


@dataclass
class Options:
    """The command line."""

    audit_events: int
    facts: int
    seconds: float
    rounds: int
    connections: int
    json_path: str | None
    postgraphile: bool
    workers: bool


def median_result(results: list[Result]) -> dict[str, float]:
    """Median req/s, p50 and p99 over the rounds."""
    return {
        "rps": statistics.median(r.rps for r in results),
        "p50_ms": statistics.median(r.p50_ms for r in results),
        "p99_ms": statistics.median(r.p99_ms for r in results),
        "errors": sum(r.errors for r in results),
        "rounds_rps": [round(r.rps, 1) for r in results],
    }


def loadavg() -> list[float]:
    """The machine's 1, 5 and 15-minute load."""
    return [round(x, 2) for x in os.getloadavg()]


@contextlib.contextmanager
def running(servers: list[Server]) -> Iterator[list[Server]]:
    """Stop every server of the list on the way out, whatever happened."""
    try:
        yield servers
    finally:
        for server in reversed(servers):
            stop(server)


async def bench(options: Options, url: str, folder: Path, report: dict[str, Any]) -> None:
    """Load, start the servers, check, count, measure; fill `report` as it goes."""
    dsn = url.replace("postgresql+asyncpg://", "postgresql://")
    started = time.perf_counter()
    print(
        f"loading {options.audit_events:,} audit events and {options.facts:,} request facts "
        f"(load {loadavg()})",
        flush=True,
    )
    dataset = await http_dataset.load(url, audit=options.audit_events, facts=options.facts)
    print(
        f"loaded in {dataset.load_seconds:.0f} s, full refresh {dataset.refresh_seconds:.0f} s "
        f"(load {loadavg()})",
        flush=True,
    )
    report["dataset"] = {
        "audit_events": dataset.audit_events,
        "request_facts": dataset.facts,
        "users": http_dataset.USERS,
        "apis": http_dataset.APIS,
        "load_seconds": round(dataset.load_seconds, 1),
        "refresh_seconds": round(dataset.refresh_seconds, 1),
    }
    key = dataset.admin_key
    connection = await asyncpg.connect(dsn)
    data_directory = Path(await connection.fetchval("SHOW data_directory"))
    await connection.close()
    log = StatementLog(dsn, data_directory.parent / "server.log")

    servers: list[Server] = []
    skipped: dict[str, str] = {}
    with running(servers):
        port = free_port()
        serve = [str(VENV_BIN / "graphql-api"), "serve", "--host", "127.0.0.1"]
        servers.append(
            start(
                wl.GRAPHQL_API,
                [*serve, "--port", str(port)],
                graphql_api_env(url, port, folder),
                folder,
            )
        )
        for variant, changed in wl.VARIANTS.items():
            port = free_port()
            env = graphql_api_env(url, port, folder) | changed
            servers.append(start(variant, [*serve, "--port", str(port)], env, folder))
        why_not = postgraphile_available() if options.postgraphile else "--no-postgraphile"
        if why_not is None:
            port = free_port()
            servers.append(
                start(
                    wl.POSTGRAPHILE,
                    ["node", str(POSTGRAPHILE_DIR / "server.mjs")],
                    dict(
                        os.environ,
                        PORT=str(port),
                        DATABASE_URL=dsn,
                        NODE_ENV="production",
                        GRAPHILE_ENV="production",
                    ),
                    folder,
                )
            )
        else:
            skipped[wl.POSTGRAPHILE] = why_not
            print(f"PostGraphile 5 skipped: {why_not}", flush=True)
        for name, script in ((wl.THIN, "thin_strawberry.py"), (wl.RAW, "raw_endpoint.py")):
            port = free_port()
            servers.append(
                start(
                    name,
                    [
                        sys.executable,
                        str(HERE / "http" / script),
                        "--dsn",
                        dsn,
                        *("--port", str(port)),
                    ],
                    dict(os.environ, PORT=str(port)),
                    folder,
                )
            )
        ports = {s.name: s.port for s in servers}
        timeout = httpx.Timeout(120.0)
        async with httpx.AsyncClient(timeout=timeout) as client:
            for server in list(servers):
                probe = (
                    Request("GET", "/healthz")
                    if server.name in wl.GRAPHQL_APIS
                    else wl.audit_page(server.name, 1, None, key)
                )
                try:
                    await wait_ready(client, server, probe)
                except RuntimeError as exc:
                    if server.name != wl.POSTGRAPHILE:
                        raise
                    skipped[wl.POSTGRAPHILE] = f"did not start: {exc}"[:800]
                    print(f"PostGraphile 5 skipped: {skipped[wl.POSTGRAPHILE]}", flush=True)
                    stop(server)
                    servers.remove(server)
                    ports.pop(server.name)
            print(f"servers up: {', '.join(ports)} (load {loadavg()})", flush=True)
            report["skipped"] = skipped
            requests, deep = await prepare(client, ports, key, report)
            # Counted, and timed against its own SQL, where report requests read the
            # database: graphql-api serves a repeated one from memory (no SQL at all).
            counted = ports.get(wl.CACHE_OFF, ports[wl.GRAPHQL_API])
            await statement_counts(client, counted, key, deep, log, dsn, report, ports.get(wl.RAW))
            await load_rounds(options, ports, requests, report)
            metrics = await client.get(f"http://127.0.0.1:{ports[wl.GRAPHQL_API]}/metrics")
            report["graphql_api_cache_metrics"] = [
                line
                for line in metrics.text.splitlines()
                if ("cache" in line.lower() or "compiled" in line.lower())
                and not line.startswith("#")
            ]
            report["report_answer_hit_rate"] = hit_rate(metrics.text, "report_answer_cache")
            if options.workers:
                await workers(options, url, folder, ports, requests, key, client, report)
    report["wall_seconds"] = round(time.perf_counter() - started, 1)


async def prepare(
    client: httpx.AsyncClient, ports: dict[str, int], key: str, report: dict[str, Any]
) -> tuple[dict[tuple[str, str], list[Request]], str | None]:
    """Every workload's requests per server, each sent once and checked; and graphql-api's
    cursor 20,000 rows deep."""
    deep: str | None = None
    today = datetime.now(UTC).date()
    requests: dict[tuple[str, str], list[Request]] = {}
    same: dict[str, bool] = {}
    reference: dict[str, list[list[int]]] = {}
    depths = wl.SHALLOW_DEPTHS + wl.DEEP_DEPTHS
    for server, port in ports.items():
        if server in wl.VARIANTS:
            continue  # sent graphql-api's requests, below
        # graphql-api pages at most 100 rows: reaching 20,000 deep takes 200 pages there.
        step = 100 if server == wl.GRAPHQL_API else 1000
        found = await cursors_at(client, server, port, key, depths, step)
        if server == wl.GRAPHQL_API:
            deep = found[wl.DEEP]
        for name, chosen in (("W1", wl.SHALLOW_DEPTHS), ("W2", wl.DEEP_DEPTHS)):
            batch = [wl.audit_page(server, 50, found[d], key) for d in chosen]
            pages = [event_ids(server, await body_of(client, port, r)) for r in batch]
            ref = reference.setdefault(name, pages)
            same[f"{name} {server}"] = pages == ref
            requests[(name, server)] = batch
    # W5: `until` instants of events at the W1 depths (raw's cursors carry the timestamp).
    raw_cursors = await cursors_at(client, wl.RAW, ports[wl.RAW], key, wl.SHALLOW_DEPTHS, 1000)
    untils = [
        datetime.fromisoformat(c.rsplit("|", 1)[0])
        .astimezone(UTC)
        .isoformat()
        .replace("+00:00", "Z")
        if c
        else None
        for c in raw_cursors.values()
    ]
    for server in (wl.GRAPHQL_API, wl.RAW):
        batch = [wl.trails(server, 300, until, key) for until in untils]
        pages = [
            [t["id"] for t in (await body_of(client, ports[server], r))["trails"]] for r in batch
        ]
        ref = reference.setdefault("W5", pages)
        same[f"W5 {server}"] = pages == ref
        requests[("W5", server)] = batch
    windows = [wl.window(k, 90, today) for k in range(wl.WINDOW_ENDS)]
    requests[("W3", wl.GRAPHQL_API)] = [wl.team_apis(100, w, key) for w in windows]
    requests[("W4", wl.GRAPHQL_API)] = [wl.summary(w, key) for w in windows]
    requests[("W6", wl.GRAPHQL_API)] = [wl.dashboard(20, w, key) for w in windows]
    summaries, team_api_nodes = {}, {}
    for name in ("W3", "W4", "W6"):
        for request in requests[(name, wl.GRAPHQL_API)]:
            body = await body_of(client, ports[wl.GRAPHQL_API], request)
            if name == "W4":
                summaries[request.body] = body["data"]
            if name == "W3":
                team_api_nodes[request.body] = body["data"]["team"]["reports"]["teamApis"]["nodes"]
    requests[("W4", wl.RAW)] = [wl.raw_summary(w) for w in windows]
    same["W4 raw"] = [
        (await body_of(client, ports[wl.RAW], r))["data"] for r in requests[("W4", wl.RAW)]
    ] == list(summaries.values())
    requests[("W3", wl.RAW)] = [wl.raw_team_apis(w) for w in windows]
    same["W3 raw"] = [
        (await body_of(client, ports[wl.RAW], r))["data"]["team"]["reports"]["teamApis"]["nodes"]
        for r in requests[("W3", wl.RAW)]
    ] == list(team_api_nodes.values())
    await variant_requests(client, ports, requests, same)
    first_apis = await body_of(client, ports[wl.GRAPHQL_API], requests[("W3", wl.GRAPHQL_API)][0])
    report["team_apis_rows"] = first_apis["data"]["team"]["reports"]["teamApis"]["totalCount"]
    report["same_answers"] = same
    differing = [k for k, v in same.items() if not v]
    print(
        "checked every request once: "
        + (
            "all servers return the same events and Summaries"
            if not differing
            else f"DIFFER: {differing}"
        )
        + f"; Team APIs has {report['team_apis_rows']} rows",
        flush=True,
    )
    return requests, deep


async def variant_requests(
    client: httpx.AsyncClient,
    ports: dict[str, int],
    requests: dict[tuple[str, str], list[Request]],
    same: dict[str, bool],
) -> None:
    """graphql-api's requests for its variants, each checked to get graphql-api's answer
    (cursors aside: they are encrypted afresh each time)."""
    for variant in wl.VARIANTS:
        if variant not in ports:
            continue
        for w, served in wl.SERVED_BY.items():
            if variant not in served:
                continue
            batch = requests[(w, variant)] = requests[(w, wl.GRAPHQL_API)]
            answers = [
                [without_cursors(await body_of(client, port, r)) for r in batch]
                for port in (ports[wl.GRAPHQL_API], ports[variant])
            ]
            same[f"{w} {variant}"] = answers[0] == answers[1]


def without_cursors(value: Any) -> Any:
    """`value` with every cursor blanked."""
    if isinstance(value, dict):
        return {
            k: None if k in ("cursor", "startCursor", "endCursor") else without_cursors(v)
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [without_cursors(v) for v in value]
    return value


def hit_rate(metrics: str, cache: str) -> float | None:
    """hits / (hits + misses) of `graphql_api_<cache>_{hits,misses}_total` in /metrics."""
    counts = {}
    for line in metrics.splitlines():
        for side in ("hits", "misses"):
            if line.startswith(f"graphql_api_{cache}_{side}_total "):
                counts[side] = float(line.split()[-1])
    total = counts.get("hits", 0) + counts.get("misses", 0)
    return round(counts.get("hits", 0) / total, 4) if total else None


async def statement_counts(
    client: httpx.AsyncClient,
    port: int,
    key: str,
    deep: str | None,
    log: StatementLog,
    dsn: str,
    report: dict[str, Any],
    raw_port: int | None,
) -> None:
    """graphql-api's statements per request, and W3/W4 end to end against their own SQL
    (and W4 on the raw endpoint against its own, where it runs)."""
    today = datetime.now(UTC).date()
    ninety = wl.window(0, 90, today)
    by_size = {
        "W1 audit page (first: n)": lambda n: wl.audit_page(wl.GRAPHQL_API, n, None, key),
        "W2 audit page 20,000 deep": lambda n: wl.audit_page(wl.GRAPHQL_API, n, deep, key),
        "W3 Team APIs (first: n)": lambda n: wl.team_apis(n, ninety, key),
        "W5 /audit/logs?limit=n": lambda n: wl.trails(wl.GRAPHQL_API, n, None, key),
        "W6 dashboard (teamApis first: n)": lambda n: wl.dashboard(n, ninety, key),
    }
    by_range = {
        "W4 Summary, daily series": lambda d: wl.summary(wl.window(0, d, today), key),
        "W6 dashboard (first 20)": lambda d: wl.dashboard(20, wl.window(0, d, today), key),
        "drill-down series { teamApis(first: 5) }": lambda d: wl.drill_down(
            wl.window(0, d, today), key
        ),
    }
    me = await asyncpg.connect(dsn)  # only to know (and leave out) this process's own backends
    exclude = {await me.fetchval("SELECT pg_backend_pid()")}
    await me.close()
    counts: dict[str, dict[str, Any]] = {}
    captured: dict[str, list[Statement]] = {}
    await log.switch(True)
    try:
        idle_from = log.mark()
        await asyncio.sleep(1.0)
        idle = [s for s in log.since(idle_from) if s.pid not in exclude]
        for label, make in by_size.items():
            counts[label] = {}
            for n in PAGE_SIZES:
                count, statements = await count_statements(client, port, log, make(n), exclude)
                counts[label][str(n)] = asdict(count)
                if label.startswith("W3") and n == 100:
                    captured["W3"] = statements
        for label, make in by_range.items():
            counts[label] = {}
            for d in RANGES:
                count, statements = await count_statements(client, port, log, make(d), exclude)
                counts[label][f"{d}d"] = asdict(count)
                if label.startswith("W4") and d == 90:
                    captured["W4"] = statements
    finally:
        await log.switch(False)
    report["statements"] = {
        "idle_second": [" ".join(s.sql.split())[:100] for s in idle],
        "counts": counts,
    }
    own: dict[str, Any] = {}
    for name, request in (
        ("W3", by_size["W3 Team APIs (first: n)"](100)),
        ("W4", by_range["W4 Summary, daily series"](90)),
    ):
        end_to_end = await own_sql.bare_serial_ms(port, request, 15)
        with_httpx = await serial_ms(client, port, request, 15)
        sql = await replay_ms(dsn, captured[name], 15)
        own[name] = {
            "end_to_end_ms": round(end_to_end, 2),
            "end_to_end_httpx_ms": round(with_httpx, 2),
            "own_sql_ms": round(sql, 2),
            "ratio": round(end_to_end / sql, 2) if sql else None,
            "statements_replayed": sum(1 for s in captured[name] if s.kind == "sql"),
        }
    first, last = own_sql.ninety_days(today)
    slowest = max(
        [await replay_ms(dsn, [s], 15) for s in captured["W3"] if s.kind == "sql"], default=0.0
    )
    plain = await own_sql.statement_ms(dsn, own_sql.plain_team_apis_sql("bt", first, last), (), 15)
    own["W3"]["page_statement_ms"] = round(slowest, 2)
    own["W3"]["plain_aggregate_ms"] = round(plain, 2)
    if raw_port is not None:
        ninety_raw = wl.window(0, 90, today)
        floors = (
            ("W4 raw", raw_endpoint.SUMMARY_SQL, (raw_endpoint.TEAM, first, last), wl.raw_summary),
            ("W3 raw", raw_endpoint.team_apis_sql(first, last), (), wl.raw_team_apis),
        )
        for name, sql, args, make in floors:
            raw_sql = await own_sql.statement_ms(dsn, sql, args, 15)
            raw_e2e = await own_sql.bare_serial_ms(raw_port, make(ninety_raw), 15)
            own[name] = {
                "end_to_end_ms": round(raw_e2e, 2),
                "own_sql_ms": round(raw_sql, 2),
                "ratio": round(raw_e2e / raw_sql, 2) if raw_sql else None,
                "statements_replayed": 1,
            }
    report["own_sql"] = own
    print(f"statements counted; W3/W4 own SQL replayed (load {loadavg()})", flush=True)


async def load_rounds(
    options: Options,
    ports: dict[str, int],
    requests: dict[tuple[str, str], list[Request]],
    report: dict[str, Any],
) -> None:
    """Every (workload, server) for `seconds`, round after round, after one warm-up."""
    plan = [(w, s) for w in wl.WORKLOADS for s in wl.SERVED_BY[w] if s in ports]
    warm = max(1.0, options.seconds / 3)
    for w, s in plan:
        await asyncio.to_thread(
            run_load, ports[s], requests[(w, s)], seconds=warm, connections=options.connections
        )
    results: dict[tuple[str, str], list[Result]] = {item: [] for item in plan}
    rounds = []
    for n in range(options.rounds):
        before = loadavg()
        for w, s in plan:
            results[(w, s)].append(
                await asyncio.to_thread(
                    run_load,
                    ports[s],
                    requests[(w, s)],
                    seconds=options.seconds,
                    connections=options.connections,
                )
            )
        rounds.append({"round": n + 1, "load_before": before, "load_after": loadavg()})
        print(
            f"round {n + 1}/{options.rounds}: load {before} -> {rounds[-1]['load_after']}",
            flush=True,
        )
    report["rounds"] = rounds
    report["load"] = {f"{w} {s}": median_result(rs) for (w, s), rs in results.items()}


async def workers(
    options: Options,
    url: str,
    folder: Path,
    ports: dict[str, int],
    requests: dict[tuple[str, str], list[Request]],
    key: str,
    client: httpx.AsyncClient,
    report: dict[str, Any],
) -> None:
    """W1 with 1 and 2 graphql-api processes, when `serve --workers` exists."""
    if "--workers" not in serve_help():
        report["workers"] = "not available: `graphql-api serve` has no --workers option"
        return
    port = free_port()
    server = start(
        "graphql-api-2-workers",
        [
            str(VENV_BIN / "graphql-api"),
            "serve",
            "--host",
            "127.0.0.1",
            *("--port", str(port)),
            "--workers",
            "2",
        ],
        graphql_api_env(url, port, folder),
        folder,
    )
    with running([server]):
        await wait_ready(client, server, Request("GET", "/healthz"))
        # Cursors are the server's secret's: both servers share it, so W1's requests serve.
        sides = {"1 worker": ports[wl.GRAPHQL_API], "2 workers": port}
        batch = requests[("W1", wl.GRAPHQL_API)]
        for p in sides.values():
            await asyncio.to_thread(
                run_load, p, batch, seconds=max(1.0, options.seconds / 3), connections=8
            )
        results: dict[str, list[Result]] = {side: [] for side in sides}
        for _ in range(options.rounds):
            for side, p in sides.items():
                results[side].append(
                    await asyncio.to_thread(
                        run_load,
                        p,
                        batch,
                        seconds=options.seconds,
                        connections=options.connections,
                    )
                )
        report["workers"] = {side: median_result(rs) for side, rs in results.items()}


# --- the report ------------------------------------------------------------------------


def print_report(report: dict[str, Any], options: Options) -> None:
    """Plain-text tables of everything measured."""
    cpu = generator_cpu()
    print("\n== HTTP head to head (bench/http_bench.py) ==")
    print(
        f"machine: {os.cpu_count()} CPUs; load generator: {report['generator']}, "
        f"{options.connections} connections, pinned to CPU {cpu if cpu is not None else '-'}; "
        "servers and PostgreSQL unpinned; one process per server"
    )
    data = report.get("dataset", {})
    print(
        f"data: {data.get('audit_events', 0):,} audit events from {data.get('users', 0):,} "
        f"actors, {data.get('request_facts', 0):,} request facts, "
        f"{report.get('team_apis_rows', '?')} Team APIs rows; load "
        f"{data.get('load_seconds')} s, full refresh {data.get('refresh_seconds')} s"
    )
    for name, why in report.get("skipped", {}).items():
        print(f"{name}: skipped ({why.splitlines()[0]})")
    print(
        f"{options.rounds} rounds of {options.seconds:g} s per server and workload, interleaved; "
        "medians over the rounds"
    )
    for r in report.get("rounds", []):
        print(f"  round {r['round']}: load average {r['load_before']} -> {r['load_after']}")
    load = report.get("load", {})
    print(
        f"\n{'workload':44} {'server':16} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} "
        f"{'errors':>6}  req/s per round"
    )
    for w, title in wl.WORKLOADS.items():
        label = f"{w} {title}"
        missing = []
        for s in wl.SERVERS:
            m = load.get(f"{w} {s}")
            if m is None:
                missing.append(s)
                continue
            print(
                f"{label:44} {s:16} {m['rps']:8.1f} {m['p50_ms']:8.1f} {m['p99_ms']:8.1f} "
                f"{m['errors']:6d}  {m['rounds_rps']}"
            )
        if missing:
            print(f"{label:44} {', '.join(missing)}: n/a")
    print("\nratios (of median req/s)")
    for line in ratios(load):
        print(f"  {line}")
    own = report.get("own_sql", {})
    if own:
        print(
            "\nend to end against its own SQL (one request at a time on a bare keep-alive "
            "connection, medians of 15; targets W3 <= 1.3x, W4 <= 1.5x; graphql-api with its "
            "report cache off, so that its reports read the database)"
        )
        for name, o in own.items():
            server = "raw endpoint" if name.endswith("raw") else "graphql-api"
            httpx_note = (
                f" (with httpx as the client: {o['end_to_end_httpx_ms']:.1f} ms)"
                if "end_to_end_httpx_ms" in o
                else ""
            )
            print(
                f"  {name.split()[0]} {server} {o['end_to_end_ms']:.1f} ms{httpx_note}; its "
                f"{o['statements_replayed']} data statements run directly through asyncpg "
                f"{o['own_sql_ms']:.1f} ms: {o['ratio']}x"
            )
        w3 = own.get("W3", {})
        if "plain_aggregate_ms" in w3:
            ratio = w3["page_statement_ms"] / w3["plain_aggregate_ms"]
            print(
                f"  W3 page statement {w3['page_statement_ms']:.2f} ms; the plain aggregate it "
                f"needs (no masking) {w3['plain_aggregate_ms']:.2f} ms: {ratio:.2f}x "
                "(target <= 1.0)"
            )
    stmts = report.get("statements", {})
    if stmts:
        print(
            "\ngraphql-api SQL statements per request (report cache off; server log, "
            "log_statement=all; `total (transaction control and pings)`; with the cache a "
            "repeated report request runs none)"
        )
        counts = stmts["counts"]
        print(f"  {'request':44} {'n=1':>16} {'n=50':>16} {'n=100':>16}")
        for label, row in counts.items():
            if "d" in next(iter(row)):
                continue
            cells = [Count(**row[str(n)]).cell() for n in PAGE_SIZES]
            print(f"  {label:44} " + " ".join(f"{c:>16}" for c in cells))
        print(f"  {'request':44} {'7 days':>16} {'30 days':>16} {'90 days':>16}")
        for label, row in counts.items():
            if "d" not in next(iter(row)):
                continue
            cells = [Count(**row[f"{d}d"]).cell() for d in RANGES]
            print(f"  {label:44} " + " ".join(f"{c:>16}" for c in cells))
        idle = stmts["idle_second"]
        print(
            f"  (other statements in one idle second: {len(idle)}"
            + (f", e.g. {idle[0]!r}" if idle else "")
            + "; `<=n`: the most of three sendings, when one also ran such background work)"
        )
    cache = report.get("graphql_api_cache_metrics")
    print("\ngraphql-api caches (/metrics): " + ("; ".join(cache) if cache else "none exposed"))
    rate = report.get("report_answer_hit_rate")
    print(
        "graphql-api report answers from memory: "
        + ("n/a" if rate is None else f"{rate:.2%} of compiled report requests (hit rate)")
    )
    workers_result = report.get("workers")
    if isinstance(workers_result, dict):
        print("\nW1 on graphql-api with `serve --workers`")
        for side, m in workers_result.items():
            print(
                f"  {side:10} {m['rps']:8.1f} req/s  p50 {m['p50_ms']:.1f} ms  "
                f"p99 {m['p99_ms']:.1f} ms  {m['rounds_rps']}"
            )
    elif workers_result:
        print(f"\nW1 with several workers: {workers_result}")
    print(f"\nwall time {report.get('wall_seconds')} s; load average at the end {loadavg()}")


def ratios(load: dict[str, dict[str, float]]) -> list[str]:
    """The issue's ratios, where both sides were measured."""

    def rps(w: str, s: str) -> float | None:
        m = load.get(f"{w} {s}")
        return m["rps"] if m else None

    lines = []
    pairs = [
        ("W1", wl.GRAPHQL_API, wl.POSTGRAPHILE, "issue 11 target >= 1.0"),
        ("W1", wl.GRAPHQL_API, wl.RAW, "issue 11 target >= 0.6"),
        ("W1", wl.GRAPHQL_API, wl.THIN, "issue 10 target >= 0.9"),
        ("W1", wl.GRAPHQL_API, wl.COMPILED_OFF, ""),
        ("W2", wl.GRAPHQL_API, wl.THIN, ""),
        ("W2", wl.GRAPHQL_API, wl.POSTGRAPHILE, ""),
        ("W3", wl.GRAPHQL_API, wl.COMPILED_OFF, "issue 11 target >= 3.0"),
        ("W4", wl.GRAPHQL_API, wl.COMPILED_OFF, "issue 11 target >= 3.0"),
        ("W6", wl.GRAPHQL_API, wl.COMPILED_OFF, "issue 11 target >= 3.0"),
        ("W3", wl.CACHE_OFF, wl.COMPILED_OFF, "plans alone, reading the database"),
        ("W4", wl.CACHE_OFF, wl.COMPILED_OFF, "plans alone, reading the database"),
        ("W6", wl.CACHE_OFF, wl.COMPILED_OFF, "plans alone, reading the database"),
        ("W3", wl.GRAPHQL_API, wl.RAW, ""),
        ("W4", wl.GRAPHQL_API, wl.RAW, ""),
        ("W5", wl.GRAPHQL_API, wl.RAW, ""),
    ]
    for w, a, b, target in pairs:
        x, y = rps(w, a), rps(w, b)
        value = f"{x / y:.3f}" if x and y else "n/a"
        lines.append(f"{w} {a} / {b}: {value}" + (f"  ({target})" if target else ""))
    for s in wl.SERVED_BY["W2"]:
        x, y = rps("W2", s), rps("W1", s)
        value = f"{x / y:.3f}" if x and y else "n/a"
        target = "  (issue 11 target >= 0.9)" if s == wl.GRAPHQL_API else ""
        lines.append(f"W2/W1 {s}: {value}{target}")
    return lines


def main() -> None:
    """Parse the command line, run on a private cluster, print and save the report."""
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--audit-events", type=int, default=1_000_000)
    parser.add_argument("--facts", type=int, default=5_000_000)
    parser.add_argument("--seconds", type=float, default=8.0, help="per server per round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--json", dest="json_path", help="write the results here as JSON")
    parser.add_argument(
        "--quick",
        action="store_true",
        help="100,000 audit events, 500,000 facts, 3 s per server, 2 rounds",
    )
    parser.add_argument(
        "--generator", choices=("auto", "wrk", "python"), default="auto", help="load generator"
    )
    parser.add_argument("--no-postgraphile", dest="postgraphile", action="store_false")
    parser.add_argument("--no-workers", dest="workers", action="store_false")
    args = parser.parse_args()
    if args.quick:
        args.audit_events, args.facts, args.seconds, args.rounds = 100_000, 500_000, 3.0, 2
    if args.audit_events < wl.DEEP_DEPTHS[-1] + 400:
        parser.error(f"--audit-events must be at least {wl.DEEP_DEPTHS[-1] + 400} for W2")
    options = Options(
        args.audit_events,
        args.facts,
        args.seconds,
        args.rounds,
        args.connections,
        args.json_path,
        args.postgraphile,
        args.workers,
    )
    loadgen.GENERATOR = args.generator
    # `timeout`/`kill` send SIGTERM: exit through the finally blocks, which stop the
    # servers and the cluster, rather than die past them.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    report: dict[str, Any] = {
        "started_at": datetime.now(UTC).isoformat(),
        "cpus": os.cpu_count(),
        "generator": generator_name(),
        "options": asdict(options),
        "load_average_at_start": loadavg(),
    }
    settings = {"max_connections": "200", "shared_buffers": "512MB"}
    try:
        with (
            tempfile.TemporaryDirectory(prefix="http-bench-") as folder,
            private_cluster(**settings) as url,
        ):
            asyncio.run(bench(options, url, Path(folder), report))
    finally:
        print_report(report, options)
        if options.json_path:
            Path(options.json_path).write_text(json.dumps(report, indent=2, default=str))
            print(f"results written to {options.json_path}")


if __name__ == "__main__":
    main()
