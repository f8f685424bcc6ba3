"""Per-API-key rate limits (CONTRACT section 9), with Postman's response headers.

The counts live in this process's memory (the `limits` library's moving
window): with several server processes each allows the full rate. A shared
store (Redis, through the same library) is the step up when one is deployed.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

from limits import RateLimitItemPerMinute
from limits.aio.storage import MemoryStorage
from limits.aio.strategies import MovingWindowRateLimiter


@dataclass(frozen=True)
class RateDecision:
    """Whether one request may go on, and what the headers should say."""

    allowed: bool
    limit: int
    remaining: int
    reset_seconds: int

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


class KeyRateLimiter:
    """Counts requests per API key over a moving one-minute window."""

    def __init__(self, per_minute: int) -> None:
        self.item = RateLimitItemPerMinute(per_minute)
        self.limiter = MovingWindowRateLimiter(MemoryStorage())

    async def hit(self, key_id: int) -> RateDecision:
        """Count one request by `key_id` and say whether it is within the limit."""
        identifier = str(key_id)
        allowed = await self.limiter.hit(self.item, identifier)
        stats = await self.limiter.get_window_stats(self.item, identifier)
        return RateDecision(
            allowed=allowed,
            limit=self.item.amount,
            remaining=max(0, stats.remaining),
            reset_seconds=max(0, math.ceil(stats.reset_time - time.time())),
        )
