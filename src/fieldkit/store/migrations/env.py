"""Alembic environment: fieldkit runs migrations in-process on a connection it hands over."""

from __future__ import annotations

from alembic import context

from fieldkit.store.models import Base

connection = context.config.attributes.get("connection")
if (
    connection is None
):  # pragma: no cover - only for `alembic revision --autogenerate` by developers
    from sqlalchemy import create_engine

    engine = create_engine(context.config.get_main_option("sqlalchemy.url") or "sqlite://")
    connection = engine.connect()

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,  # SQLite cannot ALTER most things; batch mode copies tables instead
)
with context.begin_transaction():
    context.run_migrations()
