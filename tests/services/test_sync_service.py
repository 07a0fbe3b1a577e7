"""Sync end to end: enrol, export what the peer lacks, import with dry run, scope and quarantine."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from service_helpers import new_device

from fieldkit.services import assistances, catalog, persons
from fieldkit.services.assistances import AssistanceInput, CounterpartInput
from fieldkit.services.profile import Profile, dump, set_role, status
from fieldkit.services.sync import (
    enrol_accept,
    enrol_complete,
    enrol_request,
    export,
    import_bundles,
    list_peers,
)


@pytest.fixture
def pair(template: Path, tmp_path: Path):  # type: ignore[no-untyped-def]
    office = new_device(template, tmp_path / "oficina", "Coordinación Nariño")
    team = new_device(template, tmp_path / "equipo", "Portátil Tumaco")
    set_role(team, "field")
    catalog.import_directorates(office)
    request = enrol_request(team, tmp_path / "solicitud.fkb")
    enrolled = enrol_accept(office, request, tmp_path / "respuesta.fkb", directorates=["NAR"])
    assert (enrolled.name, enrolled.role, enrolled.directorates) == (
        "Portátil Tumaco",
        "field",
        ("NAR",),
    )
    coordinator = enrol_complete(team, tmp_path / "respuesta.fkb")
    assert coordinator.name == "Coordinación Nariño"
    try:
        yield office, team
    finally:
        office.close()
        team.close()


def test_enrolment_gives_trust_scope_and_the_catalogs(pair: tuple[Profile, Profile]) -> None:
    office, team = pair
    assert team.role == "field"
    assert [p.relation for p in list_peers(team)] == ["coordinator"]
    assert [(p.relation, p.role, p.directorates) for p in list_peers(office)] == [
        ("member", "field", "NAR")
    ]
    assert len(catalog.directorates(team)) == 16  # the coordinator's catalogs came along


def test_export_dry_run_import_and_reimport(pair: tuple[Profile, Profile], tmp_path: Path) -> None:
    office, team = pair
    pid, _ = persons.save_person(team, name="Ana Rojas", role="field_professional")
    tumaco, _ = assistances.create_assistance(
        team,
        AssistanceInput(
            "52835", "PAZ", team=[pid], counterparts=[CounterpartInput("Luis Pérez", "Planeación")]
        ),
    )
    assistances.transition(team, tumaco, "concerted")
    medellin, _ = assistances.create_assistance(team, AssistanceInput("05001", "PAZ"))
    sent = export(team, tmp_path / "tumaco.fkb")
    assert sent.encrypted and sent.operations > 20
    before = dump(office)
    [dry], changes = import_bundles(office, [sent.path], dry_run=True)
    assert dry.status == "dry-run" and dry.new_records > 0 and not changes.entities
    assert dump(office) == before  # a dry run changes nothing
    [done], _ = import_bundles(office, [sent.path])
    assert done.status == "applied" and done.new_records == dry.new_records
    codes = {a.code for a in assistances.list_assistances(office)}
    assert tumaco in codes and medellin not in codes  # Medellín is outside the team's scope
    assert any("otra dirección territorial" in reason for _, reason in done.rejected)
    assert [h.to_state for h in assistances.get_assistance(office, tumaco).history] == [
        "requested",
        "concerted",
    ]
    after = dump(office)
    [again], _ = import_bundles(office, [sent.path])
    assert again.duplicates == again.received - len(again.rejected) and again.new_records == 0
    assert dump(office) == after  # importing the same bundle twice changes nothing
    # The way back: the coordinator's own edits reach the team, and only what it lacks.
    assistances.transition(office, tumaco, "diagnosed")
    back = export(office, tmp_path / "vuelta.fkb", for_device=team.device_id)
    [home], _ = import_bundles(team, [back.path])
    assert home.status == "applied"
    assert assistances.get_assistance(team, tumaco).row.state == "diagnosed"


def test_unknown_senders_wait_in_quarantine(
    pair: tuple[Profile, Profile], template: Path, tmp_path: Path
) -> None:
    office, _team = pair
    stranger = new_device(template, tmp_path / "extraño", "Equipo desconocido")
    try:
        set_role(stranger, "coordinator")
        enrol_request(stranger, tmp_path / "x.fkb")  # keys exist; it was never accepted
        persons.save_person(stranger, name="Nadie", role="student")
        from fieldkit.services.sync import _write
        from fieldkit.store.merge import operations_after

        with stranger.read() as session:
            ops = list(operations_after(session, {}))
        inbox = tmp_path / "entrada"
        inbox.mkdir()
        _write(
            stranger,
            inbox / "extraño.fkb",
            recipient=None,
            operations=ops,
            vector={},
            kind="changes",
        )
        before = dump(office)
        [result], _ = import_bundles(office, [inbox])  # a whole folder
        assert result.status == "quarantined" and result.sender == "Equipo desconocido"
        assert (office.data_dir / "cuarentena" / "extraño.fkb").exists()
        assert dump(office) == before
    finally:
        stranger.close()


def test_a_tampered_bundle_is_refused_and_changes_nothing(
    pair: tuple[Profile, Profile], tmp_path: Path
) -> None:
    office, team = pair
    persons.save_person(team, name="Ana", role="student")
    sent = export(team, tmp_path / "b.fkb")
    data = bytearray(sent.path.read_bytes())
    data[len(data) // 2] ^= 0x01
    broken = tmp_path / "roto.fkb"
    broken.write_bytes(bytes(data))
    before, ops_before = dump(office), status(office).operations
    [result], _ = import_bundles(office, [broken])
    assert result.status == "refused" and result.error is not None
    assert dump(office) == before and status(office).operations == ops_before


def test_export_without_enrolment_says_what_to_do(template: Path, tmp_path: Path) -> None:
    from fieldkit.domain.errors import ValidationError

    alone = new_device(template, tmp_path / "solo", "Solo")
    try:
        with pytest.raises(ValidationError, match="no está inscrito"):
            export(alone, tmp_path / "x.fkb")
    finally:
        alone.close()


def test_an_import_killed_at_any_moment_leaves_before_or_after_never_between(
    pair: tuple[Profile, Profile], tmp_path: Path
) -> None:
    import os
    import signal
    import subprocess
    import sys
    import time

    from fieldkit.services import demo
    from fieldkit.services.profile import restore

    office, team = pair
    demo.generate(
        team,
        scale=demo.Scale(
            municipalities=6,
            assistances=40,
            field_professionals=4,
            students=2,
            coordinators=1,
            reviewers=1,
        ),
        seed=2,
    )
    sent = export(team, tmp_path / "grande.fkb")
    office_dir = office.data_dir
    before = dump(office)
    office.close()
    # The full result, computed once on a copy.
    shutil.copytree(office_dir, tmp_path / "copia")
    with Profile(tmp_path / "copia") as copy:
        import_bundles(copy, [sent.path])
        after = dump(copy)
    assert after != before
    env = {k: v for k, v in os.environ.items() if k not in ("FIELDKIT_LANG", "FIELDKIT_DATA_DIR")}
    seen = set()
    for delay in (0.3, 0.6, 0.9, 1.2, 1.6, 2.2, 3.0):
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "fieldkit",
                "--data-dir",
                str(office_dir),
                "import",
                str(sent.path),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=env,
        )
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=60)
        with Profile(office_dir) as p:
            state = dump(p)
            assert state in (before, after), f"half an import after a kill at {delay} s"
            seen.add("after" if state == after else "before")
            if state == after:
                # Put it back the way a person would: restore the backup taken before importing.
                backups = sorted((office_dir / "backups").glob("*antes-de-importar*"))
                restore(p, backups[-1])
                assert dump(p) == before
    with Profile(office_dir) as p:
        [result], _ = import_bundles(p, [sent.path])  # re-importing gives the full result
        assert result.status == "applied"
        assert dump(p) == after
    assert "before" in seen  # at least one kill landed before the commit


def test_a_coordinator_accepts_a_quarantined_sender_and_its_bundle_applies_within_scope(
    pair: tuple[Profile, Profile], template: Path, tmp_path: Path
) -> None:
    from fieldkit.domain.errors import AuthorizationError
    from fieldkit.services.sync import _write, accept_quarantined, list_quarantine
    from fieldkit.store.merge import operations_after

    office, team = pair
    newcomer = new_device(template, tmp_path / "nuevo", "Portátil Ipiales")
    try:
        catalog.import_directorates(newcomer)
        ipiales, _ = assistances.create_assistance(newcomer, AssistanceInput("52356", "INNOVACION"))
        cali, _ = assistances.create_assistance(newcomer, AssistanceInput("76001", "INNOVACION"))
        with newcomer.read() as session:
            ops = list(operations_after(session, {}))
        inbox = tmp_path / "entrada"
        inbox.mkdir()
        _write(
            newcomer,
            inbox / "ipiales.fkb",
            recipient=None,
            operations=ops,
            vector={},
            kind="changes",
        )
        [waiting], _ = import_bundles(office, [inbox])
        assert waiting.status == "quarantined"
        [listed] = list_quarantine(office)
        assert (listed.file, listed.sender) == ("ipiales.fkb", "Portátil Ipiales")
        with pytest.raises(AuthorizationError):
            accept_quarantined(team, "ipiales.fkb")  # a field device accepts no one
        result = accept_quarantined(office, "ipiales.fkb", role="field", directorates=["NAR"])
        assert result.status == "applied"
        codes = {a.code for a in assistances.list_assistances(office)}
        assert ipiales in codes and cali not in codes  # Cali (Valle) is outside the scope given
        assert list_quarantine(office) == []
        assert ("Portátil Ipiales", "member", "field") in {
            (p.name, p.relation, p.role) for p in list_peers(office)
        }
    finally:
        newcomer.close()


def test_import_reports_progress_per_bundle_and_stops_between_bundles_on_cancel(
    pair: tuple[Profile, Profile], tmp_path: Path
) -> None:
    office, team = pair
    bundles = []
    for n, municipality in enumerate(("52835", "52356", "52001")):
        assistances.create_assistance(team, AssistanceInput(municipality, "PAZ"))
        bundles.append(export(team, tmp_path / f"{n}.fkb").path)
    calls: list[tuple[int, int, str]] = []

    def stop_after_two(done: int, total: int, name: str) -> bool:
        calls.append((done, total, name))
        return done == 2  # Cancelar pressed while the second bundle was being applied

    results, _ = import_bundles(office, bundles, progress=stop_after_two)
    assert calls == [(0, 3, "0.fkb"), (1, 3, "1.fkb"), (2, 3, "2.fkb")]
    assert [r.status for r in results] == ["applied", "applied"]
    assert {a.municipality_code for a in assistances.list_assistances(office)} == {
        "52835",
        "52356",
    }
    [rest], _ = import_bundles(office, [bundles[2]])  # the rest, another time
    assert rest.status == "applied" and rest.new_records >= 1
