"""Build GraphQL enums with a description on every value."""

from __future__ import annotations

from enum import Enum
from typing import Any

import strawberry


def graphql_enum(name: str, description: str, values: dict[str, tuple[str, str]]) -> Any:
    """A strawberry enum named `name` from {member: (value, description)}."""
    members = {
        member: strawberry.enum_value(value, description=text)
        for member, (value, text) in values.items()
    }
    python_enum: Any = Enum(name, members)  # type: ignore[misc]
    return strawberry.enum(python_enum, description=description)


def described_enum(domain: type[Enum], description: str, values: dict[str, str]) -> Any:
    """A strawberry enum mirroring `domain`; every member must be described in `values`."""
    missing = {m.name for m in domain} - values.keys()
    if missing:
        raise ValueError(f"{domain.__name__}: no description for {sorted(missing)}")
    return graphql_enum(
        domain.__name__, description, {m.name: (m.value, values[m.name]) for m in domain}
    )
