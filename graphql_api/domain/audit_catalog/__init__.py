"""The table of audit actions, one module per category (the server's own apart).

A row is (enum name, display name, dotted code, category, description);
`graphql_api.domain.audit_actions` joins the modules, in the order team, users,
billing, server, into `ACTIONS`.
"""

from __future__ import annotations

from graphql_api.domain.enums import AuditCategory

Row = tuple[str, str, str, AuditCategory, str]
