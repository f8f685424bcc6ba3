"""Knowing when anything a report is read from changed, so a cached report answer
(compiled/answers.py) is dropped at once.

Reports read the summary tables (written by a refresh, which also moves
`refresh_state`, hence `lastUpdatedAt`), the team's catalog (elements, links,
workspaces, grants), its members and billing records. Raw facts reach a report only
through a refresh, so ingesting them changes nothing until it runs.
`REPORT_CHANGES` counts the writes to these tables (db/table_changes.py), in this
process and, on PostgreSQL, in every other through the triggers of migration 0012.
"""

from __future__ import annotations

from graphql_api.db.table_changes import TableChanges

# The PostgreSQL channel the report triggers notify.
REPORT_CHANNEL = "graphql_api_reports"
REPORT_TABLES = (
    "teams",
    "users",
    "memberships",
    "groups",
    "group_members",
    "workspaces",
    "elements",
    "api_links",
    "grants",
    "invoices",
    "usage_records",
    "seat_changes",
    "refresh_state",
    "daily_requests",
    "daily_team_requests",
    "daily_api_requests",
    "weekly_api_requests",
    "daily_user_requests",
    "daily_test_runs",
    "daily_monitor_runs",
    "daily_content",
    "daily_public_stats",
    "daily_audit_actions",
    "daily_findings",
    "daily_token_alerts",
    "daily_usage",
)
# Tables no report reads: raw facts (folded in by a refresh), keys and export jobs.
NOT_REPORTED = (
    "audit_events",
    "request_events",
    "test_runs",
    "monitor_runs",
    "content_events",
    "security_findings",
    "token_alerts",
    "public_stats",
    "resolutions",
    "api_keys",
    "service_tokens",
    "export_jobs",
)

REPORT_CHANGES = TableChanges(REPORT_CHANNEL, REPORT_TABLES)
