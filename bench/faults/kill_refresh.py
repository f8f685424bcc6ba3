"""kill -9 during a summary refresh: is anything left partial, or counted twice?

Run on demand, not in CI (docs/releasing.md; `make bench-faults`):

    python bench/faults/kill_refresh.py                       # about 5 minutes on 2 cores
    python bench/faults/kill_refresh.py --requests 200000 --new-facts 100000

On a private PostgreSQL cluster it loads --requests request facts (the soak's
team and directory), times one uninterrupted `graphql-api refresh --full`,
then sends SIGKILL mid-way through three refreshes:

1. `graphql-api refresh --full`, once per --kill-at fraction of the fold's time;
2. an incremental `graphql-api refresh` folding --new-facts freshly added facts;
3. a `graphql-api serve` whose own refresher is folding --new-facts more.

After each kill it checks that the summaries are exactly as before the kill
(the refresh is one transaction, so it rolled back) or, had its commit gone
through first, complete; notes how long the killed client's database session
lived on and whether a refresh started meanwhile was turned away; runs the
refresher again (the CLI; for 3, a restarted server) and compares every
summary table with a full rebuild on a copy of the database, each request and
audit summary's total with the raw facts counted in SQL, and (3) the Summary
report's requests per day with SQL. Exit status 1 when anything was left
partial or double counted.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import re
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import asyncpg
from faultkit import (
    admin_connection,
    banner,
    diff_summaries,
    insert_request_facts,
    load,
    other_backends,
    print_totals,
    private_cluster,
    rebuilt_on_copy,
    report_against_sql,
    start_server,
    stop_server,
    summaries_snapshot,
    totals_against_facts,
    up_to_date,
    verdict,
    watermarks,
)

from graphql_api.refresh.service import REFRESH_LOCK_KEY

# What a refresh's fold looks like in pg_stat_activity (refresh/service.py).
SUMMARY_WRITE = re.compile(r"^\s*(INSERT INTO|DELETE FROM) (daily|weekly)_", re.IGNORECASE)


async def cli(url: str, log: Path, *args: str) -> asyncio.subprocess.Process:
    """Start `graphql-api ARGS` on `url`, its output appended to `log`."""
    with log.open("ab") as handle:  # the child keeps its own copy of the descriptor
        return await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "graphql_api.cli",
            *args,
            env={**os.environ, "DATABASE_URL": url},
            stdout=handle,
            stderr=handle,
        )


async def fold_begins(admin: asyncpg.Connection, deadline: float = 120) -> tuple[float, set[int]]:
    """Wait for a session writing a summary; when it was seen, and its backend pids."""
    ends = time.monotonic() + deadline
    while time.monotonic() < ends:
        busy = [
            r
            for r in await other_backends(admin)
            if r["in_transaction"] is not None and SUMMARY_WRITE.match(r["query"] or "")
        ]
        if busy:
            return time.monotonic(), {r["pid"] for r in busy}
        await asyncio.sleep(0.02)
    raise RuntimeError("no refresh was seen writing summaries")


@dataclass
class Kill:
    """What a kill hit."""

    landed: bool  # the victim was still running when SIGKILL was sent
    running: str  # the statement its session was running then
    in_transaction: float  # seconds its transaction had been open
    pids: set[int]
    at: float


async def kill_mid_fold(
    admin: asyncpg.Connection, process: Any, seen: float, pids: set[int], delay: float
) -> Kill:
    """SIGKILL `process` `delay` seconds after its fold was first seen; what it was doing."""
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(process.wait(), max(0.0, seen + delay - time.monotonic()))
    rows = [r for r in await other_backends(admin) if r["pid"] in pids]
    landed = process.returncode is None
    if landed:
        process.kill()
        await process.wait()
    running = rows[0]["query"].split("(")[0].strip() if rows else "(nothing)"
    open_for = (
        rows[0]["in_transaction"].total_seconds() if rows and rows[0]["in_transaction"] else 0
    )
    return Kill(landed, running, open_for, pids, time.monotonic())


async def orphan_lifetime(admin: asyncpg.Connection, kill: Kill) -> tuple[float, float]:
    """Seconds after the kill until the killed client's sessions were gone, and until
    none of them held the refresh lock any more (a refresh started meanwhile skips)."""
    lock_gone = None
    while True:
        alive = [r for r in await other_backends(admin) if r["pid"] in kill.pids]
        if lock_gone is None:
            holding = await admin.fetchval(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND objid = $1 "
                "AND pid = ANY($2::int[])",
                REFRESH_LOCK_KEY,
                list(kill.pids),
            )
            if not holding:
                lock_gone = time.monotonic() - kill.at
        if not alive:
            return time.monotonic() - kill.at, lock_gone or 0.0
        if time.monotonic() - kill.at > 600:
            return float("inf"), lock_gone or float("inf")
        await asyncio.sleep(0.05)


async def rerun_cli_refresh(url: str, log: Path) -> tuple[int, float]:
    """`graphql-api refresh` until it runs; how many times it was turned away, and its seconds."""
    turned_away = 0
    started = time.monotonic()
    while True:
        process = await cli(url, log, "refresh")
        await process.wait()
        if process.returncode == 0:
            return turned_away, time.monotonic() - started
        if process.returncode == 1 and turned_away < 300:
            # "Another process is refreshing": the killed one's session still holds the lock.
            turned_away += 1
            await asyncio.sleep(1)
            continue
        raise RuntimeError(f"refresh exited {process.returncode}; see {log}")


async def judge_after_kill(
    url: str,
    before: dict[str, list[tuple[Any, ...]]],
    marks_before: dict[str, int],
    after_kill: dict[str, list[tuple[Any, ...]]],
    marks_after_kill: dict[str, int],
) -> list[str]:
    """Rolled back whole, or committed whole; then the rerun against a rebuild and raw facts."""
    failures: list[str] = []
    final = await summaries_snapshot(url)
    if after_kill == before and marks_after_kill == marks_before:
        print("    after the kill: summaries and watermarks exactly as before (rolled back)")
    elif after_kill == final:
        print("    after the kill: the refresh had committed whole before it was killed")
    else:
        changed = diff_summaries(after_kill, before)
        print(f"    after the kill: PARTIAL - neither as before nor complete: {changed[:3]}")
        failures.append(f"the killed refresh left partial summaries: {changed[:3]}")
    rebuilt = await rebuilt_on_copy(url)
    differing = diff_summaries(final, rebuilt)
    print(
        f"    summaries after the rerun vs a full rebuild on a copy: "
        f"{'equal, every table' if not differing else 'DIFFER'}"
    )
    for line in differing:
        print(f"      {line}")
    failures += [f"after the rerun, {line}" for line in differing]
    failures += print_totals(await totals_against_facts(url))
    return failures


async def cli_scenario(
    url: str, folder: Path, admin: asyncpg.Connection, title: str, args: list[str], delay: float
) -> list[str]:
    """Kill a CLI refresh `delay` s into its fold, rerun an incremental one, judge."""
    print(f"\n{title}", flush=True)
    began = time.monotonic()
    before, marks_before = await summaries_snapshot(url), await watermarks(url)
    log = folder / "cli.log"
    process = await cli(url, log, *args)
    seen, pids = await fold_begins(admin)
    kill = await kill_mid_fold(admin, process, seen, pids, delay)
    if not kill.landed:
        print(f"    the refresh finished before the kill ({delay:.1f} s into its fold): no fault")
    else:
        print(
            f"    SIGKILL {delay:.1f} s into the fold; its session was running {kill.running!r}, "
            f"its transaction open {kill.in_transaction:.1f} s"
        )
    after_kill, marks_after_kill = await summaries_snapshot(url), await watermarks(url)
    watch = asyncio.create_task(orphan_lifetime(admin, kill))
    turned_away, took = await rerun_cli_refresh(url, log)
    lifetime, lock_held = await watch
    print(
        f"    the killed client's session lived on {lifetime:.1f} s after the kill and held the "
        f"refresh lock {lock_held:.1f} s (a refresh starting then skips); the rerun "
        f"`graphql-api refresh` was turned away {turned_away} time(s), then ran "
        f"({took:.1f} s with its start-up)"
    )
    failures = await judge_after_kill(url, before, marks_before, after_kill, marks_after_kill)
    print(f"    ({time.monotonic() - began:.0f} s with the checks)")
    return failures


async def server_scenario(
    url: str, folder: Path, admin: asyncpg.Connection, admin_key: str, delay: float
) -> list[str]:
    """Kill -9 a server while its refresher folds; restart it; judge summaries and the report."""
    print("\n3. kill -9 of a server while its refresher folds new facts", flush=True)
    before, marks_before = await summaries_snapshot(url), await watermarks(url)
    # Watch from before the start: the refresher's first run begins with the server.
    watching = asyncio.create_task(fold_begins(admin))
    server = await start_server(url, folder, "refresher", refresh_interval=3600)
    seen, pids = await watching
    kill = await kill_mid_fold(admin, server.process, seen, pids, delay)
    print(
        f"    SIGKILL {delay:.1f} s into the fold; its session was running {kill.running!r}, "
        f"its transaction open {kill.in_transaction:.1f} s"
    )
    after_kill, marks_after_kill = await summaries_snapshot(url), await watermarks(url)
    lifetime, lock_held = await orphan_lifetime(admin, kill)
    print(
        f"    the killed server's session lived on {lifetime:.1f} s after the kill and held the "
        f"refresh lock {lock_held:.1f} s (a refresh starting then skips)"
    )
    started = time.monotonic()
    server = await start_server(url, folder, "restarted", refresh_interval=2)
    failures: list[str] = []
    try:
        while not await up_to_date(url):
            if time.monotonic() - started > 300:
                failures.append("the restarted server's refresher did not catch up in 300 s")
                break
            await asyncio.sleep(1)
        print(
            f"    restarted server's refresher caught up {time.monotonic() - started:.1f} s later"
        )
        failures += await report_against_sql(server.base, admin_key, url)
    finally:
        await stop_server(server)
    return failures + await judge_after_kill(
        url, before, marks_before, after_kill, marks_after_kill
    )


async def run(args: argparse.Namespace, url: str, folder: Path) -> int:
    print(f"\nLoading {args.requests:,} request facts ...", flush=True)
    loaded = time.monotonic()
    creds = await load(url, requests=args.requests, audit=args.audit)
    print(f"  loaded and refreshed in {time.monotonic() - loaded:.0f} s", flush=True)
    admin = await admin_connection(url)
    failures: list[str] = []
    try:
        # One uninterrupted full refresh: how long its fold takes sets the kill points.
        log = folder / "cli.log"
        started = time.monotonic()
        process = await cli(url, log, "refresh", "--full")
        seen, _ = await fold_begins(admin)
        await process.wait()
        fold = time.monotonic() - seen
        print(
            f"\nUninterrupted `refresh --full`: {time.monotonic() - started:.1f} s, "
            f"of which the fold {fold:.1f} s"
        )
        for n, fraction in enumerate(args.kill_at, start=1):
            failures += await cli_scenario(
                url,
                folder,
                admin,
                f"1.{n} kill -9 of `graphql-api refresh --full` at {fraction:.0%} of its fold",
                ["refresh", "--full"],
                fraction * fold,
            )
        # Incremental folds cost in proportion to what is new (index range on seq).
        share = args.new_facts / max(1, args.requests)
        incremental_delay = max(0.3, 0.5 * fold * share)
        await insert_request_facts(url, args.requests, args.new_facts)
        failures += await cli_scenario(
            url,
            folder,
            admin,
            f"2. kill -9 of an incremental `graphql-api refresh` folding {args.new_facts:,} "
            "new facts",
            ["refresh"],
            incremental_delay,
        )
        await insert_request_facts(url, args.requests + args.new_facts, args.new_facts)
        failures += await server_scenario(url, folder, admin, creds.admin_key, incremental_delay)
    finally:
        await admin.close()
    return verdict(failures)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=300_000, help="request facts loaded")
    parser.add_argument("--audit", type=int, default=20_000, help="audit events loaded")
    parser.add_argument(
        "--new-facts", type=int, default=150_000, help="facts for each incremental kill"
    )
    parser.add_argument(
        "--kill-at",
        type=lambda s: [float(x) for x in s.split(",")],
        default=[0.3, 0.7],
        help="fractions of the full fold at which to kill (comma-separated)",
    )
    args = parser.parse_args()
    banner(
        "Fault: kill -9 during a summary refresh",
        {
            "requests": f"{args.requests:,}",
            "audit": f"{args.audit:,}",
            "new_facts": f"{args.new_facts:,}",
            "kill_at": args.kill_at,
        },
    )
    with (
        tempfile.TemporaryDirectory(prefix="graphql-api-faults-") as name,
        private_cluster(max_connections="100") as url,
    ):
        code = asyncio.run(run(args, url, Path(name)))
    sys.exit(code)


if __name__ == "__main__":
    main()
