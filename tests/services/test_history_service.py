"""History and conflicts read as a person reads them: names, not ids; dd/mm/aaaa; labels."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from fieldkit.i18n import format_datetime, set_language
from fieldkit.services import assistances, catalog, history, persons
from fieldkit.services.assistances import AssistanceInput, CounterpartInput
from fieldkit.services.profile import Profile, set_role
from fieldkit.services.sync import (
    enrol_accept,
    enrol_complete,
    enrol_request,
    export,
    import_bundles,
)
from fieldkit.store.reader import as_datetime

UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-")


def texts(changes: list[history.Change]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for c in changes:
        out.setdefault(c.field, []).append(c.text)
    return out


@pytest.fixture
def tumaco(fresh: Profile) -> tuple[Profile, str, str, str]:
    """An assistance in Tumaco with a team of two, moved to «Concertada»."""
    lead, _c = persons.save_person(fresh, name="Ana María Quiñones", role="field_professional")
    student, _c = persons.save_person(fresh, name="Valentina Ortiz Nupan", role="student")
    code, _c = assistances.create_assistance(
        fresh,
        AssistanceInput(
            municipality_code="52835",
            thematic_line_code="PAZ",
            team=[lead, student],
            counterparts=[CounterpartInput("Luz Dary Angulo", "Secretaria de Planeación")],
            requested_on=dt.date(2026, 2, 3),
            start_on=dt.date(2026, 3, 2),
            end_on=dt.date(2026, 8, 28),
        ),
    )
    assistances.transition(fresh, code, "concerted")
    return fresh, code, lead, student


def test_an_assistance_history_shows_names_dates_and_state_labels(
    tumaco: tuple[Profile, str, str, str],
) -> None:
    profile, code, _lead, _student = tumaco
    detail = assistances.get_assistance(profile, code)
    changes = history.record_history(profile, detail.row.id)
    shown = texts(changes)
    assert shown["code"] == [code]
    assert shown["municipality_id"] == ["San Andrés de Tumaco (Nariño)"]
    assert shown["thematic_line_id"] == [
        next(o.name for o in catalog.thematic_lines(profile) if o.code == "PAZ")
    ]
    assert shown["state"] == ["Solicitada", "Concertada"]
    assert shown["requested_on"] == ["03/02/2026"]
    assert shown["start_on"] == ["02/03/2026"]
    assert shown["end_on"] == ["28/08/2026"]
    [created] = [c for c in changes if c.field == "created_at"]
    assert created.text == format_datetime(as_datetime(str(created.value)))
    assert re.fullmatch(r"\d\d/\d\d/\d{4} \d\d:\d\d", created.text)
    # Nothing a person reads is an id, an ISO date or a state code; the raw values stay.
    for c in changes:
        assert not UUID.search(c.text), c
        assert not re.search(r"\d{4}-\d\d-\d\d", c.text), c
    assert {c.value for c in changes if c.field == "state"} == {"requested", "concerted"}


def test_team_members_and_state_changes_name_the_person_and_the_assistance(
    tumaco: tuple[Profile, str, str, str],
) -> None:
    profile, code, lead, _student = tumaco
    member = next(
        r["record_id"]
        for r in profile.reader.rows(
            "SELECT record_id FROM operations WHERE entity = 'assistance_member'"
            " AND field = 'person_id' AND value = ?",
            (f'"{lead}"',),
        )
    )
    shown = texts(history.record_history(profile, member))
    assert shown["person_id"] == ["Ana María Quiñones"]
    assert shown["assistance_id"] == [code]
    assert shown["team_role"] == ["Líder"]

    move = next(
        r["record_id"]
        for r in profile.reader.rows(
            "SELECT record_id FROM operations WHERE entity = 'state_change'"
            " AND field = 'to_state' AND value = '\"concerted\"'"
        )
    )
    shown = texts(history.record_history(profile, move))
    assert (shown["from_state"], shown["to_state"]) == (["Solicitada"], ["Concertada"])
    assert shown["changed_at"][0][2] == "/"


def test_people_and_catalogs_read_with_labels_and_names(fresh: Profile) -> None:
    pid, _c = persons.save_person(fresh, name="Jhon Jairo Cuero", role="student", phone="315")
    persons.save_person(fresh, person_id=pid, name="Jhon Jairo Cuero", role="reviewer")
    shown = texts(history.record_history(fresh, pid))
    assert shown["role"] == ["Estudiante", "Revisor"]
    assert shown["active"] == ["Sí"]
    assert shown["phone"] == ["315", "—"]  # cleared: a dash, not "None"

    catalog.import_directorates(fresh)
    nar = next(d for d in catalog.directorates(fresh) if d.code == "NAR")
    directorate = catalog.record_id("directorate", "NAR")
    shown = texts(history.record_history(fresh, directorate))
    names = {o.code: o.name for o in catalog.departments(fresh)}
    assert shown["departments"][-1] == ", ".join(names[c] for c in nar.departments)
    assert "Nariño" in shown["departments"][-1]

    catalog.set_category(fresh, "52835", "6")
    shown = texts(history.record_history(fresh, catalog.municipality_id("52835")))
    assert shown["category"][-1] == "6 — Sexta"


def test_values_follow_the_language(tumaco: tuple[Profile, str, str, str]) -> None:
    profile, code, _lead, _student = tumaco
    set_language("en")
    try:
        detail = assistances.get_assistance(profile, code)
        shown = texts(history.record_history(profile, detail.row.id))
        assert shown["state"] == ["Requested", "Agreed"]
        assert shown["requested_on"] == ["03/02/2026"]  # dd/mm/aaaa in both languages
    finally:
        set_language("es")


def device(template: Path, folder: Path, name: str) -> Profile:
    shutil.copytree(template, folder)
    p = Profile(folder, device_name=name)
    p.store.set_profile(device_id=str(uuid.uuid4()), seq=0, hlc=None, keys=None)
    return p


@pytest.fixture
def pair(template: Path, tmp_path: Path) -> Iterator[tuple[Profile, Profile]]:
    office = device(template, tmp_path / "oficina", "Coordinación Nariño")
    team = device(template, tmp_path / "equipo", "Portátil Tumaco")
    set_role(team, "field")
    catalog.import_directorates(office)
    request = enrol_request(team, tmp_path / "solicitud.fkb")
    enrol_accept(office, request, tmp_path / "respuesta.fkb", directorates=["NAR"])
    enrol_complete(team, tmp_path / "respuesta.fkb")
    try:
        yield office, team
    finally:
        office.close()
        team.close()


def test_a_conflict_names_its_record_and_reads_both_values(
    pair: tuple[Profile, Profile], tmp_path: Path
) -> None:
    office, team = pair
    pid, _c = persons.save_person(team, name="Ana Rojas", role="field_professional")
    import_bundles(office, [export(team, tmp_path / "uno.fkb").path])
    persons.save_person(office, person_id=pid, name="Ana Rojas", role="coordinator")
    persons.save_person(team, person_id=pid, name="Ana Rojas", role="student")
    [result], _c = import_bundles(office, [export(team, tmp_path / "dos.fkb").path])
    assert result.conflicts == 1
    [conflict] = history.list_conflicts(office)
    assert conflict.record == "Ana Rojas"
    assert (conflict.mine.value, conflict.theirs.value) == ("coordinator", "student")
    assert (conflict.mine.text, conflict.theirs.text) == ("Coordinador", "Estudiante")
    history.resolve_conflict(office, conflict.id, "theirs")  # the raw value is what is written
    assert next(p.role for p in persons.list_persons(office) if p.id == pid) == "student"


def test_numbers_keep_every_decimal_with_the_locale_comma(fresh: Profile) -> None:
    values = history.Values(fresh, None)
    assert values.text("municipality", "latitude", 1.79861) == "1,79861"
    assert values.text("indicator_value", "value", 1234.5) == "1.234,5"
    assert values.text("indicator_value", "year", 2024) == "2024"  # not "2.024"
    assert values.text("thematic_line", "active", False) == "No"
    assert values.text("directorate", "departments", None) == "—"


# ------------------------------------------------------------------------------ action plans


def _plan(profile: Profile, code: str) -> tuple[str, str, str]:
    """A plan with one result and one activity: (plan id, result id, activity id)."""
    from fieldkit.services import plans

    plan_id, _c = plans.create_plan(
        profile, code, plans.PlanInput("Baja ejecución de proyectos", "Ejecutar los proyectos")
    )
    result, _c = plans.add_result(
        profile,
        plan_id,
        plans.ResultInput(
            "Proyectos de paz ejecutados a tiempo por la Secretaría de Planeación municipal",
            indicator_name="Proyectos ejecutados",
            indicator_type="product",
            baseline=1.0,
            target=6.0,
            due_on=dt.date(2026, 10, 30),
        ),
    )
    activity, _c = plans.add_activity(
        profile,
        plan_id,
        plans.ActivityInput(
            "Mesa técnica de seguimiento",
            result,
            responsible="municipality",
            responsible_name="Luz Dary Angulo",
            end_on=dt.date(2026, 6, 30),
        ),
    )
    return plan_id, result, activity


def test_plan_records_read_with_names_and_labels(
    tumaco: tuple[Profile, str, str, str], tmp_path: Path
) -> None:
    from fieldkit.services import plans

    profile, code, _lead, _student = tumaco
    plan_id, result, activity = _plan(profile, code)
    long = "Proyectos de paz ejecutados a tiempo por la Secretaría de…"

    shown = texts(history.record_history(profile, plan_id))
    assert shown["assistance_id"] == [code]
    assert shown["state"] == ["Borrador"]
    assert shown["problem"] == ["Baja ejecución de proyectos"]

    changes = history.record_history(profile, result)
    shown = texts(changes)
    assert shown["plan_id"] == [f"Plan de acción de {code}"]
    assert shown["indicator_type"] == ["Producto"]
    assert shown["direction"] == ["Aumentar"]
    assert shown["target"] == ["6"]
    assert shown["due_on"] == ["30/10/2026"]
    assert history.describe_field("result", "indicator_type") == (
        "Resultado esperado · tipo de indicador"
    )

    shown = texts(history.record_history(profile, activity))
    assert shown["result_id"] == [f"Resultado «{long}» del plan de {code}"]
    assert shown["responsible"] == ["Alcaldía"]
    assert shown["responsible_name"] == ["Luz Dary Angulo"]
    assert shown["end_on"] == ["30/06/2026"]

    evidence = tmp_path / "acta.pdf"
    evidence.write_bytes(b"%PDF-1.4 acta")
    follow_up, _c = plans.record_activity_progress(
        profile, activity, dt.date(2026, 3, 12), 100, note="Hecha", evidence=[evidence]
    )
    shown = texts(history.record_history(profile, follow_up))
    assert shown["activity_id"] == [f"Actividad «Mesa técnica de seguimiento» del plan de {code}"]
    assert shown["state"] == ["Completa"]
    assert shown["recorded_on"] == ["12/03/2026"]
    assert shown["progress"] == ["100"]
    measure, _c = plans.record_measurement(profile, result, dt.date(2026, 3, 13), 2.5)
    assert texts(history.record_history(profile, measure))["value"] == ["2,5"]

    finding, _c = plans.add_finding(profile, code, "Proyectos sin formular", priority=1)
    assert texts(history.record_history(profile, finding))["priority"] == ["Alta"]
    plans.link_finding(profile, finding, result)
    plans.submit(profile, plan_id)
    plans.return_plan(profile, plan_id, "Ajustar la meta")
    with profile.read() as session:
        values = history.Values(profile, session)
        assert values.record("follow_up", follow_up) == (
            "Seguimiento del 12/03/2026 de la actividad «Mesa técnica de seguimiento»"
        )
        assert values.record("follow_up", measure) == (
            f"Medición del 13/03/2026 del resultado «{long}»"
        )
        assert values.record("finding", finding) == (f"Hallazgo «Proyectos sin formular» de {code}")
        link = plans.link_id(plans.FINDING_RESULT, finding, result)
        assert values.record("plan_link", link) == (
            f"Hallazgo «Proyectos sin formular» de {code} → Resultado «{long}» del plan de {code}"
        )
        assert values.text("plan_link", "kind", "finding_result") == (
            "Hallazgo atendido por un resultado"
        )
        assert values.text("plan_link", "target_id", result).startswith("Resultado «")
    [version] = [r for r in profile.reader.rows("SELECT id FROM plan_versions")]
    changes = history.record_history(profile, version["id"])
    shown = texts(changes)
    assert shown["decision"] == ["Devuelto con comentarios"]
    assert shown["snapshot"] == ["resultados: 1; actividades: 1"]
    assert shown["plan_id"] == [f"Plan de acción de {code}"]
    assert re.fullmatch(r"\d\d/\d\d/\d{4} \d\d:\d\d", shown["submitted_at"][0])
    assert texts(history.record_history(profile, plan_id))["state"] == [
        "Borrador",
        "Enviado a revisión",
        "Borrador",
    ]
    for c in changes:
        assert not UUID.search(c.text), c


def test_a_conflict_on_a_result_names_the_result_and_its_plan(
    pair: tuple[Profile, Profile], tmp_path: Path
) -> None:
    from fieldkit.services import plans

    office, team = pair
    code, _c = assistances.create_assistance(
        team, AssistanceInput(municipality_code="52835", thematic_line_code="PAZ")
    )
    _plan_id, result, _activity = _plan(team, code)
    import_bundles(office, [export(team, tmp_path / "uno.fkb").path])
    base = plans.ResultInput(
        "Proyectos ejecutados",
        indicator_name="Proyectos ejecutados",
        baseline=1.0,
        target=6.0,
    )
    plans.update_result(office, result, base._replace(direction="increase", target=8.0))
    plans.update_result(team, result, base._replace(target=5.0))
    [imported], _c = import_bundles(office, [export(team, tmp_path / "dos.fkb").path])
    assert imported.conflicts == 1
    [conflict] = history.list_conflicts(office)
    assert conflict.record == f"Resultado «Proyectos ejecutados» del plan de {code}"
    assert history.describe_field(conflict.entity, conflict.field) == "Resultado esperado · meta"
    assert {conflict.mine.text, conflict.theirs.text} == {"8", "5"}
