"""The demo's workspaces, the elements in them, their API links and the grants.

Private workspaces hold what only some members may see, so the developer key
`graphql-api demo` prints shows restricted data at work.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

from graphql_api.demo.team import DemoTeam, iso

# Each workspace's topics; a topic becomes an API with its collections, an
# environment, a mock server and a monitor.
TOPICS = {
    "public": ["Catalog", "Weather"],
    "team": ["Orders", "Inventory", "Search"],
    "payments": ["Payments", "Refunds"],
    "identity": ["Accounts", "Tokens"],
    "partners": ["Partner Sync"],
    "scratch": ["Experiments"],
}
# Topics whose API has documentation but neither tests nor a monitor.
UNTESTED_TOPICS = ("Experiments", "Partner Sync")


def workspaces(team: DemoTeam) -> Iterator[dict[str, Any]]:
    """Every workspace with its elements and API links, then the grants into them."""
    t = team.t
    spaces = [
        ("public", "Public APIs", "PUBLIC"),
        ("team", "Team Space", "TEAM"),
        ("payments", "Payments", "PRIVATE"),
        ("identity", "Identity", "PRIVATE"),
        ("partners", "Partner Integrations", "PRIVATE"),
        ("scratch", f"{team.users[0]['name']}'s Scratchpad", "PERSONAL"),
    ]
    for key, name, visibility in spaces:
        wid = f"{t}-w-{key}"
        team.workspaces.append((wid, visibility))
        yield {
            "type": "workspace",
            "id": wid,
            "team": t,
            "name": name,
            "visibility": visibility,
        }
        for topic in TOPICS[key]:
            yield from _topic(team, wid, topic)
    yield from _grants(team)


def _topic(team: DemoTeam, wid: str, topic: str) -> Iterator[dict[str, Any]]:
    """One topic's elements in workspace `wid`, and the links from its API."""
    t, rng = team.t, team.rng
    slug = topic.lower().replace(" ", "-")
    created = iso(team.start + timedelta(days=rng.randint(0, 10)))
    author = rng.choice(team.active[:12])
    api, tests, docs = f"{t}-api-{slug}", f"{t}-col-{slug}-tests", f"{t}-col-{slug}"
    kinds = [
        (api, "API", f"{topic} API"),
        (docs, "COLLECTION", f"{topic} API"),
        (tests, "COLLECTION", f"{topic} Tests"),
        (f"{t}-env-{slug}", "ENVIRONMENT", f"{topic} Staging"),
        (f"{t}-mock-{slug}", "MOCK_SERVER", f"{topic} Mock"),
        (f"{t}-mon-{slug}", "MONITOR", f"{topic} Uptime"),
    ]
    runs = {"MONITOR": tests, "MOCK_SERVER": docs}
    for eid, kind, label in kinds:
        team.elements.setdefault(kind, []).append(eid)
        element = {
            "type": "element",
            "id": eid,
            "team": t,
            "workspace": wid,
            "kind": kind,
            "name": label,
            "created_by": author,
            "at": created,
        }
        if kind in runs:
            element["collection"] = runs[kind]
        yield element
    yield from _api_links(api, docs, tests, tested=topic not in UNTESTED_TOPICS)


def _api_links(api: str, docs: str, tests: str, *, tested: bool) -> Iterator[dict[str, Any]]:
    yield {
        "type": "api_link",
        "id": f"{api}-docs",
        "api": api,
        "collection": docs,
        "relation": "DOCUMENTATION",
    }
    if tested:
        for suffix, relation in (("tests", "TEST"), ("monitor", "MONITOR")):
            yield {
                "type": "api_link",
                "id": f"{api}-{suffix}",
                "api": api,
                "collection": tests,
                "relation": relation,
            }


def _grant(gid: str, subject: str, subject_type: str, resource: str, role: str) -> dict[str, Any]:
    return {
        "type": "grant",
        "id": gid,
        "subject": subject,
        "subject_type": subject_type,
        "resource": resource,
        "role": role,
    }


def _grants(team: DemoTeam) -> Iterator[dict[str, Any]]:
    """Admins and groups get into private workspaces by grant; the demo developer
    (user 9) sees Identity and one Payments API only."""
    t, admin = team.t, team.users[0]["id"]
    yield _grant(f"{t}-gr-pay-admins", admin, "USER", f"{t}-w-payments", "ADMIN")
    for key in ("payments", "identity", "partners"):
        yield _grant(f"{t}-gr-{key}-platform", f"{t}-g-platform", "GROUP", f"{t}-w-{key}", "EDITOR")
    yield _grant(f"{t}-gr-identity-sec", f"{t}-g-security", "GROUP", f"{t}-w-identity", "VIEWER")
    yield _grant(f"{t}-gr-scratch", admin, "USER", f"{t}-w-scratch", "ADMIN")
    dev = team.users[8]["id"] if len(team.users) > 8 else team.users[-1]["id"]
    yield _grant(f"{t}-gr-dev-identity", dev, "USER", f"{t}-w-identity", "EDITOR")
    yield _grant(f"{t}-gr-dev-refunds", dev, "USER", f"{t}-api-refunds", "VIEWER")
