"""The instruments that ship in ``fieldkit/resources/forms`` load in the engine and can be filled."""

from __future__ import annotations

from datetime import date, datetime, time
from importlib.resources import files
from pathlib import Path

import pytest

from fieldkit.forms import FormState, load_form
from fieldkit.forms.model import FormDefinition, Question

FORMS_DIR = Path(str(files("fieldkit") / "resources" / "forms"))
INSTRUMENTS = sorted(FORMS_DIR.glob("*.xlsx"))

pytestmark = pytest.mark.skipif(not INSTRUMENTS, reason="no instruments shipped yet")

SAMPLES: dict[str, object] = {
    "text": "Texto de prueba",
    "integer": 1,
    "decimal": 1.5,
    "date": date(2024, 5, 31),
    "time": time(9, 30),
    "datetime": datetime(2024, 5, 31, 9, 30),
    "geopoint": "4.60971 -74.08175",
    "image": "sha256:0000",
    "file": "sha256:1111",
    "acknowledge": "OK",
}


def sample(state: FormState, q: Question, path: tuple[int, ...]) -> object:
    if q.is_select:
        choices = [c.name for c in state.visible_choices(q.name, path) if c.name != "other"]
        if not choices:
            return None
        return [choices[0]] if q.type == "select_multiple" else choices[0]
    return SAMPLES[q.type]


@pytest.fixture(scope="module", params=INSTRUMENTS, ids=lambda p: p.stem)
def instrument(request: pytest.FixtureRequest) -> FormDefinition:
    return load_form(request.param)


def test_every_instrument_loads_bilingual_and_versioned(instrument: FormDefinition) -> None:
    assert instrument.version
    assert set(instrument.language_codes) == {"es", "en"}
    assert instrument.default_language == "es"
    for q in instrument.questions():
        if q.type != "calculate":
            assert q.label.get("es") and q.label.get("en"), q.name


def test_an_empty_filling_lists_what_is_missing(instrument: FormDefinition) -> None:
    state = FormState(instrument)
    missing = state.missing_required()
    assert missing, "an instrument with nothing required cannot say what is missing"
    rows = [instrument.elements[m.name].row for m in missing]
    assert rows == sorted(rows)  # in the order of the form
    for m in missing:
        located = state.locate(m.key)
        assert located is not None
        name, path = located
        assert state.is_relevant(name, path) and state.is_required(name, path)
        assert state.value(name, path) is None
        assert m.render()


def test_every_instrument_can_be_completed(instrument: FormDefinition) -> None:
    """Answer whatever is still missing, again and again, until nothing is: no instrument asks
    for something that cannot be given. Answers survive a round trip."""
    state = FormState(instrument, seed=7)
    for repeat in instrument.repeats():
        if not repeat.repeats[:-1] and state.is_relevant(repeat.name):
            state.add_repeat(repeat.name)
    for _ in range(20):
        missing = state.missing_required()
        if not missing:
            break
        for m in missing:
            located = state.locate(m.key)
            assert located is not None
            name, path = located
            q = instrument.question(name)
            assert q is not None
            if state.is_relevant(name, path) and state.value(name, path) is None:
                value = sample(state, q, path)
                if value is not None:
                    state.set_answer(name, value, path)
    assert state.missing_required() == []
    answers = state.answers()
    assert FormState(instrument, answers, seed=7).answers() == answers


def test_visit_log_attendance_totals() -> None:
    path = FORMS_DIR / "bitacora_visita.xlsx"
    if not path.exists():
        pytest.skip("no visit log")
    form = load_form(path)
    state = FormState(form, seed=1)
    people = [("mujer", "indigena", "si"), ("hombre", "ninguno", "no"), ("mujer", "negro", "si")]
    for position, (sex, ethnicity, victim) in enumerate(people, start=1):
        state.add_repeat("asistentes")
        state.set_answer("consentimiento", "si", (position,))
        state.set_answer("sexo", sex, (position,))
        state.set_answer("etnia", ethnicity, (position,))
        state.set_answer("victima", victim, (position,))
    assert state.value("n_asistentes") == "3"
    assert state.value("total_mujer") == "2" and state.value("total_hombre") == "1"
    assert state.value("total_victimas") == "2"
    assert state.value("total_et_indigena") == "1"
    state.remove_repeat("asistentes", 1)
    assert state.value("total_mujer") == "1" and state.value("total_victimas") == "1"
    # Without consent nothing personal is kept.
    row = state.key("consentimiento", (1,)).rsplit("/", 1)[0]
    state.set_answer("consentimiento", "no", (1,))
    assert {k: v for k, v in state.answers().items() if k.startswith(row + "/")} == {
        row + "/consentimiento": "no"
    }
    assert state.value("total_hombre") == "0" and state.value("n_asistentes") == "2"
