"""Emailing an export's link to its requester over SMTP (aiosmtplib)."""

from __future__ import annotations

from datetime import datetime
from email.message import EmailMessage

import aiosmtplib

from graphql_api.config import Settings


def smtp_configured(settings: Settings) -> bool:
    """Email is sent only when an SMTP host is set."""
    return bool(settings.smtp_host)


def link_message(
    settings: Settings, to: str, what: str, url: str, rows: int, expires_at: datetime
) -> EmailMessage:
    """The email: what was exported, the link, and until when it works."""
    message = EmailMessage()
    message["From"] = settings.smtp_from
    message["To"] = to
    message["Subject"] = f"Your export is ready: {what}"
    text = (
        f"Your export of {what} ({rows} rows) is ready.\n\n"
        f"Download it here:\n{url}\n\n"
        f"The link works until {expires_at.isoformat(timespec='seconds')}; after that, "
        "start a new export.\n"
    )
    # Plain 7-bit keeps the link on one line for any reader (quoted-printable
    # would break it with soft line ends).
    message.set_content(text, cte="7bit" if text.isascii() else None)
    return message


async def send(settings: Settings, message: EmailMessage) -> None:
    """Deliver `message` through the configured server; raises on failure."""
    await aiosmtplib.send(
        message,
        hostname=settings.smtp_host,
        port=settings.smtp_port,
        username=settings.smtp_username or None,
        password=settings.smtp_password or None,
        start_tls=settings.smtp_starttls,
        timeout=30,
    )
