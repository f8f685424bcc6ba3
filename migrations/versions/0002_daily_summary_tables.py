"""daily summary tables

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-21
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import graphql_api.db.base

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table('daily_content',
    sa.Column('team_id', sa.String(length=128), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('element_id', sa.String(length=128), nullable=False),
    sa.Column('action', sa.String(length=20), nullable=False),
    sa.Column('events', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('team_id', 'day', 'element_id', 'action', name=op.f('pk_daily_content'))
    )
    op.create_table('daily_monitor_runs',
    sa.Column('team_id', sa.String(length=128), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('monitor_id', sa.String(length=128), nullable=False),
    sa.Column('runs', sa.Integer(), nullable=False),
    sa.Column('successes', sa.Integer(), nullable=False),
    sa.Column('response_time_ms_sum', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('team_id', 'day', 'monitor_id', name=op.f('pk_daily_monitor_runs'))
    )
    op.create_table('daily_requests',
    sa.Column('team_id', sa.String(length=128), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('api_id', sa.String(length=128), nullable=False),
    sa.Column('collection_id', sa.String(length=128), nullable=False),
    sa.Column('source', sa.String(length=20), nullable=False),
    sa.Column('status_class', sa.Integer(), nullable=False),
    sa.Column('requests', sa.Integer(), nullable=False),
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
    sa.PrimaryKeyConstraint('team_id', 'day', 'api_id', 'collection_id', 'source', 'status_class', name=op.f('pk_daily_requests'))
    )
    op.create_table('daily_test_runs',
    sa.Column('team_id', sa.String(length=128), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('collection_id', sa.String(length=128), nullable=False),
    sa.Column('source', sa.String(length=20), nullable=False),
    sa.Column('runs', sa.Integer(), nullable=False),
    sa.Column('failed_runs', sa.Integer(), nullable=False),
    sa.Column('tests_passed', sa.Integer(), nullable=False),
    sa.Column('tests_failed', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('team_id', 'day', 'collection_id', 'source', name=op.f('pk_daily_test_runs'))
    )
    op.create_table('daily_user_requests',
    sa.Column('team_id', sa.String(length=128), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('user_id', sa.String(length=128), nullable=False),
    sa.Column('source', sa.String(length=20), nullable=False),
    sa.Column('requests', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('team_id', 'day', 'user_id', 'source', name=op.f('pk_daily_user_requests'))
    )
    op.create_table('refresh_state',
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('watermark', sa.BigInteger(), nullable=False),
    sa.Column('refreshed_at', graphql_api.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_refresh_state'))
    )



def downgrade() -> None:

    op.drop_table('refresh_state')
    op.drop_table('daily_user_requests')
    op.drop_table('daily_test_runs')
    op.drop_table('daily_requests')
    op.drop_table('daily_monitor_runs')
    op.drop_table('daily_content')

