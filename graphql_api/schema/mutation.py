"""The root Mutation, assembled from each domain's mutations."""

from __future__ import annotations

import strawberry

from graphql_api.schema.api_keys import mutations as api_keys


@strawberry.type(description="Everything that changes state. Each mutation records an audit event.")
class Mutation:
    create_api_key: api_keys.CreateApiKeyPayload = strawberry.mutation(
        resolver=api_keys.create_api_key,
        description="Create an API key for the viewer. Its secret is in the payload, once.",
    )
    revoke_api_key: api_keys.RevokeApiKeyPayload = strawberry.mutation(
        resolver=api_keys.revoke,
        description="Revoke an API key: one's own, or as SUPER_ADMIN or ADMIN any of the "
        "team's. It stops working on the next request. Revoking twice changes nothing.",
    )
