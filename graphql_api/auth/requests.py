"""Authenticating an HTTP request by its API key, and counting it against the key's rate
(or, when it fails, against the client address's failed authentications)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Generic, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from starlette.requests import HTTPConnection

from graphql_api.auth.credentials import lookup_api_key
from graphql_api.auth.headers import presented_secret
from graphql_api.auth.key_cache import KeyCache
from graphql_api.auth.rate_limit import RateDecision, RateLimiter
from graphql_api.auth.secrets import hash_secret
from graphql_api.auth.viewer import Viewer
from graphql_api.db.access_changes import ACCESS_CHANGES
from graphql_api.db.base import utcnow
from graphql_api.domain.origins import RequestOrigin

UNAUTHENTICATED_MESSAGE = (
    "Missing, unknown, expired or revoked API key. Send it in the X-Api-Key header "
    "(or Authorization: Bearer)."
)


T = TypeVar("T")


@dataclass(frozen=True)
class Admission:
    """Who is asking and what the rate limiter said. With a viewer, `rate` is the key's
    count; without one, it is the refusal of an address over its failed
    authentications, or None when the answer is simply 401."""

    viewer: Viewer | None
    rate: RateDecision | None


@dataclass(frozen=True)
class Attempt(Generic[T]):
    """What authenticating found (None: nothing valid), or why it was not tried."""

    found: T | None
    refusal: RateDecision | None = None


def origin_of(connection: HTTPConnection) -> RequestOrigin:
    """Where a request or WebSocket came from, as audit events record it."""
    return RequestOrigin(
        ip=client_address(connection),
        user_agent=connection.headers.get("user-agent"),
    )


async def viewer_from_headers(
    db: async_sessionmaker[AsyncSession],
    headers: Mapping[str, str],
    cache: KeyCache | None = None,
) -> Viewer | None:
    """The viewer behind the key in `headers`, or None; from `cache` while it is good."""
    secret = presented_secret(headers)
    if secret is None:
        return None
    key_hash = hash_secret(secret)
    if cache is not None:
        cached = cache.get(key_hash, utcnow())
        if cached is not None:
            return cached
    # Taken before the read: a change committed while it runs leaves the entry stale.
    version = ACCESS_CHANGES.version
    async with db() as session:
        # Outside any transaction: one statement (and, once a minute, the key's
        # lastUsedAt), with no BEGIN and COMMIT around it.
        await session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})
        found = await lookup_api_key(session, key_hash)
    if found is None:
        return None
    if cache is not None:
        cache.put(key_hash, found.viewer, found.expires_at, version)
    return found.viewer


def client_address(connection: HTTPConnection) -> str | None:
    """The address failed authentications are counted against."""
    return connection.client.host if connection.client else None


async def authenticate_limited(
    limiter: RateLimiter, address: str | None, authenticate: Callable[[], Awaitable[T | None]]
) -> Attempt[T]:
    """Run `authenticate` unless `address` is over its failed authentications, and
    count a failure against it. Successes cost the address nothing."""
    refusal = await limiter.address_refusal(address)
    if refusal is not None:
        return Attempt(None, refusal)
    found = await authenticate()
    if found is not None:
        return Attempt(found)
    failure = await limiter.hit_failure(address)
    # Concurrent failures can all pass the check above; the count settles it.
    return Attempt(None, None if failure.allowed else failure)


async def admit(
    db: async_sessionmaker[AsyncSession],
    limiter: RateLimiter,
    connection: HTTPConnection,
    cache: KeyCache | None = None,
) -> Admission:
    """Authenticate, then count the request against the key's rate limit."""
    attempt = await authenticate_limited(
        limiter,
        client_address(connection),
        lambda: viewer_from_headers(db, connection.headers, cache),
    )
    if attempt.found is None:
        return Admission(None, attempt.refusal)
    return Admission(attempt.found, await limiter.hit_key(attempt.found.api_key_id))
