"""``check_form`` and ``validate_answers``: what ``fieldkit forms check`` and ``fieldkit forms
validate`` print."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from xlsform_files import write_xlsform

from fieldkit.forms import FormError, check_form, validate_answers


@pytest.fixture
def visit(tmp_path: Path) -> Path:
    return write_xlsform(
        tmp_path / "visita.xlsx",
        [
            (
                "type",
                "name",
                "label::Español (es)",
                "label::English (en)",
                "required",
                "constraint",
                "constraint_message::Español (es)",
                "constraint_message::English (en)",
                "relevant",
            ),
            ("date", "fecha", "Fecha", "Date", "yes", None, None, None, None),
            (
                "select_one modalidad",
                "modalidad",
                "Modalidad",
                "Mode",
                "yes",
                None,
                None,
                None,
                None,
            ),
            (
                "text",
                "plataforma",
                "Plataforma",
                "Platform",
                "yes",
                None,
                None,
                None,
                "${modalidad} = 'virtual'",
            ),
            ("begin repeat", "asistentes", "Asistentes", "Attendees", None, None, None, None, None),
            ("text", "nombre", "Nombre", "Name", "yes", None, None, None, None),
            (
                "integer",
                "edad",
                "Edad",
                "Age",
                None,
                ". >= 14",
                "Mínimo 14 años",
                "At least 14",
                None,
            ),
            ("end repeat", None, None, None, None, None, None, None, None),
        ],
        [
            ("list_name", "name", "label::Español (es)", "label::English (en)"),
            ("modalidad", "presencial", "Presencial", "In person"),
            ("modalidad", "virtual", "Virtual", "Online"),
        ],
        [("form_id", "form_title", "version"), ("visita", "Visita", "3")],
    )


def test_check_summarizes_a_good_form(visit: Path) -> None:
    summary = check_form(visit)
    assert summary.lines() == [
        "Formulario «Visita» (visita), versión 3",
        "5 preguntas, 0 notas, 0 cálculos, 0 grupos, 1 repeticiones, 1 listas de opciones",
        "Idiomas: Español (es), English (en) (predeterminado: Español (es))",
    ]
    assert json.loads(json.dumps(summary.as_dict()))["repeats"] == 1


def test_check_lists_every_problem_of_a_broken_form(tmp_path: Path) -> None:
    path = write_xlsform(
        tmp_path / "roto.xlsx",
        [("type", "name", "label"), ("texto", "a", "A"), ("text", "a", "B")],
    )
    with pytest.raises(FormError) as info:
        check_form(path)
    assert [p.as_dict() for p in info.value.problems] == [
        {"sheet": "survey", "row": 2, "message": "el tipo «texto» no existe; ¿quiso decir «text»?"},
        {
            "sheet": "survey",
            "row": 3,
            "message": "el nombre «a» ya se usó en la fila 2; cada pregunta, grupo y repetición "
            "necesita un nombre distinto",
        },
    ]
    assert info.value.exit_code == 2


def test_validate_valid_answers_gives_nothing(visit: Path) -> None:
    answers = {
        "fecha": "2024-05-31",
        "modalidad": "virtual",
        "plataforma": "Meet",
        "asistentes[1]/nombre": "Ana",
        "asistentes[1]/edad": 30,
    }
    assert validate_answers(visit, answers) == {}


def test_validate_reports_each_field(visit: Path) -> None:
    answers = {
        "fecha": "31/05/2024",
        "modalidad": "presencial",
        "plataforma": "Meet",
        "asistentes[1]/edad": 12,
        "asistentes[2]/nombre": "Beto",
        "asistentes[2]/edad": "doce",
        "visitante": "x",
    }
    errors = validate_answers(visit, answers)
    assert errors == {
        "fecha": ["«31/05/2024» no es una fecha; se escribe aaaa-mm-dd, por ejemplo 2024-05-31"],
        "plataforma": [
            "La pregunta no aplica con las demás respuestas (su condición relevant es falsa); "
            "su respuesta «Meet» no se guarda"
        ],
        "asistentes[1]/nombre": ["Esta pregunta es obligatoria"],
        "asistentes[1]/edad": ["Mínimo 14 años"],
        "asistentes[2]/edad": ["«doce» no es un número entero"],
        "visitante": ["«visitante» no es una pregunta de este formulario"],
    }
    assert json.loads(json.dumps(errors, ensure_ascii=False)) == errors


def test_validate_translates(visit: Path) -> None:
    english = {"Esta pregunta es obligatoria": "This question is required"}
    errors = validate_answers(visit, {"fecha": "2024-05-31"}, translate=lambda s: english.get(s, s))
    assert errors == {"modalidad": ["This question is required"]}


def test_validate_refuses_a_broken_form(tmp_path: Path) -> None:
    path = write_xlsform(tmp_path / "roto.xlsx", [("type", "name", "label"), ("range", "a", "A")])
    with pytest.raises(FormError):
        validate_answers(path, {})


def test_check_a_form_without_settings_or_languages(tmp_path: Path) -> None:
    path = write_xlsform(tmp_path / "simple.xlsx", [("type", "name", "label"), ("text", "a", "A")])
    assert check_form(path).lines() == [
        "Formulario «simple» (simple), sin versión (falta settings.version: las respuestas no "
        "sabrán con qué versión se hicieron)",
        "1 preguntas, 0 notas, 0 cálculos, 0 grupos, 0 repeticiones, 0 listas de opciones",
        "Idiomas: sin columnas de idioma (label::Idioma (código))",
    ]
