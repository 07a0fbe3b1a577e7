"""forms, submissions, answers and attachments

Revision ID: 0004_forms
Revises: 0003_peers
Create Date: 2026-11-22 01:55:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_forms"
down_revision = "0003_peers"
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


def upgrade() -> None:
    _synced(
        "attachments",
        sa.Column("owner_entity", sa.String(length=40), nullable=True),
        sa.Column("owner_id", sa.String(length=36), nullable=True),
        sa.Column("sha256", sa.String(length=64), nullable=True),
        sa.Column("file_name", sa.String(length=255), nullable=True),
        sa.Column("media_type", sa.String(length=100), nullable=True),
        sa.Column("size", sa.Integer(), nullable=True),
        sa.Column("caption", sa.Text(), nullable=True),
    )
    op.create_index("ix_attachments_owner_id", "attachments", ["owner_id"])
    _synced(
        "forms",
        sa.Column("form_id", sa.String(length=80), nullable=True),
        sa.Column("version", sa.String(length=40), nullable=True),
        sa.Column("title", sa.String(length=300), nullable=True),
        sa.Column("kind", sa.String(length=30), nullable=True),
        sa.Column("thematic_line_code", sa.String(length=30), nullable=True),
        sa.Column("sha256", sa.String(length=64), nullable=True),
        sa.Column("file_name", sa.String(length=255), nullable=True),
    )
    op.create_index("ix_forms_form_id", "forms", ["form_id"])
    _synced(
        "submissions",
        sa.Column(
            "assistance_id",
            sa.String(length=36),
            sa.ForeignKey("assistances.id", deferrable=True, initially="DEFERRED"),
            nullable=True,
        ),
        sa.Column("kind", sa.String(length=30), nullable=True),
        sa.Column("form_id", sa.String(length=80), nullable=True),
        sa.Column("form_version", sa.String(length=40), nullable=True),
        sa.Column("subject_id", sa.String(length=36), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=True),
        sa.Column("started_at", sa.DateTime(), nullable=True),
        sa.Column("completed_at", sa.DateTime(), nullable=True),
    )
    op.create_index("ix_submissions_assistance_id", "submissions", ["assistance_id"])
    _synced(
        "answers",
        sa.Column(
            "submission_id",
            sa.String(length=36),
            sa.ForeignKey("submissions.id", deferrable=True, initially="DEFERRED"),
            nullable=True,
        ),
        sa.Column("key", sa.String(length=400), nullable=True),
        sa.Column("value", sa.Text(), nullable=True),
    )
    op.create_index("ix_answers_submission_id", "answers", ["submission_id"])


def downgrade() -> None:
    for table in ("answers", "submissions", "forms", "attachments"):
        op.drop_table(table)
