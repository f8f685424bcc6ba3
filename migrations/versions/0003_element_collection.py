"""element collection

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-21
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import graphql_api.db.base

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:

    with op.batch_alter_table('elements', schema=None) as batch_op:
        batch_op.add_column(sa.Column('collection_id', sa.String(length=128), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_elements_collection_id_elements'), 'elements', ['collection_id'], ['id'])




def downgrade() -> None:

    with op.batch_alter_table('elements', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_elements_collection_id_elements'), type_='foreignkey')
        batch_op.drop_column('collection_id')


