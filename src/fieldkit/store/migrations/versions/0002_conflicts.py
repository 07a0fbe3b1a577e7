"""conflicts queue

Revision ID: 0002_conflicts
Revises: 0001_foundation
Create Date: 2026-11-21 23:43:22.748596
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_conflicts"
down_revision = "0001_foundation"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "conflicts",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("entity", sa.String(length=40), nullable=False),
        sa.Column("record_id", sa.String(length=36), nullable=False),
        sa.Column("field", sa.String(length=60), nullable=False),
        sa.Column("op_a", sa.String(length=36), nullable=False),
        sa.Column("op_b", sa.String(length=36), nullable=False),
        sa.Column("detected_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("op_a", "op_b", name="uq_conflicts_pair"),
    )
    with op.batch_alter_table("conflicts", schema=None) as batch_op:
        batch_op.create_index("ix_conflicts_record", ["entity", "record_id", "field"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("conflicts", schema=None) as batch_op:
        batch_op.drop_index("ix_conflicts_record")

    op.drop_table("conflicts")
