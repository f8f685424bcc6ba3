"""The demo's billing facts: seat changes and monthly invoices."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from graphql_api.demo.team import DAYS, DemoTeam, iso

# Cents per seat and month.
SEAT_PRICES = {"ENTERPRISE": 4900, "PROFESSIONAL": 2900, "BASIC": 1400, "FREE": 0}


def billing(team: DemoTeam) -> Iterator[dict[str, Any]]:
    """Two seat changes (five seats added on day 40), then the invoices issued so far."""
    spec, t = team.spec, team.t
    seats = spec.users - 3
    yield {
        "type": "seat_change",
        "id": f"{t}-seats-0",
        "team": t,
        "at": iso(team.start),
        "seats": seats,
    }
    yield {
        "type": "seat_change",
        "id": f"{t}-seats-1",
        "team": t,
        "at": iso(team.start + timedelta(days=40)),
        "seats": seats + 5,
    }
    yield from _invoices(team, seats)


def _invoices(team: DemoTeam, seats: int) -> Iterator[dict[str, Any]]:
    """One invoice per month of the demo, issued the morning after it ends."""
    t = team.t
    price = SEAT_PRICES[team.spec.plan]
    month = date(team.start.year, team.start.month, 1)
    for k in range(4):
        end = (month.replace(day=28) + timedelta(days=4)).replace(day=1)
        issued = datetime.combine(end, time(6), tzinfo=UTC)
        if issued > team.start + timedelta(days=DAYS):
            break
        status = "PAID" if k < 2 else "OPEN"
        yield {
            "type": "invoice",
            "id": f"{t}-inv-{k}",
            "team": t,
            "at": iso(issued),
            "number": f"INV-{t.upper()}-{month:%Y%m}",
            "period_start": month.isoformat(),
            "period_end": (end - timedelta(days=1)).isoformat(),
            "amount_cents": price * (seats + (5 if k >= 2 else 0)),
            "currency": "USD",
            "status": status,
        }
        month = end
