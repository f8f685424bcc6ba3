"""The root Query: node lookup, the viewer and the viewer's team."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import strawberry
from strawberry import relay

from graphql_api.errors import ApiError, BadUserInput, NotFound
from graphql_api.repositories import directory
from graphql_api.repositories.nodes import NODE_LOADERS, NUMBERED_ID_MAXIMUM, numbered_id
from graphql_api.schema.api_keys.types import ApiKey
from graphql_api.schema.audit.types import AuditEvent
from graphql_api.schema.billing.types import Invoice
from graphql_api.schema.context import Info
from graphql_api.schema.directory.team import Team
from graphql_api.schema.directory.types import (
    Group,
    Membership,
    User,
    Workspace,
    element_from_row,
)
from graphql_api.schema.exports.types import ExportJob
from graphql_api.schema.relay import from_global_id

MAX_NODES = 100

_TO_TYPE: dict[str, Any] = {
    "Team": Team.from_row,
    "User": User.from_row,
    "Membership": Membership.from_row,
    "Group": Group.from_row,
    "Workspace": Workspace.from_row,
    "AuditEvent": AuditEvent.from_row,
    "ApiKey": ApiKey.from_row,
    "Invoice": Invoice.from_row,
    "ExportJob": ExportJob.from_row,
    **{
        name: element_from_row
        for name in ("Collection", "Api", "Environment", "MockServer", "Monitor")
    },
}


async def resolve_nodes(info: Info, ids: list[strawberry.ID], argument: str) -> list[Any]:
    """Each id's node, or the error explaining why it cannot be shown (one query per type)."""
    results: list[Any] = [None] * len(ids)
    wanted: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for index, value in enumerate(ids):
        try:
            gid = from_global_id(value, argument=argument)
        except ApiError as exc:
            results[index] = exc
            continue
        if gid.type_name not in NODE_LOADERS:
            results[index] = NotFound(f"No node type {gid.type_name!r}.")
            continue
        if gid.type_name in NUMBERED_ID_MAXIMUM:
            try:
                numbered_id(gid.type_name, gid.node_id, argument)
            except ApiError as exc:
                results[index] = exc
                continue
        wanted[gid.type_name].append((index, gid.node_id))
    ctx = info.context
    async with ctx.db() as session:
        for type_name, items in wanted.items():
            loaded = await NODE_LOADERS[type_name](
                session, ctx.viewer, [node_id for _, node_id in items], ctx.now
            )
            for (index, _), row in zip(items, loaded, strict=True):
                results[index] = row if isinstance(row, ApiError) else _TO_TYPE[type_name](row)
    return results


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
        async with info.context.db() as session:
            row = await directory.team_by_id(session, info.context.viewer.team_id)
        return Team.from_row(row)
