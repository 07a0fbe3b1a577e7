"""The schema revision this release expects (kept apart so checking it imports no SQLAlchemy)."""

# The newest Alembic revision; a test checks it against the scripts in migrations/versions.
HEAD = "0006_deliverables"
