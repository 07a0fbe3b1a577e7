"""peers: trusted devices from enrolment

Revision ID: 0003_peers
Revises: 0002_conflicts
Create Date: 2026-11-22 00:02:45.442147
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_peers"
down_revision = "0002_conflicts"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "peers",
        sa.Column("device_id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("keys", sa.Text(), nullable=False),
        sa.Column("relation", sa.String(length=20), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("directorates", sa.Text(), nullable=True),
        sa.Column("municipalities", sa.Text(), nullable=True),
        sa.Column("vector", sa.Text(), nullable=True),
        sa.Column("accepted_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("device_id"),
    )


def downgrade() -> None:
    op.drop_table("peers")
