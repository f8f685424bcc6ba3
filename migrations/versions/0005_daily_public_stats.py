"""daily public stats

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-21
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import graphql_api.db.base

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table('daily_public_stats',
    sa.Column('team_id', sa.String(length=128), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('workspace_id', sa.String(length=128), nullable=False),
    sa.Column('views', sa.Integer(), nullable=False),
    sa.Column('watches', sa.Integer(), nullable=False),
    sa.Column('forks', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('team_id', 'day', 'workspace_id', name=op.f('pk_daily_public_stats'))
    )



def downgrade() -> None:

    op.drop_table('daily_public_stats')

