"""Generating and hashing credentials.

Keys are 256-bit random tokens, so a single SHA-256 is the right hash (as for
GitHub tokens): a slow password hash buys nothing against a guess space of
2**256 and would cost every request.
"""

from __future__ import annotations

import hashlib
import secrets

API_KEY_PREFIX = "gqa_"
SERVICE_TOKEN_PREFIX = "gqs_"


def new_secret(prefix: str) -> str:
    """A fresh credential: a recognisable prefix and 43 url-safe random characters."""
    return prefix + secrets.token_urlsafe(32)


def hash_secret(secret: str) -> str:
    """The stored form of a credential."""
    return hashlib.sha256(secret.encode()).hexdigest()
