"""Opaque, signed keyset cursors.

Cursors carry the sort key of a row, never an offset, so pages stay stable
while rows arrive. They are signed with the server's secret and name the
connection and ordering they belong to: a tampered cursor, or one from
another connection, is a BAD_USER_INPUT error rather than a wrong page.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
from collections.abc import Sequence
from typing import Any

from graphql_api.errors import BadUserInput


class CursorCodec:
    """Encodes keyset positions as opaque strings and checks them on the way back."""

    def __init__(self, secret: str) -> None:
        self._key = hashlib.sha256(("cursor:" + secret).encode()).digest()

    def _sign(self, payload: bytes) -> str:
        mac = hmac.new(self._key, payload, hashlib.sha256).digest()[:12]
        return base64.urlsafe_b64encode(mac).decode().rstrip("=")

    def encode(self, scope: str, values: Sequence[Any]) -> str:
        """A cursor for the row whose sort key is `values` in connection `scope`."""
        payload = json.dumps([scope, list(values)], separators=(",", ":")).encode()
        body = base64.urlsafe_b64encode(payload).decode().rstrip("=")
        return f"{body}.{self._sign(payload)}"

    def decode(self, scope: str, cursor: str, arity: int) -> list[Any]:
        """The sort key inside `cursor`; BAD_USER_INPUT if it is not one of ours for `scope`."""
        try:
            body, signature = cursor.split(".", 1)
            payload = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
        except (ValueError, binascii.Error) as exc:
            raise BadUserInput("Malformed cursor.", argument="cursor") from exc
        if not hmac.compare_digest(signature, self._sign(payload)):
            raise BadUserInput("Invalid cursor: it was not issued by this server or was altered.")
        try:
            found_scope, values = json.loads(payload)
        except (ValueError, TypeError) as exc:
            raise BadUserInput("Malformed cursor.") from exc
        if found_scope != scope or not isinstance(values, list) or len(values) != arity:
            raise BadUserInput("This cursor belongs to another connection or ordering.")
        return values
