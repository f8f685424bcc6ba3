"""A bounded load generator on loopback: wrk when installed, else a Python one.

Both keep a fixed number of HTTP/1.1 keep-alive connections busy (8 by
default), each sending its next request as soon as the previous answer is
read, cycling through a list of requests so inputs vary from request to
request. Both run pinned to one CPU (taskset) so that on a small machine the
generator cannot take more than one core from the servers and the database.

Run as a script, this module is the Python generator (used by `run_load`):

    python bench/http/loadgen.py --port P --requests FILE --seconds S --connections C
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
# Set by http_bench.py's --generator: "auto" (wrk when installed), "wrk" or "python".
GENERATOR = "auto"


def _use_wrk() -> bool:
    return GENERATOR == "wrk" or (GENERATOR == "auto" and shutil.which("wrk") is not None)


@dataclass(frozen=True)
class Request:
    """One HTTP request of a workload."""

    method: str
    path: str
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""

    def raw(self, port: int) -> bytes:
        """The request as bytes on the wire (HTTP/1.1, keep-alive)."""
        lines = [f"{self.method} {self.path} HTTP/1.1", f"Host: 127.0.0.1:{port}"]
        lines += [f"{name}: {value}" for name, value in self.headers.items()]
        if self.body or self.method == "POST":
            lines.append(f"Content-Length: {len(self.body)}")
        return ("\r\n".join(lines) + "\r\n\r\n").encode() + self.body


@dataclass(frozen=True)
class Result:
    """What one load run measured."""

    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    errors: int

    @property
    def rps(self) -> float:
        """Answered requests per second."""
        return self.requests / self.seconds if self.seconds else 0.0


def generator_name() -> str:
    """Which generator `run_load` uses on this machine."""
    return "wrk -t1" if _use_wrk() else "python (asyncio, raw sockets)"


def generator_cpu() -> int | None:
    """The CPU the generator is pinned to: the last one, when there are several."""
    cpus = sorted(os.sched_getaffinity(0))
    return cpus[-1] if len(cpus) > 1 else None


def run_load(port: int, requests: list[Request], *, seconds: float, connections: int) -> Result:
    """Drive 127.0.0.1:`port` for `seconds` with `connections` connections."""
    pin: list[str] = []
    cpu = generator_cpu()
    if cpu is not None and shutil.which("taskset"):
        pin = ["taskset", "-c", str(cpu)]
    with tempfile.TemporaryDirectory(prefix="http-bench-load-") as folder:
        if _use_wrk():
            return _wrk(port, requests, seconds, connections, pin, Path(folder))
        return _python(port, requests, seconds, connections, pin, Path(folder))


def _lua_string(data: str) -> str:
    """A Lua long-bracket literal holding `data` verbatim."""
    level = 0
    while f"]{'=' * level}]" in data:
        level += 1
    eq = "=" * level
    return f"[{eq}[{data}]{eq}]"


WRK_DONE = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '\\nRESULT {"requests":%d,"duration_us":%d,"p50_us":%d,"p99_us":%d,"errors":%d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.connect + e.read + e.write + e.timeout + e.status))
end
"""


def _wrk(
    port: int,
    requests: list[Request],
    seconds: float,
    connections: int,
    pin: list[str],
    folder: Path,
) -> Result:
    entries = []
    for r in requests:
        headers = ", ".join(
            f"[ {_lua_string(k)} ] = {_lua_string(v)}" for k, v in r.headers.items()
        )
        body = _lua_string(r.body.decode()) if r.body else "nil"
        entries.append(
            f"  {{{_lua_string(r.method)}, {_lua_string(r.path)}, {{{headers}}}, {body}}}"
        )
    script = folder / "requests.lua"
    script.write_text(
        "local reqs = {\n"
        + ",\n".join(entries)
        + "\n}\n"
        # Each connection starts at another place in the list, then cycles through it.
        + "local i = 0\n"
        + "request = function()\n"
        + "  i = i % #reqs + 1\n"
        + "  local r = reqs[i]\n"
        + "  return wrk.format(r[1], r[2], r[3], r[4])\n"
        + "end\n"
        + WRK_DONE
    )
    command = [
        *pin,
        "wrk",
        "-t1",
        f"-c{connections}",
        f"-d{max(1, round(seconds))}s",
        "--timeout",
        "30s",
        "-s",
        str(script),
        f"http://127.0.0.1:{port}/",
    ]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    line = next((x for x in done.stdout.splitlines() if x.startswith("RESULT ")), None)
    if line is None:  # a Lua error: wrk says so on stderr and still exits 0
        raise RuntimeError(f"wrk gave no result: {done.stderr.strip()[-800:]}")
    data = json.loads(line[len("RESULT ") :])
    return Result(
        requests=data["requests"],
        seconds=data["duration_us"] / 1e6,
        p50_ms=data["p50_us"] / 1000,
        p99_ms=data["p99_us"] / 1000,
        errors=data["errors"],
    )


def _python(
    port: int,
    requests: list[Request],
    seconds: float,
    connections: int,
    pin: list[str],
    folder: Path,
) -> Result:
    file = folder / "requests.json"
    file.write_text(json.dumps([r.raw(port).decode() for r in requests]))
    command = [
        *pin,
        sys.executable,
        str(HERE / "loadgen.py"),
        "--port",
        str(port),
        "--requests",
        str(file),
        "--seconds",
        str(seconds),
        "--connections",
        str(connections),
    ]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    data = json.loads(out.strip().splitlines()[-1])
    return Result(**data)


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, bool]:
    """Read one response; return its status and whether the server keeps the connection
    (Content-Length, chunked, or read-to-close bodies)."""
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    headers = {}
    for line in lines[1:]:
        if ":" in line:
            name, value = line.split(":", 1)
            headers[name.strip().lower()] = value.strip()
    if "content-length" in headers:
        await reader.readexactly(int(headers["content-length"]))
    elif headers.get("transfer-encoding", "").lower() == "chunked":
        while True:
            size = int((await reader.readuntil(b"\r\n")).strip().split(b";")[0], 16)
            await reader.readexactly(size + 2)
            if size == 0:
                break
    else:
        await reader.read()
        return status, False
    return status, headers.get("connection", "").lower() != "close"


async def _drive(
    port: int, raws: list[bytes], seconds: float, connections: int
) -> dict[str, float | int]:
    latencies: list[float] = []
    errors = 0
    deadline = time.perf_counter() + seconds

    async def one(start: int) -> None:
        nonlocal errors
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        i = start
        try:
            while time.perf_counter() < deadline:
                raw = raws[i % len(raws)]
                i += 1
                sent = time.perf_counter()
                writer.write(raw)
                try:
                    status, keep = await _read_response(reader)
                except (asyncio.IncompleteReadError, ConnectionError):
                    status, keep = 599, False
                latencies.append(time.perf_counter() - sent)
                if status >= 400:
                    errors += 1
                if not keep:  # the server closed it: open another, as wrk does
                    writer.close()
                    reader, writer = await asyncio.open_connection("127.0.0.1", port)
        finally:
            writer.close()

    started = time.perf_counter()
    await asyncio.gather(*(one(n * 7) for n in range(connections)))
    elapsed = time.perf_counter() - started
    ordered = sorted(latencies)
    p99 = ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))] if ordered else 0.0
    return {
        "requests": len(latencies),
        "seconds": elapsed,
        "p50_ms": (statistics.median(ordered) if ordered else 0.0) * 1000,
        "p99_ms": p99 * 1000,
        "errors": errors,
    }


def main() -> None:
    """The Python generator: print one JSON line of results."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--requests", required=True)
    parser.add_argument("--seconds", type=float, required=True)
    parser.add_argument("--connections", type=int, default=8)
    args = parser.parse_args()
    raws = [r.encode() for r in json.loads(Path(args.requests).read_text())]
    print(json.dumps(asyncio.run(_drive(args.port, raws, args.seconds, args.connections))))


if __name__ == "__main__":
    main()
