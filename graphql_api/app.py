"""Builds the Starlette app: routes, error handling and the lifespan."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route, WebSocketRoute

from graphql_api.config import Settings
from graphql_api.db.faults import RETRY_AFTER_SECONDS, is_statement_timeout, is_unavailable
from graphql_api.db.migrate import current_revision, head_revision
from graphql_api.errors import ErrorCode, error_body
from graphql_api.graphql_view import GraphQLView
from graphql_api.live.listener import listen_forever
from graphql_api.ops.metrics import metrics_endpoint
from graphql_api.ops.request_log import RequestLogMiddleware
from graphql_api.refresh.task import refresh_forever
from graphql_api.rest.audit_logs import audit_logs
from graphql_api.rest.downloads import download
from graphql_api.rest.ingest import ingest
from graphql_api.schema.errors import TIMEOUT_MESSAGE, UNAVAILABLE_MESSAGE
from graphql_api.state import AppState

log = logging.getLogger("graphql_api")

SHUTDOWN_GRACE_SECONDS = 5


async def healthz(request: Request) -> JSONResponse:
    """The process is up."""
    return JSONResponse({"status": "ok"})


async def readyz(request: Request) -> JSONResponse:
    """The database answers and its schema is at the newest migration."""
    state: AppState = request.app.state.graphql_api
    try:
        async with state.engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
        revision = await current_revision(state.engine)
    except Exception as exc:  # any failure to reach the database means not ready
        log.warning("readiness check failed: %s", exc)
        return JSONResponse({"status": "unavailable", "reason": "database unreachable"}, 503)
    head = head_revision()
    if revision != head:
        return JSONResponse(
            {"status": "unavailable", "reason": f"migrations at {revision}, head is {head}"}, 503
        )
    return JSONResponse({"status": "ok", "revision": revision})


async def internal_error(request: Request, exc: Exception) -> JSONResponse:
    """Last resort: log the traceback for operators, give the client a code and no internals."""
    log.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return JSONResponse(
        error_body(ErrorCode.INTERNAL_SERVER_ERROR, "Internal server error."), status_code=500
    )


# nginx's code for "the client closed the request": not a server error, and counted apart.
CLIENT_CLOSED_REQUEST = 499


async def client_disconnected(request: Request, exc: Exception) -> Response:
    """The client went away before its body was read: nothing to answer, nothing broken."""
    log.info("client disconnected during %s %s", request.method, request.url.path)
    return Response(status_code=CLIENT_CLOSED_REQUEST)


async def database_fault(request: Request, exc: Exception) -> Response:
    """A database that is down or saturated answers 503 with `Retry-After`; a statement
    stopped by the statement timeout answers 503 with code TIMEOUT; anything else is a bug."""
    if is_unavailable(exc):
        log.warning("database unavailable on %s %s: %s", request.method, request.url.path, exc)
        return JSONResponse(
            error_body(ErrorCode.SERVICE_UNAVAILABLE, UNAVAILABLE_MESSAGE),
            status_code=503,
            headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
        )
    if is_statement_timeout(exc):
        log.warning("statement timeout on %s %s", request.method, request.url.path)
        return JSONResponse(error_body(ErrorCode.TIMEOUT, TIMEOUT_MESSAGE), status_code=503)
    return await internal_error(request, exc)


def create_app(settings: Settings | None = None) -> Starlette:
    """The ASGI app for `settings` (default: from the environment)."""
    settings = settings or Settings.from_env()
    state = AppState.build(settings)
    routes = _routes(state)
    app = Starlette(
        routes=routes,
        middleware=_middleware(settings, state, routes),
        exception_handlers={
            # Specific handlers answer in place; the catch-all one (Starlette's last
            # resort) also re-raises for the server to log.
            ClientDisconnect: client_disconnected,
            SQLAlchemyError: database_fault,
            OSError: database_fault,
            Exception: internal_error,
        },
        lifespan=_lifespan(settings, state),
    )
    app.state.graphql_api = state
    return app


def _routes(state: AppState) -> list[BaseRoute]:
    """GraphQL (HTTP and WebSocket), the REST endpoints, and the operations probes."""
    graphql = GraphQLView(state)
    return [
        Route("/graphql", graphql, methods=["GET", "POST"]),
        WebSocketRoute("/graphql", graphql),
        Route("/ingest", ingest, methods=["POST"]),
        Route("/audit/logs", audit_logs, methods=["GET"]),
        Route("/exports/{token}", download, methods=["GET"]),
        Route("/healthz", healthz),
        Route("/readyz", readyz),
        Route("/metrics", metrics_endpoint, methods=["GET"]),
    ]


def _middleware(settings: Settings, state: AppState, routes: list[BaseRoute]) -> list[Middleware]:
    """The request log (outermost), then CORS when browser origins are configured."""
    middleware = [Middleware(RequestLogMiddleware, metrics=state.metrics, routes=routes)]
    if settings.cors_origins:
        middleware.append(_cors(settings))
    return middleware


def _cors(settings: Settings) -> Middleware:
    """CORS for `settings.cors_origins`."""
    # Browser frontends send the key in a header, never a cookie: no credentials.
    return Middleware(
        CORSMiddleware,
        allow_origins=list(settings.cors_origins),
        allow_methods=["GET", "POST"],
        allow_headers=["X-Api-Key", "Authorization", "Content-Type"],
        expose_headers=[
            "RateLimit-Limit",
            "RateLimit-Remaining",
            "RateLimit-Reset",
            "Retry-After",
        ],
        allow_credentials=False,
        max_age=600,
    )


def _lifespan(
    settings: Settings, state: AppState
) -> Callable[[Starlette], AbstractAsyncContextManager[None]]:
    """Background work runs while the app serves; shutdown stops it and closes the pool."""

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        # What start-up built (schema, models, compiled rules) lives as long as the
        # process: frozen, the collector's full passes no longer walk it, and those
        # passes (hundreds of ms on a busy server) stall every request while they run.
        gc.collect()
        gc.freeze()
        stop = asyncio.Event()
        tasks = _start_background_tasks(settings, state, stop)
        yield
        stop.set()
        await _stop_background_tasks(tasks)
        await state.engine.dispose()

    return lifespan


def _start_background_tasks(
    settings: Settings, state: AppState, stop: asyncio.Event
) -> list[asyncio.Task[None]]:
    """The export worker, the summary refresher (unless off) and, on PostgreSQL, the
    listener that wakes live subscriptions."""
    tasks = [asyncio.create_task(state.export_worker.run_forever(stop))]
    if settings.refresh_interval > 0:
        tasks.append(
            asyncio.create_task(
                refresh_forever(state.background_db, settings.refresh_interval, stop)
            )
        )
    if state.engine.dialect.name == "postgresql":
        tasks.append(asyncio.create_task(listen_forever(settings.database_url, stop)))
    return tasks


async def _stop_background_tasks(tasks: list[asyncio.Task[None]]) -> None:
    """Wait for `tasks` after their stop event is set, cancelling the slow ones."""
    # An export in progress gets a moment to finish; then it is cancelled
    # and another worker takes it over once its heartbeat is stale.
    _, unfinished = await asyncio.wait(tasks, timeout=SHUTDOWN_GRACE_SECONDS)
    for task in unfinished:
        task.cancel()
    await asyncio.gather(*unfinished, return_exceptions=True)
