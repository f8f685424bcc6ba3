"""The demo's audit events: every action at least once, then a random mix."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from graphql_api.demo.names import USER_AGENTS
from graphql_api.demo.team import DAYS, DemoTeam, iso
from graphql_api.domain.audit_actions import ACTIONS


def audit(team: DemoTeam) -> Iterator[dict[str, Any]]:
    """The team's audit events, spread evenly over the 90 days.

    Actions alternate between their dotted code and display name, as ingest
    accepts both; admins act, except on user actions, which any of the first
    twenty users may take.
    """
    spec, t, rng = team.spec, team.t, team.rng
    admins = [u for u in team.users[:5]]
    names = list(ACTIONS)
    total = spec.audit_per_day * DAYS
    for n in range(total):
        # The first pass walks every action so each one appears at least once.
        action = names[n] if n < len(names) else rng.choice(names)
        info = ACTIONS[action]
        actor = rng.choice(admins if info.category.value != "USERS" else team.users[:20])
        target = rng.choice(team.users)
        day = (n * DAYS) // total
        yield {
            "type": "audit_event",
            "id": f"{t}-ae-{n}",
            "team": t,
            "at": iso(team.at(day)),
            "action": info.code if n % 2 else info.display_name,
            "actor": actor["id"],
            "ip": f"203.0.113.{rng.randint(1, 254)}",
            "user_agent": rng.choice(USER_AGENTS),
            "message": f"{actor['name']}: {info.description.rstrip('.')} ({target['email']})",
            "data": {
                "team": {"id": t, "name": spec.name},
                "user": {"id": target["id"], "name": target["name"], "email": target["email"]},
            },
        }
