"""Alembic migrations: empty and populated databases, backup first, models and scripts agree."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect

from fieldkit.domain.errors import ProfileError
from fieldkit.services import assistances, persons
from fieldkit.services.assistances import AssistanceInput
from fieldkit.services.profile import Profile, dump
from fieldkit.store import backup, migrate, revision
from fieldkit.store.models import Base

FIXTURES = Path(__file__).parent / "fixtures"


def test_head_constant_matches_the_scripts() -> None:
    assert migrate.script_head() == revision.HEAD


def test_an_empty_database_migrates_to_a_schema_equal_to_the_models(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'x.sqlite'}")
    migrate.upgrade(engine)
    assert migrate.current_revision(engine) == revision.HEAD
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []


def test_pragmas_are_set(profile: Profile) -> None:
    with profile.store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_each_released_schema_fixture_opens_and_keeps_its_data(tmp_path: Path) -> None:
    """One fixture database per schema version (DESIGN §9): each opens, upgrades, keeps data."""
    fixtures = sorted(FIXTURES.glob("schema_*.sqlite"))
    assert fixtures, "tests/store/fixtures must hold one database per released schema"
    for fixture in fixtures:
        folder = tmp_path / fixture.stem
        folder.mkdir()
        shutil.copy(fixture, folder / "fieldkit.sqlite")
        expected = (FIXTURES / f"{fixture.stem}.dump.json").read_text("utf-8")
        with Profile(folder) as p:
            assert migrate.current_revision(p.store.engine) == revision.HEAD
            # Entities added by later schemas appear, empty; everything else is as it was.
            actual, before = json.loads(dump(p)), json.loads(expected)
            assert all(actual[k] == [] for k in actual.keys() - before.keys())
            assert {k: actual[k] for k in before} == before
            assert assistances.list_assistances(p), "the fixture has assistances"


def test_a_populated_database_is_backed_up_then_upgraded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "perfil"
    with Profile(data) as p:
        pid, _ = persons.save_person(p, name="Rosa Quiñones", role="field_professional")
        code, _ = assistances.create_assistance(
            p, AssistanceInput(municipality_code="52835", thematic_line_code="PAZ", team=[pid])
        )
        before = dump(p)
    # A later release adds a column: its migration must run after a backup, keeping the data.
    scripts = tmp_path / "migrations"
    shutil.copytree(migrate.MIGRATIONS, scripts)
    current = revision.HEAD
    (scripts / "versions" / "9999_test.py").write_text(
        f'''"""test: add a column"""
import sqlalchemy as sa
from alembic import op

revision = "9999_test"
down_revision = "{current}"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("assistances") as batch:
        batch.add_column(sa.Column("extra", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("assistances") as batch:
        batch.drop_column("extra")
''',
        encoding="utf-8",
    )
    monkeypatch.setattr(migrate, "MIGRATIONS", scripts)
    monkeypatch.setattr(revision, "HEAD", "9999_test")
    with Profile(data) as p:
        assert migrate.current_revision(p.store.engine) == "9999_test"
        assert "extra" in {c["name"] for c in inspect(p.store.engine).get_columns("assistances")}
        assert dump(p) == before
        assert assistances.get_assistance(p, code).row.municipality_code == "52835"
    saved = [b for b in backup.list_backups(data) if b.name.endswith("antes-de-migrar.sqlite")]
    assert len(saved) == 1
    conn = sqlite3.connect(saved[0])
    try:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] == current
        assert conn.execute("SELECT count(*) FROM assistances").fetchone()[0] == 1
    finally:
        conn.close()


def test_a_database_from_a_newer_release_is_refused_untouched(tmp_path: Path) -> None:
    data = tmp_path / "perfil"
    Profile(data).close()
    db = data / "fieldkit.sqlite"
    conn = sqlite3.connect(db)
    conn.execute("UPDATE alembic_version SET version_num='9999_future'")
    conn.commit()
    conn.close()
    before = db.read_bytes()
    with pytest.raises(ProfileError, match="más reciente"):
        Profile(data)
    assert db.read_bytes() == before


def test_a_corrupt_database_gives_a_clear_message(tmp_path: Path) -> None:
    data = tmp_path / "perfil"
    data.mkdir()
    (data / "fieldkit.sqlite").write_bytes(b"esto no es una base de datos" * 100)
    with pytest.raises(ProfileError, match="dañada"):
        Profile(data)


def test_a_foreign_sqlite_file_in_the_profile_is_refused_untouched(tmp_path: Path) -> None:
    data = tmp_path / "perfil"
    data.mkdir()
    db = data / "fieldkit.sqlite"
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE persons (x)")  # clashes with one of ours, too
    conn.execute("INSERT INTO persons VALUES (1)")
    conn.commit()
    conn.close()
    before = db.read_bytes()
    with pytest.raises(ProfileError, match="no de fieldkit"):
        Profile(data)
    assert db.read_bytes() == before
    assert not backup.list_backups(data)
