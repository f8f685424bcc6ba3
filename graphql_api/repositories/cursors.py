"""Opaque, encrypted keyset cursors.

Cursors carry the sort key of a row, never an offset, so pages stay stable
while rows arrive. They are encrypted and authenticated (AES-GCM) with a key
derived from the server's secret: a client can neither read one (a restricted
row's cursor must not reveal its element id) nor forge or alter one. Each
names the connection and ordering it belongs to, so one from another
connection is a BAD_USER_INPUT error rather than a wrong page.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import os
from collections.abc import Sequence
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from graphql_api.errors import BadUserInput

_NONCE_BYTES = 12
# Far beyond the longest cursor we issue (a sort key of a few short values).
MAX_CURSOR_LENGTH = 1024


class CursorCodec:
    """Encodes keyset positions as opaque strings and checks them on the way back."""

    def __init__(self, secret: str) -> None:
        self._aead = AESGCM(hashlib.sha256(("cursor:" + secret).encode()).digest())

    def encode(self, scope: str, values: Sequence[Any]) -> str:
        """A cursor for the row whose sort key is `values` in connection `scope`."""
        payload = json.dumps([scope, list(values)], separators=(",", ":")).encode()
        nonce = os.urandom(_NONCE_BYTES)
        token = nonce + self._aead.encrypt(nonce, payload, None)
        return base64.urlsafe_b64encode(token).decode().rstrip("=")

    def decode(self, scope: str, cursor: str, arity: int, *, argument: str = "cursor") -> list[Any]:
        """The sort key inside `cursor`; BAD_USER_INPUT naming `argument` if it is not one
        of ours for `scope`."""
        # Ours are about 150 characters: a longer one is refused before any work on it.
        if len(cursor) > MAX_CURSOR_LENGTH:
            raise BadUserInput(
                "Malformed cursor: longer than any this server issues.", argument=argument
            )
        try:
            token = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        except (ValueError, binascii.Error) as exc:
            raise BadUserInput("Malformed cursor.", argument=argument) from exc
        if len(token) <= _NONCE_BYTES:
            raise BadUserInput("Malformed cursor.", argument=argument)
        try:
            payload = self._aead.decrypt(token[:_NONCE_BYTES], token[_NONCE_BYTES:], None)
        except InvalidTag as exc:
            raise BadUserInput(
                "Invalid cursor: it was not issued by this server or was altered.",
                argument=argument,
            ) from exc
        try:
            found_scope, values = json.loads(payload)
        except (ValueError, TypeError) as exc:
            raise BadUserInput("Malformed cursor.", argument=argument) from exc
        if found_scope != scope or not isinstance(values, list) or len(values) != arity:
            raise BadUserInput(
                "This cursor belongs to another connection or ordering.", argument=argument
            )
        return values
