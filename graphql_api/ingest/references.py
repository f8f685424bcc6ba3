"""Which records refer to which, and the lookup of referred entities in bulk.

Every reference must name an entity in the batch or in the database, and a
team-scoped entity must belong to the referring record's team: a fact for
team A can never point at team B's element.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import literal, select
from sqlalchemy.ext.asyncio import AsyncSession

from graphql_api.db.models import Element, Group, SecurityFinding, Team, User, Workspace

_CHUNK = 500


@dataclass(frozen=True)
class UserInfo:
    name: str
    username: str
    email: str


@dataclass(frozen=True)
class ElementInfo:
    team_id: str
    kind: str


@dataclass
class Known:
    """Entities a batch may refer to: those it defines (latest version) and those stored."""

    teams: set[str] = field(default_factory=set)
    users: dict[str, UserInfo] = field(default_factory=dict)
    groups: dict[str, str] = field(default_factory=dict)  # id -> team
    workspaces: dict[str, str] = field(default_factory=dict)  # id -> team
    elements: dict[str, ElementInfo] = field(default_factory=dict)


def _chunks(ids: Iterable[str]) -> Iterable[list[str]]:
    items = sorted(set(ids))
    for start in range(0, len(items), _CHUNK):
        yield items[start : start + _CHUNK]


async def load_stored(
    session: AsyncSession,
    known: Known,
    *,
    teams: set[str],
    users: set[str],
    groups: set[str],
    workspaces: set[str],
    elements: set[str],
) -> None:
    """Fill `known` with stored entities among the given ids that the batch does not define."""
    for chunk in _chunks(teams - known.teams):
        known.teams.update(await session.scalars(select(Team.id).where(Team.id.in_(chunk))))
    for chunk in _chunks(users - known.users.keys()):
        users_found = await session.execute(
            select(User.id, User.name, User.username, User.email).where(User.id.in_(chunk))
        )
        for uid, name, username, email in users_found:
            known.users[uid] = UserInfo(name, username, email)
    for chunk in _chunks(groups - known.groups.keys()):
        rows = await session.execute(select(Group.id, Group.team_id).where(Group.id.in_(chunk)))
        known.groups.update({key: value for key, value in rows})
    for chunk in _chunks(workspaces - known.workspaces.keys()):
        rows = await session.execute(
            select(Workspace.id, Workspace.team_id).where(Workspace.id.in_(chunk))
        )
        known.workspaces.update({key: value for key, value in rows})
    for chunk in _chunks(elements - known.elements.keys()):
        elements_found = await session.execute(
            select(Element.id, Element.team_id, Element.kind).where(Element.id.in_(chunk))
        )
        for eid, team_id, kind in elements_found:
            known.elements[eid] = ElementInfo(team_id, kind)


async def stored_teams_of(
    session: AsyncSession, model: type[Group] | type[Workspace] | type[Element], ids: set[str]
) -> dict[str, str]:
    """The team each already-stored entity among `ids` belongs to (to refuse moves)."""
    found: dict[str, str] = {}
    for chunk in _chunks(ids):
        rows = await session.execute(select(model.id, model.team_id).where(model.id.in_(chunk)))
        found.update({key: value for key, value in rows})
    return found


async def stored_resolutions(connection: Any, model: Any, ids: set[str]) -> dict[str, Any]:
    """Stored findings (or token alerts) among `ids`: team, subject, label, severity and
    whether they were resolved already."""
    finding = model is SecurityFinding
    subject = model.element_id if finding else model.workspace_id
    label = model.rule if finding else model.token_type
    severity = model.severity if finding else literal(None)
    found: dict[str, Any] = {}
    for chunk in _chunks(ids):
        rows = await connection.execute(
            select(
                model.ext_id,
                model.team_id,
                model.resolved_at,
                subject.label("subject"),
                label.label("label"),
                severity.label("severity"),
            ).where(model.ext_id.in_(chunk))
        )
        found.update({row.ext_id: row for row in rows})
    return found
