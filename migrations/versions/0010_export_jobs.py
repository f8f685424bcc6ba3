"""export jobs

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import graphql_api.db.base

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('export_jobs',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('team_id', sa.String(length=128), nullable=False),
    sa.Column('requested_by_id', sa.String(length=128), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('parameters', sa.JSON(none_as_null=True), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('base_url', sa.String(length=500), nullable=False),
    sa.Column('row_count', sa.Integer(), nullable=True),
    sa.Column('file_name', sa.String(length=255), nullable=True),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('created_at', graphql_api.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('started_at', graphql_api.db.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('heartbeat_at', graphql_api.db.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('finished_at', graphql_api.db.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('expires_at', graphql_api.db.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('emailed_at', graphql_api.db.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('email_error', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['requested_by_id'], ['users.id'], name=op.f('fk_export_jobs_requested_by_id_users')),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_export_jobs_team_id_teams')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_export_jobs'))
    )
    with op.batch_alter_table('export_jobs', schema=None) as batch_op:
        batch_op.create_index('ix_export_jobs_status_heartbeat_at', ['status', 'heartbeat_at'], unique=False)
        batch_op.create_index('ix_export_jobs_team_id_requested_by_id', ['team_id', 'requested_by_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('export_jobs', schema=None) as batch_op:
        batch_op.drop_index('ix_export_jobs_team_id_requested_by_id')
        batch_op.drop_index('ix_export_jobs_status_heartbeat_at')

    op.drop_table('export_jobs')
