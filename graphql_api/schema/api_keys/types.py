"""The ApiKey type: what is shown of a key after it was created (never its secret)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import strawberry
from strawberry import relay

from graphql_api.schema.context import Info


@strawberry.type(description="An API key of a user. Its secret is shown only once, at creation.")
class ApiKey(relay.Node):
    id: relay.NodeID[int]
    name: str = strawberry.field(description="The name given at creation.")
    last_four: str = strawberry.field(description="The last four characters of the secret.")
    created_at: datetime = strawberry.field(description="When the key was created.")
    last_used_at: datetime | None = strawberry.field(
        description="When the key last authenticated a request; null if never."
    )
    expires_at: datetime | None = strawberry.field(
        description="When the key stops working; null if it does not expire."
    )
    revoked_at: datetime | None = strawberry.field(
        description="When the key was revoked; null while it is not."
    )

    @strawberry.field(description="Whether this is the key that authenticated this request.")
    def is_current(self, info: Info) -> bool:
        return info.context.viewer.api_key_id == self.id

    @classmethod
    def from_row(cls, row: Any) -> ApiKey:
        return cls(
            id=row.id,
            name=row.name,
            last_four=row.last_four,
            created_at=row.created_at,
            last_used_at=row.last_used_at,
            expires_at=row.expires_at,
            revoked_at=row.revoked_at,
        )
