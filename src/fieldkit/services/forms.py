"""Instruments and their fillings (issue 4): diagnostics, visit logs with attendance, surveys.

An instrument is an XLSForm: the ones that ship with fieldkit (resources/forms) and the versions a
coordinator publishes (a `form` record whose spreadsheet travels as a blob). A *submission* is
one filling of one form version for an assistance; each answered question is one `answer` record
whose id follows from the submission and the answer's flat key, so two laptops answering
different questions of the same diagnostic merge cleanly and the same question is a conflict.
Answers remember the form version they were entered with and always open with that version.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import math
import mimetypes
import uuid
from collections import Counter
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from fieldkit.domain.errors import NotFoundError, ValidationError
from fieldkit.i18n import N_
from fieldkit.services.changes import Changes
from fieldkit.services.profile import Profile, require_coordinator

if TYPE_CHECKING:
    from fieldkit.forms import FormDefinition, FormState

SHIPPED_DIR = Path(__file__).resolve().parent.parent / "resources" / "forms"
ANSWER_NAMESPACE = uuid.UUID("5b0c3e8e-6f43-4d53-9a43-2f1f6a0c9d11")

DIAGNOSTIC, MODULE, VISIT, SURVEY = "diagnostic", "module", "visit", "survey"
KIND_LABELS = {
    DIAGNOSTIC: N_("Diagnóstico"),
    MODULE: N_("Módulo de línea"),
    VISIT: N_("Visita o sesión de trabajo"),
    SURVEY: N_("Encuesta de satisfacción"),
}
DRAFT, COMPLETE = "draft", "complete"
STATUS_LABELS = {DRAFT: N_("Borrador"), COMPLETE: N_("Completo")}

# What each shipped instrument is for; a published form says it in its record.
SHIPPED_KINDS: dict[str, tuple[str, str | None]] = {
    "diagnostico_capacidad_institucional": (DIAGNOSTIC, None),
    "modulo_innovacion_publica": (MODULE, "INNOVACION"),
    "modulo_etnicos_inclusion_genero": (MODULE, "ETNICOS"),
    "modulo_consolidacion_paz": (MODULE, "PAZ"),
    "bitacora_visita": (VISIT, None),
    "encuesta_satisfaccion": (SURVEY, None),
}

# The visit log's attendance repeat and the questions the totals are disaggregated by.
ATTENDANCE = "asistentes"
ATTENDANCE_FIELDS = {
    "sex": "sexo",
    "ethnicity": "etnia",
    "victim": "victima",
    "disability": "discapacidad",
}


class Instrument(NamedTuple):
    form_id: str
    version: str
    title: str
    kind: str
    thematic_line_code: str | None
    source: str  # "shipped" or "published"
    location: str  # the file of a shipped form, the sha256 of a published one


def instruments(profile: Profile) -> list[Instrument]:
    """Every form this device can fill: the newest version of each, shipped or published."""
    found: dict[str, Instrument] = {}
    for item in (*_shipped(), *_published(profile)):
        current = found.get(item.form_id)
        if current is None or _version_key(item.version) >= _version_key(current.version):
            found[item.form_id] = item
    return sorted(found.values(), key=lambda i: (_KIND_ORDER.get(i.kind, 9), i.title.lower()))


_KIND_ORDER = {DIAGNOSTIC: 0, MODULE: 1, VISIT: 2, SURVEY: 3}


def _version_key(version: str) -> tuple[int, str]:
    return (int(version), "") if version.isdigit() else (-1, version)


@functools.cache
def _shipped() -> tuple[Instrument, ...]:
    out = []
    for path in sorted(SHIPPED_DIR.glob("*.xlsx")):
        form = _load_file(str(path))
        kind, line = SHIPPED_KINDS.get(form.form_id, (DIAGNOSTIC, None))
        out.append(
            Instrument(form.form_id, form.version, _title(form), kind, line, "shipped", str(path))
        )
    return tuple(out)


def _published(profile: Profile) -> list[Instrument]:
    from fieldkit.store import queries

    with profile.read() as session:
        return [
            Instrument(
                f.form_id or "",
                f.version or "",
                f.title or f.form_id or "",
                f.kind or DIAGNOSTIC,
                f.thematic_line_code,
                "published",
                f.sha256 or "",
            )
            for f in queries.published_forms(session)
        ]


def _title(form: FormDefinition) -> str:
    return str(form.title or form.form_id)


def describe_error(form: FormDefinition, error, language: str | None = None) -> str:  # type: ignore[no-untyped-def]
    """«Sexo (Asistentes, fila 2): Esta pregunta es obligatoria.» — the question as the form
    labels it and the rows it sits in, not its key."""
    from fieldkit.i18n import _

    element = form.elements.get(error.name)
    label = plain_text(element.label.get(language)) if element is not None else error.name
    rows = []
    for repeat, position in zip(
        element.repeats if element else (), error.repeat_path, strict=False
    ):
        repeat_element = form.elements.get(repeat)
        shown = plain_text(repeat_element.label.get(language)) if repeat_element else repeat
        rows.append(_("{repeat}, fila {n}", repeat=shown, n=position))
    where = f" ({'; '.join(rows)})" if rows else ""
    return f"{label or error.name}{where}: {error.render(_)}"


def plain_text(text: str) -> str:
    """A label without its markdown emphasis and line breaks, for one-line messages."""
    return " ".join(text.replace("**", "").replace("*", "").split())


@functools.lru_cache(maxsize=32)
def _load_file(path: str) -> FormDefinition:
    from fieldkit.forms import load_form

    return load_form(path)


@functools.lru_cache(maxsize=32)
def _load_bytes(sha: str, data: bytes) -> FormDefinition:
    from fieldkit.forms import load_form

    return load_form(data, name=f"{sha[:12]}.xlsx")


def form_definition(profile: Profile, form_id: str, version: str | None = None) -> FormDefinition:
    """The form `form_id` at `version` (the newest when None), shipped or published."""
    from fieldkit.store.blobs import BlobError, BlobStore

    candidates = [i for i in (*_shipped(), *_published(profile)) if i.form_id == form_id]
    if version is not None:
        candidates = [i for i in candidates if i.version == version]
    if not candidates:
        if version is not None:
            raise NotFoundError(
                "La versión {version} del formulario «{form}» no está en este equipo: llegará "
                "en el próximo paquete del coordinador.",
                version=version,
                form=form_id,
            )
        raise NotFoundError("No hay un formulario «{form}» en este equipo.", form=form_id)
    chosen = max(candidates, key=lambda i: _version_key(i.version))
    if chosen.source == "shipped":
        return _load_file(chosen.location)
    try:
        data = BlobStore(profile.data_dir).get(chosen.location)
    except BlobError:
        raise NotFoundError(
            "El archivo del formulario «{form}» (versión {version}) falta o está dañado en este "
            "equipo: pida al coordinador que lo envíe de nuevo.",
            form=form_id,
            version=chosen.version,
        ) from None
    return _load_bytes(chosen.location, data)


def publish(
    profile: Profile, path: Path, *, kind: str, thematic_line: str | None = None
) -> Instrument:
    """Coordinator: check an XLSForm and publish it; it reaches the teams in their bundles."""
    from fieldkit.forms import load_form
    from fieldkit.store.blobs import BlobStore
    from fieldkit.store.models import FormVersion

    require_coordinator(profile, N_("publicar formularios"))
    if kind not in KIND_LABELS:
        raise ValidationError(
            "Tipo de formulario desconocido «{kind}». Use diagnostic, module, visit o survey.",
            kind=kind,
        )
    form = load_form(Path(path))  # FormError lists every problem with its row
    taken = [i for i in (*_shipped(), *_published(profile)) if i.form_id == form.form_id]
    if any(i.version == form.version for i in taken):
        raise ValidationError(
            "Ya existe la versión {version} del formulario «{form}»: cambie «version» en la hoja "
            "settings antes de publicar.",
            version=form.version,
            form=form.form_id,
        )
    sha = BlobStore(profile.data_dir).put_file(Path(path))
    with profile.write() as session:
        record = FormVersion(
            form_id=form.form_id,
            version=form.version,
            title=_title(form),
            kind=kind,
            thematic_line_code=thematic_line,
            sha256=sha,
            file_name=Path(path).name,
        )
        session.add(record)
    return Instrument(
        form.form_id, form.version, _title(form), kind, thematic_line, "published", sha
    )


# Submissions ----------------------------------------------------------------------------------


class SubmissionRow(NamedTuple):
    id: str
    assistance_id: str
    kind: str
    form_id: str
    form_version: str
    status: str
    started_at: dt.datetime | None
    completed_at: dt.datetime | None
    subject_id: str | None


def _row(s) -> SubmissionRow:  # type: ignore[no-untyped-def]
    return SubmissionRow(
        s.id,
        s.assistance_id or "",
        s.kind or "",
        s.form_id or "",
        s.form_version or "",
        s.status or DRAFT,
        s.started_at,
        s.completed_at,
        s.subject_id,
    )


def start(
    profile: Profile,
    assistance: str,
    form_id: str,
    *,
    subject_id: str | None = None,
) -> tuple[str, Changes]:
    """Start filling the newest version of `form_id` for an assistance (its code or id)."""
    from fieldkit.forms import FormState
    from fieldkit.services.assistances import get_assistance
    from fieldkit.store.models import Submission

    row = get_assistance(profile, assistance).row
    chosen = [i for i in instruments(profile) if i.form_id == form_id]
    if not chosen:
        raise NotFoundError("No hay un formulario «{form}» en este equipo.", form=form_id)
    instrument = chosen[0]
    # The defaults (today's date, …) become the first answers, as if the person had typed them.
    defaults = FormState(form_definition(profile, form_id, instrument.version)).answers()
    with profile.write() as session:
        submission = Submission(
            assistance_id=row.id,
            kind=instrument.kind,
            form_id=instrument.form_id,
            form_version=instrument.version,
            subject_id=subject_id,
            status=DRAFT,
            started_at=dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0),
        )
        session.add(submission)
        session.flush()
        _write_answers(session, submission.id, defaults, {})
        new_id = submission.id
    return new_id, Changes.of("submission", "answer")


def get_submission(profile: Profile, submission_id: str) -> SubmissionRow:
    from fieldkit.store.models import Submission

    with profile.read() as session:
        s = session.get(Submission, submission_id)
        if s is None or s.deleted:
            raise NotFoundError("No existe el formulario diligenciado {id}.", id=submission_id)
        return _row(s)


def list_submissions(
    profile: Profile, assistance: str, *, kind: str | None = None
) -> list[SubmissionRow]:
    from fieldkit.services.assistances import get_assistance
    from fieldkit.store import queries

    row = get_assistance(profile, assistance).row
    with profile.read() as session:
        return [_row(s) for s in queries.submissions_of(session, row.id, kind)]


def stored_answers(profile: Profile, submission_id: str) -> dict[str, object]:
    """The answers as stored: the flat dict `FormState.load_answers` takes."""
    from fieldkit.store import queries

    with profile.read() as session:
        return {
            a.key: json.loads(a.value)
            for a in queries.answers_of(session, submission_id)
            if a.key and a.value is not None
        }


def open_state(profile: Profile, submission_id: str, *, language: str | None = None) -> FormState:
    """The filling as a FormState, with the form version it was started with."""
    from fieldkit.forms import FormState

    row = get_submission(profile, submission_id)
    form = form_definition(profile, row.form_id, row.form_version)
    return FormState(form, stored_answers(profile, submission_id), language=language)


def answer_id(submission_id: str, key: str) -> str:
    return str(uuid.uuid5(ANSWER_NAMESPACE, f"{submission_id}/{key}"))


def save_answers(profile: Profile, submission_id: str, answers: Mapping[str, object]) -> Changes:
    """Store a filling's answers (FormState.answers()): one operation per question whose
    value changed; answers no longer given (cleared, not relevant, a removed row) are cleared."""
    from fieldkit.store import queries
    from fieldkit.store.models import Submission

    with profile.write() as session:
        submission = session.get(Submission, submission_id)
        if submission is None or submission.deleted:
            raise NotFoundError("No existe el formulario diligenciado {id}.", id=submission_id)
        if submission.status == COMPLETE:
            raise ValidationError(
                "Este formulario está marcado como completo: reábralo para cambiar respuestas."
            )
        stored = {a.key: a for a in queries.answers_of(session, submission_id) if a.key}
        _write_answers(session, submission_id, answers, stored)
    return Changes.of("answer")


def _write_answers(session, submission_id: str, answers: Mapping[str, object], stored) -> None:  # type: ignore[no-untyped-def]
    from fieldkit.store.models import Answer, Submission

    new = {k: json.dumps(v, ensure_ascii=False, sort_keys=True) for k, v in answers.items()}
    submission = session.get(Submission, submission_id)
    created = submission.started_at if submission is not None else None
    for key, text in new.items():
        record = stored.get(key) or session.get(Answer, answer_id(submission_id, key))
        if record is None:
            # Every laptop that answers this question writes this same record, with the same
            # creation stamp: only a different answer is a conflict.
            record = Answer(
                id=answer_id(submission_id, key),
                submission_id=submission_id,
                key=key,
                created_at=created,
            )
            session.add(record)
        if record.value != text or record.deleted:
            record.value = text
            record.deleted = False
    for key, record in stored.items():
        if key not in new and record.value is not None:
            record.value = None


def complete(profile: Profile, submission_id: str) -> Changes:
    """Mark a filling complete once every required answer is there and every answer valid."""
    from fieldkit.store.models import Submission

    state = open_state(profile, submission_id)
    problems = state.validate()
    if problems:
        shown = [describe_error(state.form, e) for e in problems[:6]]
        raise ValidationError(
            "No se puede completar: {n} respuestas faltan o no son válidas. {problems}",
            n=len(problems),
            problems="; ".join(shown) + (" …" if len(problems) > 6 else ""),
        )
    with profile.write() as session:
        submission = session.get(Submission, submission_id)
        assert submission is not None
        submission.status = COMPLETE
        submission.completed_at = dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
    return Changes.of("submission")


def reopen(profile: Profile, submission_id: str) -> Changes:
    from fieldkit.store.models import Submission

    with profile.write() as session:
        submission = session.get(Submission, submission_id)
        if submission is None or submission.deleted:
            raise NotFoundError("No existe el formulario diligenciado {id}.", id=submission_id)
        submission.status = DRAFT
        submission.completed_at = None
    return Changes.of("submission")


def remove(profile: Profile, submission_id: str) -> Changes:
    """Delete a filling (a tombstone: it can come back through a conflict, never silently)."""
    from fieldkit.store.models import Submission

    with profile.write() as session:
        submission = session.get(Submission, submission_id)
        if submission is None or submission.deleted:
            raise NotFoundError("No existe el formulario diligenciado {id}.", id=submission_id)
        submission.deleted = True
    return Changes.of("submission")


# Attachments ----------------------------------------------------------------------------------


class AttachmentRow(NamedTuple):
    id: str
    sha256: str
    file_name: str
    media_type: str
    size: int
    caption: str
    purpose: str = ""  # product, photo, signed_act; empty for answers and evidence


def attach(
    profile: Profile,
    owner_entity: str,
    owner_id: str,
    source: Path,
    caption: str = "",
    purpose: str | None = None,
) -> tuple[AttachmentRow, Changes]:
    """Copy a file into the attachment store and record it for its owner (a submission, a
    deliverable…); an image or file answer stores the attachment's id."""
    from fieldkit.store.blobs import BlobStore
    from fieldkit.store.models import Attachment

    source = Path(source)
    if not source.is_file():
        raise ValidationError("No existe el archivo {path}.", path=str(source))
    try:
        sha = BlobStore(profile.data_dir).put_file(source)
    except OSError as exc:
        raise ValidationError(
            "No se pudo guardar el adjunto {path}: {error}",
            path=source.name,
            error=exc.strerror or str(exc),
        ) from exc
    media = mimetypes.guess_type(source.name)[0] or "application/octet-stream"
    size = source.stat().st_size
    with profile.write() as session:
        record = Attachment(
            owner_entity=owner_entity,
            owner_id=owner_id,
            sha256=sha,
            file_name=source.name,
            media_type=media,
            size=size,
            caption=caption or None,
            purpose=purpose,
        )
        session.add(record)
        session.flush()
        row = AttachmentRow(record.id, sha, source.name, media, size, caption, purpose or "")
    return row, Changes.of("attachment")


def attachment(profile: Profile, attachment_id: str) -> AttachmentRow:
    from fieldkit.store.models import Attachment

    with profile.read() as session:
        a = session.get(Attachment, attachment_id)
        if a is None or a.deleted:
            raise NotFoundError("No existe el adjunto {id}.", id=attachment_id)
        return AttachmentRow(
            a.id,
            a.sha256 or "",
            a.file_name or "",
            a.media_type or "",
            a.size or 0,
            a.caption or "",
            a.purpose or "",
        )


def attachment_path(profile: Profile, attachment_id: str) -> Path:
    """Where the bytes are, after checking them (an image answer reopens from here)."""
    from fieldkit.store.blobs import BlobError, BlobStore

    row = attachment(profile, attachment_id)
    store = BlobStore(profile.data_dir)
    try:
        store.get(row.sha256)
    except BlobError:
        raise NotFoundError(
            "El archivo de «{name}» no está en este equipo o está dañado: llegará con el próximo "
            "paquete de quien lo adjuntó.",
            name=row.file_name,
        ) from None
    return store.path(row.sha256)


def export_attachment(profile: Profile, attachment_id: str, folder: Path) -> Path:
    """A checked copy of the attachment under its own file name in `folder`, for the program
    that opens it (the store names files by their hash)."""
    from fieldkit.store.blobs import BlobError, BlobStore

    row = attachment(profile, attachment_id)
    target = Path(folder) / (Path(row.file_name).name or attachment_id)
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        return BlobStore(profile.data_dir).export_to(row.sha256, target)
    except BlobError:
        raise NotFoundError(
            "El archivo de «{name}» no está en este equipo o está dañado: llegará con el próximo "
            "paquete de quien lo adjuntó.",
            name=row.file_name,
        ) from None


# Visits and attendance ------------------------------------------------------------------------


class Attendance(NamedTuple):
    """Attendance totals, disaggregated as the visit log asks (Counter per question)."""

    total: int
    sex: Counter[str]
    ethnicity: Counter[str]
    victim: Counter[str]
    disability: Counter[str]

    def __add__(self, other: object) -> Attendance:  # type: ignore[override]
        assert isinstance(other, Attendance)
        return Attendance(
            self.total + other.total,
            self.sex + other.sex,
            self.ethnicity + other.ethnicity,
            self.victim + other.victim,
            self.disability + other.disability,
        )


EMPTY_ATTENDANCE = Attendance(0, Counter(), Counter(), Counter(), Counter())
NO_DATA = "sin_dato"


def attendance_of(answers: Mapping[str, object]) -> Attendance:
    """Count the attendance rows of a visit log's answers; an unanswered question counts as
    «sin_dato» so the totals always add up to the number of attendees."""
    from fieldkit.forms import parse_key

    rows: dict[str, dict[str, object]] = {}
    for key, value in answers.items():
        parsed = parse_key(key)
        if parsed is None:
            continue
        instances, name = parsed
        if len(instances) != 1 or instances[0][0] != ATTENDANCE:
            continue
        row = rows.setdefault(instances[0][1], {})
        if name is not None:
            row[name] = value
    counters = {field: Counter[str]() for field in ATTENDANCE_FIELDS}
    for row in rows.values():
        for field, question in ATTENDANCE_FIELDS.items():
            value = row.get(question)
            counters[field][str(value) if value not in (None, "") else NO_DATA] += 1
    return Attendance(
        len(rows),
        counters["sex"],
        counters["ethnicity"],
        counters["victim"],
        counters["disability"],
    )


class Visit(NamedTuple):
    submission_id: str
    date: str | None
    place: str
    purpose: str
    status: str
    attendance: Attendance


def visits(profile: Profile, assistance: str) -> list[Visit]:
    """The visit logs of an assistance, newest first, with their attendance totals."""
    out = []
    for s in list_submissions(profile, assistance, kind=VISIT):
        answers = stored_answers(profile, s.id)
        try:
            form: FormDefinition | None = form_definition(profile, s.form_id, s.form_version)
        except NotFoundError:
            form = None  # a version not received yet: codes rather than labels
        purpose = answers.get("proposito") or []
        out.append(
            Visit(
                s.id,
                str(answers.get("fecha") or "") or None,
                str(
                    answers.get("lugar_other") or choice_label(form, "lugar", answers.get("lugar"))
                ),
                ", ".join(
                    choice_label(form, "proposito", p)
                    for p in (purpose if isinstance(purpose, list) else [purpose])
                ),
                s.status,
                attendance_of(answers),
            )
        )
    return sorted(out, key=lambda v: v.date or "", reverse=True)


def choice_label(
    form: FormDefinition | None, question: str, value: object, language: str | None = None
) -> str:
    """The label of a chosen option (its code when the form or the option is unknown)."""
    if value in (None, ""):
        return ""
    element = form.elements.get(question) if form is not None else None
    choices = getattr(element, "choices", None)
    for choice in choices.choices if choices is not None else ():
        if choice.name == value:
            return plain_text(choice.label.get(language)) or str(value)
    return str(value)


def assistance_attendance(
    profile: Profile, assistance: str, of: Iterable[Visit] | None = None
) -> Attendance:
    """Every visit's attendance added up: what the assistance shows. `of`: the visits when
    the caller has already read them (each visit reads its form and answers)."""
    total = EMPTY_ATTENDANCE
    for visit in visits(profile, assistance) if of is None else of:
        total = total + visit.attendance
    return total


# Diagnostic area scores ---------------------------------------------------------------------


class DiagnosticArea(NamedTuple):
    label: str  # the section's label
    score: float | None  # None while nobody has answered the section (the form counts it 0)


def number_value(value: object) -> float | None:
    """A calculated value as a number (calculations are text, as in XLSForm); None otherwise."""
    if value in (None, "") or isinstance(value, bool):
        return None
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def area_scores(state: FormState) -> list[DiagnosticArea]:
    """The diagnostic's area scores: each `p_<area>` calculation, labelled by its section
    `<area>`. An area nobody has reached yet scores 0 in the form, which is not a weak area:
    its score here is None."""
    form = state.form
    out = []
    for question in form.questions():
        if question.type != "calculate" or not question.name.startswith("p_"):
            continue
        group = form.elements.get(question.name.removeprefix("p_"))
        label = plain_text(group.label.get(None)) if group is not None else ""
        score = number_value(state.value(question.name)) if _answered(state, group) else None
        out.append(DiagnosticArea(label or question.name.removeprefix("p_"), score))
    return out


def _answered(state: FormState, group: object) -> bool:
    """Whether any question a person answers inside the section has an answer."""
    from fieldkit.forms.model import Group, Question

    if not isinstance(group, Group):
        return True  # no section to look into: judge the score alone
    pending = list(group.children)
    while pending:
        element = pending.pop()
        if isinstance(element, Group):
            pending.extend(element.children)
        elif (
            isinstance(element, Question)
            and element.is_input
            and not element.repeats
            and state.value(element.name) not in (None, "", [])
        ):
            return True
    return False
