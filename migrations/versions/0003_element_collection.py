"""element collection

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-21
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

FK = "fk_elements_collection_id_elements"


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        # SQLite adds a nullable column with its reference in place; a batch
        # rebuild would drop a table that other tables refer to.
        op.execute(
            f"ALTER TABLE elements ADD COLUMN collection_id VARCHAR(128) "
            f"CONSTRAINT {FK} REFERENCES elements (id)"
        )
        return
    op.add_column("elements", sa.Column("collection_id", sa.String(length=128), nullable=True))
    op.create_foreign_key(FK, "elements", "elements", ["collection_id"], ["id"])


def downgrade() -> None:
    with op.batch_alter_table("elements", schema=None) as batch_op:
        batch_op.drop_constraint(FK, type_="foreignkey")
        batch_op.drop_column("collection_id")
