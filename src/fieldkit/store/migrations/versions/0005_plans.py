"""municipal action plans: findings, plans, versions, results, activities, follow-ups, links

Revision ID: 0005_plans
Revises: 0004_forms
Create Date: 2026-11-22 04:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_plans"
down_revision = "0004_forms"
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
    _synced(
        "findings",
        _fk("assistance_id", "assistances.id"),
        sa.Column("statement", sa.Text(), nullable=True),
        sa.Column("area", sa.String(length=200), nullable=True),
        sa.Column("priority", sa.Integer(), nullable=True),
        sa.Column("submission_id", sa.String(length=36), nullable=True),
        sa.Column("sort_order", sa.Integer(), nullable=True),
    )
    op.create_index("ix_findings_assistance_id", "findings", ["assistance_id"])
    _synced(
        "action_plans",
        _fk("assistance_id", "assistances.id"),
        sa.Column("version", sa.Integer(), nullable=True),
        sa.Column("state", sa.String(length=20), nullable=True),
        sa.Column("problem", sa.Text(), nullable=True),
        sa.Column("objective", sa.Text(), nullable=True),
        sa.Column("alternative", sa.Text(), nullable=True),
    )
    op.create_index("ix_action_plans_assistance_id", "action_plans", ["assistance_id"])
    _synced(
        "plan_versions",
        _fk("plan_id", "action_plans.id"),
        sa.Column("version", sa.Integer(), nullable=True),
        sa.Column("number", sa.Integer(), nullable=True),
        sa.Column("snapshot", sa.Text(), nullable=True),
        sa.Column("submitted_at", sa.DateTime(), nullable=True),
        sa.Column("submitted_by", sa.String(length=200), nullable=True),
        sa.Column("decision", sa.String(length=20), nullable=True),
        sa.Column("comments", sa.Text(), nullable=True),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.Column("decided_by", sa.String(length=200), nullable=True),
    )
    op.create_index("ix_plan_versions_plan_id", "plan_versions", ["plan_id"])
    _synced(
        "plan_results",
        _fk("plan_id", "action_plans.id"),
        sa.Column("sort_order", sa.Integer(), nullable=True),
        sa.Column("statement", sa.Text(), nullable=True),
        sa.Column("indicator_name", sa.String(length=300), nullable=True),
        sa.Column("indicator_type", sa.String(length=20), nullable=True),
        sa.Column("unit", sa.String(length=60), nullable=True),
        sa.Column("baseline", sa.Float(), nullable=True),
        sa.Column("target", sa.Float(), nullable=True),
        sa.Column("direction", sa.String(length=20), nullable=True),
        sa.Column("verification", sa.Text(), nullable=True),
        sa.Column("due_on", sa.Date(), nullable=True),
    )
    op.create_index("ix_plan_results_plan_id", "plan_results", ["plan_id"])
    _synced(
        "activities",
        _fk("plan_id", "action_plans.id"),
        _fk("result_id", "plan_results.id"),
        sa.Column("sort_order", sa.Integer(), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("responsible", sa.String(length=20), nullable=True),
        sa.Column("responsible_name", sa.String(length=200), nullable=True),
        sa.Column("start_on", sa.Date(), nullable=True),
        sa.Column("end_on", sa.Date(), nullable=True),
    )
    op.create_index("ix_activities_plan_id", "activities", ["plan_id"])
    op.create_index("ix_activities_result_id", "activities", ["result_id"])
    _synced(
        "follow_ups",
        _fk("plan_id", "action_plans.id"),
        sa.Column("activity_id", sa.String(length=36), nullable=True),
        sa.Column("result_id", sa.String(length=36), nullable=True),
        sa.Column("recorded_on", sa.Date(), nullable=True),
        sa.Column("progress", sa.Float(), nullable=True),
        sa.Column("state", sa.String(length=20), nullable=True),
        sa.Column("value", sa.Float(), nullable=True),
        sa.Column("verification", sa.Text(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("recorded_by", sa.String(length=200), nullable=True),
    )
    op.create_index("ix_follow_ups_plan_id", "follow_ups", ["plan_id"])
    op.create_index("ix_follow_ups_activity_id", "follow_ups", ["activity_id"])
    op.create_index("ix_follow_ups_result_id", "follow_ups", ["result_id"])
    _synced(
        "plan_links",
        _fk("plan_id", "action_plans.id"),
        sa.Column("kind", sa.String(length=30), nullable=True),
        sa.Column("source_id", sa.String(length=36), nullable=True),
        sa.Column("target_id", sa.String(length=36), nullable=True),
    )
    op.create_index("ix_plan_links_plan_id", "plan_links", ["plan_id"])
    op.create_index("ix_plan_links_source_id", "plan_links", ["source_id"])
    op.create_index("ix_plan_links_target_id", "plan_links", ["target_id"])


def downgrade() -> None:
    for table in (
        "plan_links",
        "follow_ups",
        "activities",
        "plan_results",
        "plan_versions",
        "action_plans",
        "findings",
    ):
        op.drop_table(table)
