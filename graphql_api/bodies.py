"""Reading a request body no larger than a limit, without holding more than the limit."""

from __future__ import annotations

from starlette.requests import Request


async def read_limited(request: Request, limit: int) -> bytes | None:
    """The body, or None as soon as it grows past `limit` bytes (the rest is not read).
    Starlette caches what is returned, so later `request.body()` calls get it again."""
    body = bytearray()
    async for chunk in request.stream():
        body.extend(chunk)
        if len(body) > limit:
            return None
    request._body = bytes(body)  # Starlette's own cache of the body
    return request._body
