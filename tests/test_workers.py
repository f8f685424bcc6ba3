"""`graphql-api serve --workers N` (docs/operations.md#several-processes).

One test starts the real command with two workers on a SQLite file and
looks for two worker pids in the request log; the others check, without a
server, what `serve` hands to uvicorn.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest
from uvicorn.importer import import_from_string

from graphql_api import cli
from graphql_api.config import Settings
from tests.conftest import SECRET
from tests.ports import free_port

SERVE = (sys.executable, "-m", "graphql_api.cli", "serve")
START_SECONDS = 60  # generous: two interpreters import the app on a loaded machine
STOP_SECONDS = 20


@pytest.fixture
def two_workers(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[bytes], str, Path]]:
    """`serve --workers 2` on a fresh SQLite file; yields it, its address and its stderr file."""
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite'}",
        "GRAPHQL_API_SECRET_KEY": SECRET,
        "GRAPHQL_API_ENV": "test",
        "GRAPHQL_API_REFRESH_INTERVAL": "0",
        "GRAPHQL_API_EXPORT_DIR": str(tmp_path / "exports"),
    }
    # A file, not a pipe: nobody reads stderr while the server runs, and a full
    # pipe would stall the workers' logging.
    stderr = tmp_path / "stderr.txt"
    with stderr.open("wb") as sink:
        process = subprocess.Popen(
            [*SERVE, "--workers", "2", "--port", str(port)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=sink,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(process, base, stderr)
        yield process, base, stderr
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(STOP_SECONDS)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _wait_until_up(process: subprocess.Popen[bytes], base: str, stderr: Path) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline and process.poll() is None:
        try:
            if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    pytest.fail(f"server did not start: {stderr.read_text()[-2000:]}")


def _request_pids(stderr: Path) -> set[int]:
    pids = set()
    for line in stderr.read_text().splitlines():
        if line.startswith("{"):
            pids.add(json.loads(line)["pid"])
    return pids


def _fetch(base: str) -> int:
    # A connection of its own each time, so the kernel hands it to either worker.
    return httpx.get(f"{base}/healthz", headers={"Connection": "close"}, timeout=5).status_code


def test_two_workers_serve_requests_then_stop_cleanly_on_sigterm(two_workers):
    process, base, stderr = two_workers
    # Which worker accepts a connection is up to the kernel, and the second
    # worker may still be starting: send concurrent batches until both answered.
    deadline = time.monotonic() + START_SECONDS
    with ThreadPoolExecutor(8) as pool:
        while len(_request_pids(stderr)) < 2 and time.monotonic() < deadline:
            assert set(pool.map(lambda _: _fetch(base), range(16))) == {200}
            time.sleep(0.05)
    pids = _request_pids(stderr)
    assert len(pids) == 2, stderr.read_text()[-2000:]
    assert process.pid not in pids  # the parent only supervises

    process.send_signal(signal.SIGTERM)
    assert process.wait(STOP_SECONDS) == 0
    log = stderr.read_text()
    assert "Traceback" not in log and "ERROR" not in log, log[-2000:]
    assert log.count("Application shutdown complete.") == 2


@pytest.fixture
def served(monkeypatch) -> list[tuple[Any, dict[str, Any]]]:
    """Runs `cmd_serve` without a server or a database: records what uvicorn is given."""
    calls: list[tuple[Any, dict[str, Any]]] = []
    monkeypatch.setattr(cli.uvicorn, "run", lambda app, **kw: calls.append((app, kw)))
    monkeypatch.setattr(cli, "upgrade_to_head", lambda url: calls.append(("migrate", {})))
    monkeypatch.setattr(cli, "create_app", lambda settings: "the app")
    return calls


def _serve(workers: int) -> int:
    args = argparse.Namespace(host="127.0.0.1", port=8000, demo=False, workers=workers)
    return cli.cmd_serve(args, Settings(database_url="sqlite+aiosqlite:///unused.db"))


def test_one_worker_serves_the_app_object_in_this_process(served):
    assert _serve(1) == 0
    assert served == [
        ("migrate", {}),
        ("the app", {"host": "127.0.0.1", "port": 8000, "log_level": "info", "access_log": False}),
    ]


def test_several_workers_migrate_once_then_import_the_app_factory(served):
    assert _serve(3) == 0
    (migrate, _), (app, options) = served
    assert migrate == "migrate"
    assert app == cli.WORKER_APP and options["factory"] is True and options["workers"] == 3
    assert import_from_string(cli.WORKER_APP) is cli.worker_app


@pytest.mark.parametrize("value", ["0", "-2", "two"])
def test_fewer_than_one_worker_is_refused_with_exit_status_2(value, capsys):
    with pytest.raises(SystemExit) as stopped:
        cli.build_parser().parse_args(["serve", "--workers", value])
    assert stopped.value.code == 2
    assert "--workers: must be a whole number of at least 1" in capsys.readouterr().err


def test_a_workers_request_line_carries_its_pid():
    record = logging.LogRecord("graphql_api.requests", 20, "", 0, '{"status": 200}', (), None)
    line = json.loads(cli._WorkerRequestLine().format(record))
    assert line == {"status": 200, "pid": os.getpid()}
