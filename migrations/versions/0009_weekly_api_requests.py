"""weekly api requests

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-21
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import graphql_api.db.base

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table('weekly_api_requests',
    sa.Column('team_id', sa.String(length=128), nullable=False),
    sa.Column('week', sa.Date(), nullable=False),
    sa.Column('api_id', sa.String(length=128), nullable=False),
    sa.Column('source', sa.String(length=20), nullable=False),
    sa.Column('requests', sa.Integer(), nullable=False),
    sa.Column('errors', sa.Integer(), nullable=False),
    sa.Column('response_time_ms_sum', sa.BigInteger(), nullable=False),
    sa.Column('response_size_bytes_sum', sa.BigInteger(), nullable=False),
    sa.Column('h00', sa.Integer(), nullable=False),
    sa.Column('h01', sa.Integer(), nullable=False),
    sa.Column('h02', sa.Integer(), nullable=False),
    sa.Column('h03', sa.Integer(), nullable=False),
    sa.Column('h04', sa.Integer(), nullable=False),
    sa.Column('h05', sa.Integer(), nullable=False),
    sa.Column('h06', sa.Integer(), nullable=False),
    sa.Column('h07', sa.Integer(), nullable=False),
    sa.Column('h08', sa.Integer(), nullable=False),
    sa.Column('h09', sa.Integer(), nullable=False),
    sa.Column('h10', sa.Integer(), nullable=False),
    sa.Column('h11', sa.Integer(), nullable=False),
    sa.Column('h12', sa.Integer(), nullable=False),
    sa.Column('h13', sa.Integer(), nullable=False),
    sa.Column('h14', sa.Integer(), nullable=False),
    sa.Column('h15', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('team_id', 'week', 'api_id', 'source', name=op.f('pk_weekly_api_requests'))
    )



def downgrade() -> None:

    op.drop_table('weekly_api_requests')

