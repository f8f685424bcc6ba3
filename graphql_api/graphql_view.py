"""The `/graphql` endpoint: authenticates the key, then hands over to strawberry."""

from __future__ import annotations

from typing import Any

from cross_web import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.exceptions import ConnectionRejectionError
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL
from strawberry.types import ExecutionResult
from strawberry.types.unset import UNSET, UnsetType

from graphql_api.auth.rate_limit import RateDecision
from graphql_api.auth.requests import (
    UNAUTHENTICATED_MESSAGE,
    admit,
    origin_of,
    viewer_from_headers,
)
from graphql_api.auth.viewer import ANONYMOUS
from graphql_api.db.base import utcnow
from graphql_api.db.request_sessions import request_sessions
from graphql_api.errors import ErrorCode, error_body
from graphql_api.resolvers.dataloaders import DataLoaders
from graphql_api.schema.context import Context
from graphql_api.schema.errors import with_codes
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
    return JSONResponse(
        error_body(
            ErrorCode.RATE_LIMITED,
            f"Rate limit of {rate.limit} requests a minute exceeded for this API key; "
            f"retry in {rate.reset_seconds} s.",
        ),
        status_code=429,
    )


class GraphQLView(GraphQL):
    """Strawberry's ASGI view with our authentication and error bodies in front."""

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
        admission = await admit(self.state.db, self.state.rate_limiter, request.headers)
        if admission.viewer is None or admission.rate is None:
            await unauthenticated()(scope, receive, send)
            return
        request.state.viewer = admission.viewer
        rate = admission.rate
        if not rate.allowed:
            response = rate_limited(rate)
        else:
            try:
                response = await self.run(request)
            except HTTPException as exc:
                response = JSONResponse(
                    error_body(ErrorCode.BAD_USER_INPUT, exc.reason), status_code=exc.status_code
                )
        response.headers.update(rate.headers())
        await response(scope, receive, send)

    async def process_result(self, request: Request, result: ExecutionResult) -> Any:
        result.errors = with_codes(result.errors)
        return await super().process_result(request, result)

    async def get_context(self, request: Request | WebSocket, response: Any) -> Context:  # type: ignore[override]
        if isinstance(request, WebSocket):
            # The key may be on the upgrade request, or come later in connection_init.
            viewer = await viewer_from_headers(self.state.db, request.headers) or ANONYMOUS
        else:
            viewer = request.state.viewer
        db = request_sessions(self.state.engine)
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
        )

    async def on_ws_connect(self, context: Context) -> UnsetType | dict[str, object] | None:  # type: ignore[override]
        """Accept the connection once a key is known: from the upgrade request's headers
        or from the connection_init payload (`X-Api-Key` or `Authorization`)."""
        if context.viewer is ANONYMOUS:
            params = dict(getattr(context, "connection_params", None) or {})
            # Clients put headers at the top level (GraphiQL) or under "headers".
            nested = params.pop("headers", None)
            if isinstance(nested, dict):
                params.update(nested)
            headers = {
                str(name).lower(): value for name, value in params.items() if isinstance(value, str)
            }
            viewer = await viewer_from_headers(self.state.db, headers)
            if viewer is None:
                raise ConnectionRejectionError(
                    error_body(ErrorCode.UNAUTHENTICATED, UNAUTHENTICATED_MESSAGE)
                )
            context.viewer = viewer
            context.loaders = DataLoaders(context.db, viewer)
        # Opening a socket counts as a request against the key's rate.
        rate = await self.state.rate_limiter.hit(context.viewer.api_key_id)
        if not rate.allowed:
            raise ConnectionRejectionError(
                error_body(ErrorCode.RATE_LIMITED, "Rate limit exceeded for this API key.")
            )
        return UNSET
