"""Two servers on one PostgreSQL, both ingesting and both refreshing: lost, doubled, refused?

Run on demand, not in CI (docs/releasing.md; `make bench-faults`):

    python bench/faults/two_servers.py                  # about 2-3 minutes on 2 cores
    python bench/faults/two_servers.py --seconds 120 --writers 3

On a private PostgreSQL cluster it loads the soak's team, starts two
`graphql-api serve` processes (A and B) in production mode, each with its
refresher every second (so both keep trying to refresh; one at a time may),
and for --seconds runs --writers ingest clients per server. Each posts a batch
of --batch request facts and as many audit events every --interval s, spread
over the last three UTC days (so most are late facts to the refresher):

- every --shared-every-th batch is sent to both servers at the same moment
  (the same ids and lines: the second write must be a no-op,
  docs/ingest.md#ordering-and-idempotency);
- every --resend-every-th of the others is sent again, afterwards, through the
  other server (a client retrying elsewhere: again a no-op);
- the rest go to their own server only.

One reader per server loops over the Summary report and `GET /audit/logs`.
When the writers stop and the summaries have caught up, it prints failed
requests by server, kind, status and code; every batch's fate (acknowledged
batches stored whole and once, refused ones left nothing); each server's
Summary report per day and auditEvents totalCount against SQL over the raw
facts; every summary table against a full rebuild on a copy and each request
and audit summary's total against the raw facts; and how often each server's
refresher folded. Exit status 1 on lost, partial or double-counted data.
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
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import asyncpg
import httpx
from faultkit import (
    TEAM,
    BatchFate,
    Credentials,
    Server,
    Tally,
    banner,
    batch_lines,
    diff_summaries,
    judge_batches,
    load,
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

from graphql_api.live.listener import asyncpg_dsn

SUMMARY = """{ team { reports { summary(range: {preset: LAST_7_DAYS}, granularity: DAY) {
  requestCount errorRate series { date requestCount } } } } }"""
AUDIT_TOTAL = "{ team { auditEvents(first: 1) { totalCount } } }"
PREFIX = "ts-"
NAMES = "AB"


@dataclass
class Run:
    """What the clients saw, shared by their tasks."""

    servers: list[Server]
    creds: Credentials
    tally: Tally = field(default_factory=Tally)
    batches: dict[str, BatchFate] = field(default_factory=dict)
    sent: Counter[str] = field(default_factory=Counter)


async def writer(
    run: Run, mine: int, index: int, args: argparse.Namespace, stop: asyncio.Event
) -> None:
    headers = {"Authorization": f"Bearer {run.creds.service_token}"}
    me, other = run.servers[mine], run.servers[1 - mine]
    me_name, other_name = NAMES[mine], NAMES[1 - mine]

    def send(client: httpx.AsyncClient, server: str, body: bytes) -> Any:
        request = client.post("/ingest", content=body, headers=headers)
        return timed(run.tally, f"{server} ingest", request)

    async with (
        httpx.AsyncClient(base_url=me.base, timeout=60) as here,
        httpx.AsyncClient(base_url=other.base, timeout=60) as there,
    ):
        n = 0
        while not stop.is_set():
            # Three UTC days, so the summaries' rows for earlier days keep changing too.
            at = datetime.now(UTC) - timedelta(days=n % 3)
            shared = n % args.shared_every == 0
            name = f"{PREFIX}{'x' if shared else ''}{me_name.lower()}{index}-{n:05d}"
            body = batch_lines(name, args.batch, at=at, salt=n)
            fate = run.batches[name] = BatchFate(args.batch)
            if shared:
                run.sent["to both at once"] += 1
                fate.answers += await asyncio.gather(
                    send(here, me_name, body), send(there, other_name, body)
                )
            else:
                run.sent["to one server"] += 1
                fate.answers.append(await send(here, me_name, body))
                if n % args.resend_every == 1:
                    run.sent["re-sent through the other"] += 1
                    fate.answers.append(await send(there, other_name, body))
            n += 1
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), args.interval)


async def reader(run: Run, mine: int, stop: asyncio.Event) -> None:
    headers = {"X-Api-Key": run.creds.admin_key}
    name = NAMES[mine]
    async with httpx.AsyncClient(base_url=run.servers[mine].base, timeout=60) as http:
        turn = 0
        while not stop.is_set():
            if turn % 2:
                request = http.get("/audit/logs?limit=100", headers=headers)
                await timed(run.tally, f"{name} rest_audit", request)
            else:
                request = http.post("/graphql", json={"query": SUMMARY}, headers=headers)
                await timed(run.tally, f"{name} summary", request)
            turn += 1
            await asyncio.sleep(0.2)


async def audit_against_sql(server: Server, name: str, key: str, url: str) -> list[str]:
    """auditEvents totalCount through `server` against a count of the team's audit events."""
    async with httpx.AsyncClient(base_url=server.base, timeout=60) as http:
        response = await http.post(
            "/graphql", json={"query": AUDIT_TOTAL}, headers={"X-Api-Key": key}
        )
    body = response.json()
    if response.status_code != 200 or body.get("errors"):
        return [f"{name}: auditEvents failed: {response.status_code} {response.text[:300]}"]
    shown = body["data"]["team"]["auditEvents"]["totalCount"]
    connection = await asyncpg.connect(asyncpg_dsn(url))
    try:
        counted = await connection.fetchval(
            "SELECT count(*) FROM audit_events WHERE team_id = $1", TEAM
        )
    finally:
        await connection.close()
    print(f"    auditEvents totalCount {shown:,}; SQL counts {counted:,}")
    return [] if shown == counted else [f"{name}: auditEvents says {shown:,}, SQL {counted:,}"]


async def run_load(args: argparse.Namespace, url: str, folder: Path) -> int:
    print(
        f"\nLoading {args.requests:,} request facts and {args.audit:,} audit events ...",
        flush=True,
    )
    loaded = time.monotonic()
    creds = await load(url, requests=args.requests, audit=args.audit)
    print(f"  loaded and refreshed in {time.monotonic() - loaded:.0f} s", flush=True)
    failures: list[str] = []
    async with (
        running_server(url, folder, "A", refresh_interval=1) as a,
        running_server(url, folder, "B", refresh_interval=1) as b,
    ):
        run = Run([a, b], creds)
        stop = asyncio.Event()
        tasks = [
            *(
                asyncio.create_task(writer(run, s, w, args, stop))
                for s in range(2)
                for w in range(args.writers)
            ),
            *(asyncio.create_task(reader(run, s, stop)) for s in range(2)),
        ]
        print(f"\nTwo servers, {args.writers} writers each, for {args.seconds:.0f} s", flush=True)
        await asyncio.sleep(args.seconds)
        stop.set()
        ended = await asyncio.gather(*tasks, return_exceptions=True)
        failures += [f"a client crashed: {e!r}" for e in ended if isinstance(e, Exception)]
        loaded_at = run.tally.now()
        caught_up = time.monotonic()
        while not await up_to_date(url) and time.monotonic() - caught_up < 120:  # noqa: ASYNC110
            await asyncio.sleep(0.5)
        print(f"  summaries caught up {time.monotonic() - caught_up:.1f} s after the load stopped")

        print(f"\nRequests by server, kind, status and code ({loaded_at:.0f} s):")
        run.tally.print_window("server A", 0, loaded_at + 1, kinds="A ")
        run.tally.print_window("server B", 0, loaded_at + 1, kinds="B ")

        print(f"\nIngest batches sent: {dict(run.sent)}")
        stored = await stored_per_batch(url, PREFIX)
        lost, notes = judge_batches(run.batches, stored)
        for note in notes[:12]:
            print(f"  {note}")
        if len(notes) > 12:
            print(f"  ... and {len(notes) - 12} more like these")
        acknowledged = sum(f.size for f in run.batches.values() if f.acknowledged)
        facts = sum(r for r, _, _ in stored.values())
        events = sum(e for _, e, _ in stored.values())
        extra = sum(x for _, _, x in stored.values())
        print(
            f"  request facts acknowledged {acknowledged:,}, stored {facts:,}; audit events "
            f"acknowledged {acknowledged:,}, stored {events:,}; stored more than once: {extra}"
        )
        failures += lost

        for name, server in zip(NAMES, run.servers, strict=True):
            print(f"\n  Reports through server {name} against SQL over the raw facts:")
            failures += [
                f"{name}: {line}"
                for line in await report_against_sql(server.base, creds.admin_key, url)
            ]
            failures += await audit_against_sql(server, name, creds.admin_key, url)
        logs = {
            name: (server.log_counts(), server.log_errors())
            for name, server in zip(NAMES, run.servers, strict=True)
        }
    print("\nSummaries (folded by whichever server took the refresh lock):")
    incremental = await summaries_snapshot(url)
    differing = diff_summaries(incremental, await rebuilt_on_copy(url))
    print(f"    equal to a full rebuild on a copy: {'yes, every table' if not differing else 'NO'}")
    for line in differing:
        print(f"      {line}")
    failures += differing
    failures += print_totals(await totals_against_facts(url))
    for name, (counts, errors) in logs.items():
        print(f"\nServer {name} log: {counts}")
        for line in errors:
            print(f"  {line}")
    return verdict(failures)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=50_000, help="request facts loaded")
    parser.add_argument("--audit", type=int, default=10_000, help="audit events loaded")
    parser.add_argument("--seconds", type=float, default=60, help="seconds of ingest")
    parser.add_argument("--writers", type=int, default=2, help="ingest clients per server")
    parser.add_argument("--batch", type=int, default=50, help="facts (and audit events) a batch")
    parser.add_argument("--interval", type=float, default=0.2, help="seconds between batches")
    parser.add_argument("--shared-every", type=int, default=3, help="every Nth batch to both")
    parser.add_argument("--resend-every", type=int, default=4, help="every Nth other one re-sent")
    args = parser.parse_args()
    banner("Fault: two servers on one PostgreSQL, ingesting and refreshing", vars(args))
    with (
        tempfile.TemporaryDirectory(prefix="graphql-api-faults-") as name,
        private_cluster(max_connections="150") as url,
    ):
        code = asyncio.run(run_load(args, url, Path(name)))
    sys.exit(code)


if __name__ == "__main__":
    main()
