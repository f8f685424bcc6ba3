"""createApiKey and revokeApiKey: each records an audit event in the same transaction."""

from __future__ import annotations

from datetime import datetime

import strawberry

from graphql_api.auth.credentials import issue_api_key, revoke_api_key
from graphql_api.errors import BadUserInput, NotFound
from graphql_api.repositories.api_keys import manageable_keys_by_ids
from graphql_api.repositories.audit_writes import record_audit_event
from graphql_api.repositories.nodes import numbered_id
from graphql_api.schema import arguments
from graphql_api.schema.api_keys.types import ApiKey
from graphql_api.schema.context import Info
from graphql_api.schema.relay import node_ids_of, to_global_id

MAX_NAME_LENGTH = 200


@strawberry.input(description="What to call a new API key and when it should stop working.")
class CreateApiKeyInput:
    name: str = strawberry.field(description="A name to recognise the key by (1-200 characters).")
    expires_at: datetime | None = strawberry.field(
        default=None,
        description="When the key stops working (in the future, with a UTC offset); none by "
        "default.",
    )


@strawberry.type(description="A key just created, with its secret.")
class CreateApiKeyPayload:
    api_key: ApiKey = strawberry.field(description="The new key.")
    secret: str = strawberry.field(
        description="The key's secret. Shown this once and never again: store it now."
    )


@strawberry.type(description="A revoked key.")
class RevokeApiKeyPayload:
    api_key: ApiKey = strawberry.field(description="The key, now revoked.")


def _checked_name(name: str) -> str:
    name = name.strip()
    if not 1 <= len(name) <= MAX_NAME_LENGTH:
        raise BadUserInput(
            f"A key's name must have 1 to {MAX_NAME_LENGTH} characters.", argument="input.name"
        )
    return arguments.text("input.name", name, max_length=MAX_NAME_LENGTH)


async def create_api_key(info: Info, input: CreateApiKeyInput) -> CreateApiKeyPayload:
    """Make a key for the viewer in the viewer's team."""
    ctx = info.context
    name = _checked_name(input.name)
    expires_at = arguments.instant("input.expiresAt", input.expires_at)
    if expires_at is not None and expires_at <= ctx.now:
        raise BadUserInput("expiresAt must be in the future.", argument="input.expiresAt")
    async with ctx.db() as session, session.begin():
        made = await issue_api_key(
            session,
            team_id=ctx.viewer.team_id,
            user_id=ctx.viewer.user_id,
            name=name,
            expires_at=expires_at,
        )
        key_id = made.key.id
        await record_audit_event(
            session,
            team_id=ctx.viewer.team_id,
            actor_id=ctx.viewer.user_id,
            action="API_KEY_CREATED",
            message=f"Created API key {name!r} ending in {made.key.last_four}.",
            at=ctx.now,
            origin=ctx.origin,
            data={"apiKey": {"id": to_global_id("ApiKey", key_id), "name": name}},
        )
        row = (await manageable_keys_by_ids(session, ctx.viewer, [key_id]))[key_id]
    return CreateApiKeyPayload(api_key=ApiKey.from_row(row), secret=made.secret)


async def revoke(info: Info, id: strawberry.ID) -> RevokeApiKeyPayload:
    """Revoke one of the viewer's keys (an admin: any of the team's); twice is a no-op."""
    ctx = info.context
    (raw,) = node_ids_of([id], "ApiKey")
    key_id = numbered_id("ApiKey", raw)
    async with ctx.db() as session, session.begin():
        found = await manageable_keys_by_ids(session, ctx.viewer, [key_id])
        if key_id not in found:
            raise NotFound(f"No API key with id {id!r} that you can revoke.")
        if await revoke_api_key(session, key_id):
            key = found[key_id]
            await record_audit_event(
                session,
                team_id=ctx.viewer.team_id,
                actor_id=ctx.viewer.user_id,
                action="API_KEY_REVOKED",
                message=f"Revoked API key {key.name!r} ending in {key.last_four}.",
                at=ctx.now,
                origin=ctx.origin,
                data={
                    "apiKey": {"id": id, "name": key.name},
                    "owner": {"id": to_global_id("User", key.user_id)},
                },
            )
        row = (await manageable_keys_by_ids(session, ctx.viewer, [key_id]))[key_id]
    return RevokeApiKeyPayload(api_key=ApiKey.from_row(row))
