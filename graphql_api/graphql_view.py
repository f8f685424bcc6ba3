"""The `/graphql` endpoint: authenticates the key, then hands over to strawberry."""

from __future__ import annotations

import asyncio
import json
from contextlib import suppress
from typing import Any

import orjson
from cross_web import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.exceptions import ConnectionRejectionError
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL
from strawberry.subscriptions.protocols.graphql_transport_ws.handlers import (
    BaseGraphQLTransportWSHandler,
    Operation,
)
from strawberry.types import ExecutionResult
from strawberry.types.unset import UNSET, UnsetType

from graphql_api.auth.live_access import close_code
from graphql_api.auth.rate_limit import RateDecision
from graphql_api.auth.requests import (
    UNAUTHENTICATED_MESSAGE,
    admit,
    authenticate_limited,
    origin_of,
    viewer_from_headers,
)
from graphql_api.auth.viewer import ANONYMOUS, Viewer
from graphql_api.bodies import read_limited
from graphql_api.compiled.operations import request_key
from graphql_api.db.base import utcnow
from graphql_api.db.faults import RETRY_AFTER_SECONDS
from graphql_api.db.request_sessions import request_sessions
from graphql_api.db.turns import own_slice
from graphql_api.errors import ErrorCode, error_body
from graphql_api.persisted_requests import DECODED_BODY, resolve_persisted
from graphql_api.repositories.dataloaders import DataLoaders
from graphql_api.schema.context import Context
from graphql_api.schema.errors import is_unavailable_error, with_codes
from graphql_api.state import AppState


def unauthenticated() -> JSONResponse:
    """HTTP 401 with code UNAUTHENTICATED, shaped like a GraphQL error."""
    return JSONResponse(
        error_body(ErrorCode.UNAUTHENTICATED, UNAUTHENTICATED_MESSAGE),
        status_code=401,
        headers={"WWW-Authenticate": 'Bearer realm="graphql-api"'},
    )


def rate_limited(rate: RateDecision) -> JSONResponse:
    """HTTP 429 with code RATE_LIMITED (the caller adds the rate headers)."""
    return JSONResponse(error_body(ErrorCode.RATE_LIMITED, rate.message()), status_code=429)


class AccessCheckedWSHandler(BaseGraphQLTransportWSHandler[Context, None]):
    """graphql-transport-ws that closes the socket once its key has lost access.

    A subscription that finds, on a re-check, that the socket's key no longer
    grants it ends with that error in a `next` message, then `complete`; the
    socket is then closed (4401 for UNAUTHENTICATED, 4403 for FORBIDDEN or
    PLAN_REQUIRED), since every operation on it uses the same key.
    """

    closed_for_access = False

    async def run_operation(self, operation: Operation[Context, None]) -> None:
        """Run the operation as strawberry does; then close the socket if it lost access."""
        await super().run_operation(operation)
        lost = self.context.access_lost
        if lost is None or self.closed_for_access:
            return
        # Two subscriptions may lose access together; the socket closes once.
        self.closed_for_access = True
        # The client may have gone already.
        with suppress(RuntimeError):
            await self.websocket.close(code=close_code(lost), reason=lost.code.value)


# Variables nest as deep as input objects do (a few levels); far deeper is an attack on
# the recursive code that coerces them.
MAX_JSON_DEPTH = 64


def json_depth(value: object) -> int:
    """How deeply `value` (decoded JSON) nests lists and objects, counted without recursion."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list):
            deepest = max(deepest, depth)
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children)
    return deepest


def body_too_large(limit: int) -> JSONResponse:
    """HTTP 413 with code BAD_USER_INPUT."""
    return JSONResponse(
        error_body(ErrorCode.BAD_USER_INPUT, f"The request body is larger than {limit} bytes."),
        status_code=413,
    )


def _declared_length(request: Request) -> int:
    try:
        return int(request.headers.get("content-length", "0"))
    except ValueError:
        return 0


class GraphQLView(GraphQL):
    """Strawberry's ASGI view with our authentication and error bodies in front."""

    # strawberry's base view types its context as None; ours is a Context.
    graphql_transport_ws_handler_class = AccessCheckedWSHandler  # type: ignore[assignment]

    def __init__(self, state: AppState) -> None:
        super().__init__(
            state.schema,
            graphql_ide=None if state.settings.is_production else "graphiql",
            allow_queries_via_get=True,
            # graphql-transport-ws only: the legacy protocol has no connection_ack
            # rule to keep unauthenticated sockets from running operations.
            subscription_protocols=(GRAPHQL_TRANSPORT_WS_PROTOCOL,),
        )
        self.state = state

    def _is_ide_page(self, request: Request) -> bool:
        return (
            self.graphql_ide is not None
            and request.method == "GET"
            and "text/html" in request.headers.get("accept", "")
            and "query" not in request.query_params
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        request = Request(scope, receive=receive)
        response: Response
        if self._is_ide_page(request):
            # The page itself holds no data; the key is sent with each query.
            await (await self.render_graphql_ide(request))(scope, receive, send)
            return
        if _declared_length(request) > self.state.settings.max_body_bytes:
            # Refused before anything is read, authenticated or not.
            await body_too_large(self.state.settings.max_body_bytes)(scope, receive, send)
            return
        admission = await admit(
            self.state.db, self.state.rate_limiter, request, self.state.key_cache
        )
        rate = admission.rate
        if rate is None:
            await unauthenticated()(scope, receive, send)
            return
        request.state.viewer = admission.viewer
        if not rate.allowed:
            response = rate_limited(rate)
        else:
            response = await self._run_bounded(request)
        response.headers.update(rate.headers())
        await response(scope, receive, send)

    async def _run_bounded(self, request: Request) -> Response:
        """Read the body up to its limit, then run the operation within the request
        deadline; a database that is down answers 503 with `Retry-After`."""
        settings = self.state.settings
        own_slice()
        try:
            async with asyncio.timeout(settings.request_timeout):
                # GET carries its operation in the URL; a POST body is read up to its limit
                # (strawberry then reads it again from Starlette's cache).
                if request.method == "POST" and (
                    await read_limited(request, settings.max_body_bytes) is None
                ):
                    return body_too_large(settings.max_body_bytes)
                refusal = await resolve_persisted(request, self.state.documents)
                if refusal is not None:
                    return refusal
                try:
                    response = await self._compiled(request) or await self._executed(request)
                finally:
                    await self._close_sessions(request)
        except HTTPException as exc:
            return JSONResponse(
                error_body(ErrorCode.BAD_USER_INPUT, exc.reason), status_code=exc.status_code
            )
        except TimeoutError:
            # A GraphQL result (HTTP 200, no data) like any other error of the operation.
            return JSONResponse(
                {"data": None}
                | error_body(
                    ErrorCode.TIMEOUT,
                    f"The request ran longer than {settings.request_timeout:g} s and was "
                    "stopped: ask for a shorter range, smaller pages or fewer fields.",
                ),
                status_code=200,
            )
        if getattr(request.state, "database_unavailable", False):
            response.status_code = 503
            response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response

    async def _compiled(self, request: Request) -> Response | None:
        """The answer of the operation's compiled plan (graphql_api/compiled), or None
        for strawberry to answer."""
        compiled = self.state.compiled
        if compiled is None or request.method != "POST":
            return None
        body = await request.body()
        # resolve_persisted decoded a JSON body (and only that): anything else is for
        # strawberry to decode again, and to word its 400.
        decoded = DECODED_BODY.get()
        if decoded is None or decoded[0] is not body:
            return None
        payload = decoded[1]
        found = request_key(payload)
        if found is None:
            return None
        key, variables = found
        plan = compiled.plan(key)
        if plan is None:
            if not compiled.known(key):
                request.state.compile_key = key  # learnt if strawberry answers it cleanly
            return None
        sessions = request_sessions(self.state.engine)
        request.state.sessions = sessions
        answer = await compiled.answer(
            key,
            plan,
            variables,
            viewer=request.state.viewer,
            sessions=sessions,
            codec=self.state.codec,
            log_fields=request.scope.get("state", {}).get("log_fields", {}),
        )
        if answer is None:
            await self._close_sessions(request)  # strawberry opens its own
            return None
        return Response(self.encode_json(answer), media_type="application/json")

    async def _executed(self, request: Request) -> Response:
        """Strawberry's answer; an operation it answered without errors is compiled for
        the next time when its shape allows."""
        response = await self.run(request)
        key = getattr(request.state, "compile_key", None)
        if key is not None and getattr(request.state, "answered_cleanly", False):
            assert self.state.compiled is not None
            self.state.compiled.learn(key)
        return response

    @staticmethod
    async def _close_sessions(request: Request) -> None:
        """End the request's snapshot; a deadline that cut it short ends it too."""
        sessions = getattr(request.state, "sessions", None)
        if sessions is not None:
            request.state.sessions = None
            await sessions.close()

    def encode_json(self, data: object) -> bytes:
        """The response body; orjson, save for what it cannot write (an integer past 64
        bits inside a JSON value), which the standard library writes as before."""
        try:
            return orjson.dumps(data)
        except TypeError:
            return json.dumps(data, separators=(",", ":")).encode()

    def decode_json(self, data: str | bytes) -> object:
        """The body as JSON: an object (or a list, for strawberry to refuse as a batch);
        anything else, undecodable or nested beyond reason is a 400, not a crash."""
        cached = DECODED_BODY.get()
        if cached is not None and cached[0] is data:
            decoded = cached[1]
        else:
            try:
                decoded = json.loads(data)
            except (UnicodeDecodeError, RecursionError) as exc:
                raise HTTPException(400, "The request body is not valid UTF-8 JSON.") from exc
        if not isinstance(decoded, dict | list):
            raise HTTPException(
                400, "The request body must be a JSON object with `query` and `variables`."
            )
        if json_depth(decoded) > MAX_JSON_DEPTH:
            raise HTTPException(400, f"The request body nests deeper than {MAX_JSON_DEPTH}.")
        return decoded

    async def process_result(self, request: Request, result: ExecutionResult) -> Any:
        result.errors = with_codes(
            result.errors, hide_suggestions=self.state.settings.is_production
        )
        if result.errors and any(is_unavailable_error(e) for e in result.errors):
            request.state.database_unavailable = True
        request.state.answered_cleanly = not result.errors
        return await super().process_result(request, result)

    async def get_context(self, request: Request | WebSocket, response: Any) -> Context:  # type: ignore[override]
        if isinstance(request, WebSocket):
            # The key may be on the upgrade request, or come later in connection_init.
            viewer = await viewer_from_headers(self.state.db, request.headers) or ANONYMOUS
        else:
            viewer = request.state.viewer
        db = request_sessions(self.state.engine)
        if not isinstance(request, WebSocket):
            # Closed when the request ends (_run_bounded), with its snapshot if any.
            request.state.sessions = db
        return Context(
            viewer=viewer,
            db=db,
            settings=self.state.settings,
            codec=self.state.codec,
            loaders=DataLoaders(db, viewer),
            now=utcnow(),
            origin=origin_of(request),
            base_url=str(request.base_url).rstrip("/"),
            nudge_exports=self.state.export_worker.nudge,
            live_reads=self.state.live_reads,
            log_fields=request.scope.get("state", {}).get("log_fields", {}),
            use_snapshot=None if isinstance(request, WebSocket) else db.use_snapshot,
        )

    async def on_ws_connect(self, context: Context) -> UnsetType | dict[str, object] | None:  # type: ignore[override]
        """Accept the connection once a key is known: from the upgrade request's headers
        or from the connection_init payload (`X-Api-Key` or `Authorization`)."""
        limiter = self.state.rate_limiter

        async def authenticate() -> Viewer | None:
            if context.viewer is not ANONYMOUS:
                return context.viewer
            params = dict(getattr(context, "connection_params", None) or {})
            # Clients put headers at the top level (GraphiQL) or under "headers".
            nested = params.pop("headers", None)
            if isinstance(nested, dict):
                params.update(nested)
            headers = {
                str(name).lower(): value for name, value in params.items() if isinstance(value, str)
            }
            return await viewer_from_headers(self.state.db, headers, self.state.key_cache)

        attempt = await authenticate_limited(limiter, context.origin.ip, authenticate)
        if attempt.refusal is not None:
            raise ConnectionRejectionError(
                error_body(ErrorCode.RATE_LIMITED, attempt.refusal.message())
            )
        if attempt.found is None:
            raise ConnectionRejectionError(
                error_body(ErrorCode.UNAUTHENTICATED, UNAUTHENTICATED_MESSAGE)
            )
        if attempt.found is not context.viewer:
            context.viewer = attempt.found
            context.loaders = DataLoaders(context.db, attempt.found)
        # Opening a socket counts as a request against the key's rate.
        rate = await limiter.hit_key(context.viewer.api_key_id)
        if not rate.allowed:
            raise ConnectionRejectionError(error_body(ErrorCode.RATE_LIMITED, rate.message()))
        return UNSET
