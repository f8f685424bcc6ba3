"""The demo's directory records: the team, its users, memberships and groups."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

from graphql_api.demo.names import FIRST_NAMES, LAST_NAMES, TIMEZONES
from graphql_api.demo.team import DemoTeam, TeamSpec, iso
from graphql_api.demo.workspaces import workspaces

# Where each team starts in the name lists, so the teams' people differ.
NAME_OFFSETS = {"acme": 0, "globex": 11, "initech": 23}
GROUPS = [
    ("platform", "Platform Engineering", ["DEVELOPER"]),
    ("security", "Security", ["DEVELOPER"]),
    ("finance", "Finance", ["BILLING"]),
]


def directory(team: DemoTeam) -> Iterator[dict[str, Any]]:
    """The team, its people and groups, then its workspaces and what they hold."""
    spec, t = team.spec, team.t
    yield {"type": "team", "id": t, "name": spec.name, "slug": t, "plan": spec.plan}
    yield from _users(team)
    yield from _memberships(team)
    yield from _groups(team)
    yield from workspaces(team)


def _users(team: DemoTeam) -> Iterator[dict[str, Any]]:
    spec, t = team.spec, team.t
    offset = NAME_OFFSETS[t]
    for n in range(1, spec.users + 1):
        first = FIRST_NAMES[(n - 1 + offset) % len(FIRST_NAMES)]
        last = LAST_NAMES[(n - 1 + offset * 3) % len(LAST_NAMES)]
        uid = f"{t}-u{n:02d}"
        user: dict[str, Any] = {
            "type": "user",
            "id": uid,
            "name": f"{first} {last}",
            "username": f"{first.lower()}.{last.lower().replace(' ', '')}",
            "email": f"{first.lower()}@{t}.example",
            "timezone": TIMEZONES[n % 5],
        }
        team.users.append(user)
        yield user


def _roles_and_status(spec: TeamSpec, n: int) -> tuple[list[str], str]:
    """User `n`'s roles and status: admins first, then billing, community, developers."""
    roles, status = ["DEVELOPER"], "ACTIVE"
    if n == 1:
        roles = ["SUPER_ADMIN"] if spec.plan == "ENTERPRISE" else ["ADMIN"]
    elif n <= 3:
        roles = ["ADMIN"]
    elif n == 4:
        roles = ["BILLING"]
    elif n == 5:
        roles = ["BILLING", "DEVELOPER"]
    elif n in (6, 7):
        roles = ["COMMUNITY_MANAGER"]
    if n > spec.users - 3 and spec.users > 10:
        status = "INVITED"
    elif n > spec.users - 5 and spec.users > 10:
        status = "REMOVED"
    return roles, status


def _memberships(team: DemoTeam) -> Iterator[dict[str, Any]]:
    spec, t, rng = team.spec, team.t, team.rng
    for n, user in enumerate(team.users, start=1):
        roles, status = _roles_and_status(spec, n)
        joined = team.start + timedelta(days=rng.randint(0, 30) if n > 3 else 0)
        member = {
            "type": "membership",
            "id": f"{t}-m{n:02d}",
            "team": t,
            "user": user["id"],
            "roles": roles,
            "status": status,
            "at": iso(joined),
        }
        if n > 1:
            member["invited_by"] = team.users[0]["id"]
        if status == "ACTIVE":
            team.active.append(user["id"])
        yield member


def _groups(team: DemoTeam) -> Iterator[dict[str, Any]]:
    t = team.t
    for gid, name, roles in GROUPS:
        yield {"type": "group", "id": f"{t}-g-{gid}", "team": t, "name": name, "roles": list(roles)}
    for n, uid in enumerate(team.active[9:], start=0):
        group = GROUPS[n % 2][0]
        yield {
            "type": "group_member",
            "id": f"{t}-gm-{uid}",
            "group": f"{t}-g-{group}",
            "user": uid,
        }
    yield {
        "type": "group_member",
        "id": f"{t}-gm-fin",
        "group": f"{t}-g-finance",
        "user": team.users[3]["id"],
    }
