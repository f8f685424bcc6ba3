"""Fairness: no request, whatever it sends, makes another client wait (issue 8).

    python bench/fairness_bench.py                 # SQLite, demo data
    python bench/fairness_bench.py --rounds 5

Starts `graphql-api serve --demo` on a fresh SQLite file (rate limits lifted),
then for each hostile request of the issue (and the heaviest reports it still
accepts) runs rounds of: `--clients` hostile clients (default one) sending it back
to back while a probe sends `{ viewer { name } }` every 50 ms.
Rounds of the different hostile requests are interleaved, and a quiet round (no
hostile client) is measured in the same run as the baseline. It prints, per
hostile request, what the server answered it (status, code, time) and the
probe's p50, p99 and worst wait, with the machine's load average, and exits 1
when a probe waited more than a second.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path

import httpx

BOUND_SECONDS = 1.0
ROUND_SECONDS = 6.0
PROBE_EVERY = 0.05


def _doubling_fragments(levels: int) -> str:
    fragments = ["fragment F0 on User { name }"] + [
        f"fragment F{i} on User {{ ...F{i - 1} ...F{i - 1} }}" for i in range(1, levels + 1)
    ]
    return f"{{ viewer {{ ...F{levels} }} }} " + " ".join(fragments)


def hostile_bodies() -> dict[str, bytes]:
    """The issue's cheap requests that used to stall everyone, as raw POST bodies."""
    import json

    def query(text: str) -> bytes:
        return json.dumps({"query": text}).encode()

    return {
        "1 MB of repeated fields": query("{ viewer { " + "name " * 200_000 + "} }"),
        "fragment doubled 24 times": query(_doubling_fragments(24)),
        "10,000 aliases": query(
            "{ viewer { " + " ".join(f"a{i}: name" for i in range(10_000)) + " } }"
        ),
        "32 MB body": b'{"query": "{ viewer { name } }", "x": "' + b"x" * (32 << 20) + b'"}',
        "year of daily drill-downs": query(
            '{ team { reports { summary(range:{from:"2025-11-23", to:"2026-11-22"}, '
            "granularity: DAY) { series { date teamApis(first:100){ totalCount "
            "nodes { name requestCount } } } } } } }"
        ),
        "90 days of content drill-downs": query(
            "{ team { reports { contentActivity(range:{preset:LAST_90_DAYS}, granularity: DAY)"
            "{ series { date elements { totalCount nodes { name } } } } } } }"
        ),
        "a month of Team API drill-downs": query(
            "{ team { reports { summary(range:{preset:LAST_30_DAYS}, granularity: DAY) "
            "{ series { date teamApis(first:20) { totalCount nodes { name requestCount } } } } "
            "} } }"
        ),
        "a week of content drill-downs": query(
            "{ team { reports { contentActivity(range:{preset:LAST_7_DAYS}, granularity: DAY)"
            "{ series { date elements { totalCount nodes { name } } } } } } }"
        ),
        "variables nested 100,000 deep": b'{"query": "{ viewer { name } }", "variables": {"x": '
        + b"[" * 100_000
        + b"]" * 100_000
        + b"}}",
    }


@contextlib.asynccontextmanager
async def demo_server(folder: Path) -> AsyncIterator[tuple[str, str]]:
    """`graphql-api serve --demo` on a free port; yields its URL and the admin's key."""
    port = _free_port()
    env = dict(
        os.environ,
        GRAPHQL_API_RATE_LIMIT_PER_MINUTE="1000000",
        GRAPHQL_API_AUTH_FAILURE_LIMIT_PER_MINUTE="1000000",
        GRAPHQL_API_REFRESH_INTERVAL="0",
        GRAPHQL_API_LOG_LEVEL="WARNING",
    )
    log = (folder / "serve.log").open("w")
    process = await asyncio.create_subprocess_exec(
        Path(sys.executable).parent / "graphql-api",
        "serve",
        "--demo",
        "--port",
        str(port),
        cwd=folder,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        key = await _wait_for_key(folder / "serve.log", url)
        yield url, key
    finally:
        process.terminate()
        await asyncio.wait_for(process.wait(), 30)
        log.close()


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def _wait_for_key(log: Path, url: str) -> str:
    async with httpx.AsyncClient() as client:
        for _ in range(600):
            text = await asyncio.to_thread(log.read_text)
            match = re.search(r"SUPER_ADMIN.*\n\s+(gqa_\S+)", text)
            if match:
                with contextlib.suppress(httpx.HTTPError):
                    if (await client.get(f"{url}/healthz")).status_code == 200:
                        return match.group(1)
            await asyncio.sleep(0.5)
    raise SystemExit(f"the demo server did not start; see {log}")


async def hostile(
    client: httpx.AsyncClient,
    url: str,
    key: str,
    body: bytes,
    stop: asyncio.Event,
    answers: list[tuple[int, str, float]],
) -> None:
    """Send `body` back to back until stopped, noting each answer's status, code and time."""
    headers = {"X-Api-Key": key, "Content-Type": "application/json"}
    while not stop.is_set():
        started = time.perf_counter()
        try:
            response = await client.post(f"{url}/graphql", content=body, headers=headers)
            code = _code(response)
            answers.append((response.status_code, code, time.perf_counter() - started))
        except httpx.HTTPError as exc:
            answers.append((0, type(exc).__name__, time.perf_counter() - started))


def _code(response: httpx.Response) -> str:
    try:
        errors = response.json().get("errors") or []
    except ValueError:
        return "-"
    return errors[0].get("extensions", {}).get("code", "?") if errors else "OK"


async def probe(
    client: httpx.AsyncClient, url: str, key: str, stop: asyncio.Event, waits: list[float]
) -> None:
    """`{ viewer { name } }` every PROBE_EVERY seconds; each wait is recorded."""
    while not stop.is_set():
        started = time.perf_counter()
        response = await client.post(
            f"{url}/graphql", json={"query": "{ viewer { name } }"}, headers={"X-Api-Key": key}
        )
        waits.append(time.perf_counter() - started)
        assert response.status_code == 200, response.text
        await asyncio.sleep(PROBE_EVERY)


async def one_round(
    url: str, key: str, body: bytes | None, clients: int
) -> tuple[list[float], list]:
    stop = asyncio.Event()
    waits: list[float] = []
    answers: list[tuple[int, str, float]] = []
    timeout = httpx.Timeout(120.0)
    async with (
        httpx.AsyncClient(timeout=timeout) as a,
        httpx.AsyncClient(timeout=timeout) as b,
        httpx.AsyncClient(timeout=timeout) as p,
    ):
        tasks = [asyncio.create_task(probe(p, url, key, stop, waits))]
        if body is not None:
            tasks += [
                asyncio.create_task(hostile(c, url, key, body, stop, answers)) for c in (a, b)
            ]
        await asyncio.sleep(ROUND_SECONDS)
        stop.set()
        await asyncio.gather(*tasks)
    return waits, answers


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


async def main(rounds: int, clients: int) -> int:
    bodies: dict[str, bytes | None] = {"(quiet: no hostile client)": None, **hostile_bodies()}
    print(f"load average at start: {os.getloadavg()}")
    with tempfile.TemporaryDirectory() as folder:
        async with demo_server(Path(folder)) as (url, key):
            waits: dict[str, list[float]] = {name: [] for name in bodies}
            answers: dict[str, list] = {name: [] for name in bodies}
            for round_ in range(rounds):
                for name, body in bodies.items():  # interleaved: each kind once per round
                    w, a = await one_round(url, key, body, clients)
                    waits[name] += w
                    answers[name] += a
                print(f"round {round_ + 1}/{rounds} done, load {os.getloadavg()[0]:.2f}")
    print(f"\nload average at end: {os.getloadavg()}")
    print(f"{'hostile request':34} {'answered':28} {'its p50':>8} | probe p50    p99  worst")
    worst_all = 0.0
    for name in bodies:
        w = waits[name]
        kinds = Counter(f"{status} {code}" for status, code, _ in answers[name])
        answered = ", ".join(f"{k} x{n}" for k, n in kinds.most_common(2)) or "-"
        own = statistics.median(t for *_, t in answers[name]) if answers[name] else 0.0
        worst = max(w) if w else float("nan")
        worst_all = max(worst_all, worst)
        print(
            f"{name:34} {answered:28} {own:7.2f}s | {_percentile(w, 0.5):6.3f} "
            f"{_percentile(w, 0.99):6.3f} {worst:6.3f}  ({len(w)} probes)"
        )
    verdict = worst_all <= BOUND_SECONDS
    print(
        f"\nworst probe wait {worst_all:.3f} s: {'within' if verdict else 'OVER'} "
        f"the {BOUND_SECONDS:g} s bound"
    )
    return 0 if verdict else 1


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--clients", type=int, default=1, help="hostile clients at once")
    args = parser.parse_args()
    sys.exit(asyncio.run(main(args.rounds, args.clients)))
