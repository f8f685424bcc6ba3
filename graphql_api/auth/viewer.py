"""Who is asking: the user behind an API key, in the key's team."""

from __future__ import annotations

from dataclasses import dataclass

from graphql_api.domain.enums import Plan, TeamRole


@dataclass(frozen=True)
class Viewer:
    """The authenticated caller of a GraphQL request, resolved once per request."""

    user_id: str
    team_id: str
    plan: Plan
    roles: frozenset[TeamRole]
    # Groups of the viewer's team that the viewer belongs to; grants held by
    # a group apply to its members.
    group_ids: tuple[str, ...]
    api_key_id: int
    # The team's name and slug as the key lookup read them, so that `team` costs no
    # second statement; empty where the viewer was made without them.
    team_name: str = ""
    team_slug: str = ""

    def has_any_role(self, allowed: frozenset[TeamRole]) -> bool:
        """Whether the viewer holds one of the roles (directly or through a group)."""
        return not self.roles.isdisjoint(allowed)


# The viewer of a WebSocket that has not authenticated yet (its key may come
# in the connection_init message); it can see nothing.
ANONYMOUS = Viewer(
    user_id="", team_id="", plan=Plan.FREE, roles=frozenset(), group_ids=(), api_key_id=0
)
