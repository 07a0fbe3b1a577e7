"""Realistic fillings for the demo and for `fieldkit demo --edits`: visit logs with attendance,
diagnostic answers. Everything goes through services.forms and the form engine, so the
answers obey the forms' relevance, choice filters and constraints like a person's would."""

from __future__ import annotations

import datetime as dt
import random
from typing import TYPE_CHECKING

from fieldkit.services import forms
from fieldkit.services.profile import Profile

if TYPE_CHECKING:
    from fieldkit.forms import FormState, Question

ETHNICITY_WEIGHTS = {
    "ninguno": 55,
    "negro": 20,
    "indigena": 18,
    "raizal": 1,
    "palenquero": 1,
    "rrom": 1,
}
ENTITIES = (
    ("Alcaldía municipal", ("Secretaria de Planeación", "Jefe de Control Interno", "Tesorero")),
    ("Concejo municipal", ("Concejal", "Secretaria del concejo")),
    ("Personería municipal", ("Personero",)),
    ("Junta de Acción Comunal", ("Presidenta", "Fiscal")),
    ("Mesa de participación de víctimas", ("Delegada",)),
)
MINUTES = (
    "Se revisó el avance del diagnóstico con el equipo de la alcaldía y se acordaron los "
    "ajustes al cronograma.",
    "Mesa técnica sobre el plan de desarrollo: se priorizaron las metas de la línea temática.",
    "Sesión de trabajo con la Secretaría de Hacienda para revisar el marco fiscal de mediano "
    "plazo y el recaudo del impuesto predial.",
    "Socialización con la comunidad en el salón comunal; se recogieron propuestas.",
)


def _pick_name(rng: random.Random, sex: str) -> str:
    from fieldkit.services.demo import _first_names, _surnames

    first = rng.choice(_first_names("F" if sex == "mujer" else "M") or ["Ana"])
    surnames = _surnames() or ["Pérez"]
    return f"{first} {rng.choice(surnames)} {rng.choice(surnames)}"


def _try(state: FormState, name: str, value: object, path: tuple[int, ...] = ()) -> bool:
    """Set an answer if the form accepts it (relevant, not read-only, valid); else leave it."""
    from fieldkit.forms import AnswerError

    if not state.is_relevant(name, path) or state.is_read_only(name, path):
        return False
    try:
        state.set_answer(name, value, path)
    except AnswerError:
        return False
    key = state.key(name, path)
    if any(e.key == key for e in state.validate()):
        state.set_answer(name, None, path)
        return False
    return True


def add_visit(
    profile: Profile, rng: random.Random, assistance: str, day: dt.date, *, complete: bool
) -> str:
    """A visit log with 4–18 attendees, disaggregated like a real municipal session."""
    sid, _ = forms.start(profile, assistance, "bitacora_visita")
    state = forms.open_state(profile, sid)
    start = rng.choice((8, 9, 10, 14))
    for name, value in (
        ("fecha", day.isoformat()),
        ("hora_inicio", f"{start:02d}:00"),
        ("hora_fin", f"{start + rng.choice((2, 3)):02d}:30"),
        ("modalidad", "presencial"),
        ("lugar", rng.choice(("alcaldia", "concejo", "salon_comunal", "sede_territorial"))),
        ("acta", rng.choice(MINUTES)),
    ):
        _try(state, name, value)
    for name in ("etapa", "proposito"):
        choices = [c for c in state.visible_choices(name) if c.name != "other"]
        if choices and state.is_relevant(name):
            q = state.form.elements[name]
            picked = rng.choice(choices).name
            _try(state, name, [picked] if q.type == "select_multiple" else picked)  # type: ignore[union-attr]
    for row in range(1, rng.randint(4, 18) + 1):
        state.add_repeat("asistentes")
        path = (row,)
        sex = rng.choices(("mujer", "hombre"), weights=(56, 44))[0]
        entity, roles = rng.choice(ENTITIES)
        _try(state, "consentimiento", "si", path)
        _try(state, "nombre", _pick_name(rng, sex), path)
        _try(state, "sexo", sex, path)
        _try(
            state,
            "etnia",
            rng.choices(list(ETHNICITY_WEIGHTS), weights=list(ETHNICITY_WEIGHTS.values()))[0],
            path,
        )
        _try(state, "victima", rng.choices(("si", "no", "prefiere_no_decir"), (30, 65, 5))[0], path)
        _try(state, "discapacidad", rng.choices(("si", "no"), (6, 94))[0], path)
        _try(state, "entidad", entity, path)
        _try(state, "cargo", rng.choice(roles), path)
    _fill_rest(state, rng)
    forms.save_answers(profile, sid, state.answers())
    if complete and not state.validate():
        forms.complete(profile, sid)
    return sid


def answer_diagnostic(profile: Profile, rng: random.Random, assistance: str, count: int) -> str:
    """Answer `count` more questions of the assistance's diagnostic (started if there is none)."""
    existing = forms.list_submissions(profile, assistance, kind=forms.DIAGNOSTIC)
    drafts = [s for s in existing if s.status == forms.DRAFT]
    if drafts:
        sid = drafts[0].id
    elif existing:
        return existing[0].id  # complete: nothing more to answer
    else:
        sid, _ = forms.start(profile, assistance, "diagnostico_capacidad_institucional")
    state = forms.open_state(profile, sid)
    open_questions = [
        q
        for q in state.form.questions()
        if q.is_input and not q.repeats and state.value(q.name) is None
    ]
    for q in rng.sample(open_questions, min(count, len(open_questions))):
        value = _value_for(state, q, rng)
        if value is not None:
            _try(state, q.name, value)
    forms.save_answers(profile, sid, state.answers())
    if not state.validate():
        forms.complete(profile, sid)
    return sid


def _fill_rest(state: FormState, rng: random.Random) -> None:
    """Whatever the form still requires outside repeats, answered plausibly."""
    for error in state.missing_required():
        if error.repeat_path:
            continue
        q = state.form.elements[error.name]
        value = _value_for(state, q, rng)  # type: ignore[arg-type]
        if value is not None:
            _try(state, error.name, value)


def _value_for(state: FormState, q: Question, rng: random.Random) -> object:
    if q.type in ("select_one", "select_multiple"):
        choices = [c for c in state.visible_choices(q.name) if c.name != "other"]
        if not choices:
            return None
        picked = rng.choice(choices).name
        return [picked] if q.type == "select_multiple" else picked
    if q.type == "integer":
        return rng.randint(0, 40)
    if q.type == "decimal":
        return round(rng.uniform(0, 100), 1)
    if q.type == "date":
        return (dt.date.today() - dt.timedelta(days=rng.randint(30, 900))).isoformat()
    if q.type == "time":
        return f"{rng.randint(8, 16):02d}:00"
    if q.type == "acknowledge":
        return "OK"
    if q.type == "text":
        return rng.choice(
            (
                "Información suministrada por la Secretaría de Planeación.",
                "Pendiente de verificar con el archivo municipal.",
                "Según el informe de gestión de la vigencia anterior.",
            )
        )
    return None  # geopoint, image, file: left for the team on the ground
