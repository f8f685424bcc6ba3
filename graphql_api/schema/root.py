"""The root Query: node lookup, the viewer and the viewer's team."""

from __future__ import annotations

import strawberry
from strawberry import relay

from graphql_api.errors import ApiError, BadUserInput
from graphql_api.repositories import directory
from graphql_api.schema.context import Info
from graphql_api.schema.directory.team import Team
from graphql_api.schema.directory.types import User
from graphql_api.schema.nodes import resolve_nodes

MAX_NODES = 100


@strawberry.type(description="The root of every query.")
class Query:
    @strawberry.field(
        description="Fetch any object by its global id. Null, with an error, when the id is "
        "malformed (BAD_USER_INPUT), unknown to the viewer's team (NOT_FOUND), or names an "
        "element the viewer cannot access (FORBIDDEN)."
    )
    async def node(self, info: Info, id: strawberry.ID) -> relay.Node | None:
        (result,) = await resolve_nodes(info, [id], "id")
        if isinstance(result, ApiError):
            raise result
        return result

    @strawberry.field(
        description=f"Fetch up to {MAX_NODES} objects by global id, in order; each one that "
        "cannot be shown is null, with an error at its index."
    )
    async def nodes(self, info: Info, ids: list[strawberry.ID]) -> list[relay.Node | None]:
        if len(ids) > MAX_NODES:
            raise BadUserInput(f"At most {MAX_NODES} ids at once, got {len(ids)}.", argument="ids")
        # graphql-core turns an exception in a list into null plus an error at its index.
        return await resolve_nodes(info, ids, "ids")

    @strawberry.field(description="The user the API key belongs to.")
    async def viewer(self, info: Info) -> User:
        row = await info.context.loaders.user_by_id.load(info.context.viewer.user_id)
        return User.from_row(row)

    @strawberry.field(description="The viewer's team.")
    async def team(self, info: Info) -> Team:
        viewer = info.context.viewer
        if viewer.team_slug:  # the key lookup read the team already
            return Team.from_viewer(viewer)
        async with info.context.db() as session:
            row = await directory.team_by_id(session, viewer.team_id)
        return Team.from_row(row)
