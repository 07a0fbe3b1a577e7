"""The monitoring workbook through the services: one sheet per entity with the rows the services
list, typed cells (dates, numbers, percents), frozen headers, filters and widths, text that looks
like a formula kept as text, pseudonymized attendance, and a cancelled export that leaves nothing.
Every workbook is read back with openpyxl and, for the formulas, as the zip's XML."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from fieldkit.domain.errors import ValidationError
from fieldkit.services import assistances, catalog, deliverables, forms, persons, plans
from fieldkit.services.assistances import AssistanceInput, CounterpartInput
from fieldkit.services.deliverables import DeliverableInput, DeliveryInput, ItemComment
from fieldkit.services.plans import ActivityInput, PlanInput, ResultInput
from fieldkit.services.profile import Profile
from fieldkit.services.workbook import ExportCancelled, WorkbookResult, export_workbook

TODAY = dt.date.today()
SHEETS = [
    "Asistencias",
    "Planes",
    "Resultados",
    "Actividades",
    "Seguimientos",
    "Visitas",
    "Asistentes",
    "Entregables",
    "Encuestas",
]
FORMULA = '=HYPERLINK("http://x")'
PHONE = "+57 300"
PEOPLE = [
    {
        "nombre": FORMULA,
        "tipo_doc": "cc",
        "num_doc": "1087654321",
        "sexo": "mujer",
        "etnia": "negro",
        "victima": "si",
        "discapacidad": "no",
        "entidad": "Alcaldía municipal",
        "cargo": "Secretaria de Planeación",
    },
    {
        "nombre": PHONE,
        "tipo_doc": "ce",
        "num_doc": "98765432",
        "sexo": "hombre",
        "etnia": "ninguno",
        "victima": "no",
        "entidad": "Concejo municipal",
        "cargo": "@concejal",
    },
    {
        "nombre": "Rosa Quiñones Castillo",
        "tipo_doc": "cc",
        "num_doc": "27123456",
        "sexo": "mujer",
        "etnia": "indigena",
        "victima": "prefiere_no_decir",
        "discapacidad": "si",
        "entidad": "Personería municipal",
        "cargo": "Personera",
    },
]


def days(n: int) -> dt.date:
    return TODAY + dt.timedelta(days=n)


class Built(NamedTuple):
    profile: Profile
    code: str  # the assistance with a plan, visits and deliverables
    other: str  # an assistance just requested
    delivered: str  # deliverable id
    returned: str


def fill_visit(profile: Profile, code: str, day: dt.date, people: list[dict[str, str]]) -> str:
    sid, _ = forms.start(profile, code, "bitacora_visita")
    state = forms.open_state(profile, sid)
    for name, value in {
        "fecha": day.isoformat(),
        "hora_inicio": "09:00",
        "hora_fin": "12:30",
        "modalidad": "presencial",
        "lugar": "alcaldia",
        "etapa": "ejecucion",
        "acta": "Mesa técnica de seguimiento del plan con la Secretaría de Planeación.",
    }.items():
        state.set_answer(name, value)
    state.set_answer("proposito", ["mesa_tecnica"])
    for n, person in enumerate(people, start=1):
        state.add_repeat("asistentes")
        state.set_answer("consentimiento", "si", repeat_path=(n,))
        for name, value in person.items():
            state.set_answer(name, value, repeat_path=(n,))
    forms.save_answers(profile, sid, state.answers())
    return sid


def build(profile: Profile, folder: Path) -> Built:
    folder.mkdir()
    evidence = folder / "lista-asistencia.jpg"
    evidence.write_bytes(b"\xff\xd8\xff\xe0 lista de asistencia " * 20)
    manual = folder / "manual.pdf"
    manual.write_bytes(b"%PDF-1.4 manual de procesos " * 40)
    catalog.import_directorates(profile)
    lead, _ = persons.save_person(profile, name="Ana María Quiñones", role="field_professional")
    member, _ = persons.save_person(profile, name="Valentina Ortiz Nupan", role="student")
    code, _ = assistances.create_assistance(
        profile,
        AssistanceInput(
            "52835",
            "PAZ",
            team=(lead, member),
            counterparts=(
                CounterpartInput("Luz Dary Angulo", "Secretaria de Planeación"),
                CounterpartInput("Wilmer Castillo", "Jefe de Control Interno"),
            ),
            requested_on=days(-120),
            start_on=days(-100),
            end_on=days(120),
        ),
    )
    other, _ = assistances.create_assistance(profile, AssistanceInput("05001", "INNOVACION"))

    plan_id, _ = plans.create_plan(
        profile,
        code,
        PlanInput(
            "La alcaldía no formula proyectos de inversión a tiempo.",
            "Fortalecer la formulación de proyectos en la Secretaría de Planeación.",
            "Acompañamiento mensual y mesas técnicas.",
        ),
    )
    banco, _ = plans.add_result(
        profile,
        plan_id,
        ResultInput(
            "Banco de proyectos operando",
            indicator_name="Proyectos viabilizados",
            indicator_type="product",
            unit="proyectos",
            baseline=0,
            target=10,
            verification="Registro del BPPIM",
            due_on=days(90),
        ),
    )
    formula_result, _ = plans.add_result(
        profile,
        plan_id,
        ResultInput(
            "=1+1 funcionarios capacitados",
            indicator_name="Funcionarios capacitados",
            unit="personas",
            baseline=2,
            target=12,
            due_on=days(100),
        ),
    )
    taller, _ = plans.add_activity(
        profile,
        plan_id,
        ActivityInput("Taller de formulación MGA", banco, start_on=days(-90), end_on=days(-10)),
    )
    acuerdo, _ = plans.add_activity(
        profile,
        plan_id,
        ActivityInput(
            "Acuerdo de adopción del banco",
            banco,
            responsible="municipality",
            responsible_name="Luz Dary Angulo, secretaria de Planeación",
            start_on=days(-20),
            end_on=days(60),
        ),
    )
    plans.add_activity(
        profile,
        plan_id,
        ActivityInput(
            "-Capacitación en la MGA", formula_result, start_on=days(-5), end_on=days(40)
        ),
    )
    plans.submit(profile, plan_id)
    plans.approve(profile, plan_id, "Bien formulado")
    plans.record_activity_progress(
        profile, taller, days(-30), 40, note="Primera sesión", evidence=[(evidence, "Lista")]
    )
    plans.record_activity_progress(profile, taller, days(-3), 100, note="#N/A")
    plans.record_activity_progress(profile, acuerdo, days(-2), 30)
    plans.record_measurement(profile, banco, days(-1), 4, verification="Registro del BPPIM")

    fill_visit(profile, code, days(-15), PEOPLE)
    # The same person (by document) at a second visit keeps one pseudonym.
    fill_visit(profile, code, days(-4), [{**PEOPLE[2], "nombre": "Rosa Quiñones"}])

    delivered, _ = deliverables.create(
        profile,
        code,
        DeliverableInput("procedure_manual", "Manual de procesos del banco", due_on=days(10)),
    )
    deliverables.add_file(profile, delivered, manual)
    deliverables.submit(profile, delivered)
    deliverables.return_for_changes(
        profile, delivered, "Ajustar", [ItemComment("manual.pdf", "Falta el flujograma")]
    )
    deliverables.submit(profile, delivered, "Corregido")
    deliverables.approve(profile, delivered)
    deliverables.deliver(
        profile,
        delivered,
        DeliveryInput(
            days(-1),
            "Despacho del alcalde, Tumaco",
            "Luz Dary Angulo",
            "Secretaria de Planeación",
            "Alcaldía de San Andrés de Tumaco",
            ("Ana María Quiñones",),
        ),
    )
    survey, _ = deliverables.start_survey(profile, delivered)
    state = forms.open_state(profile, survey)
    for name, value in {
        "rol": "secretario",
        "participo": "contraparte",
        "pertinencia": "4",
        "calidad": "5",
        "oportunidad": "4",
        "trato": "3",
        "utilidad": "5",
        "adopcion": "en_proceso",
        "fortalezas": "=el acompañamiento en sitio",
    }.items():
        state.set_answer(name, value)
    forms.save_answers(profile, survey, state.answers())

    returned, _ = deliverables.create(
        profile, code, DeliverableInput("guide", "Guía de presupuesto participativo")
    )
    deliverables.add_file(profile, returned, manual)
    deliverables.submit(profile, returned)
    deliverables.return_for_changes(profile, returned, "Rehacer el capítulo 2")
    return Built(profile, code, other, delivered, returned)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Built]:
    folder = tmp_path_factory.mktemp("libro")
    profile = Profile(folder / "perfil", device_name="Oficina", role="coordinator")
    try:
        yield build(profile, folder / "archivos")
    finally:
        profile.close()


def sheet_rows(path: Path, title: str) -> list[tuple[Any, ...]]:
    book = load_workbook(path)
    return [tuple(r) for r in book[title].iter_rows(min_row=2, values_only=True)]


def as_dicts(path: Path, title: str) -> list[dict[str, Any]]:
    book = load_workbook(path)
    rows = list(book[title].iter_rows(values_only=True))
    return [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]


def sheet_xml(path: Path) -> dict[str, str]:
    with zipfile.ZipFile(path) as z:
        return {
            n: z.read(n).decode("utf-8") for n in z.namelist() if n.startswith("xl/worksheets/")
        }


def expected_counts(profile: Profile) -> dict[str, int]:
    """What each sheet should hold, from the services' own lists."""
    listed = assistances.list_assistances(profile)
    views = [v for v in (plans.get_plan(profile, a.id) for a in listed) if v is not None]
    results = [r for v in views for r in v.results if r.id]
    activities = [a for v in views for a in v.activities]
    visits = [v for a in listed for v in forms.visits(profile, a.id)]
    found = deliverables.list_all(profile)
    return {
        "Asistencias": len(listed),
        "Planes": len(views),
        "Resultados": len(results),
        "Actividades": len(activities),
        "Seguimientos": sum(len(a.follow_ups) for a in activities)
        + sum(len(r.follow_ups) for r in results),
        "Visitas": len(visits),
        "Asistentes": sum(v.attendance.total for v in visits),
        "Entregables": len(found),
        "Encuestas": sum(1 for d in found if d.survey_id),
    }


# The workbook ---------------------------------------------------------------------------------


def test_one_sheet_per_entity_with_the_rows_the_services_list(built: Built, tmp_path: Path) -> None:
    out = tmp_path / "informes" / "seguimiento.xlsx"  # the folder is created
    result = export_workbook(built.profile, out)
    assert isinstance(result, WorkbookResult) and result.path == out and out.is_file()
    assert list(result.sheets) == SHEETS
    counts = expected_counts(built.profile)
    assert result.sheets == counts
    assert counts == {
        "Asistencias": 2,
        "Planes": 1,
        "Resultados": 2,
        "Actividades": 3,
        "Seguimientos": 4,
        "Visitas": 2,
        "Asistentes": 4,
        "Entregables": 2,
        "Encuestas": 1,
    }
    book = load_workbook(out)
    assert book.sheetnames == SHEETS
    for title in SHEETS:
        ws = book[title]
        assert ws.freeze_panes == "A2"
        assert ws.max_row == counts[title] + 1
        last = get_column_letter(ws.max_column)
        assert ws.auto_filter.ref == f"A1:{last}{counts[title] + 1}"
        header = [c.value for c in ws[1]]
        assert all(isinstance(h, str) and h for h in header)
        assert all(c.font.b for c in ws[1])
        widths = [
            ws.column_dimensions[get_column_letter(i)].width for i in range(1, len(header) + 1)
        ]
        assert all(8 <= w <= 60 for w in widths)
        assert all(w >= len(h) for w, h in zip(widths, header, strict=True) if len(h) < 60)
    assert [c.value for c in book["Asistencias"][1]][:8] == [
        "Código",
        "Código DIVIPOLA",
        "Municipio",
        "Departamento",
        "Dirección territorial",
        "Línea temática",
        "Estado",
        "Fecha de solicitud",
    ]
    # Nothing else is left in the folder: the temporary file was renamed.
    assert [p.name for p in out.parent.iterdir()] == ["seguimiento.xlsx"]


def test_assistances_show_results_beside_activities(built: Built, tmp_path: Path) -> None:
    out = export_workbook(built.profile, tmp_path / "libro.xlsx").path
    rows = {r["Código"]: r for r in as_dicts(out, "Asistencias")}
    detail = assistances.get_assistance(built.profile, built.code)
    figures = plans.progress_by_assistance(built.profile)[detail.row.id].progress
    row = rows[built.code]
    assert row["Código DIVIPOLA"] == "52835" and row["Municipio"] == detail.row.municipality
    assert row["Departamento"] == "Nariño" and row["Dirección territorial"] == "Nariño y Putumayo"
    assert row["Estado"] == "Solicitada" and row["Estado del plan"] == "Aprobado"
    assert row["Equipo"] == "Ana María Quiñones, Valentina Ortiz Nupan"
    assert row["Contrapartes"] == 2 and isinstance(row["Contrapartes"], int)
    assert row["Fecha de solicitud"] == dt.datetime.combine(days(-120), dt.time())
    assert row["Fecha de finalización"] == dt.datetime.combine(days(120), dt.time())
    assert row["Logro de resultados (%)"] == pytest.approx(figures.results_percent)
    assert row["Avance de actividades (%)"] == pytest.approx(figures.activities_percent)
    assert row["Logro de resultados (%)"] == pytest.approx(20.0)  # 4 of 10, one of two measured
    assert row["Avance de actividades (%)"] == pytest.approx(130 / 3)  # 100, 30, 0
    assert row["Actividades vencidas"] == figures.overdue == 0
    assert row["Alerta: actividades sin resultados"] == "No"
    other = rows[built.other]
    assert other["Municipio"] == "Medellín" and other["Estado del plan"] is None
    assert other["Logro de resultados (%)"] is None and other["Contrapartes"] == 0
    assert other["Alerta: actividades sin resultados"] == "No"

    ws = load_workbook(out)["Asistencias"]
    header = [c.value for c in ws[1]]
    cells = {h: c for h, c in zip(header, ws[2], strict=True)}
    assert (
        cells["Fecha de inicio"].is_date and cells["Fecha de inicio"].number_format == "DD/MM/YYYY"
    )
    assert cells["Logro de resultados (%)"].data_type == "n"
    assert cells["Logro de resultados (%)"].number_format == "0.0"
    assert cells["Contrapartes"].number_format == "General"


def test_plans_results_activities_and_follow_ups(built: Built, tmp_path: Path) -> None:
    out = export_workbook(built.profile, tmp_path / "libro.xlsx").path
    view = plans.get_plan(built.profile, built.code)
    assert view is not None
    [plan] = as_dicts(out, "Planes")
    assert plan["Asistencia"] == built.code and plan["Versión"] == 1
    assert plan["Estado"] == "Aprobado" and plan["Problema"] == view.problem
    assert plan["Enviado a revisión"] == plan["Aprobado"] == dt.datetime.combine(TODAY, dt.time())
    assert plan["Enviado por"] == plan["Aprobado por"] == built.profile.author

    banco, formula = as_dicts(out, "Resultados")
    assert (banco["N.º"], banco["Resultado esperado"], banco["Tipo de indicador"]) == (
        1,
        "Banco de proyectos operando",
        "Producto",
    )
    assert (banco["Línea base"], banco["Meta"], banco["Sentido"], banco["Unidad"]) == (
        0,
        10,
        "Aumentar",
        "proyectos",
    )
    assert banco["Último valor medido"] == 4
    assert banco["Fecha de la medición"] == dt.datetime.combine(days(-1), dt.time())
    assert banco["Logro (%)"] == pytest.approx(view.results[0].achievement * 100) == 40
    assert formula["Resultado esperado"] == "=1+1 funcionarios capacitados"
    assert formula["Último valor medido"] is None and formula["Logro (%)"] is None

    activities = as_dicts(out, "Actividades")
    assert [(a["Resultado"], a["Actividad"]) for a in activities] == [(1, 1), (1, 2), (2, 1)]
    taller, acuerdo, capacitacion = activities
    assert taller["Avance (%)"] == 100 and taller["Estado"] == "Completa"
    assert taller["Vencida"] == "No" and taller["Responsable"] == "Equipo de asistencia técnica"
    assert acuerdo["Avance (%)"] == 30 and acuerdo["Estado"] == "En curso"
    assert acuerdo["Funcionario responsable"] == "Luz Dary Angulo, secretaria de Planeación"
    assert acuerdo["Responsable"] == "Alcaldía"
    assert capacitacion["Descripción"] == "-Capacitación en la MGA"
    assert capacitacion["Estado"] == "Sin seguimiento" and capacitacion["Avance (%)"] == 0
    assert [a["Vencida"] for a in activities] == [
        "Sí" if a.overdue else "No" for a in view.activities
    ]

    follow_ups = as_dicts(out, "Seguimientos")
    assert [(f["Seguimiento de"], f["N.º"], f["Fecha"].date()) for f in follow_ups] == [
        ("Actividad", "1.1", days(-30)),
        ("Actividad", "1.1", days(-3)),
        ("Actividad", "1.2", days(-2)),
        ("Resultado", "1", days(-1)),
    ]
    first, second, _third, measurement = follow_ups
    assert first["Evidencias"] == "lista-asistencia.jpg" and first["Avance (%)"] == 40
    assert first["Registrado por"] == built.profile.author and first["Nota"] == "Primera sesión"
    assert second["Nota"] == "#N/A"  # text, not a spreadsheet error
    assert measurement["Valor medido"] == 4 and measurement["Avance (%)"] is None
    assert measurement["Medio de verificación"] == "Registro del BPPIM"


def test_visits_and_attendance_add_up_as_the_services_count(built: Built, tmp_path: Path) -> None:
    out = export_workbook(built.profile, tmp_path / "libro.xlsx").path
    listed = sorted(forms.visits(built.profile, built.code), key=lambda v: v.date or "")
    visits = as_dicts(out, "Visitas")
    assert [v["Fecha"].date().isoformat() for v in visits] == [v.date for v in listed]
    for row, visit in zip(visits, listed, strict=True):
        a = visit.attendance
        assert row["Asistentes"] == a.total
        assert (row["Mujeres"], row["Hombres"], row["Intersexuales"]) == (
            a.sex["mujer"],
            a.sex["hombre"],
            a.sex["intersexual"],
        )
        assert row["Indígenas"] == a.ethnicity["indigena"]
        assert row["Negros(as) / afrocolombianos(as)"] == a.ethnicity["negro"]
        assert row["Ningún grupo étnico"] == a.ethnicity["ninguno"]
        assert row["Víctimas del conflicto"] == a.victim["si"]
        assert row["Personas con discapacidad"] == a.disability["si"]
        assert row["Lugar"] == visit.place == "Sede de la alcaldía"
        assert row["Propósito"] == visit.purpose == "Mesa técnica de trabajo"
        assert row["Estado"] == "Borrador"
    assert [v["Asistentes"] for v in visits] == [3, 1]

    people = as_dicts(out, "Asistentes")
    assert [p["Nombre"] for p in people] == [
        FORMULA,
        PHONE,
        "Rosa Quiñones Castillo",
        "Rosa Quiñones",
    ]
    first = people[0]
    assert first["Fecha de la visita"] == dt.datetime.combine(days(-15), dt.time())
    assert (first["Tipo de documento"], first["Documento"]) == (
        "Cédula de ciudadanía",
        "1087654321",
    )
    assert (first["Sexo"], first["Autorreconocimiento étnico"]) == (
        "Mujer",
        "Negro(a) / afrocolombiano(a)",
    )
    assert (first["Víctima del conflicto"], first["Discapacidad"], first["Consentimiento"]) == (
        "Sí",
        "No",
        "Sí",
    )
    assert people[1]["Cargo o rol"] == "@concejal" and people[1]["Discapacidad"] is None
    assert people[2]["Víctima del conflicto"] == "Prefiere no decir"


def test_text_that_looks_like_a_formula_stays_text(built: Built, tmp_path: Path) -> None:
    out = export_workbook(built.profile, tmp_path / "libro.xlsx").path
    book = load_workbook(out)
    found = {}
    for ws in book.worksheets:
        for row in ws.iter_rows(min_row=2):
            for cell in row:
                if isinstance(cell.value, str) and cell.value[:1] in ("=", "+", "-", "@", "#"):
                    found[cell.value] = cell.data_type
    assert found == {
        FORMULA: "s",
        PHONE: "s",
        "@concejal": "s",
        "=1+1 funcionarios capacitados": "s",
        "-Capacitación en la MGA": "s",
        "#N/A": "s",
        "=el acompañamiento en sitio": "s",
    }
    xml = sheet_xml(out)
    assert xml and all("<f>" not in x and "<f " not in x for x in xml.values())
    assert all('t="e"' not in x for x in xml.values())
    people = next(x for n, x in xml.items() if n.endswith("sheet7.xml"))
    cell = re.search(r'<c r="C2"[^>]*>.*?</c>', people)
    assert cell is not None and 't="inlineStr"' in cell.group(0)
    assert "HYPERLINK(&quot;http://x&quot;)" in cell.group(
        0
    ) or 'HYPERLINK("http://x")' in cell.group(0)


def test_deliverables_and_their_survey(built: Built, tmp_path: Path) -> None:
    out = export_workbook(built.profile, tmp_path / "libro.xlsx").path
    listed = deliverables.list_for(built.profile, built.code)
    delivered, returned = as_dicts(out, "Entregables")
    assert (delivered["N.º"], delivered["Tipo"], delivered["Título"]) == (
        1,
        "Manual de procesos y procedimientos",
        "Manual de procesos del banco",
    )
    assert delivered["Estado"] == listed[0].state_label == "Entregado"
    assert delivered["Fecha límite"] == dt.datetime.combine(days(10), dt.time())
    assert delivered["Entregado el"] == dt.datetime.combine(days(-1), dt.time())
    assert delivered["A tiempo"] == "Sí" and listed[0].on_time is True
    assert (delivered["Recibió"], delivered["Cargo de quien recibió"]) == (
        "Luz Dary Angulo",
        "Secretaria de Planeación",
    )
    assert delivered["Revisiones"] == len(listed[0].reviews) == 2
    assert delivered["Última decisión"] == "Aprobado"
    assert returned["Estado"] == "Devuelto con comentarios"
    assert returned["Última decisión"] == "Devuelto con comentarios"
    assert returned["Revisiones"] == 1 and returned["A tiempo"] is None
    assert returned["Fecha límite"] is None and returned["Entregado el"] is None

    [survey] = as_dicts(out, "Encuestas")
    assert survey["Entregable"] == "Manual de procesos del banco"
    assert survey["Asistencia"] == built.code and survey["Estado"] == "Borrador"
    assert survey["Fecha"] == dt.datetime.combine(TODAY, dt.time())  # the form's default
    assert survey["Rol en la alcaldía"] == "Secretario(a) de despacho o jefe de oficina"
    assert survey["Participación"] == "Fui contraparte designada"
    assert (survey["Pertinencia"], survey["Calidad técnica"], survey["Trato del equipo"]) == (
        "4 · Satisfecho",
        "5 · Muy satisfecho",
        "3 · Ni satisfecho ni insatisfecho",
    )
    assert survey["Calificación promedio (1 a 5)"] == pytest.approx(4.2)
    assert survey["Adopción del producto"] == "Sí, está en proceso de adopción"
    assert survey["Lo más valioso"] == "=el acompañamiento en sitio"
    ws = load_workbook(out)["Encuestas"]
    header = [c.value for c in ws[1]]
    score = ws.cell(2, header.index("Calificación promedio (1 a 5)") + 1)
    assert score.data_type == "n" and score.number_format == "0.0"


def test_pseudonymized_attendance_has_no_names_nor_documents(built: Built, tmp_path: Path) -> None:
    named = export_workbook(built.profile, tmp_path / "nombres.xlsx")
    hidden = export_workbook(built.profile, tmp_path / "seudonimos.xlsx", pseudonymize=True)
    assert hidden.sheets == named.sheets
    people = as_dicts(hidden.path, "Asistentes")
    assert list(people[0]) == [
        "Asistencia",
        "Fecha de la visita",
        "Seudónimo",
        "Sexo",
        "Autorreconocimiento étnico",
        "Víctima del conflicto",
        "Discapacidad",
        "Entidad",
        "Cargo o rol",
        "Consentimiento",
    ]
    pseudonyms = [p["Seudónimo"] for p in people]
    assert all(re.fullmatch(r"P-\d{5}", p) for p in pseudonyms)
    # Three people: the one at both visits (same document) keeps one pseudonym.
    assert pseudonyms == ["P-00001", "P-00002", "P-00003", "P-00003"]
    # The disaggregation stays as it was.
    keep = [k for k in people[0] if k != "Seudónimo"]
    assert [{k: p[k] for k in keep} for p in people] == [
        {k: p[k] for k in keep} for p in as_dicts(named.path, "Asistentes")
    ]
    assert sheet_rows(hidden.path, "Visitas") == sheet_rows(named.path, "Visitas")
    with zipfile.ZipFile(hidden.path) as z:
        text = b"".join(z.read(n) for n in z.namelist()).decode("utf-8", "replace")
    for person in PEOPLE:
        assert person["num_doc"] not in text
    for name in ("HYPERLINK", PHONE, "Rosa Quiñones"):
        assert name not in text
    # Without pseudonyms they are there.
    with zipfile.ZipFile(named.path) as z:
        assert "Rosa Quiñones" in b"".join(z.read(n) for n in z.namelist()).decode("utf-8")


# Progress and cancelling ----------------------------------------------------------------------


def test_progress_reports_each_sheet(built: Built, tmp_path: Path) -> None:
    seen: list[tuple[int, int, str]] = []

    def progress(done: int, total: int, title: str) -> bool:
        seen.append((done, total, title))
        return False

    export_workbook(built.profile, tmp_path / "libro.xlsx", progress=progress)
    assert seen == [(i, 9, t) for i, t in enumerate(SHEETS)] + [(9, 9, "")]


def test_a_cancelled_export_leaves_nothing(built: Built, tmp_path: Path) -> None:
    out = tmp_path / "cancelado" / "libro.xlsx"

    def cancel_at_visits(done: int, total: int, title: str) -> bool:
        return title == "Visitas"

    with pytest.raises(ExportCancelled) as cancelled:
        export_workbook(built.profile, out, progress=cancel_at_visits)
    assert isinstance(cancelled.value, ValidationError)
    assert str(cancelled.value) == "Exportación cancelada: no se escribió el libro."
    assert not out.exists() and list(out.parent.iterdir()) == []
    # A workbook already there stays as it was.
    export_workbook(built.profile, out)
    before = out.read_bytes()
    with pytest.raises(ExportCancelled):
        export_workbook(built.profile, out, progress=lambda d, t, s: d == 0)
    assert out.read_bytes() == before and [p.name for p in out.parent.iterdir()] == ["libro.xlsx"]


def test_cancelling_inside_a_sheet_removes_every_temporary_file(
    built: Built, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from openpyxl.worksheet import _writer

    from fieldkit.services import workbook

    monkeypatch.setattr(workbook, "ROWS_PER_CHECK", 1)  # ask after every row
    # openpyxl lists the temporary file of every sheet it writes until it removes it.
    before = list(_writer.ALL_TEMP_FILES)
    seen: list[tuple[int, str]] = []

    def cancel_in_follow_ups(done: int, total: int, title: str) -> bool:
        seen.append((done, title))
        return seen.count((4, "Seguimientos")) == 3  # the second row of the sheet

    out = tmp_path / "libro.xlsx"
    with pytest.raises(ExportCancelled):
        export_workbook(built.profile, out, progress=cancel_in_follow_ups)
    assert seen[-1] == (4, "Seguimientos")
    assert list(tmp_path.iterdir()) == []
    assert list(_writer.ALL_TEMP_FILES) == before  # openpyxl's own temporary files too


def test_a_folder_that_cannot_be_written_is_reported(built: Built, tmp_path: Path) -> None:
    blocker = tmp_path / "archivo"
    blocker.write_text("no es una carpeta")
    with pytest.raises(ValidationError, match="No se pudo escribir el libro"):
        export_workbook(built.profile, blocker / "libro.xlsx")
    assert blocker.read_text() == "no es una carpeta"


def test_an_empty_profile_gives_headers_only(tmp_path: Path) -> None:
    with Profile(tmp_path / "vacio", device_name="Vacío") as empty:
        result = export_workbook(empty, tmp_path / "vacio.xlsx")
    assert result.sheets == dict.fromkeys(SHEETS, 0)
    book = load_workbook(result.path)
    for title in SHEETS:
        ws = book[title]
        assert ws.max_row == 1 and ws.freeze_panes == "A2"
        assert ws.auto_filter.ref == f"A1:{get_column_letter(ws.max_column)}1"
    shutil.rmtree(tmp_path / "vacio")
