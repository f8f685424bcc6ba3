"""Which records refer to which, and the lookup of referred entities in bulk.

Every reference must name an entity in the batch or in the database, and a
team-scoped entity must belong to the referring record's team: a fact for
team A can never point at team B's element.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from enum import Enum
from operator import attrgetter
from typing import Any, ClassVar, Literal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from graphql_api.db.models import Element, Group, Team, User, Workspace
from graphql_api.domain.enums import ElementKind, ResourceType

_CHUNK = 500

# The kinds of entity a record may name.
Kind = Literal["team", "user", "group", "workspace", "element"]


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

    def learn(self, kind: Kind, records: Iterable[Any]) -> None:
        """Add the entities of `kind` that a batch defines."""
        for rec in records:
            if kind == "team":
                self.teams.add(rec.id)
            elif kind == "user":
                self.users[rec.id] = UserInfo(rec.name, rec.username, rec.email)
            elif kind == "element":
                self.elements[rec.id] = ElementInfo(rec.team, rec.kind)
            else:
                (self.groups if kind == "group" else self.workspaces)[rec.id] = rec.team

    def team_of(self, kind: Kind, rid: str) -> str | None:
        """The team of a known group, workspace or element; None when it is not known."""
        if kind == "element":
            info = self.elements.get(rid)
            return info.team_id if info else None
        return (self.groups if kind == "group" else self.workspaces).get(rid)


class Halt(Enum):
    """A reference left the record's team unknown: its other references go unchecked."""

    HALT = "halt"


@dataclass(frozen=True)
class Ref:
    """A field naming an entity of `kind`, defined in the batch or stored."""

    field: str
    kind: Kind
    # An element must be of one of these kinds (any, when empty).
    element_kinds: tuple[ElementKind, ...] = ()
    # The record has no `team` of its own: it is in this entity's team, and so
    # must be what its later references name.
    gives_team: bool = False
    # Only when this field has this value (a grant's subject is a user or a group).
    when: tuple[str, str] | None = None

    @property
    def kinds(self) -> tuple[Kind, ...]:
        """The kinds of entity the field may name."""
        return (self.kind,)

    @property
    def reads(self) -> tuple[str, ...]:
        """The record fields the check reads."""
        return (self.field,) if self.when is None else (self.field, self.when[0])

    def wanted(self, records: list[Any]) -> Iterator[tuple[Kind, set[str]]]:
        """The ids the records name, to look up among the stored entities."""
        if self.when is None:
            ids = set(map(attrgetter(self.field), records))
        else:
            name, value = self.when
            ids = {getattr(rec, self.field) for rec in records if getattr(rec, name) == value}
        ids.discard(None)
        yield self.kind, ids

    def check(self, rec: Any, known: Known, team: str | None, problems: list[str]) -> str | None:
        """Add why the reference does not hold to `problems`; return the record's team."""
        value = getattr(rec, self.field)
        if value is None or (self.when is not None and getattr(rec, self.when[0]) != self.when[1]):
            return team
        if self.kind in ("team", "user"):
            if value not in (known.teams if self.kind == "team" else known.users):
                problems.append(f"`{self.field}`: unknown {self.kind} {value!r}")
            return team
        owner = known.team_of(self.kind, value)
        if owner is None:
            problems.append(f"`{self.field}`: unknown {self.kind} {value!r}")
        elif team is not None and owner != team:
            problems.append(f"`{self.field}`: {self.kind} {value!r} belongs to another team")
        info = known.elements.get(value) if self.element_kinds else None
        if info is not None and info.kind not in {k.value for k in self.element_kinds}:
            wanted = " or ".join(k.value for k in self.element_kinds)
            problems.append(
                f"`{self.field}`: element {value!r} is of kind {info.kind}, not {wanted}"
            )
        return owner if self.gives_team else team

    def team(self, rec: Any, known: Known) -> str:
        """The team of the (checked) entity the record names."""
        owner = known.team_of(self.kind, getattr(rec, self.field))
        assert owner is not None, "written only after the references were checked"
        return owner


@dataclass(frozen=True)
class WorkspaceOrElement:
    """A field naming a workspace or an element (a grant's resource); `kind_field` says
    which when both share the id.

    The record is in that entity's team. When the field names neither, or both
    and the record does not say which, its other references go unchecked.
    """

    field: str
    kind_field: str
    gives_team: ClassVar[bool] = True
    kinds: ClassVar[tuple[Kind, ...]] = ("workspace", "element")

    @property
    def reads(self) -> tuple[str, ...]:
        """The record fields the check reads."""
        return (self.field, self.kind_field)

    def wanted(self, records: list[Any]) -> Iterator[tuple[Kind, set[str]]]:
        """The ids the records name, to look up among the stored entities."""
        ids = set(map(attrgetter(self.field), records))
        for kind in self.kinds:
            yield kind, ids

    def check(
        self, rec: Any, known: Known, team: str | None, problems: list[str]
    ) -> str | Halt | None:
        """Add why the reference does not hold to `problems`; return the record's team."""
        rid, chosen = getattr(rec, self.field), getattr(rec, self.kind_field)
        in_workspaces, in_elements = rid in known.workspaces, rid in known.elements
        if chosen is None and in_workspaces and in_elements:
            problems.append(
                f"`{self.field}`: {rid!r} names both a workspace and an element; "
                f"add `{self.kind_field}`"
            )
            return Halt.HALT
        if chosen == ResourceType.WORKSPACE or (chosen is None and in_workspaces):
            team = known.team_of("workspace", rid)
        elif chosen == ResourceType.ELEMENT or (chosen is None and in_elements):
            team = known.team_of("element", rid)
        if team is None:
            problems.append(f"`{self.field}`: unknown workspace or element {rid!r}")
            return Halt.HALT
        return team

    def resource_type(self, rec: Any, known: Known) -> ResourceType:
        """Which kind of entity the (checked) field names."""
        chosen = getattr(rec, self.kind_field)
        if chosen is not None:
            return ResourceType(chosen)
        in_workspaces = getattr(rec, self.field) in known.workspaces
        return ResourceType.WORKSPACE if in_workspaces else ResourceType.ELEMENT

    def team(self, rec: Any, known: Known) -> str:
        """The team of the (checked) entity the record names."""
        rid = getattr(rec, self.field)
        if self.resource_type(rec, known) == ResourceType.WORKSPACE:
            return known.workspaces[rid]
        return known.elements[rid].team_id


Reference = Ref | WorkspaceOrElement


def chunks(ids: Iterable[str]) -> Iterable[list[str]]:
    """The distinct ids, sorted, in lists short enough for one `IN (...)`."""
    items = sorted(set(ids))
    for start in range(0, len(items), _CHUNK):
        yield items[start : start + _CHUNK]


async def load_stored(session: AsyncSession, known: Known, wanted: dict[Kind, set[str]]) -> None:
    """Fill `known` with stored entities among the wanted ids that the batch does not define."""
    for chunk in chunks(wanted.get("team", set()) - known.teams):
        known.teams.update(await session.scalars(select(Team.id).where(Team.id.in_(chunk))))
    for chunk in chunks(wanted.get("user", set()) - known.users.keys()):
        users_found = await session.execute(
            select(User.id, User.name, User.username, User.email).where(User.id.in_(chunk))
        )
        for uid, name, username, email in users_found:
            known.users[uid] = UserInfo(name, username, email)
    for chunk in chunks(wanted.get("group", set()) - known.groups.keys()):
        rows = await session.execute(select(Group.id, Group.team_id).where(Group.id.in_(chunk)))
        known.groups.update({key: value for key, value in rows})
    for chunk in chunks(wanted.get("workspace", set()) - known.workspaces.keys()):
        rows = await session.execute(
            select(Workspace.id, Workspace.team_id).where(Workspace.id.in_(chunk))
        )
        known.workspaces.update({key: value for key, value in rows})
    for chunk in chunks(wanted.get("element", set()) - known.elements.keys()):
        elements_found = await session.execute(
            select(Element.id, Element.team_id, Element.kind).where(Element.id.in_(chunk))
        )
        for eid, team_id, kind in elements_found:
            known.elements[eid] = ElementInfo(team_id, kind)


async def stored_teams_of(session: AsyncSession, model: Any, ids: set[str]) -> dict[str, str]:
    """The team each already-stored entity among `ids` belongs to (to refuse moves)."""
    found: dict[str, str] = {}
    for chunk in chunks(ids):
        rows = await session.execute(select(model.id, model.team_id).where(model.id.in_(chunk)))
        found.update({key: value for key, value in rows})
    return found
