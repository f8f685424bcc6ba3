"""Audit actions this server logs itself (team category): API keys and exports."""

from __future__ import annotations

from graphql_api.domain.audit_catalog import Row
from graphql_api.domain.enums import AuditCategory

_T = AuditCategory.TEAM

ROWS: tuple[Row, ...] = (
    (
        "API_KEY_CREATED",
        "Created API Key",
        "graphql_api.api_key.create",
        _T,
        "A user created an API key for this server.",
    ),
    (
        "API_KEY_REVOKED",
        "Revoked API Key",
        "graphql_api.api_key.revoke",
        _T,
        "A user revoked an API key for this server.",
    ),
    (
        "AUDIT_LOG_EXPORTED",
        "Exported Audit Logs",
        "graphql_api.audit_log.export",
        _T,
        "A user exported the audit log.",
    ),
    (
        "REPORT_EXPORTED",
        "Exported Report",
        "graphql_api.report.export",
        _T,
        "A user exported a report table.",
    ),
)
