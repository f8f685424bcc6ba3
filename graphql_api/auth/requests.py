"""Authenticating an HTTP request by its API key, and counting it against the key's rate."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from starlette.requests import HTTPConnection

from graphql_api.auth.credentials import viewer_for_api_key
from graphql_api.auth.headers import presented_secret
from graphql_api.auth.rate_limit import KeyRateLimiter, RateDecision
from graphql_api.auth.viewer import Viewer
from graphql_api.resolvers.audit_writes import RequestOrigin

UNAUTHENTICATED_MESSAGE = (
    "Missing, unknown, expired or revoked API key. Send it in the X-Api-Key header "
    "(or Authorization: Bearer)."
)


@dataclass(frozen=True)
class Admission:
    """Who is asking (None: nobody we know) and what the rate limiter said."""

    viewer: Viewer | None
    rate: RateDecision | None


def origin_of(connection: HTTPConnection) -> RequestOrigin:
    """Where a request or WebSocket came from, as audit events record it."""
    return RequestOrigin(
        ip=connection.client.host if connection.client else None,
        user_agent=connection.headers.get("user-agent"),
    )


async def viewer_from_headers(
    db: async_sessionmaker[AsyncSession], headers: Mapping[str, str]
) -> Viewer | None:
    """The viewer behind the key in `headers`, or None."""
    secret = presented_secret(headers)
    if secret is None:
        return None
    async with db() as session, session.begin():
        return await viewer_for_api_key(session, secret)


async def admit(
    db: async_sessionmaker[AsyncSession], limiter: KeyRateLimiter, headers: Mapping[str, str]
) -> Admission:
    """Authenticate, then count the request against the key's rate limit."""
    viewer = await viewer_from_headers(db, headers)
    if viewer is None:
        return Admission(None, None)
    return Admission(viewer, await limiter.hit(viewer.api_key_id))
