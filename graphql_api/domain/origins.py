"""Where a request came from: the part of it the audit log records."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RequestOrigin:
    """Where a request came from, as the audit log records it."""

    ip: str | None = None
    user_agent: str | None = None
