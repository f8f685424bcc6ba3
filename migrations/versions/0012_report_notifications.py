"""report notifications: PostgreSQL tells every server process when anything a report
is read from changes, so cached report answers are dropped at once
(db/report_changes.py, compiled/answers.py)

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-05
"""

from __future__ import annotations

from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

CHANNEL = "graphql_api_reports"
# As db/report_changes.py's REPORT_TABLES when this revision was written.
TABLES = (
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


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    # One payload for every table: PostgreSQL delivers identical notifications of one
    # transaction once, so a refresh writing twenty tables wakes each process once.
    op.execute(
        f"""
        CREATE OR REPLACE FUNCTION graphql_api_notify_reports() RETURNS trigger AS $$
        BEGIN
            PERFORM pg_notify('{CHANNEL}', '');
            RETURN NULL;
        END
        $$ LANGUAGE plpgsql
        """
    )
    for table in TABLES:
        for suffix, when in (
            ("changed", "INSERT OR UPDATE OR DELETE"),
            ("truncated", "TRUNCATE"),
        ):
            op.execute(
                f"CREATE TRIGGER {table}_reports_{suffix} AFTER {when} ON {table} "
                "FOR EACH STATEMENT EXECUTE FUNCTION graphql_api_notify_reports()"
            )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in TABLES:
        for suffix in ("changed", "truncated"):
            op.execute(f"DROP TRIGGER IF EXISTS {table}_reports_{suffix} ON {table}")
    op.execute("DROP FUNCTION IF EXISTS graphql_api_notify_reports()")
