"""Rate limits (docs/concepts.md#rate-limits): requests per API key, and failed authentication
per client address, with Postman's response headers.

Counts live where `Settings.rate_limit_storage` says (see `rate_storage`): a
shared Redis makes every server process count against one limit; by default
each process counts in its own memory.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

from limits import RateLimitItemPerMinute

from graphql_api.auth.rate_storage import MovingWindows, WindowCount
from graphql_api.config import Settings

# Requests from no known address (a Unix socket, some test clients) share one count.
UNKNOWN_ADDRESS = "unknown"


@dataclass(frozen=True)
class RateDecision:
    """Whether one request may go on, and what the headers should say."""

    allowed: bool
    limit: int
    remaining: int
    reset_seconds: int
    # What the limit counts, for the refusal's message.
    counted: str

    def message(self) -> str:
        """Why a request was refused and when to retry."""
        return (
            f"Rate limit exceeded: at most {self.limit} {self.counted}; "
            f"retry in {self.reset_seconds} s."
        )

    def headers(self) -> dict[str, str]:
        """Postman's rate-limit headers; `Retry-After` only on a refusal."""
        headers = {
            "RateLimit-Limit": str(self.limit),
            "RateLimit-Remaining": str(self.remaining),
            "RateLimit-Reset": str(self.reset_seconds),
        }
        if not self.allowed:
            headers["Retry-After"] = str(self.reset_seconds)
        return headers


class RateLimiter:
    """Counts requests per API key, and failed authentication per client address,
    each over a moving one-minute window."""

    def __init__(self, settings: Settings) -> None:
        self.windows = MovingWindows(settings.rate_limit_storage)
        self.per_key = RateLimitItemPerMinute(settings.rate_limit_per_minute)
        self.failures = RateLimitItemPerMinute(settings.auth_failure_limit_per_minute)

    async def hit_key(self, key_id: int) -> RateDecision:
        """Count one request by `key_id` and say whether it is within the key's limit."""
        count = await self.windows.hit(self.per_key, "key", str(key_id))
        return _decision(count, self.per_key.amount, "requests a minute per API key")

    async def address_refusal(self, address: str | None) -> RateDecision | None:
        """The refusal when `address` has used up its failed authentications, else None.
        Asked before the key is checked, so a guesser learns nothing more."""
        count = await self.windows.stats(self.failures, "auth-failure", address or UNKNOWN_ADDRESS)
        return None if count.allowed else _decision(count, self.failures.amount, _FAILURES)

    async def hit_failure(self, address: str | None) -> RateDecision:
        """Count one failed authentication from `address`."""
        count = await self.windows.hit(self.failures, "auth-failure", address or UNKNOWN_ADDRESS)
        return _decision(count, self.failures.amount, _FAILURES)


_FAILURES = "failed authentications a minute per client address"


def _decision(count: WindowCount, limit: int, counted: str) -> RateDecision:
    return RateDecision(
        allowed=count.allowed,
        limit=limit,
        remaining=count.remaining,
        reset_seconds=max(0, math.ceil(count.reset_at - time.time())),
        counted=counted,
    )
