"""Build a GraphQL enum from a domain enum, with a description on every value."""

from __future__ import annotations

from enum import Enum
from typing import Any

import strawberry


def described_enum(
    domain: type[Enum], description: str, values: dict[str, str], name: str | None = None
) -> Any:
    """A strawberry enum mirroring `domain`; every member must be described in `values`."""
    missing = {m.name for m in domain} - values.keys()
    if missing:
        raise ValueError(f"{domain.__name__}: no description for {sorted(missing)}")
    members = {m.name: strawberry.enum_value(m.value, description=values[m.name]) for m in domain}
    graphql_enum = Enum(name or domain.__name__, members)  # type: ignore[misc]
    return strawberry.enum(graphql_enum, description=description)
