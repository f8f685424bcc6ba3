"""Teams, users, memberships, groups, workspaces and elements as GraphQL types.

Types carry the row they were built from; fields that need more data ask a
dataloader or a resolver function, never SQL of their own.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import strawberry
from strawberry import relay

from graphql_api.domain import enums as domain
from graphql_api.errors import Forbidden
from graphql_api.schema.api_keys.connections import ApiKeyConnection, own_api_keys
from graphql_api.schema.context import Info
from graphql_api.schema.directory.enums import ElementKind, MembershipStatus, TeamRole, Visibility
from graphql_api.schema.exports.connections import ExportJobConnection, own_exports


@strawberry.type(description="A person. Reached only through membership of the viewer's team.")
class User(relay.Node):
    id: relay.NodeID[str]
    name: str = strawberry.field(description="Full name.")
    username: str = strawberry.field(description="Unique handle.")
    email: str = strawberry.field(description="Email address.")
    timezone: str | None = strawberry.field(description="IANA time zone, when the user set one.")

    @strawberry.field(
        description="The user's API keys in this team, newest first; revoked ones only when "
        "asked. Only the viewer's own: another user's answer null with FORBIDDEN."
    )
    async def api_keys(
        self,
        info: Info,
        include_revoked: bool = False,
        first: int | None = None,
        after: str | None = None,
    ) -> ApiKeyConnection | None:
        if self.id != info.context.viewer.user_id:
            raise Forbidden("Only your own API keys are listed.")
        return await own_api_keys(info, include_revoked, first, after)

    @strawberry.field(
        description="The exports the user asked for, newest first, with their links while "
        "they work. Only the viewer's own: another user's answer null with FORBIDDEN."
    )
    async def exports(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> ExportJobConnection | None:
        if self.id != info.context.viewer.user_id:
            raise Forbidden("Only your own exports are listed.")
        return await own_exports(info, first, after)

    @classmethod
    def from_row(cls, row: Any) -> User:
        return cls(
            id=row.id, name=row.name, username=row.username, email=row.email, timezone=row.timezone
        )


async def load_user(info: Info, user_id: str | None) -> User | None:
    """A user through the request's batching loader."""
    if user_id is None:
        return None
    row = await info.context.loaders.user_by_id.load(user_id)
    return User.from_row(row) if row is not None else None


@strawberry.type(description="A user's membership of the team: status, roles and history.")
class Membership(relay.Node):
    id: relay.NodeID[str]
    status: MembershipStatus = strawberry.field(description="Active, invited or removed.")
    roles: list[TeamRole] = strawberry.field(description="Team roles held directly.")
    joined_at: datetime | None = strawberry.field(
        description="When the user first became an active member."
    )
    status_changed_at: datetime = strawberry.field(description="When the status last changed.")
    user_id: strawberry.Private[str]
    invited_by_id: strawberry.Private[str | None]

    @strawberry.field(description="The member.")
    async def user(self, info: Info) -> User:
        user = await load_user(info, self.user_id)
        assert user is not None  # a membership's user always exists (foreign key)
        return user

    @strawberry.field(description="Who invited the member, when known.")
    async def invited_by(self, info: Info) -> User | None:
        return await load_user(info, self.invited_by_id)

    @classmethod
    def from_row(cls, row: Any) -> Membership:
        return cls(
            id=row.id,
            status=domain.MembershipStatus(row.status),
            roles=[domain.TeamRole(r) for r in row.roles],
            joined_at=row.joined_at,
            status_changed_at=row.status_at,
            user_id=row.user_id,
            invited_by_id=row.invited_by_id,
        )


@strawberry.type(description="A group of users; its roles and grants apply to its members.")
class Group(relay.Node):
    id: relay.NodeID[str]
    name: str = strawberry.field(description="The group's name.")
    roles: list[TeamRole] = strawberry.field(description="Team roles the group gives its members.")

    @classmethod
    def from_row(cls, row: Any) -> Group:
        return cls(id=row.id, name=row.name, roles=[domain.TeamRole(r) for r in row.roles])


@strawberry.type(description="A workspace the viewer can access.")
class Workspace(relay.Node):
    id: relay.NodeID[str]
    name: str = strawberry.field(description="The workspace's name.")
    visibility: Visibility = strawberry.field(description="Who can see the workspace.")

    @classmethod
    def from_row(cls, row: Any) -> Workspace:
        return cls(id=row.id, name=row.name, visibility=domain.Visibility(row.visibility))


@strawberry.interface(description="Something in a workspace: a collection, API, environment...")
class Element(relay.Node):
    id: relay.NodeID[str]
    kind: ElementKind = strawberry.field(description="What kind of element this is.")
    name: str = strawberry.field(description="The element's name.")
    created_at: datetime = strawberry.field(description="When the element was created.")
    workspace_id: strawberry.Private[str]
    created_by_id: strawberry.Private[str | None]

    @strawberry.field(
        description="The element's workspace; null when the viewer can reach the element "
        "through its own grant but cannot access the workspace."
    )
    async def workspace(self, info: Info) -> Workspace | None:
        found = await info.context.loaders.workspace_by_id.load(self.workspace_id)
        if found is None or not found[1]:
            return None
        return Workspace.from_row(found[0])

    @strawberry.field(description="Who created the element, when known.")
    async def created_by(self, info: Info) -> User | None:
        return await load_user(info, self.created_by_id)


@strawberry.type(description="A collection of requests.")
class Collection(Element):
    pass


@strawberry.type(description="An API definition, which links collections for tests and docs.")
class Api(Element):
    pass


@strawberry.type(description="An environment: a set of variables.")
class Environment(Element):
    pass


@strawberry.type(description="A mock server.")
class MockServer(Element):
    pass


@strawberry.type(description="A monitor, which runs a collection on a schedule.")
class Monitor(Element):
    pass


ELEMENT_TYPES: dict[domain.ElementKind, type[Element]] = {
    domain.ElementKind.COLLECTION: Collection,
    domain.ElementKind.API: Api,
    domain.ElementKind.ENVIRONMENT: Environment,
    domain.ElementKind.MOCK_SERVER: MockServer,
    domain.ElementKind.MONITOR: Monitor,
}


def element_from_row(row: Any) -> Element:
    """The concrete GraphQL type for an element row."""
    kind = domain.ElementKind(row.kind)
    return ELEMENT_TYPES[kind](
        id=row.id,
        kind=kind,
        name=row.name,
        created_at=row.created_at,
        workspace_id=row.workspace_id,
        created_by_id=row.created_by_id,
    )
