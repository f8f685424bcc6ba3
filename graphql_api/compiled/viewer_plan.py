"""The viewer, compiled: the fields of the key's user, read in one statement."""

from __future__ import annotations

from operator import attrgetter

from graphql_api.compiled.writers import FieldCompiler, leaf, root_field
from graphql_api.domain.global_ids import to_global_id

# User's fields without arguments; `apiKeys` and `exports` are the executor's.
USER: dict[str, FieldCompiler] = {
    "id": leaf(lambda row: to_global_id("User", row.id)),
    "name": leaf(attrgetter("name")),
    "username": leaf(attrgetter("username")),
    "email": leaf(attrgetter("email")),
    "timezone": leaf(attrgetter("timezone")),
}

viewer = root_field("viewer", USER)
