"""deliverables, their reviews and review comments; the purpose of an attachment; refused
operations

Revision ID: 0006_deliverables
Revises: 0005_plans
Create Date: 2026-11-22 04:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_deliverables"
down_revision = "0005_plans"
branch_labels = None
depends_on = None


def _synced(name: str, *columns: sa.Column) -> None:
    op.create_table(
        name,
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=True),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        *columns,
        sa.PrimaryKeyConstraint("id"),
    )


def _fk(name: str, target: str) -> sa.Column:
    return sa.Column(
        name,
        sa.String(length=36),
        sa.ForeignKey(target, deferrable=True, initially="DEFERRED"),
        nullable=True,
    )


def upgrade() -> None:
    op.add_column("attachments", sa.Column("purpose", sa.String(length=20), nullable=True))
    _synced(
        "deliverables",
        _fk("assistance_id", "assistances.id"),
        sa.Column("kind", sa.String(length=30), nullable=True),
        sa.Column("title", sa.String(length=300), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("sort_order", sa.Integer(), nullable=True),
        sa.Column("state", sa.String(length=20), nullable=True),
        sa.Column("delivered_on", sa.Date(), nullable=True),
        sa.Column("delivery_place", sa.String(length=300), nullable=True),
        sa.Column("received_by", sa.String(length=200), nullable=True),
        sa.Column("received_position", sa.String(length=200), nullable=True),
        sa.Column("received_entity", sa.String(length=200), nullable=True),
        sa.Column("team_present", sa.Text(), nullable=True),
        sa.Column("delivered_by", sa.String(length=200), nullable=True),
    )
    op.create_index("ix_deliverables_assistance_id", "deliverables", ["assistance_id"])
    _synced(
        "deliverable_reviews",
        _fk("deliverable_id", "deliverables.id"),
        sa.Column("number", sa.Integer(), nullable=True),
        sa.Column("submitted_at", sa.DateTime(), nullable=True),
        sa.Column("submitted_by", sa.String(length=200), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("decision", sa.String(length=20), nullable=True),
        sa.Column("comments", sa.Text(), nullable=True),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.Column("decided_by", sa.String(length=200), nullable=True),
    )
    op.create_index(
        "ix_deliverable_reviews_deliverable_id", "deliverable_reviews", ["deliverable_id"]
    )
    _synced(
        "review_comments",
        _fk("review_id", "deliverable_reviews.id"),
        sa.Column("item", sa.String(length=300), nullable=True),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("sort_order", sa.Integer(), nullable=True),
        sa.Column("addressed", sa.Boolean(), nullable=True),
        sa.Column("response", sa.Text(), nullable=True),
    )
    op.create_index("ix_review_comments_review_id", "review_comments", ["review_id"])

    # Local: operations refused for their sender's role or scope, so they count as seen.
    op.create_table(
        "refused_operations",
        sa.Column("op_id", sa.String(length=36), nullable=False),
        sa.Column("origin", sa.String(length=36), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("entity", sa.String(length=40), nullable=False),
        sa.Column("record_id", sa.String(length=36), nullable=False),
        sa.Column("field", sa.String(length=60), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("params", sa.Text(), nullable=True),
        sa.Column("refused_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("op_id"),
    )
    op.create_index("ix_refused_operations_origin_seq", "refused_operations", ["origin", "seq"])


def downgrade() -> None:
    op.drop_table("refused_operations")
    for table in ("review_comments", "deliverable_reviews", "deliverables"):
        op.drop_table(table)
    with op.batch_alter_table("attachments") as batch:
        batch.drop_column("purpose")
