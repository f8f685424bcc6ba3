"""The `graphql-api` command."""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import sys
from collections.abc import Awaitable, Callable, Sequence
from datetime import timedelta
from typing import Any, TextIO

import uvicorn
from sqlalchemy.exc import SQLAlchemyError
from starlette.applications import Starlette

from graphql_api.app import create_app
from graphql_api.auth.credentials import CredentialError, create_api_key, create_service_token
from graphql_api.config import ConfigError, Settings
from graphql_api.db.base import utcnow
from graphql_api.db.engine import create_engine, create_sessionmaker
from graphql_api.db.migrate import current_revision, head_revision, upgrade_to_head
from graphql_api.demo.load import database_is_empty, load_demo, make_demo_keys
from graphql_api.ingest.service import BatchRejected, ingest_lines
from graphql_api.refresh.service import purge, refresh
from graphql_api.schema import export_sdl


class CliError(Exception):
    """A failure to report on stderr with exit status 2, without a traceback."""


def _with_db(settings: Settings, work: Callable[[Any], Awaitable[Any]]) -> Any:
    async def run() -> Any:
        engine = create_engine(settings.database_url)
        try:
            try:
                revision = await current_revision(engine)
            except (OSError, SQLAlchemyError) as exc:
                raise CliError(f"cannot reach the database: {exc}") from exc
            if revision != head_revision():
                raise CliError(
                    f"the database is at migration {revision or 'none'}, not "
                    f"{head_revision()}: run `graphql-api migrate` first"
                )
            return await work(create_sessionmaker(engine))
        finally:
            await engine.dispose()

    return asyncio.run(run())


def _demo(settings: Settings, out: TextIO, *, load: bool) -> None:
    async def work(db: Any) -> Any:
        if load:
            counts = await load_demo(db)
            out.write(f"Loaded demo data: {sum(counts.values())} records ({counts}).\n")
        return await make_demo_keys(db)

    keys = _with_db(settings, work)
    out.write(
        '\nAPI keys (shown once; paste one into GraphiQL\'s headers as {"X-Api-Key": "..."}):\n'
    )
    for key in keys:
        out.write(f"  {key.label:28} {key.name} <{key.email}> in {key.team_slug}\n")
        out.write(f"    {key.secret}\n")


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    # Migrations and the demo data run here, once, before any worker starts.
    if settings.auto_migrate:
        upgrade_to_head(settings.database_url)
    if args.demo:
        empty = _with_db(settings, database_is_empty)
        _demo(settings, sys.stdout, load=empty)
    where = f"http://{args.host}:{args.port}/graphql"
    workers = f" ({args.workers} worker processes)" if args.workers > 1 else ""
    print(
        f"\nGraphQL endpoint{'' if settings.is_production else ' and GraphiQL'}: {where}{workers}",
        flush=True,
    )
    # Our own JSON line per request replaces uvicorn's access log.
    options: dict[str, Any] = {
        "host": args.host,
        "port": args.port,
        "log_level": "info",
        "access_log": False,
    }
    if args.workers == 1:
        uvicorn.run(create_app(settings), **options)
    else:
        # Each worker is a fresh (spawned) interpreter that imports the app by name.
        uvicorn.run(WORKER_APP, factory=True, workers=args.workers, **options)
    return 0


# What each `serve --workers N` process imports, N > 1 (see `worker_app`).
WORKER_APP = "graphql_api.cli:worker_app"


def worker_app() -> Starlette:
    """The app of one `serve --workers N` process, built by uvicorn inside that process.

    Workers are spawned, not forked, so nothing of the parent's set-up survives:
    settings are read from the (inherited) environment again and logging is set
    up again, with the worker's pid in each request line.
    """
    settings = Settings.from_env()
    configure_logging(settings, worker=True)
    return create_app(settings)


def cmd_migrate(args: argparse.Namespace, settings: Settings) -> int:
    upgrade_to_head(settings.database_url)
    print("Database is at the newest migration.")
    return 0


def cmd_demo(args: argparse.Namespace, settings: Settings) -> int:
    upgrade_to_head(settings.database_url)
    _demo(settings, sys.stdout, load=True)
    print(
        "\nStart the server with `graphql-api serve`, then open GraphiQL at "
        "http://127.0.0.1:8000/graphql"
    )
    return 0


def cmd_ingest(args: argparse.Namespace, settings: Settings) -> int:
    if args.file == "-":
        lines = sys.stdin.buffer.read().splitlines()
    else:
        try:
            with open(args.file, "rb") as handle:
                lines = handle.read().splitlines()
        except OSError as exc:
            print(f"error: cannot read {args.file}: {exc.strerror}", file=sys.stderr)
            return 2
    try:
        result = _with_db(settings, lambda db: ingest_lines(db, lines))
    except BatchRejected as exc:
        print(
            f"Batch rejected, nothing was written: {len(exc.errors)} bad line(s).", file=sys.stderr
        )
        for error in exc.errors:
            print(f"line {error.line}: {error.reason}", file=sys.stderr)
        return 1
    print(f"Wrote {result.lines} lines: {result.counts}", file=sys.stderr)
    return 0


def cmd_create_api_key(args: argparse.Namespace, settings: Settings) -> int:
    expires = utcnow() + timedelta(days=args.expires_in_days) if args.expires_in_days else None

    async def work(db: Any) -> str:
        async with db() as session, session.begin():
            made = await create_api_key(
                session, team_slug=args.team, email=args.email, name=args.name, expires_at=expires
            )
            return made.secret

    try:
        secret = _with_db(settings, work)
    except CredentialError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(secret)
    return 0


def cmd_create_service_token(args: argparse.Namespace, settings: Settings) -> int:
    async def work(db: Any) -> str:
        async with db() as session, session.begin():
            return await create_service_token(session, name=args.name)

    print(_with_db(settings, work))
    return 0


def cmd_export_schema(args: argparse.Namespace, settings: Settings) -> int:
    sys.stdout.write(export_sdl())
    return 0


def cmd_refresh(args: argparse.Namespace, settings: Settings) -> int:
    result = _with_db(settings, lambda db: refresh(db, utcnow(), full=args.full))
    if not result.ran:
        print("Another process is refreshing; nothing done.", file=sys.stderr)
        return 1
    print(
        f"Refreshed summaries ({'full rebuild' if args.full else 'incremental'}): "
        f"folded {result.folded or 'nothing new'}; purged {result.purged} audit events."
    )
    return 0


def cmd_purge(args: argparse.Namespace, settings: Settings) -> int:
    purged = _with_db(settings, lambda db: purge(db, utcnow()))
    print(f"Purged {purged} audit events past their plan's retention.")
    return 0


def _worker_count(raw: str) -> int:
    try:
        count = int(raw)
    except ValueError:
        count = 0
    if count < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number of at least 1, got {raw!r}")
    return count


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="graphql-api",
        description="GraphQL API for a team's usage reports, audit log and billing activity. "
        "Configured by DATABASE_URL and GRAPHQL_API_* environment variables.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    serve = sub.add_parser("serve", help="run the HTTP server (migrates first)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument(
        "--workers",
        type=_worker_count,
        default=1,
        metavar="N",
        help="server processes sharing the port (default 1)",
    )
    serve.add_argument(
        "--demo",
        action="store_true",
        help="load demo data into an empty database and print API keys",
    )
    serve.set_defaults(func=cmd_serve)
    sub.add_parser("migrate", help="upgrade the database to the newest migration").set_defaults(
        func=cmd_migrate
    )
    sub.add_parser("demo", help="load the demo data set and print API keys").set_defaults(
        func=cmd_demo
    )
    ingest = sub.add_parser("ingest", help="ingest an NDJSON batch (all or nothing)")
    ingest.add_argument("file", metavar="FILE", help="NDJSON file, or - for standard input")
    ingest.set_defaults(func=cmd_ingest)
    key = sub.add_parser("create-api-key", help="make an API key; prints the secret alone")
    key.add_argument("--team", required=True, help="team slug")
    key.add_argument("--email", required=True, help="an active member's email")
    key.add_argument("--name", default="API key")
    key.add_argument("--expires-in-days", type=int, default=None)
    key.set_defaults(func=cmd_create_api_key)
    token = sub.add_parser(
        "create-service-token", help="make an ingest token; prints the secret alone"
    )
    token.add_argument("--name", default="ingest")
    token.set_defaults(func=cmd_create_service_token)
    sub.add_parser("export-schema", help="print the GraphQL SDL").set_defaults(
        func=cmd_export_schema
    )
    refresh_cmd = sub.add_parser("refresh", help="fold new facts into the report summaries")
    refresh_cmd.add_argument("--full", action="store_true", help="rebuild them from scratch")
    refresh_cmd.set_defaults(func=cmd_refresh)
    sub.add_parser("purge", help="delete audit events past their plan's retention").set_defaults(
        func=cmd_purge
    )
    return parser


class _WorkerRequestLine(logging.Formatter):
    """A request line with `"pid"` added, so the lines of several workers can be told apart."""

    def format(self, record: logging.LogRecord) -> str:
        line = record.getMessage()
        try:
            fields = json.loads(line)
        except ValueError:
            return line
        if not isinstance(fields, dict):
            return line
        return json.dumps({**fields, "pid": os.getpid()})


def configure_logging(settings: Settings, *, worker: bool = False) -> None:
    """Plain `LEVEL name: message` lines, and request lines as bare JSON on stderr.

    `worker`: this is one of several `serve --workers` processes, whose request
    lines also carry its pid (docs/operations.md#request-logs).
    """
    logging.basicConfig(level=settings.log_level, format="%(levelname)s %(name)s: %(message)s")
    # Request lines are JSON objects, one per line, for log shippers to parse as they are.
    request_log = logging.getLogger("graphql_api.requests")
    raw = logging.StreamHandler()
    raw.setFormatter(_WorkerRequestLine() if worker else logging.Formatter("%(message)s"))
    request_log.addHandler(raw)
    request_log.propagate = False
    # Alembic narrates every revision check at INFO; only its warnings matter here.
    logging.getLogger("alembic").setLevel(logging.WARNING)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `graphql-api` command; returns the exit status."""
    args = build_parser().parse_args(argv)
    try:
        settings = Settings.from_env()
    except ConfigError as exc:
        print(f"configuration error: {exc}", file=sys.stderr)
        return 2
    configure_logging(settings)
    try:
        return int(args.func(args, settings))
    except CliError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
