"""Signed download links: the job and its expiry, signed with the server's secret.

itsdangerous does the signing; a link that was altered in any way fails
verification, and one past its expiry is refused even if its job still has
a file.
"""

from __future__ import annotations

from datetime import UTC, datetime

from itsdangerous import BadSignature, URLSafeSerializer

SALT = "graphql-api.export-download"


class LinkRefused(Exception):
    """The link is tampered with, malformed or expired."""


def _serializer(secret: str) -> URLSafeSerializer:
    return URLSafeSerializer(secret, salt=SALT)


def sign_download(secret: str, job_id: int, expires_at: datetime) -> str:
    """The token of a link to job `job_id`'s file, good until `expires_at`."""
    return _serializer(secret).dumps({"job": job_id, "exp": int(expires_at.timestamp())})


def verify_download(secret: str, token: str, now: datetime) -> int:
    """The job id a valid, unexpired token names; `LinkRefused` otherwise."""
    try:
        payload = _serializer(secret).loads(token)
    except BadSignature as exc:
        raise LinkRefused("bad signature") from exc
    if not isinstance(payload, dict) or not isinstance(payload.get("job"), int):
        raise LinkRefused("malformed")
    expires = payload.get("exp")
    if not isinstance(expires, int) or datetime.fromtimestamp(expires, UTC) <= now:
        raise LinkRefused("expired")
    return int(payload["job"])


def download_path(token: str) -> str:
    """The path the download endpoint serves `token` at."""
    return f"/exports/{token}"
