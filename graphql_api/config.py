"""Settings read from the environment (`DATABASE_URL`, `GRAPHQL_API_*`)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from graphql_api.domain.allowances import frozen_allowances
from graphql_api.trusted_manifest import ManifestError, read_manifest

DEFAULT_SQLITE_FILE = "graphql_api.db"
# Only good enough for a laptop: production refuses to start with it.
DEVELOPMENT_SECRET = "development-only-secret-change-me"


class ConfigError(ValueError):
    """A setting from the environment is missing or malformed."""


def _int(env: dict[str, str], name: str, default: int) -> int:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ConfigError(f"{name} must be an integer, got {raw!r}") from exc


def _float(env: dict[str, str], name: str, default: float) -> float:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = float(raw)
    except ValueError as exc:
        raise ConfigError(f"{name} must be a number, got {raw!r}") from exc
    if not value > 0 or value == float("inf"):
        raise ConfigError(f"{name} must be a positive number of seconds, got {raw!r}")
    return value


def _is_zero(raw: str) -> bool:
    try:
        return float(raw) == 0
    except ValueError:
        return False


def _cache_seconds(env: dict[str, str], name: str, default: float) -> float:
    """A cache's lifetime in seconds; unlike other durations, 0 is allowed: it turns
    the cache off."""
    return 0.0 if _is_zero(env.get(name, "")) else _float(env, name, default)


def normalise_database_url(url: str) -> str:
    """Accept the URLs people paste (`postgres://`, `sqlite:///x`) and pick the async driver."""
    if url.startswith(("postgres://", "postgresql://")):
        return "postgresql+asyncpg://" + url.split("://", 1)[1]
    if url.startswith("sqlite:///"):
        return "sqlite+aiosqlite:///" + url.split(":///", 1)[1]
    return url


@dataclass(frozen=True)
class Settings:
    """Everything the server can be told from outside."""

    database_url: str = field(
        default_factory=lambda: f"sqlite+aiosqlite:///{Path.cwd() / DEFAULT_SQLITE_FILE}"
    )
    environment: str = "development"
    secret_key: str = DEVELOPMENT_SECRET
    default_page_size: int = 20
    max_page_size: int = 100
    max_query_depth: int = 12
    # A connection costs its page size times what it holds (see schema/cost.py).
    max_query_cost: int = 25_000
    max_aliases: int = 30
    # Connections one operation may open (a series' drill-downs count once: they are
    # read in one batch): each runs its own statements, so they are bounded apart
    # from the cost.
    max_connections: int = 40
    ingest_max_bytes: int = 64 * 1024 * 1024
    rate_limit_per_minute: int = 300
    # Seconds between summary refreshes inside the server; 0 turns the task off.
    refresh_interval: int = 30
    auto_migrate: bool = True
    log_level: str = "INFO"
    # JSON overriding the plans' monthly allowances (see domain/allowances.py).
    plan_allowances: str = ""
    # Where export files are written, and how long a download link works (seconds).
    export_dir: str = field(default_factory=lambda: str(Path.cwd() / "exports"))
    export_link_ttl: int = 3600
    # The server's address as users reach it, for links in emails (default: as requested).
    public_url: str = ""
    # Email of export links; off while no host is set.
    smtp_host: str = ""
    smtp_port: int = 25
    smtp_username: str = ""
    smtp_password: str = ""
    smtp_from: str = "graphql-api@localhost"
    smtp_starttls: bool = False
    # Seconds between a live subscription's own checks for new events (a safety
    # net: wake-ups normally arrive at once).
    live_poll_interval: float = 10.0
    # Browser origins allowed to call the API (CORS); none by default.
    cors_origins: tuple[str, ...] = ()
    # Database connections the server keeps open for reuse, and how many more it
    # may open (and close again) in a burst. The kept ones cover the server's
    # own concurrency: requests, the refresher, the export worker and live reads.
    db_pool_size: int = 20
    db_max_overflow: int = 10
    # Largest `/graphql` body accepted (bytes), and most lexical tokens in one
    # document: both are checked before parsing, so a huge document costs nothing.
    max_body_bytes: int = 1024 * 1024
    max_tokens: int = 5_000
    # Seconds one SQL statement of a request may run (PostgreSQL statement_timeout;
    # an interrupt on SQLite), and one whole request. Background work (refresh,
    # exports, ingest) is not bound by them.
    statement_timeout: float = 5.0
    request_timeout: float = 15.0
    # Where rate-limit counts live: a `limits` storage URI such as
    # redis://127.0.0.1:6379 shared by every process; empty: this process's memory.
    rate_limit_storage: str = ""
    # Requests with a missing or unknown key allowed per client address a minute.
    auth_failure_limit_per_minute: int = 60
    # Seconds between re-checks of an open subscription's key, member and role.
    live_access_check_interval: float = 5.0
    # Seconds a key's viewer is reused without looking the key up again (0: never).
    # Any change to keys, members, groups or plans drops it at once (auth/key_cache.py).
    key_cache_seconds: float = 5.0
    # Answer hot operations from compiled plans (graphql_api/compiled); off: every
    # operation goes through strawberry's executor.
    compiled_operations: bool = True
    # Compiled report answers served from memory until anything they were read from
    # changes (compiled/answers.py); on SQLite, where another process's writes are not
    # seen, for at most this many seconds. 0: every report is read from the database.
    report_cache_seconds: float = 5.0
    # Trusted documents: the operations a client build registered (a manifest read
    # from GRAPHQL_API_TRUSTED_DOCUMENTS, by id); None runs any operation.
    trusted_documents: Mapping[str, str] | None = field(default=None, compare=False)
    # `plan_allowances` over the defaults, parsed once here rather than per request;
    # derived, so `dataclasses.replace(settings, plan_allowances=...)` recomputes it.
    allowances_by_plan: Mapping[str, Mapping[str, int]] = field(
        init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        object.__setattr__(self, "allowances_by_plan", _allowances(self.plan_allowances))

    @property
    def is_production(self) -> bool:
        """Production turns GraphiQL and introspection off and demands a real secret."""
        return self.environment == "production"

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Settings:
        """Read settings from the environment; raise `ConfigError` on a bad value."""
        env = dict(os.environ if environ is None else environ)
        # Read in this order, so that of several bad values the same one is reported.
        kwargs = {
            **_server_settings(env),
            **_limit_settings(env),
            **_export_settings(env),
            **_connection_settings(env),
        }
        return cls(**kwargs)  # type: ignore[arg-type]


def _allowances(raw: str) -> Mapping[str, Mapping[str, int]]:
    try:
        return frozen_allowances(raw)
    except ValueError as exc:
        raise ConfigError(str(exc)) from exc


def _server_settings(env: dict[str, str]) -> dict[str, object]:
    """The database, the environment and the secret."""
    kwargs: dict[str, object] = {}
    if env.get("DATABASE_URL"):
        kwargs["database_url"] = normalise_database_url(env["DATABASE_URL"])
    environment = env.get("GRAPHQL_API_ENV", "development").strip().lower()
    if environment not in {"development", "production", "test"}:
        raise ConfigError(
            f"GRAPHQL_API_ENV must be development, test or production, got {environment!r}"
        )
    kwargs["environment"] = environment
    secret = env.get("GRAPHQL_API_SECRET_KEY", "")
    if secret:
        kwargs["secret_key"] = secret
    elif environment == "production":
        raise ConfigError("GRAPHQL_API_SECRET_KEY must be set in production")
    return kwargs


def _limit_settings(env: dict[str, str]) -> dict[str, object]:
    """Pages, query limits, ingest size, rate limit, refresh, migrations, plans, logs."""
    plan_allowances = env.get("GRAPHQL_API_PLAN_ALLOWANCES", "")
    kwargs: dict[str, object] = {
        "default_page_size": _int(env, "GRAPHQL_API_DEFAULT_PAGE_SIZE", 20),
        "max_page_size": _int(env, "GRAPHQL_API_MAX_PAGE_SIZE", 100),
        "max_query_depth": _int(env, "GRAPHQL_API_MAX_QUERY_DEPTH", 12),
        "max_query_cost": _int(env, "GRAPHQL_API_MAX_QUERY_COST", 25_000),
        "max_aliases": _int(env, "GRAPHQL_API_MAX_ALIASES", 30),
        "max_connections": _int(env, "GRAPHQL_API_MAX_CONNECTIONS", 40),
        "ingest_max_bytes": _int(env, "GRAPHQL_API_INGEST_MAX_BYTES", 64 * 1024 * 1024),
        "rate_limit_per_minute": _int(env, "GRAPHQL_API_RATE_LIMIT_PER_MINUTE", 300),
        "refresh_interval": _int(env, "GRAPHQL_API_REFRESH_INTERVAL", 30),
        "auto_migrate": env.get("GRAPHQL_API_AUTO_MIGRATE", "1") not in {"0", "false"},
        "plan_allowances": plan_allowances,
    }
    # Checked here, before the settings read after it, to report the same error first;
    # the parse is cached, so `Settings.__post_init__` does not repeat it.
    _allowances(plan_allowances)
    kwargs["log_level"] = env.get("GRAPHQL_API_LOG_LEVEL", "INFO").upper()
    return kwargs


def _export_settings(env: dict[str, str]) -> dict[str, object]:
    """Where exports go, how long their links work, and the email that sends them."""
    kwargs: dict[str, object] = {}
    if env.get("GRAPHQL_API_EXPORT_DIR"):
        kwargs["export_dir"] = env["GRAPHQL_API_EXPORT_DIR"]
    export_link_ttl = _int(env, "GRAPHQL_API_EXPORT_LINK_TTL", 3600)
    if export_link_ttl <= 0:
        raise ConfigError("GRAPHQL_API_EXPORT_LINK_TTL must be a positive number of seconds")
    kwargs["export_link_ttl"] = export_link_ttl
    kwargs["public_url"] = env.get("GRAPHQL_API_PUBLIC_URL", "").rstrip("/")
    kwargs["smtp_host"] = env.get("GRAPHQL_API_SMTP_HOST", "")
    kwargs["smtp_port"] = _int(env, "GRAPHQL_API_SMTP_PORT", 25)
    kwargs["smtp_username"] = env.get("GRAPHQL_API_SMTP_USERNAME", "")
    kwargs["smtp_password"] = env.get("GRAPHQL_API_SMTP_PASSWORD", "")
    kwargs["smtp_from"] = env.get("GRAPHQL_API_SMTP_FROM", "graphql-api@localhost")
    kwargs["smtp_starttls"] = env.get("GRAPHQL_API_SMTP_STARTTLS", "0") in {"1", "true"}
    return kwargs


def _connection_settings(env: dict[str, str]) -> dict[str, object]:
    """Browsers, the database pool, request sizes and timeouts, rate-limit storage, live."""
    kwargs: dict[str, object] = {}
    kwargs["cors_origins"] = tuple(
        origin.strip().rstrip("/")
        for origin in env.get("GRAPHQL_API_CORS_ORIGINS", "").split(",")
        if origin.strip()
    )
    db_pool_size = _int(env, "GRAPHQL_API_DB_POOL_SIZE", 20)
    db_max_overflow = _int(env, "GRAPHQL_API_DB_MAX_OVERFLOW", 10)
    if db_pool_size < 1 or db_max_overflow < 0:
        raise ConfigError(
            "GRAPHQL_API_DB_POOL_SIZE must be at least 1 and GRAPHQL_API_DB_MAX_OVERFLOW at least 0"
        )
    kwargs["db_pool_size"], kwargs["db_max_overflow"] = db_pool_size, db_max_overflow
    kwargs["live_poll_interval"] = float(_int(env, "GRAPHQL_API_LIVE_POLL_INTERVAL", 10))
    max_body_bytes = _int(env, "GRAPHQL_API_MAX_BODY_BYTES", 1024 * 1024)
    max_tokens = _int(env, "GRAPHQL_API_MAX_TOKENS", 5_000)
    if max_body_bytes < 1 or max_tokens < 1:
        raise ConfigError(
            "GRAPHQL_API_MAX_BODY_BYTES and GRAPHQL_API_MAX_TOKENS must be at least 1"
        )
    kwargs["max_body_bytes"], kwargs["max_tokens"] = max_body_bytes, max_tokens
    kwargs["statement_timeout"] = _float(env, "GRAPHQL_API_STATEMENT_TIMEOUT", 5.0)
    kwargs["request_timeout"] = _float(env, "GRAPHQL_API_REQUEST_TIMEOUT", 15.0)
    kwargs["rate_limit_storage"] = env.get("GRAPHQL_API_RATE_LIMIT_STORAGE", "").strip()
    kwargs["auth_failure_limit_per_minute"] = _int(
        env, "GRAPHQL_API_AUTH_FAILURE_LIMIT_PER_MINUTE", 60
    )
    kwargs["live_access_check_interval"] = _float(
        env, "GRAPHQL_API_LIVE_ACCESS_CHECK_INTERVAL", 5.0
    )
    kwargs["key_cache_seconds"] = _cache_seconds(env, "GRAPHQL_API_KEY_CACHE_SECONDS", 5.0)
    kwargs["report_cache_seconds"] = _cache_seconds(env, "GRAPHQL_API_REPORT_CACHE_SECONDS", 5.0)
    manifest = env.get("GRAPHQL_API_TRUSTED_DOCUMENTS", "").strip()
    if manifest:
        try:
            kwargs["trusted_documents"] = read_manifest(manifest)
        except ManifestError as exc:
            raise ConfigError(f"GRAPHQL_API_TRUSTED_DOCUMENTS: {exc}") from exc
    compiled = env.get("GRAPHQL_API_COMPILED_OPERATIONS", "1").strip().lower()
    if compiled not in {"1", "true", "0", "false"}:
        raise ConfigError("GRAPHQL_API_COMPILED_OPERATIONS must be 1 or 0")
    kwargs["compiled_operations"] = compiled in {"1", "true"}
    return kwargs
