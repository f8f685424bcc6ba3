"""The demo's teams, and the state one team's generators share while they run.

Every generator of a team draws from the team's own `random.Random`, in a fixed
order: that order is what makes the same day always give the same data, so a
generator may be moved but its draws not reordered.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

DAYS = 90


@dataclass(frozen=True)
class TeamSpec:
    """The shape of one demo team: its plan, size and daily volumes."""

    id: str
    name: str
    plan: str
    users: int
    requests_per_day: int
    audit_per_day: int


TEAMS = (
    TeamSpec("acme", "Acme Corp", "ENTERPRISE", 40, 320, 40),
    TeamSpec("globex", "Globex", "PROFESSIONAL", 14, 80, 10),
    TeamSpec("initech", "Initech", "FREE", 6, 20, 2),
)
DEMO_ADMIN = ("acme", "acme-u01")  # Ada Lovelace, SUPER_ADMIN
DEMO_DEVELOPER = ("acme", "acme-u09")  # a developer who cannot see every element


def iso(moment: datetime) -> str:
    """A moment as ingest records write it."""
    return moment.isoformat()


class DemoTeam:
    """One team being generated: its spec, random source, and what was made so far.

    The directory fills `users`, `active`, `elements` and `workspaces`; the facts
    and audit events that follow pick from them.
    """

    def __init__(self, spec: TeamSpec, start: datetime, rng: random.Random) -> None:
        self.spec, self.start, self.rng = spec, start, rng
        self.t = spec.id
        self.users: list[dict[str, Any]] = []
        self.active: list[str] = []
        self.elements: dict[str, list[str]] = {}
        self.workspaces: list[tuple[str, str]] = []

    def at(self, day: int) -> datetime:
        """A random moment (working hours, mostly) of day `day` after the start."""
        seconds = int(self.rng.triangular(6 * 3600, 22 * 3600, 14 * 3600))
        return self.start + timedelta(days=day, seconds=seconds)
