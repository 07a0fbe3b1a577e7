"""The sync folder: devices that share a folder drop what their peers lack and pick up what is
addressed to them; a coordinator relays between teams; nothing is applied twice."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from service_helpers import enrol, new_device

from fieldkit.domain.errors import ValidationError
from fieldkit.services import assistances, catalog, persons, sync_folder
from fieldkit.services.assistances import AssistanceInput
from fieldkit.services.profile import Profile, dump, set_role


@pytest.fixture
def office_and_teams(template: Path, tmp_path: Path) -> Iterator[tuple[Profile, Profile, Profile]]:
    office = new_device(template, tmp_path / "oficina", "Coordinación Nariño")
    tumaco = new_device(template, tmp_path / "tumaco", "Portátil Tumaco")
    ipiales = new_device(template, tmp_path / "ipiales", "Portátil Ipiales")
    catalog.import_directorates(office)
    for team in (tumaco, ipiales):
        set_role(team, "field")
        enrol(office, team, tmp_path / "inscripcion", directorates=["NAR"])
    try:
        yield office, tumaco, ipiales
    finally:
        for p in (office, tumaco, ipiales):
            p.close()


@pytest.fixture
def shared(tmp_path: Path) -> Path:
    folder = tmp_path / "nube"
    folder.mkdir()
    return folder


def codes(p: Profile) -> set[str]:
    return {a.code for a in assistances.list_assistances(p)}


def test_a_folder_that_is_not_there_is_refused_in_words(fresh: Profile, tmp_path: Path) -> None:
    with pytest.raises(ValidationError) as caught:
        sync_folder.set_folder(fresh, tmp_path / "memoria-usb")
    assert "no existe o no está disponible" in caught.value.render()
    with pytest.raises(ValidationError, match="No hay carpeta de sincronización"):
        sync_folder.sync(fresh)
    assert sync_folder.settings(fresh).folder is None


def test_settings_are_kept_with_the_profile(fresh: Profile, shared: Path) -> None:
    sync_folder.set_folder(fresh, shared, on_start=False)
    assert sync_folder.settings(fresh) == (shared.resolve(), False)
    sync_folder.set_folder(fresh, None)
    assert sync_folder.settings(fresh).folder is None


def test_team_to_office_and_back_through_the_folder(
    office_and_teams: tuple[Profile, Profile, Profile], shared: Path
) -> None:
    office, tumaco, _ipiales = office_and_teams
    for p in (office, tumaco):
        sync_folder.set_folder(p, shared)
    code, _ = assistances.create_assistance(tumaco, AssistanceInput("52835", "PAZ"))

    sent, _ = sync_folder.sync(tumaco)
    [bundle] = sent.written
    assert bundle.recipient == "Coordinación Nariño"
    assert bundle.path.parent == shared
    assert bundle.path.name.startswith("de-portatil-tumaco-")
    assert "_para-coordinacion-narino-" in bundle.path.name

    got, _ = sync_folder.sync(office)
    assert [r.status for r in got.imported] == ["applied"]
    assert code in codes(office)
    again, _ = sync_folder.sync(office)  # the same bundle is not read again
    assert (again.imported, again.already) == ([], 1)

    pid, _ = persons.save_person(office, name="Marta Gómez", role="coordinator")
    back, _ = sync_folder.sync(office)
    assert {w.recipient for w in back.written} == {"Portátil Tumaco", "Portátil Ipiales"}
    home, _ = sync_folder.sync(tumaco)
    assert [r.status for r in home.imported] == ["applied"]
    assert "Marta Gómez" in {p.name for p in persons.list_persons(tumaco)}
    assert pid


def test_the_coordinator_relays_one_teams_work_to_the_other(
    office_and_teams: tuple[Profile, Profile, Profile], shared: Path
) -> None:
    office, tumaco, ipiales = office_and_teams
    for p in office_and_teams:
        sync_folder.set_folder(p, shared)
    code, _ = assistances.create_assistance(tumaco, AssistanceInput("52835", "PAZ"))
    sync_folder.sync(tumaco)
    sync_folder.sync(ipiales)  # nothing for it yet; its own bundle goes to the office
    sync_folder.sync(office)
    done, _ = sync_folder.sync(ipiales)
    assert [r.status for r in done.imported] == ["applied"]
    assert code in codes(ipiales)
    # Everyone in step: the three dumps agree once each has picked up what is addressed to it.
    sync_folder.sync(office)
    sync_folder.sync(tumaco)
    assert dump(office) == dump(tumaco) == dump(ipiales)


def test_a_newer_bundle_replaces_the_older_and_a_received_one_is_retired(
    office_and_teams: tuple[Profile, Profile, Profile], shared: Path
) -> None:
    office, tumaco, _ipiales = office_and_teams
    sync_folder.set_folder(office, shared)
    sync_folder.set_folder(tumaco, shared)
    first, _ = assistances.create_assistance(tumaco, AssistanceInput("52835", "PAZ"))
    one, _ = sync_folder.sync(tumaco)
    second, _ = assistances.create_assistance(tumaco, AssistanceInput("52356", "PAZ"))
    two, _ = sync_folder.sync(tumaco)
    assert one.written[0].path == two.written[0].path  # replaced, not piled up
    assert two.written[0].operations > one.written[0].operations
    assert len(list(shared.glob("*.fkb"))) == 1
    sync_folder.sync(office)
    assert {first, second} <= codes(office)
    # The office's bundle tells the team what it holds: the team's next sync retires its own.
    persons.save_person(office, name="Rosa Díaz", role="coordinator")
    sync_folder.sync(office)
    done, _ = sync_folder.sync(tumaco)
    assert done.removed == 1 and not done.written
    mine = [p for p in shared.glob("*.fkb") if p.name.startswith("de-portatil-tumaco")]
    assert mine == []


def test_an_incomplete_bundle_is_reported_and_tried_again(
    office_and_teams: tuple[Profile, Profile, Profile], shared: Path
) -> None:
    office, tumaco, _ipiales = office_and_teams
    sync_folder.set_folder(office, shared)
    code, _ = assistances.create_assistance(tumaco, AssistanceInput("52835", "PAZ"))
    [sent], _removed = sync_folder.send(tumaco, shared)
    whole = sent.path.read_bytes()
    sent.path.write_bytes(whole[: len(whole) // 2])  # a cloud client still copying it
    before = dump(office)
    half, _ = sync_folder.sync(office)
    assert [r.status for r in half.imported] == ["refused"]
    assert dump(office) == before
    sent.path.write_bytes(whole)
    later, _ = sync_folder.sync(office)
    assert [r.status for r in later.imported] == ["applied"]
    assert code in codes(office)


def test_dry_run_changes_nothing_and_writes_nothing(
    office_and_teams: tuple[Profile, Profile, Profile], shared: Path
) -> None:
    office, tumaco, _ipiales = office_and_teams
    assistances.create_assistance(tumaco, AssistanceInput("52835", "PAZ"))
    sync_folder.send(tumaco, shared)
    files = sorted(p.name for p in shared.iterdir())
    before = dump(office)
    preview, changes = sync_folder.sync(office, shared, dry_run=True)
    assert [r.status for r in preview.imported] == ["dry-run"]
    assert preview.imported[0].new_records > 0 and not changes.entities
    assert dump(office) == before
    assert sorted(p.name for p in shared.iterdir()) == files


def test_bundles_for_other_devices_are_left_alone(
    office_and_teams: tuple[Profile, Profile, Profile], shared: Path
) -> None:
    office, tumaco, ipiales = office_and_teams
    persons.save_person(office, name="Rosa Díaz", role="coordinator")
    sync_folder.send(office, shared)  # one for each team
    done, _ = sync_folder.sync(tumaco, shared)
    assert (len(done.imported), done.others) == (1, 1)
    assert len(list(shared.glob("*para-portatil-ipiales*"))) == 1
    assert "Rosa Díaz" not in {p.name for p in persons.list_persons(ipiales)}
