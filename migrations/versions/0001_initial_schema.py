"""initial schema

Revision ID: 0001
Revises: 
Create Date: 2026-11-21
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import graphql_api.db.base

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table('service_tokens',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', graphql_api.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', graphql_api.db.base.UTCDateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_service_tokens')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_service_tokens_token_hash'))
    )
    op.create_table('teams',
    sa.Column('id', sa.String(length=128), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('slug', sa.String(length=100), nullable=False),
    sa.Column('plan', sa.String(length=20), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_teams')),
    sa.UniqueConstraint('slug', name=op.f('uq_teams_slug'))
    )
    op.create_table('users',
    sa.Column('id', sa.String(length=128), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('username', sa.String(length=100), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('timezone', sa.String(length=64), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users'))
    )
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_users_email'), ['email'], unique=False)

    op.create_table('api_keys',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('team_id', sa.String(length=128), nullable=False),
    sa.Column('user_id', sa.String(length=128), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('key_hash', sa.String(length=64), nullable=False),
    sa.Column('last_four', sa.String(length=4), nullable=False),
    sa.Column('created_at', graphql_api.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('expires_at', graphql_api.db.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('revoked_at', graphql_api.db.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('last_used_at', graphql_api.db.base.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_api_keys_team_id_teams')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_api_keys_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_api_keys')),
    sa.UniqueConstraint('key_hash', name=op.f('uq_api_keys_key_hash'))
    )
    with op.batch_alter_table('api_keys', schema=None) as batch_op:
        batch_op.create_index('ix_api_keys_team_id_user_id', ['team_id', 'user_id'], unique=False)

    op.create_table('audit_events',
    sa.Column('event_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('ext_id', sa.String(length=128), nullable=False),
    sa.Column('team_id', sa.String(length=128), nullable=False),
    sa.Column('at', graphql_api.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('action', sa.String(length=64), nullable=False),
    sa.Column('category', sa.String(length=10), nullable=False),
    sa.Column('actor_id', sa.String(length=128), nullable=False),
    sa.Column('actor_name', sa.String(length=200), nullable=False),
    sa.Column('actor_username', sa.String(length=100), nullable=False),
    sa.Column('actor_email', sa.String(length=254), nullable=False),
    sa.Column('ip', sa.String(length=64), nullable=True),
    sa.Column('user_agent', sa.String(length=512), nullable=True),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('data', sa.JSON(none_as_null=True), nullable=True),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_audit_events_actor_id_users')),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_audit_events_team_id_teams')),
    sa.PrimaryKeyConstraint('event_id', name=op.f('pk_audit_events')),
    sa.UniqueConstraint('ext_id', name=op.f('uq_audit_events_ext_id')),
    sqlite_autoincrement=True
    )
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.create_index('ix_audit_events_team_id_actor_id', ['team_id', 'actor_id'], unique=False)
        batch_op.create_index('ix_audit_events_team_id_at_event_id', ['team_id', 'at', 'event_id'], unique=False)
        batch_op.create_index('ix_audit_events_team_id_event_id', ['team_id', 'event_id'], unique=False)

    op.create_table('grants',
    sa.Column('id', sa.String(length=128), nullable=False),
    sa.Column('team_id', sa.String(length=128), nullable=False),
    sa.Column('subject_type', sa.String(length=10), nullable=False),
    sa.Column('subject_id', sa.String(length=128), nullable=False),
    sa.Column('resource_type', sa.String(length=10), nullable=False),
    sa.Column('resource_id', sa.String(length=128), nullable=False),
    sa.Column('role', sa.String(length=10), nullable=False),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_grants_team_id_teams')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_grants'))
    )
    with op.batch_alter_table('grants', schema=None) as batch_op:
        batch_op.create_index('ix_grants_resource_id', ['resource_id'], unique=False)
        batch_op.create_index('ix_grants_team_id_subject_type_subject_id', ['team_id', 'subject_type', 'subject_id'], unique=False)

    op.create_table('groups',
    sa.Column('id', sa.String(length=128), nullable=False),
    sa.Column('team_id', sa.String(length=128), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('roles', sa.JSON(none_as_null=True), nullable=False),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_groups_team_id_teams')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_groups'))
    )
    with op.batch_alter_table('groups', schema=None) as batch_op:
        batch_op.create_index('ix_groups_team_id', ['team_id'], unique=False)

    op.create_table('invoices',
    sa.Column('seq', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('ext_id', sa.String(length=128), nullable=False),
    sa.Column('team_id', sa.String(length=128), nullable=False),
    sa.Column('at', graphql_api.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('number', sa.String(length=64), nullable=False),
    sa.Column('period_start', sa.Date(), nullable=False),
    sa.Column('period_end', sa.Date(), nullable=False),
    sa.Column('amount_cents', sa.BigInteger(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_invoices_team_id_teams')),
    sa.PrimaryKeyConstraint('seq', name=op.f('pk_invoices')),
    sa.UniqueConstraint('ext_id', name=op.f('uq_invoices_ext_id')),
    sqlite_autoincrement=True
    )
    with op.batch_alter_table('invoices', schema=None) as batch_op:
        batch_op.create_index('ix_invoices_team_id_at', ['team_id', 'at'], unique=False)

    op.create_table('memberships',
    sa.Column('id', sa.String(length=128), nullable=False),
    sa.Column('team_id', sa.String(length=128), nullable=False),
    sa.Column('user_id', sa.String(length=128), nullable=False),
    sa.Column('roles', sa.JSON(none_as_null=True), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('status_at', graphql_api.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('joined_at', graphql_api.db.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('invited_by_id', sa.String(length=128), nullable=True),
    sa.ForeignKeyConstraint(['invited_by_id'], ['users.id'], name=op.f('fk_memberships_invited_by_id_users')),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_memberships_team_id_teams')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_memberships_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_memberships')),
    sa.UniqueConstraint('team_id', 'user_id', name=op.f('uq_memberships_team_id_user_id'))
    )
    with op.batch_alter_table('memberships', schema=None) as batch_op:
        batch_op.create_index('ix_memberships_team_id_status', ['team_id', 'status'], unique=False)
        batch_op.create_index('ix_memberships_user_id', ['user_id'], unique=False)

    op.create_table('seat_changes',
    sa.Column('seq', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('ext_id', sa.String(length=128), nullable=False),
    sa.Column('team_id', sa.String(length=128), nullable=False),
    sa.Column('at', graphql_api.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('seats', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_seat_changes_team_id_teams')),
    sa.PrimaryKeyConstraint('seq', name=op.f('pk_seat_changes')),
    sa.UniqueConstraint('ext_id', name=op.f('uq_seat_changes_ext_id')),
    sqlite_autoincrement=True
    )
    with op.batch_alter_table('seat_changes', schema=None) as batch_op:
        batch_op.create_index('ix_seat_changes_team_id_at', ['team_id', 'at'], unique=False)

    op.create_table('usage_records',
    sa.Column('seq', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('ext_id', sa.String(length=128), nullable=False),
    sa.Column('team_id', sa.String(length=128), nullable=False),
    sa.Column('at', graphql_api.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('resource', sa.String(length=40), nullable=False),
    sa.Column('quantity', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_usage_records_team_id_teams')),
    sa.PrimaryKeyConstraint('seq', name=op.f('pk_usage_records')),
    sa.UniqueConstraint('ext_id', name=op.f('uq_usage_records_ext_id')),
    sqlite_autoincrement=True
    )
    with op.batch_alter_table('usage_records', schema=None) as batch_op:
        batch_op.create_index('ix_usage_records_team_id_resource_at', ['team_id', 'resource', 'at'], unique=False)

    op.create_table('workspaces',
    sa.Column('id', sa.String(length=128), nullable=False),
    sa.Column('team_id', sa.String(length=128), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('visibility', sa.String(length=20), nullable=False),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_workspaces_team_id_teams')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_workspaces'))
    )
    with op.batch_alter_table('workspaces', schema=None) as batch_op:
        batch_op.create_index('ix_workspaces_team_id_visibility', ['team_id', 'visibility'], unique=False)

    op.create_table('elements',
    sa.Column('id', sa.String(length=128), nullable=False),
    sa.Column('team_id', sa.String(length=128), nullable=False),
    sa.Column('workspace_id', sa.String(length=128), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('created_by_id', sa.String(length=128), nullable=True),
    sa.Column('created_at', graphql_api.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_elements_created_by_id_users')),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_elements_team_id_teams')),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspaces.id'], name=op.f('fk_elements_workspace_id_workspaces')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_elements'))
    )
    with op.batch_alter_table('elements', schema=None) as batch_op:
        batch_op.create_index('ix_elements_team_id_kind_id', ['team_id', 'kind', 'id'], unique=False)
        batch_op.create_index('ix_elements_workspace_id', ['workspace_id'], unique=False)

    op.create_table('group_members',
    sa.Column('id', sa.String(length=128), nullable=False),
    sa.Column('team_id', sa.String(length=128), nullable=False),
    sa.Column('group_id', sa.String(length=128), nullable=False),
    sa.Column('user_id', sa.String(length=128), nullable=False),
    sa.ForeignKeyConstraint(['group_id'], ['groups.id'], name=op.f('fk_group_members_group_id_groups')),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_group_members_team_id_teams')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_group_members_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_group_members'))
    )
    with op.batch_alter_table('group_members', schema=None) as batch_op:
        batch_op.create_index('ix_group_members_team_id_user_id', ['team_id', 'user_id'], unique=False)

    op.create_table('public_stats',
    sa.Column('seq', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('ext_id', sa.String(length=128), nullable=False),
    sa.Column('team_id', sa.String(length=128), nullable=False),
    sa.Column('at', graphql_api.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('workspace_id', sa.String(length=128), nullable=False),
    sa.Column('views', sa.Integer(), nullable=False),
    sa.Column('watches', sa.Integer(), nullable=False),
    sa.Column('forks', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_public_stats_team_id_teams')),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspaces.id'], name=op.f('fk_public_stats_workspace_id_workspaces')),
    sa.PrimaryKeyConstraint('seq', name=op.f('pk_public_stats')),
    sa.UniqueConstraint('ext_id', name=op.f('uq_public_stats_ext_id')),
    sqlite_autoincrement=True
    )
    with op.batch_alter_table('public_stats', schema=None) as batch_op:
        batch_op.create_index('ix_public_stats_team_id_at', ['team_id', 'at'], unique=False)

    op.create_table('token_alerts',
    sa.Column('seq', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('ext_id', sa.String(length=128), nullable=False),
    sa.Column('team_id', sa.String(length=128), nullable=False),
    sa.Column('at', graphql_api.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('workspace_id', sa.String(length=128), nullable=False),
    sa.Column('token_type', sa.String(length=100), nullable=False),
    sa.Column('resolved_at', graphql_api.db.base.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_token_alerts_team_id_teams')),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspaces.id'], name=op.f('fk_token_alerts_workspace_id_workspaces')),
    sa.PrimaryKeyConstraint('seq', name=op.f('pk_token_alerts')),
    sa.UniqueConstraint('ext_id', name=op.f('uq_token_alerts_ext_id')),
    sqlite_autoincrement=True
    )
    with op.batch_alter_table('token_alerts', schema=None) as batch_op:
        batch_op.create_index('ix_token_alerts_team_id_at', ['team_id', 'at'], unique=False)

    op.create_table('api_links',
    sa.Column('id', sa.String(length=128), nullable=False),
    sa.Column('team_id', sa.String(length=128), nullable=False),
    sa.Column('api_id', sa.String(length=128), nullable=False),
    sa.Column('collection_id', sa.String(length=128), nullable=False),
    sa.Column('relation', sa.String(length=20), nullable=False),
    sa.ForeignKeyConstraint(['api_id'], ['elements.id'], name=op.f('fk_api_links_api_id_elements')),
    sa.ForeignKeyConstraint(['collection_id'], ['elements.id'], name=op.f('fk_api_links_collection_id_elements')),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_api_links_team_id_teams')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_api_links'))
    )
    with op.batch_alter_table('api_links', schema=None) as batch_op:
        batch_op.create_index('ix_api_links_api_id', ['api_id'], unique=False)
        batch_op.create_index('ix_api_links_team_id', ['team_id'], unique=False)

    op.create_table('content_events',
    sa.Column('seq', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('ext_id', sa.String(length=128), nullable=False),
    sa.Column('team_id', sa.String(length=128), nullable=False),
    sa.Column('at', graphql_api.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('user_id', sa.String(length=128), nullable=False),
    sa.Column('element_id', sa.String(length=128), nullable=False),
    sa.Column('action', sa.String(length=20), nullable=False),
    sa.ForeignKeyConstraint(['element_id'], ['elements.id'], name=op.f('fk_content_events_element_id_elements')),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_content_events_team_id_teams')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_content_events_user_id_users')),
    sa.PrimaryKeyConstraint('seq', name=op.f('pk_content_events')),
    sa.UniqueConstraint('ext_id', name=op.f('uq_content_events_ext_id')),
    sqlite_autoincrement=True
    )
    with op.batch_alter_table('content_events', schema=None) as batch_op:
        batch_op.create_index('ix_content_events_team_id_at', ['team_id', 'at'], unique=False)

    op.create_table('monitor_runs',
    sa.Column('seq', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('ext_id', sa.String(length=128), nullable=False),
    sa.Column('team_id', sa.String(length=128), nullable=False),
    sa.Column('at', graphql_api.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('monitor_id', sa.String(length=128), nullable=False),
    sa.Column('success', sa.Boolean(), nullable=False),
    sa.Column('response_time_ms', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['monitor_id'], ['elements.id'], name=op.f('fk_monitor_runs_monitor_id_elements')),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_monitor_runs_team_id_teams')),
    sa.PrimaryKeyConstraint('seq', name=op.f('pk_monitor_runs')),
    sa.UniqueConstraint('ext_id', name=op.f('uq_monitor_runs_ext_id')),
    sqlite_autoincrement=True
    )
    with op.batch_alter_table('monitor_runs', schema=None) as batch_op:
        batch_op.create_index('ix_monitor_runs_team_id_at', ['team_id', 'at'], unique=False)

    op.create_table('request_events',
    sa.Column('seq', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('ext_id', sa.String(length=128), nullable=False),
    sa.Column('team_id', sa.String(length=128), nullable=False),
    sa.Column('at', graphql_api.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('user_id', sa.String(length=128), nullable=False),
    sa.Column('source', sa.String(length=20), nullable=False),
    sa.Column('collection_id', sa.String(length=128), nullable=True),
    sa.Column('api_id', sa.String(length=128), nullable=True),
    sa.Column('method', sa.String(length=10), nullable=False),
    sa.Column('status', sa.Integer(), nullable=False),
    sa.Column('response_time_ms', sa.Integer(), nullable=False),
    sa.Column('response_size_bytes', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['api_id'], ['elements.id'], name=op.f('fk_request_events_api_id_elements')),
    sa.ForeignKeyConstraint(['collection_id'], ['elements.id'], name=op.f('fk_request_events_collection_id_elements')),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_request_events_team_id_teams')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_request_events_user_id_users')),
    sa.PrimaryKeyConstraint('seq', name=op.f('pk_request_events')),
    sa.UniqueConstraint('ext_id', name=op.f('uq_request_events_ext_id')),
    sqlite_autoincrement=True
    )
    with op.batch_alter_table('request_events', schema=None) as batch_op:
        batch_op.create_index('ix_request_events_team_id_at', ['team_id', 'at'], unique=False)

    op.create_table('security_findings',
    sa.Column('seq', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('ext_id', sa.String(length=128), nullable=False),
    sa.Column('team_id', sa.String(length=128), nullable=False),
    sa.Column('at', graphql_api.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('element_id', sa.String(length=128), nullable=False),
    sa.Column('rule', sa.String(length=200), nullable=False),
    sa.Column('severity', sa.String(length=10), nullable=False),
    sa.Column('resolved_at', graphql_api.db.base.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['element_id'], ['elements.id'], name=op.f('fk_security_findings_element_id_elements')),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_security_findings_team_id_teams')),
    sa.PrimaryKeyConstraint('seq', name=op.f('pk_security_findings')),
    sa.UniqueConstraint('ext_id', name=op.f('uq_security_findings_ext_id')),
    sqlite_autoincrement=True
    )
    with op.batch_alter_table('security_findings', schema=None) as batch_op:
        batch_op.create_index('ix_security_findings_team_id_at', ['team_id', 'at'], unique=False)

    op.create_table('test_runs',
    sa.Column('seq', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('ext_id', sa.String(length=128), nullable=False),
    sa.Column('team_id', sa.String(length=128), nullable=False),
    sa.Column('at', graphql_api.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('source', sa.String(length=20), nullable=False),
    sa.Column('collection_id', sa.String(length=128), nullable=False),
    sa.Column('passed', sa.Integer(), nullable=False),
    sa.Column('failed', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['collection_id'], ['elements.id'], name=op.f('fk_test_runs_collection_id_elements')),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_test_runs_team_id_teams')),
    sa.PrimaryKeyConstraint('seq', name=op.f('pk_test_runs')),
    sa.UniqueConstraint('ext_id', name=op.f('uq_test_runs_ext_id')),
    sqlite_autoincrement=True
    )
    with op.batch_alter_table('test_runs', schema=None) as batch_op:
        batch_op.create_index('ix_test_runs_team_id_at', ['team_id', 'at'], unique=False)




def downgrade() -> None:

    with op.batch_alter_table('test_runs', schema=None) as batch_op:
        batch_op.drop_index('ix_test_runs_team_id_at')

    op.drop_table('test_runs')
    with op.batch_alter_table('security_findings', schema=None) as batch_op:
        batch_op.drop_index('ix_security_findings_team_id_at')

    op.drop_table('security_findings')
    with op.batch_alter_table('request_events', schema=None) as batch_op:
        batch_op.drop_index('ix_request_events_team_id_at')

    op.drop_table('request_events')
    with op.batch_alter_table('monitor_runs', schema=None) as batch_op:
        batch_op.drop_index('ix_monitor_runs_team_id_at')

    op.drop_table('monitor_runs')
    with op.batch_alter_table('content_events', schema=None) as batch_op:
        batch_op.drop_index('ix_content_events_team_id_at')

    op.drop_table('content_events')
    with op.batch_alter_table('api_links', schema=None) as batch_op:
        batch_op.drop_index('ix_api_links_team_id')
        batch_op.drop_index('ix_api_links_api_id')

    op.drop_table('api_links')
    with op.batch_alter_table('token_alerts', schema=None) as batch_op:
        batch_op.drop_index('ix_token_alerts_team_id_at')

    op.drop_table('token_alerts')
    with op.batch_alter_table('public_stats', schema=None) as batch_op:
        batch_op.drop_index('ix_public_stats_team_id_at')

    op.drop_table('public_stats')
    with op.batch_alter_table('group_members', schema=None) as batch_op:
        batch_op.drop_index('ix_group_members_team_id_user_id')

    op.drop_table('group_members')
    with op.batch_alter_table('elements', schema=None) as batch_op:
        batch_op.drop_index('ix_elements_workspace_id')
        batch_op.drop_index('ix_elements_team_id_kind_id')

    op.drop_table('elements')
    with op.batch_alter_table('workspaces', schema=None) as batch_op:
        batch_op.drop_index('ix_workspaces_team_id_visibility')

    op.drop_table('workspaces')
    with op.batch_alter_table('usage_records', schema=None) as batch_op:
        batch_op.drop_index('ix_usage_records_team_id_resource_at')

    op.drop_table('usage_records')
    with op.batch_alter_table('seat_changes', schema=None) as batch_op:
        batch_op.drop_index('ix_seat_changes_team_id_at')

    op.drop_table('seat_changes')
    with op.batch_alter_table('memberships', schema=None) as batch_op:
        batch_op.drop_index('ix_memberships_user_id')
        batch_op.drop_index('ix_memberships_team_id_status')

    op.drop_table('memberships')
    with op.batch_alter_table('invoices', schema=None) as batch_op:
        batch_op.drop_index('ix_invoices_team_id_at')

    op.drop_table('invoices')
    with op.batch_alter_table('groups', schema=None) as batch_op:
        batch_op.drop_index('ix_groups_team_id')

    op.drop_table('groups')
    with op.batch_alter_table('grants', schema=None) as batch_op:
        batch_op.drop_index('ix_grants_team_id_subject_type_subject_id')
        batch_op.drop_index('ix_grants_resource_id')

    op.drop_table('grants')
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_events_team_id_event_id')
        batch_op.drop_index('ix_audit_events_team_id_at_event_id')
        batch_op.drop_index('ix_audit_events_team_id_actor_id')

    op.drop_table('audit_events')
    with op.batch_alter_table('api_keys', schema=None) as batch_op:
        batch_op.drop_index('ix_api_keys_team_id_user_id')

    op.drop_table('api_keys')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_users_email'))

    op.drop_table('users')
    op.drop_table('teams')
    op.drop_table('service_tokens')

