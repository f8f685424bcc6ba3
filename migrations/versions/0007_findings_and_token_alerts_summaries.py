"""findings and token alerts summaries

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-21
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import graphql_api.db.base

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table('daily_findings',
    sa.Column('team_id', sa.String(length=128), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('element_id', sa.String(length=128), nullable=False),
    sa.Column('rule', sa.String(length=200), nullable=False),
    sa.Column('severity', sa.String(length=10), nullable=False),
    sa.Column('found', sa.Integer(), nullable=False),
    sa.Column('resolved', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('team_id', 'day', 'element_id', 'rule', 'severity', name=op.f('pk_daily_findings'))
    )
    op.create_table('daily_token_alerts',
    sa.Column('team_id', sa.String(length=128), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('workspace_id', sa.String(length=128), nullable=False),
    sa.Column('token_type', sa.String(length=200), nullable=False),
    sa.Column('found', sa.Integer(), nullable=False),
    sa.Column('resolved', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('team_id', 'day', 'workspace_id', 'token_type', name=op.f('pk_daily_token_alerts'))
    )
    op.create_table('resolutions',
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('subject_id', sa.String(length=128), nullable=False),
    sa.Column('label', sa.String(length=200), nullable=False),
    sa.Column('severity', sa.String(length=10), nullable=True),
    sa.Column('seq', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('ext_id', sa.String(length=128), nullable=False),
    sa.Column('team_id', sa.String(length=128), nullable=False),
    sa.Column('at', graphql_api.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_resolutions_team_id_teams')),
    sa.PrimaryKeyConstraint('seq', name=op.f('pk_resolutions')),
    sa.UniqueConstraint('ext_id', name=op.f('uq_resolutions_ext_id')),
    sqlite_autoincrement=True
    )
    with op.batch_alter_table('resolutions', schema=None) as batch_op:
        batch_op.create_index('ix_resolutions_team_id_at', ['team_id', 'at'], unique=False)




def downgrade() -> None:

    with op.batch_alter_table('resolutions', schema=None) as batch_op:
        batch_op.drop_index('ix_resolutions_team_id_at')

    op.drop_table('resolutions')
    op.drop_table('daily_token_alerts')
    op.drop_table('daily_findings')

