"""PostgreSQL restarted and stopped under load: what do clients get, and is any batch lost?

Run on demand, not in CI (docs/releasing.md; `make bench-faults`):

    python bench/faults/pg_restart.py                  # about 2-3 minutes on 2 cores
    python bench/faults/pg_restart.py --down 10 --settle 30

On a private PostgreSQL cluster it loads the soak's team (--requests request
facts, --audit audit events), starts one `graphql-api serve` in production
mode (its refresher every 5 s, so it meets the faults too) and drives a mixed
load: --readers clients looping over the Summary report, an audit page and
`GET /audit/logs` with an admin key; one writer posting a new ingest batch
(--batch request facts and as many audit events) every --ingest-interval s
with a service token; a probe asking `{ viewer { name } }` every 0.2 s. After
--warm s it runs `pg_ctl restart -m fast`, waits --settle s, then
`pg_ctl stop -m fast`, --down s with no database, `pg_ctl start`, and --settle
s more. The server is never restarted.

It prints, per fault: answers by kind, HTTP status, error code and whether a
Retry-After header came, before, during (fault to database back) and after,
each placed by when it arrived; how long after the database was back each kind
answered 200 again, and when its last failure arrived. What is wanted while
the database is down is 503 with code SERVICE_UNAVAILABLE and Retry-After; the
script reports what it sees and does not fail on it. Then the data: every batch answered 2xx stored
whole, once; every refused one left nothing (or, its commit's outcome unknown
to the server, was stored whole); each refused batch is then sent again and
must be stored once; the summaries must equal a full rebuild on a copy, and
the Summary report must equal SQL over the raw facts. Exit status 1 on lost,
partial or doubled data.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import httpx
from faultkit import (
    BatchFate,
    Cluster,
    Credentials,
    Tally,
    banner,
    batch_lines,
    diff_summaries,
    judge_batches,
    load,
    outcome_of,
    print_totals,
    private_cluster,
    rebuilt_on_copy,
    report_against_sql,
    running_server,
    stored_per_batch,
    summaries_snapshot,
    timed,
    totals_against_facts,
    up_to_date,
    verdict,
)

SUMMARY = """{ team { reports { summary(range: {preset: LAST_30_DAYS}, granularity: DAY) {
  requestCount errorRate p95ResponseTimeMs series { date requestCount } } } } }"""
AUDIT_PAGE = """{ team { auditEvents(first: 50) { totalCount
  nodes { eventId action message timestamp actor { name } } } } }"""
PROBE = "{ viewer { name } }"
READS = ("summary", "audit_page", "rest_audit")
PREFIX = "pgr-"


@dataclass
class Load:
    """The clients' shared view: outcomes, and what each ingest batch was told."""

    base: str
    creds: Credentials
    tally: Tally = field(default_factory=Tally)
    batches: dict[str, BatchFate] = field(default_factory=dict)


async def reader(load: Load, index: int, stop: asyncio.Event) -> None:
    headers = {"X-Api-Key": load.creds.admin_key}
    async with httpx.AsyncClient(base_url=load.base, timeout=30) as http:
        turn = index
        while not stop.is_set():
            kind = READS[turn % len(READS)]
            turn += 1
            if kind == "rest_audit":
                request = http.get("/audit/logs?limit=100", headers=headers)
            else:
                query = SUMMARY if kind == "summary" else AUDIT_PAGE
                request = http.post("/graphql", json={"query": query}, headers=headers)
            outcome = await timed(load.tally, kind, request)
            if not outcome.ok:
                await asyncio.sleep(0.1)  # a client backing off a little, not a tight loop


async def probe(load: Load, stop: asyncio.Event) -> None:
    """A cheap authenticated request every 0.2 s: when does the server answer again?"""
    headers = {"X-Api-Key": load.creds.admin_key}
    async with httpx.AsyncClient(base_url=load.base, timeout=30) as http:
        while not stop.is_set():
            await timed(
                load.tally, "probe", http.post("/graphql", json={"query": PROBE}, headers=headers)
            )
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), 0.2)


async def writer(load: Load, size: int, interval: float, stop: asyncio.Event) -> None:
    """A new batch every `interval` s; a refused one is not resent here (checked later)."""
    headers = {"Authorization": f"Bearer {load.creds.service_token}"}
    async with httpx.AsyncClient(base_url=load.base, timeout=30) as http:
        n = 0
        while not stop.is_set():
            name = f"{PREFIX}b{n:05d}"
            fate = load.batches[name] = BatchFate(size)
            body = batch_lines(name, size, at=datetime.now(UTC), salt=n)
            fate.answers.append(
                await timed(
                    load.tally, "ingest", http.post("/ingest", content=body, headers=headers)
                )
            )
            n += 1
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), interval)


@dataclass
class Fault:
    name: str
    start: float  # when the fault began
    back: float  # when pg_ctl said the database accepts connections again
    end: float  # when the next phase began


def print_fault(tally: Tally, fault: Fault, since: float) -> tuple[int, int]:
    """The fault's windows and recovery; (responses that were not ok, of them 503 as wanted)."""
    print(
        f"\n{fault.name}: database unavailable {fault.back - fault.start:.1f} s "
        f"(from {fault.start:.1f} s to {fault.back:.1f} s of the run)"
    )
    if fault.start - since > 1:  # the first fault only: the others follow a settle window
        tally.print_window("before", since, fault.start)
    tally.print_window("during", fault.start, fault.back)
    tally.print_window("after", fault.back, fault.end)
    print("  answers again, relative to the moment the database was back (server not restarted):")
    affected = tally.between(fault.start, fault.end)
    for kind in (*READS, "ingest", "probe"):
        mine = [(at, o) for at, k, o in affected if k == kind]
        failed = [at for at, o in mine if not o.ok]
        first_ok = next((at for at, o in mine if o.ok and at >= fault.back), None)
        after_back = (
            f"first 200 at {first_ok - fault.back:+.1f} s" if first_ok is not None else "no 200"
        )
        last = f"last failure at {max(failed) - fault.back:+.1f} s" if failed else "no failure"
        print(f"    {kind:12} {after_back:24} {last}")
    bad = [o for _, _, o in affected if not o.ok]
    wanted = [
        o for o in bad if o.status == "503" and o.code == "SERVICE_UNAVAILABLE" and o.retry_after
    ]
    return len(bad), len(wanted)


async def run(args: argparse.Namespace, url: str, folder: Path) -> int:
    print(
        f"\nLoading {args.requests:,} request facts and {args.audit:,} audit events ...",
        flush=True,
    )
    loaded = time.monotonic()
    creds = await load(url, requests=args.requests, audit=args.audit)
    print(f"  loaded and refreshed in {time.monotonic() - loaded:.0f} s", flush=True)
    cluster = await Cluster.attach(url)
    failures: list[str] = []
    async with running_server(url, folder, "a", refresh_interval=5) as server:
        state = Load(server.base, creds)
        stop = asyncio.Event()
        tasks = [
            *(asyncio.create_task(reader(state, i, stop)) for i in range(args.readers)),
            asyncio.create_task(probe(state, stop)),
            asyncio.create_task(writer(state, args.batch, args.ingest_interval, stop)),
        ]
        tally = state.tally
        print(f"\nLoad running; faults at {args.warm:.0f} s", flush=True)
        await asyncio.sleep(args.warm)
        faults = []
        start = tally.now()
        took = await cluster.restart()
        back = tally.now()
        print(f"  pg_ctl restart -m fast took {took:.1f} s", flush=True)
        await asyncio.sleep(args.settle)
        faults.append(Fault("Fault 1: pg_ctl restart -m fast", start, back, tally.now()))
        start = tally.now()
        await cluster.stop()
        await asyncio.sleep(args.down)
        took = await cluster.start()
        back = tally.now()
        print(f"  pg_ctl stop, {args.down:.0f} s down, pg_ctl start ({took:.1f} s)", flush=True)
        await asyncio.sleep(args.settle)
        faults.append(
            Fault(f"Fault 2: pg_ctl stop, {args.down:.0f} s down, start", start, back, tally.now())
        )
        stop.set()
        ended = await asyncio.gather(*tasks, return_exceptions=True)
        failures += [f"a client crashed: {e!r}" for e in ended if isinstance(e, Exception)]

        since = 0.0
        bad = wanted = 0
        for fault in faults:
            b, w = print_fault(tally, fault, since)
            bad, wanted = bad + b, wanted + w
            since = fault.end
        print(
            f"\nResponses not ok from the first fault to the end: {bad}; of them 503 "
            f"SERVICE_UNAVAILABLE with Retry-After (the goal while the database is down): {wanted}"
        )
        print(f"All requests by status and code: {tally.by_status()}")

        print("\nIngest batches:")
        stored = await stored_per_batch(url, PREFIX)
        lost, notes = judge_batches(state.batches, stored)
        for note in notes[:12]:
            print(f"  {note}")
        if len(notes) > 12:
            print(f"  ... and {len(notes) - 12} more like these")
        failures += lost
        # What a client does next: send the refused batches again. Each must land once.
        refused = [name for name, fate in state.batches.items() if not fate.acknowledged]
        headers = {"Authorization": f"Bearer {creds.service_token}"}
        async with httpx.AsyncClient(base_url=server.base, timeout=60) as http:
            for name in refused:
                n = int(name.removeprefix(f"{PREFIX}b"))
                body = batch_lines(name, args.batch, at=datetime.now(UTC), salt=n)
                state.batches[name].answers.append(
                    outcome_of(await http.post("/ingest", content=body, headers=headers))
                )
        resent = Counter(f"{state.batches[n].answers[-1].status}" for n in refused)
        lost, _ = judge_batches(state.batches, await stored_per_batch(url, PREFIX))
        print(
            f"  {len(refused)} refused batches sent again: answers {dict(resent)}; "
            f"{'every batch now stored whole, once' if not lost else 'NOT all stored once'}"
        )
        failures += [f"after resending: {line}" for line in lost]

        print("\nSummaries (the server's own refresher, which met both faults):")
        deadline = time.monotonic() + 120
        while not await up_to_date(url) and time.monotonic() < deadline:  # noqa: ASYNC110
            await asyncio.sleep(1)
        failures += await report_against_sql(server.base, creds.admin_key, url)
        counts, errors = server.log_counts(), server.log_errors()
    incremental = await summaries_snapshot(url)
    differing = diff_summaries(incremental, await rebuilt_on_copy(url))
    print(f"    equal to a full rebuild on a copy: {'yes, every table' if not differing else 'NO'}")
    for line in differing:
        print(f"      {line}")
    failures += differing
    failures += print_totals(await totals_against_facts(url))
    print(f"\nServer log: {counts}")
    for line in errors:
        print(f"  {line}")
    return verdict(failures)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=100_000, help="request facts loaded")
    parser.add_argument("--audit", type=int, default=20_000, help="audit events loaded")
    parser.add_argument("--readers", type=int, default=4, help="concurrent reading clients")
    parser.add_argument("--batch", type=int, default=20, help="facts (and audit events) a batch")
    parser.add_argument("--ingest-interval", type=float, default=0.25, help="seconds between")
    parser.add_argument("--warm", type=float, default=10, help="seconds of load before a fault")
    parser.add_argument("--settle", type=float, default=20, help="seconds of load after one")
    parser.add_argument("--down", type=float, default=5, help="seconds the database is stopped")
    args = parser.parse_args()
    banner("Fault: PostgreSQL restarted and stopped under load", vars(args))
    with (
        tempfile.TemporaryDirectory(prefix="graphql-api-faults-") as name,
        private_cluster(max_connections="100") as url,
    ):
        code = asyncio.run(run(args, url, Path(name)))
    sys.exit(code)


if __name__ == "__main__":
    main()
