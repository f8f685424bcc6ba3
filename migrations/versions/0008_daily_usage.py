"""daily usage

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-21
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import graphql_api.db.base

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table('daily_usage',
    sa.Column('team_id', sa.String(length=128), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('resource', sa.String(length=40), nullable=False),
    sa.Column('quantity', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('team_id', 'day', 'resource', name=op.f('pk_daily_usage'))
    )



def downgrade() -> None:

    op.drop_table('daily_usage')

