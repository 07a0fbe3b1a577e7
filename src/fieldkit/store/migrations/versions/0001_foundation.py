"""foundation: catalogs, people, assistances, change log

Revision ID: 0001_foundation
Revises:
Create Date: 2026-11-21 22:37:53.205631
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001_foundation"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "directorates",
        sa.Column("code", sa.String(length=20), nullable=True),
        sa.Column("name", sa.String(length=200), nullable=True),
        sa.Column("departments", sa.Text(), nullable=True),
        sa.Column("is_example", sa.Boolean(), nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=True),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("directorates", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_directorates_code"), ["code"], unique=False)

    op.create_table(
        "municipal_categories",
        sa.Column("code", sa.String(length=10), nullable=True),
        sa.Column("name", sa.String(length=100), nullable=True),
        sa.Column("sort_order", sa.Integer(), nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=True),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("municipal_categories", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_municipal_categories_code"), ["code"], unique=False)

    op.create_table(
        "municipalities",
        sa.Column("code", sa.String(length=5), nullable=True),
        sa.Column("name", sa.String(length=120), nullable=True),
        sa.Column("official_name", sa.String(length=120), nullable=True),
        sa.Column("department_code", sa.String(length=2), nullable=True),
        sa.Column("department", sa.String(length=120), nullable=True),
        sa.Column("kind", sa.String(length=30), nullable=True),
        sa.Column("latitude", sa.Float(), nullable=True),
        sa.Column("longitude", sa.Float(), nullable=True),
        sa.Column("pdet_subregion", sa.String(length=120), nullable=True),
        sa.Column("category", sa.String(length=10), nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=True),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("municipalities", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_municipalities_code"), ["code"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_municipalities_department_code"), ["department_code"], unique=False
        )

    op.create_table(
        "operations",
        sa.Column("op_id", sa.String(length=36), nullable=False),
        sa.Column("origin", sa.String(length=36), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("hlc", sa.String(length=80), nullable=False),
        sa.Column("entity", sa.String(length=40), nullable=False),
        sa.Column("record_id", sa.String(length=36), nullable=False),
        sa.Column("field", sa.String(length=60), nullable=False),
        sa.Column("value", sa.Text(), nullable=True),
        sa.Column("base_hlc", sa.String(length=80), nullable=True),
        sa.Column("author", sa.String(length=200), nullable=True),
        sa.PrimaryKeyConstraint("op_id"),
        sa.UniqueConstraint("origin", "seq", name="uq_operations_origin_seq"),
    )
    with op.batch_alter_table("operations", schema=None) as batch_op:
        batch_op.create_index(
            "ix_operations_record_field", ["entity", "record_id", "field", "hlc"], unique=False
        )

    op.create_table(
        "persons",
        sa.Column("name", sa.String(length=200), nullable=True),
        sa.Column("role", sa.String(length=30), nullable=True),
        sa.Column("directorate_code", sa.String(length=20), nullable=True),
        sa.Column("email", sa.String(length=200), nullable=True),
        sa.Column("phone", sa.String(length=50), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=True),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "profile",
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.Column("value", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("key"),
    )
    op.create_table(
        "thematic_lines",
        sa.Column("code", sa.String(length=30), nullable=True),
        sa.Column("name", sa.String(length=200), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=True),
        sa.Column("sort_order", sa.Integer(), nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=True),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("thematic_lines", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_thematic_lines_code"), ["code"], unique=False)

    op.create_table(
        "assistances",
        sa.Column("code", sa.String(length=30), nullable=True),
        sa.Column("municipality_id", sa.String(length=36), nullable=True),
        sa.Column("thematic_line_id", sa.String(length=36), nullable=True),
        sa.Column("state", sa.String(length=20), nullable=True),
        sa.Column("requested_on", sa.Date(), nullable=True),
        sa.Column("start_on", sa.Date(), nullable=True),
        sa.Column("end_on", sa.Date(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("cancel_reason", sa.Text(), nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=True),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["municipality_id"], ["municipalities.id"], initially="DEFERRED", deferrable=True
        ),
        sa.ForeignKeyConstraint(
            ["thematic_line_id"], ["thematic_lines.id"], initially="DEFERRED", deferrable=True
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("assistances", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_assistances_code"), ["code"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_assistances_municipality_id"), ["municipality_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_assistances_state"), ["state"], unique=False)

    op.create_table(
        "indicator_values",
        sa.Column("municipality_id", sa.String(length=36), nullable=True),
        sa.Column("indicator", sa.String(length=30), nullable=True),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("value", sa.Float(), nullable=True),
        sa.Column("source", sa.String(length=200), nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=True),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["municipality_id"], ["municipalities.id"], initially="DEFERRED", deferrable=True
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("indicator_values", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_indicator_values_municipality_id"), ["municipality_id"], unique=False
        )

    op.create_table(
        "assistance_members",
        sa.Column("assistance_id", sa.String(length=36), nullable=True),
        sa.Column("person_id", sa.String(length=36), nullable=True),
        sa.Column("team_role", sa.String(length=30), nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=True),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["assistance_id"], ["assistances.id"], initially="DEFERRED", deferrable=True
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["persons.id"], initially="DEFERRED", deferrable=True
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("assistance_members", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_assistance_members_assistance_id"), ["assistance_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_assistance_members_person_id"), ["person_id"], unique=False
        )

    op.create_table(
        "counterparts",
        sa.Column("assistance_id", sa.String(length=36), nullable=True),
        sa.Column("name", sa.String(length=200), nullable=True),
        sa.Column("position", sa.String(length=200), nullable=True),
        sa.Column("email", sa.String(length=200), nullable=True),
        sa.Column("phone", sa.String(length=50), nullable=True),
        sa.Column("sort_order", sa.Integer(), nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=True),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["assistance_id"], ["assistances.id"], initially="DEFERRED", deferrable=True
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("counterparts", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_counterparts_assistance_id"), ["assistance_id"], unique=False
        )

    op.create_table(
        "state_changes",
        sa.Column("assistance_id", sa.String(length=36), nullable=True),
        sa.Column("from_state", sa.String(length=20), nullable=True),
        sa.Column("to_state", sa.String(length=20), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("changed_at", sa.DateTime(), nullable=True),
        sa.Column("changed_by", sa.String(length=200), nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=True),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["assistance_id"], ["assistances.id"], initially="DEFERRED", deferrable=True
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("state_changes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_state_changes_assistance_id"), ["assistance_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("state_changes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_state_changes_assistance_id"))

    op.drop_table("state_changes")
    with op.batch_alter_table("counterparts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_counterparts_assistance_id"))

    op.drop_table("counterparts")
    with op.batch_alter_table("assistance_members", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_assistance_members_person_id"))
        batch_op.drop_index(batch_op.f("ix_assistance_members_assistance_id"))

    op.drop_table("assistance_members")
    with op.batch_alter_table("indicator_values", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_indicator_values_municipality_id"))

    op.drop_table("indicator_values")
    with op.batch_alter_table("assistances", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_assistances_state"))
        batch_op.drop_index(batch_op.f("ix_assistances_municipality_id"))
        batch_op.drop_index(batch_op.f("ix_assistances_code"))

    op.drop_table("assistances")
    with op.batch_alter_table("thematic_lines", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_thematic_lines_code"))

    op.drop_table("thematic_lines")
    op.drop_table("profile")
    op.drop_table("persons")
    with op.batch_alter_table("operations", schema=None) as batch_op:
        batch_op.drop_index("ix_operations_record_field")

    op.drop_table("operations")
    with op.batch_alter_table("municipalities", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_municipalities_department_code"))
        batch_op.drop_index(batch_op.f("ix_municipalities_code"))

    op.drop_table("municipalities")
    with op.batch_alter_table("municipal_categories", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_municipal_categories_code"))

    op.drop_table("municipal_categories")
    with op.batch_alter_table("directorates", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_directorates_code"))

    op.drop_table("directorates")
