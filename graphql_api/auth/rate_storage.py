"""Where rate-limit counts live: a shared `limits` storage, or this process's memory.

`Settings.rate_limit_storage` names the storage as users write it
(`redis://host:6379/0`); empty means memory, which each process keeps for itself.
When the shared storage cannot be reached, counting goes on in memory (a logged
warning) rather than failing every request: an outage of the limiter's store
should cost the limits' precision across processes, not the API.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from limits import RateLimitItem
from limits.aio.storage import MemoryStorage, MovingWindowSupport, Storage
from limits.aio.strategies import MovingWindowRateLimiter
from limits.errors import ConfigurationError, StorageError
from limits.storage import storage_from_string

log = logging.getLogger("graphql_api.rate_limit")

# Keys in a shared Redis start with this, apart from other programs' keys.
KEY_PREFIX = "graphql-api"
# A storage that answers slower than this is treated as down: every request waits on it.
STORAGE_TIMEOUT_SECONDS = 0.5
# After a failure the storage is left alone this long, so an outage costs one
# timeout per interval rather than one per request.
RETRY_STORAGE_AFTER_SECONDS = 10.0


def async_storage_uri(setting: str) -> str:
    """The `limits` async storage URI for a setting as users write it.

    The async storages are registered under `async+` schemes (`async+redis://`);
    the plain ones (`redis://`) would pick the blocking client. Empty means memory.
    """
    uri = setting.strip() or "memory://"
    scheme = urlsplit(uri).scheme
    return uri if scheme.startswith("async+") else f"async+{uri}"


class ProcessMemoryStorage(MemoryStorage):
    """`limits`' memory storage, its clean-up at most once a second.

    The library starts a task after every hit that drops expired entries, handing
    each key's bisect to a thread: a task and a thread hop per key per request, 5 %
    of a compiled request's time (issue 10, py-spy). Expired entries are only
    memory: every count reads the window by time, so dropping them once a second
    changes no answer.
    """

    def __init__(self) -> None:
        super().__init__()
        self._expired_at = 0.0

    async def _MemoryStorage__schedule_expiry(self) -> None:  # the library's hook
        now = time.monotonic()
        if now - self._expired_at >= EXPIRE_EVERY_SECONDS:
            self._expired_at = now
            await super()._MemoryStorage__schedule_expiry()  # type: ignore[misc]


EXPIRE_EVERY_SECONDS = 1.0


def open_storage(setting: str) -> Storage:
    """The async storage `setting` names; ConfigurationError when none matches."""
    uri = async_storage_uri(setting)
    scheme = urlsplit(uri).scheme
    if scheme == "async+memory":
        return ProcessMemoryStorage()
    options: dict[str, float | str | bool] = {"wrap_exceptions": True}
    if "redis" in scheme or "valkey" in scheme:
        options.update(
            key_prefix=KEY_PREFIX,
            connect_timeout=STORAGE_TIMEOUT_SECONDS,
            stream_timeout=STORAGE_TIMEOUT_SECONDS,
        )
    storage = storage_from_string(uri, **options)
    if not isinstance(storage, Storage) or not isinstance(storage, MovingWindowSupport):
        raise ConfigurationError(f"{setting!r} is not an async moving-window storage")
    return storage


@dataclass(frozen=True)
class WindowCount:
    """One count's outcome: allowed or not, what is left, and when the window frees up."""

    allowed: bool
    remaining: int
    reset_at: float


class MovingWindows:
    """Moving-window counts in the configured storage, in memory while it is down."""

    def __init__(self, setting: str) -> None:
        storage = open_storage(setting)
        self.shared = MovingWindowRateLimiter(storage)
        self.fallback = MovingWindowRateLimiter(ProcessMemoryStorage())
        self.down_until = 0.0

    async def hit(self, item: RateLimitItem, *identifiers: str) -> WindowCount:
        """Count one hit under `identifiers` and say whether it is within `item`."""
        limiter = self._limiter()
        try:
            return await self._hit(limiter, item, identifiers)
        except (StorageError, OSError) as exc:
            self._storage_failed(exc)
            return await self._hit(self.fallback, item, identifiers)

    async def stats(self, item: RateLimitItem, *identifiers: str) -> WindowCount:
        """Where the window under `identifiers` stands, counting nothing; `allowed`
        says whether one more hit would be."""
        limiter = self._limiter()
        try:
            return await self._stats(limiter, item, identifiers)
        except (StorageError, OSError) as exc:
            self._storage_failed(exc)
            return await self._stats(self.fallback, item, identifiers)

    def _limiter(self) -> MovingWindowRateLimiter:
        if self.down_until and time.monotonic() >= self.down_until:
            self.down_until = 0.0
        return self.fallback if self.down_until else self.shared

    def _storage_failed(self, exc: BaseException) -> None:
        if not self.down_until:
            log.warning(
                "rate-limit storage unreachable (%s); counting in this process's memory for %.0f s",
                exc,
                RETRY_STORAGE_AFTER_SECONDS,
            )
        self.down_until = time.monotonic() + RETRY_STORAGE_AFTER_SECONDS

    @staticmethod
    async def _hit(
        limiter: MovingWindowRateLimiter, item: RateLimitItem, identifiers: tuple[str, ...]
    ) -> WindowCount:
        allowed = await limiter.hit(item, *identifiers)
        stats = await limiter.get_window_stats(item, *identifiers)
        return WindowCount(allowed, max(0, stats.remaining), stats.reset_time)

    @staticmethod
    async def _stats(
        limiter: MovingWindowRateLimiter, item: RateLimitItem, identifiers: tuple[str, ...]
    ) -> WindowCount:
        stats = await limiter.get_window_stats(item, *identifiers)
        return WindowCount(stats.remaining > 0, max(0, stats.remaining), stats.reset_time)
