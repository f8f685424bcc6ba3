"""Reading a credential from request headers: `X-Api-Key` or `Authorization: Bearer`."""

from __future__ import annotations

from collections.abc import Mapping


def presented_secret(
    headers: Mapping[str, str], *, allow_api_key_header: bool = True
) -> str | None:
    """The credential in the headers, if any. Cookies are never read
    (docs/concepts.md#teams-viewers-and-api-keys)."""
    if allow_api_key_header:
        key = headers.get("x-api-key", "").strip()
        if key:
            return key
    scheme, _, token = headers.get("authorization", "").partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return token.strip()
    return None
