"""A realistic, deterministic demo dataset, produced as ingest records.

Three teams on different plans; members with every role, groups, invites and
removals; workspaces of every visibility; APIs, collections, environments,
mock servers and monitors with grants to users and groups; 90 days of
requests from every source, test and monitor runs, content events, security
findings, token alerts, public stats, billing facts, and thousands of audit
events covering every action. The same day always gives the same data.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from graphql_api.domain.audit_actions import ACTIONS

DAYS = 90
FIRST_NAMES = [
    "Ada",
    "Grace",
    "Alan",
    "Linus",
    "Margaret",
    "Dennis",
    "Barbara",
    "Ken",
    "Radia",
    "Guido",
    "Frances",
    "Edsger",
    "Hedy",
    "Tim",
    "Katherine",
    "John",
    "Sophie",
    "Niklaus",
    "Anita",
    "Bjarne",
    "Shafi",
    "Donald",
    "Lynn",
    "Vint",
    "Mary",
    "Leslie",
    "Joan",
    "Brian",
    "Annie",
    "Bob",
    "Carol",
    "Dave",
    "Erin",
    "Frank",
    "Gail",
    "Heidi",
    "Ivan",
    "Judy",
    "Mallory",
    "Niaj",
]
LAST_NAMES = [
    "Lovelace",
    "Hopper",
    "Turing",
    "Torvalds",
    "Hamilton",
    "Ritchie",
    "Liskov",
    "Thompson",
    "Perlman",
    "van Rossum",
    "Allen",
    "Dijkstra",
    "Lamarr",
    "Berners-Lee",
    "Johnson",
    "McCarthy",
    "Wilson",
    "Wirth",
    "Borg",
    "Stroustrup",
    "Goldwasser",
    "Knuth",
    "Conway",
    "Cerf",
    "Keller",
    "Lamport",
    "Clarke",
    "Kernighan",
    "Easley",
    "Kahn",
    "Shaw",
    "Clark",
    "Gray",
    "Stone",
    "Rhodes",
    "Lamb",
    "Petrov",
    "Moss",
    "Vance",
    "Patel",
]
USER_AGENTS = [
    "PostmanRuntime/7.36.0",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_1) AppleWebKit/605.1.15 Safari/605.1.15",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/120.0 Safari/537.36",
    "Postman/10.21.0 (Linux x86_64)",
]
TIMEZONES = ["Europe/London", "America/New_York", "Asia/Kolkata", "Europe/Berlin", None]


@dataclass(frozen=True)
class TeamSpec:
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


def _iso(moment: datetime) -> str:
    return moment.isoformat()


class _Team:
    """Generates one team's records."""

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

    def directory(self) -> Iterator[dict[str, Any]]:
        spec, t, rng = self.spec, self.t, self.rng
        yield {"type": "team", "id": t, "name": spec.name, "slug": t, "plan": spec.plan}
        offset = {"acme": 0, "globex": 11, "initech": 23}[t]
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
            self.users.append(user)
            yield user
        for n, user in enumerate(self.users, start=1):
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
            joined = self.start + timedelta(days=rng.randint(0, 30) if n > 3 else 0)
            member = {
                "type": "membership",
                "id": f"{t}-m{n:02d}",
                "team": t,
                "user": user["id"],
                "roles": roles,
                "status": status,
                "at": _iso(joined),
            }
            if n > 1:
                member["invited_by"] = self.users[0]["id"]
            if status == "ACTIVE":
                self.active.append(user["id"])
            yield member
        groups = [
            ("platform", "Platform Engineering", ["DEVELOPER"]),
            ("security", "Security", ["DEVELOPER"]),
            ("finance", "Finance", ["BILLING"]),
        ]
        for gid, name, roles in groups:
            yield {"type": "group", "id": f"{t}-g-{gid}", "team": t, "name": name, "roles": roles}
        for n, uid in enumerate(self.active[9:], start=0):
            group = groups[n % 2][0]
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
            "user": self.users[3]["id"],
        }
        yield from self._workspaces()

    def _workspaces(self) -> Iterator[dict[str, Any]]:
        t, rng = self.t, self.rng
        spaces = [
            ("public", "Public APIs", "PUBLIC"),
            ("team", "Team Space", "TEAM"),
            ("payments", "Payments", "PRIVATE"),
            ("identity", "Identity", "PRIVATE"),
            ("partners", "Partner Integrations", "PRIVATE"),
            ("scratch", f"{self.users[0]['name']}'s Scratchpad", "PERSONAL"),
        ]
        topics = {
            "public": ["Catalog", "Weather"],
            "team": ["Orders", "Inventory", "Search"],
            "payments": ["Payments", "Refunds"],
            "identity": ["Accounts", "Tokens"],
            "partners": ["Partner Sync"],
            "scratch": ["Experiments"],
        }
        for key, name, visibility in spaces:
            wid = f"{t}-w-{key}"
            self.workspaces.append((wid, visibility))
            yield {
                "type": "workspace",
                "id": wid,
                "team": t,
                "name": name,
                "visibility": visibility,
            }
            for topic in topics[key]:
                slug = topic.lower().replace(" ", "-")
                created = _iso(self.start + timedelta(days=rng.randint(0, 10)))
                author = rng.choice(self.active[:12])
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
                    self.elements.setdefault(kind, []).append(eid)
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
                yield {
                    "type": "api_link",
                    "id": f"{api}-docs",
                    "api": api,
                    "collection": docs,
                    "relation": "DOCUMENTATION",
                }
                if topic not in ("Experiments", "Partner Sync"):
                    yield {
                        "type": "api_link",
                        "id": f"{api}-tests",
                        "api": api,
                        "collection": tests,
                        "relation": "TEST",
                    }
                    yield {
                        "type": "api_link",
                        "id": f"{api}-monitor",
                        "api": api,
                        "collection": tests,
                        "relation": "MONITOR",
                    }
        # Private workspaces: admins and groups get in by grant; the demo developer
        # (user 9) sees Identity and one Payments API only.
        yield {
            "type": "grant",
            "id": f"{t}-gr-pay-admins",
            "subject": self.users[0]["id"],
            "subject_type": "USER",
            "resource": f"{t}-w-payments",
            "role": "ADMIN",
        }
        for key in ("payments", "identity", "partners"):
            yield {
                "type": "grant",
                "id": f"{t}-gr-{key}-platform",
                "subject": f"{t}-g-platform",
                "subject_type": "GROUP",
                "resource": f"{t}-w-{key}",
                "role": "EDITOR",
            }
        yield {
            "type": "grant",
            "id": f"{t}-gr-identity-sec",
            "subject": f"{t}-g-security",
            "subject_type": "GROUP",
            "resource": f"{t}-w-identity",
            "role": "VIEWER",
        }
        yield {
            "type": "grant",
            "id": f"{t}-gr-scratch",
            "subject": self.users[0]["id"],
            "subject_type": "USER",
            "resource": f"{t}-w-scratch",
            "role": "ADMIN",
        }
        dev = self.users[8]["id"] if len(self.users) > 8 else self.users[-1]["id"]
        yield {
            "type": "grant",
            "id": f"{t}-gr-dev-identity",
            "subject": dev,
            "subject_type": "USER",
            "resource": f"{t}-w-identity",
            "role": "EDITOR",
        }
        yield {
            "type": "grant",
            "id": f"{t}-gr-dev-refunds",
            "subject": dev,
            "subject_type": "USER",
            "resource": f"{t}-api-refunds",
            "role": "VIEWER",
        }

    def facts(self) -> Iterator[dict[str, Any]]:
        spec, t, rng = self.spec, self.t, self.rng
        collections = self.elements["COLLECTION"]
        apis = self.elements["API"]
        sources = ["REQUEST_BUILDER"] * 6 + [
            "NEWMAN",
            "COLLECTION_RUN",
            "COLLECTION_RUN",
            "MONITOR",
        ]
        n = 0
        for day in range(DAYS):
            weekday = (self.start + timedelta(days=day)).weekday()
            volume = int(
                spec.requests_per_day * (0.35 if weekday >= 5 else 1.0) * rng.uniform(0.8, 1.2)
            )
            for _ in range(volume):
                n += 1
                col = rng.choice(collections)
                api = col.replace("-col-", "-api-").removesuffix("-tests")
                status = rng.choices(
                    [200, 201, 204, 301, 400, 401, 404, 429, 500, 503],
                    [60, 8, 4, 2, 6, 3, 6, 2, 3, 1],
                )[0]
                yield {
                    "type": "request",
                    "id": f"{t}-req-{n}",
                    "team": t,
                    "at": _iso(self.at(day)),
                    "user": rng.choice(self.active),
                    "source": rng.choice(sources),
                    "collection": col,
                    "api": api if api in apis else None,
                    "method": rng.choice(["GET", "GET", "GET", "POST", "PUT", "DELETE"]),
                    "status": status,
                    "response_time_ms": int(rng.lognormvariate(5, 0.6)),
                    "response_size_bytes": int(rng.lognormvariate(7.5, 1.0)),
                }
            for col in collections:
                if col.endswith("-tests") and rng.random() < 0.6:
                    failed = rng.choices([0, 0, 0, 1, 2, 5], k=1)[0]
                    yield {
                        "type": "test_run",
                        "id": f"{t}-tr-{col}-{day}",
                        "team": t,
                        "at": _iso(self.at(day)),
                        "source": rng.choice(["COLLECTION_RUN", "NEWMAN", "MONITOR"]),
                        "collection": col,
                        "passed": rng.randint(5, 40),
                        "failed": failed,
                    }
            for monitor in self.elements["MONITOR"]:
                for hour in range(0, 24, 3):
                    moment = self.start + timedelta(days=day, hours=hour, minutes=7)
                    yield {
                        "type": "monitor_run",
                        "id": f"{t}-mr-{monitor}-{day}-{hour}",
                        "team": t,
                        "at": _iso(moment),
                        "monitor": monitor,
                        "success": rng.random() > 0.03,
                        "response_time_ms": int(rng.lognormvariate(5.3, 0.4)),
                    }
            for k in range(rng.randint(2, 8)):
                kind = rng.choice(["API", "COLLECTION", "COLLECTION", "ENVIRONMENT"])
                yield {
                    "type": "content_event",
                    "id": f"{t}-ce-{day}-{k}",
                    "team": t,
                    "at": _iso(self.at(day)),
                    "user": rng.choice(self.active),
                    "element": rng.choice(self.elements[kind]),
                    "action": rng.choices(
                        ["CREATED", "UPDATED", "DELETED", "FORKED", "MERGED", "COMMENTED"],
                        [2, 10, 1, 2, 1, 3],
                    )[0],
                }
            if rng.random() < 0.5:
                found = self.at(day)
                resolved = found + timedelta(days=rng.randint(1, 20))
                finding = {
                    "type": "security_finding",
                    "id": f"{t}-sf-{day}",
                    "team": t,
                    "at": _iso(found),
                    "element": rng.choice(apis),
                    "rule": rng.choice(
                        [
                            "Missing authentication",
                            "Weak TLS",
                            "Sensitive data in URL",
                            "No rate limiting",
                            "Broken object level authorization",
                        ]
                    ),
                    "severity": rng.choice(["LOW", "MEDIUM", "MEDIUM", "HIGH", "CRITICAL"]),
                }
                if day + (resolved - found).days < DAYS and rng.random() < 0.6:
                    finding["resolved_at"] = _iso(resolved)
                yield finding
            if rng.random() < 0.12:
                yield {
                    "type": "token_alert",
                    "id": f"{t}-ta-{day}",
                    "team": t,
                    "at": _iso(self.at(day)),
                    "workspace": rng.choice(self.workspaces)[0],
                    "token_type": rng.choice(
                        ["GitHub Token", "AWS Access Key", "Postman API Key", "Stripe Secret Key"]
                    ),
                }
            for wid, visibility in self.workspaces:
                if visibility == "PUBLIC":
                    yield {
                        "type": "public_stat",
                        "id": f"{t}-ps-{wid}-{day}",
                        "team": t,
                        "at": _iso(self.start + timedelta(days=day, hours=23)),
                        "workspace": wid,
                        "views": rng.randint(20, 400),
                        "watches": rng.randint(0, 6),
                        "forks": rng.randint(0, 3),
                    }
            for resource, base in (
                ("MONITOR_REQUESTS", 900),
                ("MOCK_REQUESTS", 400),
                ("POSTMAN_API_CALLS", 600),
            ):
                yield {
                    "type": "usage",
                    "id": f"{t}-us-{resource}-{day}",
                    "team": t,
                    "at": _iso(self.start + timedelta(days=day, hours=23, minutes=30)),
                    "resource": resource,
                    "quantity": int(base * rng.uniform(0.5, 1.6)),
                }
        yield from self._billing()

    def _billing(self) -> Iterator[dict[str, Any]]:
        spec, t = self.spec, self.t
        seats = spec.users - 3
        yield {
            "type": "seat_change",
            "id": f"{t}-seats-0",
            "team": t,
            "at": _iso(self.start),
            "seats": seats,
        }
        yield {
            "type": "seat_change",
            "id": f"{t}-seats-1",
            "team": t,
            "at": _iso(self.start + timedelta(days=40)),
            "seats": seats + 5,
        }
        price = {"ENTERPRISE": 4900, "PROFESSIONAL": 2900, "BASIC": 1400, "FREE": 0}[spec.plan]
        month = date(self.start.year, self.start.month, 1)
        for k in range(4):
            end = (month.replace(day=28) + timedelta(days=4)).replace(day=1)
            issued = datetime.combine(end, time(6), tzinfo=UTC)
            if issued > self.start + timedelta(days=DAYS):
                break
            status = "PAID" if k < 2 else "OPEN"
            yield {
                "type": "invoice",
                "id": f"{t}-inv-{k}",
                "team": t,
                "at": _iso(issued),
                "number": f"INV-{t.upper()}-{month:%Y%m}",
                "period_start": month.isoformat(),
                "period_end": (end - timedelta(days=1)).isoformat(),
                "amount_cents": price * (seats + (5 if k >= 2 else 0)),
                "currency": "USD",
                "status": status,
            }
            month = end

    def audit(self) -> Iterator[dict[str, Any]]:
        spec, t, rng = self.spec, self.t, self.rng
        admins = [u for u in self.users[:5]]
        names = list(ACTIONS)
        total = spec.audit_per_day * DAYS
        for n in range(total):
            # The first pass walks every action so each one appears at least once.
            action = names[n] if n < len(names) else rng.choice(names)
            info = ACTIONS[action]
            actor = rng.choice(admins if info.category.value != "USERS" else self.users[:20])
            target = rng.choice(self.users)
            day = (n * DAYS) // total
            yield {
                "type": "audit_event",
                "id": f"{t}-ae-{n}",
                "team": t,
                "at": _iso(self.at(day)),
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


def demo_start(today: date) -> datetime:
    """The first instant of the demo's 90 days, which end at the start of `today` (UTC)."""
    return datetime.combine(today, time(0), tzinfo=UTC) - timedelta(days=DAYS)


def demo_records(today: date | None = None) -> Iterator[dict[str, Any]]:
    """Every demo record: all entities first, then facts, then audit events."""
    start = demo_start(today or datetime.now(UTC).date())
    teams = [_Team(spec, start, random.Random(f"{spec.id}-demo")) for spec in TEAMS]
    for team in teams:
        yield from team.directory()
    for team in teams:
        yield from team.facts()
        yield from team.audit()
