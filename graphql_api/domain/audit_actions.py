"""Every audit action: Postman's logged events (seeds/postman-audit-logs.md) and the server's own.

Each action has an enum name (what GraphQL exposes), a display name (what
Postman's dashboard shows and what ingest accepts), a dotted code (what
Postman's REST API returns as `action`, also accepted by ingest) and a
category.
"""

from __future__ import annotations

from dataclasses import dataclass

from graphql_api.domain.audit_catalog import billing, server, team, users
from graphql_api.domain.enums import AuditCategory


@dataclass(frozen=True)
class ActionInfo:
    """What is known about one audit action."""

    name: str
    display_name: str
    code: str
    category: AuditCategory
    description: str


# Postman's actions by category, then the server's own: the order GraphQL's enum keeps.
_CATALOG = team.ROWS + users.ROWS + billing.ROWS + server.ROWS

ACTIONS: dict[str, ActionInfo] = {
    name: ActionInfo(name, display, code, category, description)
    for name, display, code, category, description in _CATALOG
}


_BY_LABEL: dict[str, ActionInfo] = {}
for _info in ACTIONS.values():
    _BY_LABEL[_info.display_name.casefold()] = _info
    _BY_LABEL[_info.code.casefold()] = _info
    _BY_LABEL[_info.name.casefold()] = _info


def action_from_label(label: str) -> ActionInfo | None:
    """Find an action by its display name, dotted code or enum name (case-insensitive)."""
    return _BY_LABEL.get(label.strip().casefold())
