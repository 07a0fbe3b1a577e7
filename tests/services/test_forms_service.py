"""Instruments and fillings through the services: defaults, drafts, completion, attendance totals,
attachments, published versions, and two laptops filling one diagnostic."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from service_helpers import enrol, new_device

from fieldkit.domain.errors import AuthorizationError, NotFoundError, ValidationError
from fieldkit.services import assistances, catalog, forms
from fieldkit.services.assistances import AssistanceInput
from fieldkit.services.history import list_conflicts
from fieldkit.services.profile import Profile, set_role
from fieldkit.services.sync import export, import_bundles


@pytest.fixture
def assistance(fresh: Profile) -> str:
    code, _ = assistances.create_assistance(fresh, AssistanceInput("52835", "PAZ"))
    return code


def test_the_shipped_instruments_are_listed_by_kind(fresh: Profile) -> None:
    listed = forms.instruments(fresh)
    assert [i.kind for i in listed] == [
        "diagnostic",
        "module",
        "module",
        "module",
        "visit",
        "survey",
    ]
    assert {i.form_id: i.thematic_line_code for i in listed if i.kind == "module"} == {
        "modulo_innovacion_publica": "INNOVACION",
        "modulo_etnicos_inclusion_genero": "ETNICOS",
        "modulo_consolidacion_paz": "PAZ",
    }
    assert all(i.source == "shipped" and i.version for i in listed)


def fill_visit(profile: Profile, submission_id: str, people: list[dict[str, str]]) -> None:
    state = forms.open_state(profile, submission_id)
    for name, value in {
        "hora_inicio": "09:00",
        "hora_fin": "12:30",
        "modalidad": "presencial",
        "lugar": "alcaldia",
        "etapa": "diagnostico",
        "acta": "Se revisó el plan de desarrollo con la Secretaría de Planeación.",
    }.items():
        state.set_answer(name, value)
    state.set_answer("proposito", [state.visible_choices("proposito")[0].name])
    for n, person in enumerate(people, start=1):
        state.add_repeat("asistentes")
        state.set_answer("consentimiento", "si", repeat_path=(n,))
        for name, value in person.items():
            state.set_answer(name, value, repeat_path=(n,))
    forms.save_answers(profile, submission_id, state.answers())


def test_a_visit_log_starts_with_defaults_keeps_drafts_and_counts_attendance(
    fresh: Profile, assistance: str
) -> None:
    sid, _ = forms.start(fresh, assistance, "bitacora_visita")
    assert forms.stored_answers(fresh, sid)["fecha"] == dt.date.today().isoformat()
    with pytest.raises(ValidationError) as refused:
        forms.complete(fresh, sid)
    text = refused.value.render()
    assert "No se puede completar" in text and "asistentes[" not in text  # labels, not keys
    people = [
        {"nombre": "Luz Dary Angulo", "sexo": "mujer", "etnia": "negro", "victima": "si"},
        {"nombre": "Wilmer Castillo", "sexo": "hombre", "etnia": "ninguno", "victima": "no"},
        {"nombre": "Rosa Quiñones", "sexo": "mujer", "etnia": "indigena", "victima": "no"},
    ]
    fill_visit(fresh, sid, people)
    reopened = forms.open_state(fresh, sid)
    assert reopened.repeat_count("asistentes") == 3
    assert reopened.value("nombre", (2,)) == "Wilmer Castillo"
    [visit] = forms.visits(fresh, assistance)
    assert visit.attendance.total == 3
    assert visit.attendance.sex == {"mujer": 2, "hombre": 1}
    assert visit.attendance.ethnicity == {"negro": 1, "ninguno": 1, "indigena": 1}
    assert visit.attendance.victim == {"si": 1, "no": 2}
    assert visit.attendance.disability == {"sin_dato": 3}  # unanswered still adds up
    missing = [e for e in forms.open_state(fresh, sid).validate()]
    if missing:  # whatever the form still requires, completing names it
        with pytest.raises(ValidationError):
            forms.complete(fresh, sid)
        state = forms.open_state(fresh, sid)
        for e in missing:
            q = state.form.elements[e.name]
            choices = state.visible_choices(e.name, e.repeat_path) if q.choices else ()
            state.set_answer(e.name, choices[0].name if choices else "Sin novedad", e.repeat_path)
        forms.save_answers(fresh, sid, state.answers())
    forms.complete(fresh, sid)
    assert forms.get_submission(fresh, sid).status == "complete"
    with pytest.raises(ValidationError, match="reábralo"):
        forms.save_answers(fresh, sid, {})
    forms.reopen(fresh, sid)
    assert forms.get_submission(fresh, sid).status == "draft"
    # Two visits add up on the assistance.
    second, _ = forms.start(fresh, assistance, "bitacora_visita")
    fill_visit(fresh, second, people[:1])
    total = forms.assistance_attendance(fresh, assistance)
    assert total.total == 4 and total.sex["mujer"] == 3


def test_clearing_and_removing_rows_clears_the_stored_answers(
    fresh: Profile, assistance: str
) -> None:
    sid, _ = forms.start(fresh, assistance, "bitacora_visita")
    fill_visit(
        fresh, sid, [{"nombre": "Ana", "sexo": "mujer"}, {"nombre": "Beto", "sexo": "hombre"}]
    )
    state = forms.open_state(fresh, sid)
    state.remove_repeat("asistentes", 1)
    forms.save_answers(fresh, sid, state.answers())
    stored = forms.stored_answers(fresh, sid)
    assert [v for k, v in stored.items() if k.endswith("/nombre")] == ["Beto"]
    assert forms.visits(fresh, assistance)[0].attendance.total == 1


def test_attachments_are_stored_once_and_reopen(
    fresh: Profile, assistance: str, tmp_path: Path
) -> None:
    sid, _ = forms.start(fresh, assistance, "bitacora_visita")
    photo = tmp_path / "foto-reunion.jpg"
    photo.write_bytes(b"\xff\xd8\xff\xe0" + b"reunion en la alcaldia" * 500)
    row, _ = forms.attach(fresh, "submission", sid, photo, caption="Mesa de trabajo")
    assert row.media_type == "image/jpeg" and row.size == photo.stat().st_size
    state = forms.open_state(fresh, sid)
    state.set_answer("foto", row.id)
    forms.save_answers(fresh, sid, state.answers())
    assert forms.attachment_path(fresh, row.id).read_bytes() == photo.read_bytes()
    again, _ = forms.attach(fresh, "submission", sid, photo)
    assert again.sha256 == row.sha256 and again.id != row.id
    with pytest.raises(ValidationError, match="No existe el archivo"):
        forms.attach(fresh, "submission", sid, tmp_path / "no-esta.jpg")


@pytest.fixture
def office_and_team(template: Path, tmp_path: Path) -> Iterator[tuple[Profile, Profile]]:
    office = new_device(template, tmp_path / "oficina", "Coordinación Nariño")
    team = new_device(template, tmp_path / "equipo", "Portátil Tumaco")
    catalog.import_directorates(office)
    set_role(team, "field")
    enrol(office, team, tmp_path / "inscripcion", directorates=["NAR"])
    try:
        yield office, team
    finally:
        office.close()
        team.close()


def send(source: Profile, target: Profile, path: Path) -> None:
    sent = export(source, path, for_device=target.device_id)
    [result], _ = import_bundles(target, [sent.path])
    assert result.status == "applied" and not result.rejected, result.rejected


def test_two_laptops_fill_one_diagnostic_and_merge_by_question(
    office_and_team: tuple[Profile, Profile], tmp_path: Path
) -> None:
    office, team = office_and_team
    code, _ = assistances.create_assistance(team, AssistanceInput("52835", "PAZ"))
    sid, _ = forms.start(team, code, "diagnostico_capacidad_institucional")
    photo = tmp_path / "organigrama.png"
    photo.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40)
    attached, _ = forms.attach(team, "submission", sid, photo)
    send(team, office, tmp_path / "1.fkb")
    assert forms.attachment_path(office, attached.id).read_bytes() == photo.read_bytes()
    # The team answers planning, the office answers finances, both set the same question.
    team_state = forms.open_state(team, sid)
    team_state.set_answer("pdt", team_state.visible_choices("pdt")[3].name)
    team_state.set_answer("n_informantes", 4)
    forms.save_answers(team, sid, team_state.answers())
    office_state = forms.open_state(office, sid)
    office_state.set_answer("categoria", office_state.visible_choices("categoria")[-1].name)
    office_state.set_answer("n_informantes", 6)
    forms.save_answers(office, sid, office_state.answers())
    send(team, office, tmp_path / "2.fkb")
    send(office, team, tmp_path / "3.fkb")
    merged_team, merged_office = forms.stored_answers(team, sid), forms.stored_answers(office, sid)
    assert merged_team == merged_office
    assert merged_team["pdt"] == team_state.value("pdt")
    assert merged_team["categoria"] == office_state.value("categoria")
    conflicts = [c for c in list_conflicts(office) if c.entity == "answer"]
    [conflict] = conflicts  # only the question both answered differently
    assert conflict.field == "value" and {conflict.mine.value, conflict.theirs.value} == {"4", "6"}
    assert conflict.record.startswith("«n_informantes» en diagnostico_capacidad_institucional")


def test_a_published_version_reaches_the_team_and_old_fillings_keep_theirs(
    office_and_team: tuple[Profile, Profile], tmp_path: Path
) -> None:
    import shutil

    import openpyxl

    office, team = office_and_team
    code, _ = assistances.create_assistance(team, AssistanceInput("52835", "PAZ"))
    old, _ = forms.start(team, code, "encuesta_satisfaccion")
    newer = tmp_path / "encuesta_v2.xlsx"
    shutil.copy(forms.SHIPPED_DIR / "encuesta_satisfaccion.xlsx", newer)
    book = openpyxl.load_workbook(newer)
    settings = book["settings"]
    header = [c.value for c in settings[1]]
    settings.cell(row=2, column=header.index("version") + 1, value="2027010101")
    book.save(newer)
    with pytest.raises(AuthorizationError):
        forms.publish(team, newer, kind="survey")
    published = forms.publish(office, newer, kind="survey")
    assert published.version == "2027010101" and published.source == "published"
    with pytest.raises(ValidationError, match="Ya existe la versión"):
        forms.publish(office, newer, kind="survey")
    send(office, team, tmp_path / "formulario.fkb")
    [survey] = [i for i in forms.instruments(team) if i.form_id == "encuesta_satisfaccion"]
    assert survey.version == "2027010101"
    new, _ = forms.start(team, code, "encuesta_satisfaccion")
    assert forms.get_submission(team, new).form_version == "2027010101"
    assert forms.open_state(team, old).form.version == forms.get_submission(team, old).form_version
    with pytest.raises(NotFoundError, match="no está en este equipo"):
        forms.form_definition(team, "encuesta_satisfaccion", "1999")
