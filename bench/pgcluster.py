"""A private PostgreSQL cluster for a benchmark: its own data directory and port.

Benchmarks that count sessions or watch memory must not share a server with
anything else (nor disturb the machine's shared one on 5432). The cluster is
made with the installed server's initdb, runs as the `postgres` user when
started by root (initdb refuses root), and is deleted when the block ends.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path


def _bindir() -> Path:
    found = shutil.which("pg_config")
    if found:
        bindir = subprocess.run([found, "--bindir"], capture_output=True, text=True, check=True)
        candidate = Path(bindir.stdout.strip())
        if (candidate / "initdb").exists():
            return candidate
    versions = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not versions:
        raise SystemExit("PostgreSQL's initdb was not found; install the server package.")
    return Path(versions[-1]).parent


def free_port() -> int:
    """A TCP port on loopback that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextlib.contextmanager
def private_cluster(**settings: str) -> Iterator[str]:
    """Start a throwaway cluster; yield a superuser URL of its `bench` database.

    `settings` become `-c name=value` server options (e.g. max_connections).
    """
    bindir = _bindir()
    root = Path(tempfile.mkdtemp(prefix="graphql-api-pg-"))
    data, sockets, log = root / "data", root / "sockets", root / "server.log"
    sockets.mkdir()
    as_user: list[str] = []
    if os.geteuid() == 0:
        user = pwd.getpwnam("postgres")
        os.chown(root, user.pw_uid, user.pw_gid)
        os.chown(sockets, user.pw_uid, user.pw_gid)
        as_user = ["runuser", "-u", "postgres", "--"]
    port = free_port()
    options = " ".join(
        [
            f"-p {port}",
            "-c listen_addresses=127.0.0.1",
            f"-c unix_socket_directories={sockets}",
            "-c fsync=off",  # a benchmark's data is thrown away; don't measure the disk
            *(f"-c {name}={value}" for name, value in settings.items()),
        ]
    )
    run = [*as_user, str(bindir / "pg_ctl"), "-D", str(data), "-w"]
    try:
        subprocess.run(
            [*as_user, str(bindir / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust"],
            check=True,
            capture_output=True,
        )
        subprocess.run([*run, "-o", options, "-l", str(log), "start"], check=True)
        subprocess.run(
            [
                str(bindir / "createdb"),
                "-h",
                "127.0.0.1",
                "-p",
                str(port),
                "-U",
                "postgres",
                "bench",
            ],
            check=True,
        )
        yield f"postgresql+asyncpg://postgres@127.0.0.1:{port}/bench"
    finally:
        subprocess.run([*run, "-m", "fast", "stop"], capture_output=True)
        shutil.rmtree(root, ignore_errors=True)
