"""access notifications: PostgreSQL tells every server process when keys, members,
groups or plans change, so cached viewers are dropped at once (db/access_changes.py)

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-04
"""

from __future__ import annotations

from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

CHANNEL = "graphql_api_access"
# api_keys: only the columns a viewer depends on; its lastUsedAt is written once a
# minute per key and must not drop every process's cache each time.
TRIGGERS = {
    "api_keys": "INSERT OR DELETE OR UPDATE OF team_id, user_id, key_hash, expires_at, revoked_at",
    "teams": "INSERT OR UPDATE OR DELETE",
    "memberships": "INSERT OR UPDATE OR DELETE",
    "groups": "INSERT OR UPDATE OR DELETE",
    "group_members": "INSERT OR UPDATE OR DELETE",
}


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(
        f"""
        CREATE OR REPLACE FUNCTION graphql_api_notify_access() RETURNS trigger AS $$
        BEGIN
            PERFORM pg_notify('{CHANNEL}', TG_TABLE_NAME);
            RETURN NULL;
        END
        $$ LANGUAGE plpgsql
        """
    )
    for table, events in TRIGGERS.items():
        for suffix, when in (("changed", events), ("truncated", "TRUNCATE")):
            op.execute(
                f"CREATE TRIGGER {table}_access_{suffix} AFTER {when} ON {table} "
                "FOR EACH STATEMENT EXECUTE FUNCTION graphql_api_notify_access()"
            )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in TRIGGERS:
        for suffix in ("changed", "truncated"):
            op.execute(f"DROP TRIGGER IF EXISTS {table}_access_{suffix} ON {table}")
    op.execute("DROP FUNCTION IF EXISTS graphql_api_notify_access()")
