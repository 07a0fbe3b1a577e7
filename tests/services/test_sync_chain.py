"""Team → directorate coordinator → national coordinator, and back: relayed operations keep their
origin, each hop applies its own rules, catalog updates reach the field, and a device that
restored an old backup gets back from its coordinator what it had sent before."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from service_helpers import enrol, new_device

from fieldkit.services import assistances, catalog, persons
from fieldkit.services.assistances import AssistanceInput
from fieldkit.services.profile import Profile, backup, dump, restore, set_role
from fieldkit.services.sync import export, import_bundles


@pytest.fixture
def chain(template: Path, tmp_path: Path) -> Iterator[tuple[Profile, Profile, Profile]]:
    national = new_device(template, tmp_path / "nacional", "Coordinación nacional")
    nariño = new_device(template, tmp_path / "narino", "Dirección Nariño")
    team = new_device(template, tmp_path / "tumaco", "Portátil Tumaco")
    catalog.import_directorates(national)
    enrol(national, nariño, tmp_path / "a", role="coordinator", directorates=["NAR"])
    set_role(team, "field")
    enrol(nariño, team, tmp_path / "b", directorates=["NAR"])
    try:
        yield national, nariño, team
    finally:
        for p in (national, nariño, team):
            p.close()


def send(source: Profile, target: Profile, folder: Path, name: str) -> list[tuple[str, str]]:
    """Export from `source` for `target` (by device id), import; the rejected reasons."""
    sent = export(source, folder / f"{name}.fkb", for_device=target.device_id)
    [result], _ = import_bundles(target, [sent.path])
    assert result.status == "applied", result.error
    return list(result.rejected)


def codes(p: Profile) -> set[str]:
    return {a.code for a in assistances.list_assistances(p)}


def test_a_directorate_coordinator_enrolled_nationally_relays_its_teams(
    chain: tuple[Profile, Profile, Profile], tmp_path: Path
) -> None:
    national, nariño, team = chain
    assert nariño.role == "coordinator" and nariño.values.get("scope_directorates") == "NAR"
    tumaco, _ = assistances.create_assistance(team, AssistanceInput("52835", "PAZ"))
    medellin, _ = assistances.create_assistance(team, AssistanceInput("05001", "PAZ"))
    rejected = send(team, nariño, tmp_path, "equipo-a-narino")
    assert tumaco in codes(nariño) and medellin not in codes(nariño)
    assert rejected and all("otra dirección territorial" in reason for _, reason in rejected)

    cali, _ = assistances.create_assistance(nariño, AssistanceInput("76001", "INNOVACION"))
    ipiales, _ = assistances.create_assistance(nariño, AssistanceInput("52356", "INNOVACION"))
    rejected = send(nariño, national, tmp_path, "narino-a-nacional")
    # The team's work arrives relayed, still signed by its origin; the directorate's own
    # work outside its scope does not.
    assert {tumaco, ipiales} <= codes(national) and cali not in codes(national)
    assert any("otra dirección territorial" in reason for _, reason in rejected)
    with national.read() as session:
        from fieldkit.store.models import Operation

        origins = {o for (o,) in session.query(Operation.origin).distinct()}
    assert team.device_id in origins and nariño.device_id in origins


def test_catalog_updates_and_national_decisions_reach_the_field_through_the_directorate(
    chain: tuple[Profile, Profile, Profile], tmp_path: Path
) -> None:
    national, nariño, team = chain
    tumaco, _ = assistances.create_assistance(team, AssistanceInput("52835", "PAZ"))
    send(team, nariño, tmp_path, "1")
    send(nariño, national, tmp_path, "2")
    # The national office renames a directorate, sets a category and moves the assistance on.
    catalog.save_directorate(national, "NAR", "Dirección Territorial Nariño", ["52"])
    catalog.set_category(national, "52835", "6")
    assistances.transition(national, tumaco, "cancelled", reason="Duplicada con otra solicitud")
    persons.save_person(national, name="Coordinadora Nacional", role="coordinator")
    send(national, nariño, tmp_path, "3")
    send(nariño, team, tmp_path, "4")
    names = {d.code: d.name for d in catalog.directorates(team)}
    assert names["NAR"] == "Dirección Territorial Nariño"
    assert catalog.municipality(team, "52835").category == "6"
    assert "Coordinadora Nacional" in {p.name for p in persons.list_persons(team)}
    assert assistances.get_assistance(team, tumaco).row.state == "cancelled"
    assert dump(team) == dump(nariño)


def test_after_restoring_an_old_backup_the_coordinator_sends_back_what_was_lost(
    chain: tuple[Profile, Profile, Profile], tmp_path: Path
) -> None:
    _national, nariño, team = chain
    first, _ = assistances.create_assistance(team, AssistanceInput("52835", "PAZ"))
    old = backup(team, "prueba")
    second, _ = assistances.create_assistance(team, AssistanceInput("52356", "PAZ"))
    send(team, nariño, tmp_path, "antes")
    assert {first, second} <= codes(nariño)
    restore(team, old)  # the laptop's disk failed; last week's copy comes back
    assert second not in codes(team)
    third, _ = assistances.create_assistance(team, AssistanceInput("52001", "PAZ"))
    assert third != second  # numbers handed out are never reused
    # The team's own run of operations now has a gap; its vector says so and the
    # coordinator fills it.
    send(team, nariño, tmp_path, "despues")
    send(nariño, team, tmp_path, "vuelta")
    assert {first, second, third} <= codes(team)
    assert dump(team) == dump(nariño)
