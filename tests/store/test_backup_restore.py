"""Backups with SQLite's online API and restores that refuse what is not this profile's."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from fieldkit.domain.errors import RestoreError
from fieldkit.services import assistances, persons
from fieldkit.services.assistances import AssistanceInput
from fieldkit.services.profile import Profile, backup, dump, list_backups, restore, status
from fieldkit.store import backup as backup_files


def test_backup_restore_round_trip(profile: Profile) -> None:
    persons.save_person(profile, name="Antes de la copia", role="student")
    saved_dump = dump(profile)
    copy = backup(profile)
    assert copy.exists() and copy.parent == profile.data_dir / "backups"
    seq_at_backup = int(profile.values["seq"] or 0)
    code, _ = assistances.create_assistance(
        profile, AssistanceInput(municipality_code="19050", thematic_line_code="PAZ")
    )
    seq_after = int(profile.values["seq"] or 0)
    assert seq_after > seq_at_backup
    safety = restore(profile, copy)
    assert dump(profile) == saved_dump
    assert not assistances.list_assistances(profile)
    # The device never reuses a sequence number it may already have given to others.
    assert int(profile.values["seq"] or 0) == seq_after
    new_code, _ = assistances.create_assistance(
        profile, AssistanceInput(municipality_code="19050", thematic_line_code="PAZ")
    )
    # The lost assistance's code may already be known elsewhere: it is never handed out again.
    assert new_code != code
    assert safety in list_backups(profile)
    # The safety copy holds the state just before the restore, with the first assistance.
    restore(profile, safety)
    assert [a.code for a in assistances.list_assistances(profile)] == [code]


def test_restore_refuses_files_that_are_not_fieldkit_backups(
    profile: Profile, tmp_path: Path
) -> None:
    persons.save_person(profile, name="Dato valioso", role="student")
    before = dump(profile)
    text = tmp_path / "notas.txt"
    text.write_text("hola", encoding="utf-8")
    other = tmp_path / "otra.sqlite"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE cosas (x)")
    conn.commit()
    conn.close()
    truncated = tmp_path / "cortada.sqlite"
    good = backup(profile)
    truncated.write_bytes(good.read_bytes()[: good.stat().st_size // 3])
    for bad, message in [
        (text, "no es una base de datos SQLite"),
        (other, "no de fieldkit"),
        (truncated, "dañad"),
        (tmp_path / "no-existe.sqlite", "No existe"),
    ]:
        with pytest.raises(RestoreError, match=message):
            restore(profile, bad)
        assert dump(profile) == before


def test_restore_refuses_another_devices_backup(profile: Profile, tmp_path: Path) -> None:
    with Profile(tmp_path / "otro", device_name="Otro portátil") as other:
        foreign = backup(other)
    before = dump(profile)
    with pytest.raises(RestoreError, match="otro dispositivo"):
        restore(profile, foreign)
    assert dump(profile) == before


def test_backups_rotate(profile: Profile) -> None:
    for _ in range(5):
        backup_files.backup_database(profile.store.db_path, profile.data_dir, "manual", keep=3)
    assert len(backup_files.list_backups(profile.data_dir)) == 3


def test_daily_backup_is_taken_when_an_existing_profile_opens(tmp_path: Path) -> None:
    data = tmp_path / "perfil"
    Profile(data).close()
    shutil.rmtree(data / "backups", ignore_errors=True)
    with Profile(data) as p:
        p.store.wait_for_backup()  # the daily copy runs in the background, off the first window
        names = [b.name for b in backup_files.list_backups(data)]
        assert any(n.endswith("-diaria.sqlite") for n in names)
        assert status(p).backups == 1
    with Profile(data):
        assert len(backup_files.list_backups(data)) == 1  # once a day, not at every start


def test_restore_from_a_folder_whose_name_has_hash_and_question_marks(
    profile: Profile, tmp_path: Path
) -> None:
    persons.save_person(profile, name="En la copia", role="student")
    folder = tmp_path / "copias #1 ¿buenas? 100%"
    folder.mkdir()
    copy = folder / "copia.sqlite"
    shutil.copy(backup(profile), copy)
    persons.save_person(profile, name="Después de la copia", role="student")
    restore(profile, copy)
    names = {p.name for p in persons.list_persons(profile)}
    assert "En la copia" in names and "Después de la copia" not in names
