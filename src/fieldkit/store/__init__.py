"""Persistence: SQLite through SQLAlchemy, the change log, migrations, backups. Only SQL lives here."""
