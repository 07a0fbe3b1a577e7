"""Deliverables: write them, review their quality, deliver them, survey satisfaction (issue 6)."""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

from fieldkit.domain.deliverables import (
    APPROVED,
    DELIVERERS,
    KINDS,
    RETURNED,
    STATE_LABELS,
    TEAM_DELIVERED,
    TEAM_DRAFT,
    TEAM_SUBMITTED,
    DeliverableFacts,
    DeliverableState,
    DeliveryFacts,
    check_decide,
    check_deliver,
    check_edit,
    check_submit,
    effective_state,
    is_editable,
)
from fieldkit.domain.errors import Label, NotFoundError, ValidationError
from fieldkit.i18n import N_
from fieldkit.services.changes import Changes
from fieldkit.services.profile import Profile

PRODUCT, PHOTO, SIGNED_ACT = "product", "photo", "signed_act"
PURPOSES = (PRODUCT, PHOTO, SIGNED_ACT)
PURPOSE_LABELS = {
    PRODUCT: N_("Archivo del producto"),
    PHOTO: N_("Foto"),
    SIGNED_ACT: N_("Acta de entrega firmada"),
}
DELIVERABLE_RESULT = "deliverable_result"  # plan_link kind: a deliverable serves a result
SURVEY_FORM = "encuesta_satisfaccion"
ENTITIES = ("deliverable", "deliverable_review", "review_comment", "attachment", "plan_link")


class DeliverableInput(NamedTuple):
    kind: str
    title: str
    description: str = ""
    due_on: dt.date | None = None
    result_ids: Sequence[str] = ()  # plan results it serves


class DeliveryInput(NamedTuple):
    delivered_on: dt.date
    place: str
    received_by: str
    received_position: str
    received_entity: str
    team_present: Sequence[str]  # names


class ItemComment(NamedTuple):
    item: str  # a file name or a part of the product ("general" when about the whole)
    comment: str


class FileRow(NamedTuple):
    id: str
    file_name: str
    media_type: str
    size: int
    caption: str
    purpose: str
    sha256: str


class CommentRow(NamedTuple):
    id: str
    item: str
    comment: str
    addressed: bool
    response: str


class ReviewRow(NamedTuple):
    id: str
    number: int
    submitted_at: dt.datetime | None
    submitted_by: str
    note: str
    decision: str | None
    comments: str
    decided_at: dt.datetime | None
    decided_by: str
    items: tuple[CommentRow, ...]


class DeliverableRow(NamedTuple):
    id: str
    assistance_id: str
    kind: str
    title: str
    description: str
    due_on: dt.date | None
    state: DeliverableState
    delivered_on: dt.date | None
    delivery_place: str
    received_by: str
    received_position: str
    received_entity: str
    team_present: tuple[str, ...]
    delivered_by: str
    files: tuple[FileRow, ...]
    reviews: tuple[ReviewRow, ...]
    result_ids: tuple[str, ...]
    survey_id: str | None  # the satisfaction survey's submission, once started

    @property
    def kind_label(self) -> str:
        return KINDS.get(self.kind, self.kind)

    @property
    def state_label(self) -> str:
        return STATE_LABELS[self.state]

    @property
    def editable(self) -> bool:
        return is_editable(self.state)

    @property
    def on_time(self) -> bool | None:
        """Delivered by its due date; None while not delivered or without a due date."""
        if self.delivered_on is None or self.due_on is None:
            return None
        return self.delivered_on <= self.due_on

    @property
    def last_review(self) -> ReviewRow | None:
        return self.reviews[-1] if self.reviews else None

    @property
    def signed_act(self) -> FileRow | None:
        acts = [f for f in self.files if f.purpose == SIGNED_ACT]
        return acts[-1] if acts else None


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)


def _text(value: str | None) -> str:
    return (value or "").strip()


def _get(session, deliverable_id: str):  # type: ignore[no-untyped-def]
    from fieldkit.store.models import Deliverable

    record = session.get(Deliverable, deliverable_id)
    if record is None or record.deleted:
        raise NotFoundError("No existe el entregable {id}.", id=deliverable_id)
    return record


def _state(session, record) -> DeliverableState:  # type: ignore[no-untyped-def]
    from fieldkit.store import deliverables as q

    reviews = q.reviews_of(session, [record.id])
    last = reviews[-1] if reviews else None
    return effective_state(record.state, last.decision if last is not None else None)


def _require_team(profile: Profile) -> None:
    """Deliverables are the team's work: a reviewer's laptop decides, it does not write them
    (its deliverable states would be refused on import)."""
    if profile.role not in DELIVERERS:
        raise ValidationError(
            "Los entregables los escribe y envía el equipo de la asistencia (o un coordinador);"
            " este perfil es de revisor: aprueba o devuelve."
        )


def _assistance_id(profile: Profile, assistance: str) -> str:
    from fieldkit.services.assistances import get_assistance

    return get_assistance(profile, assistance).row.id


def _validate(data: DeliverableInput) -> dict[str, object]:
    if data.kind not in KINDS:
        raise ValidationError(
            "Tipo de entregable desconocido «{kind}». Tipos: {kinds}.",
            kind=data.kind,
            kinds=", ".join(KINDS),
        )
    title = _text(data.title)
    if not title:
        raise ValidationError("Escriba el título del entregable.")
    return {
        "kind": data.kind,
        "title": title,
        "description": _text(data.description) or None,
        "due_on": data.due_on,
    }


def _set_results(session, deliverable, result_ids: Sequence[str]) -> None:  # type: ignore[no-untyped-def]
    """Link the deliverable to exactly these plan results (links are records, merged by id)."""
    from fieldkit.services.plans import link_id
    from fieldkit.store import plans as plan_queries
    from fieldkit.store.models import PlanLink

    wanted = set(result_ids)
    plan = plan_queries.plan_of(session, deliverable.assistance_id)
    if plan is None:
        if wanted:
            raise ValidationError(
                "La asistencia no tiene plan de acción: no hay resultados que vincular."
            )
        return
    unknown = wanted - {r.id for r in plan_queries.results_of(session, plan.id)}
    if unknown:
        raise ValidationError(
            "El resultado {id} no es del plan de esta asistencia.", id=sorted(unknown)[0]
        )
    current = {
        link.target_id
        for link in plan_queries.links_of(session, plan.id)
        if link.kind == DELIVERABLE_RESULT and link.source_id == deliverable.id
    }
    for result_id in sorted(wanted | current):
        record_id = link_id(DELIVERABLE_RESULT, deliverable.id, result_id)
        link = session.get(PlanLink, record_id)
        linked = result_id in wanted
        if link is None:
            if linked:
                session.add(
                    PlanLink(
                        id=record_id,
                        plan_id=plan.id,
                        kind=DELIVERABLE_RESULT,
                        source_id=deliverable.id,
                        target_id=result_id,
                        created_at=plan.created_at,  # as the pair: the same on every laptop
                    )
                )
        elif link.deleted == linked:
            link.deleted = not linked


def create(profile: Profile, assistance: str, data: DeliverableInput) -> tuple[str, Changes]:
    _require_team(profile)
    from fieldkit.store import deliverables as q
    from fieldkit.store.models import Deliverable

    values = _validate(data)
    assistance_id = _assistance_id(profile, assistance)
    with profile.write() as session:
        order = max(
            (d.sort_order or 0 for d in q.deliverables_of(session, assistance_id)), default=0
        )
        record = Deliverable(
            assistance_id=assistance_id, state=TEAM_DRAFT, sort_order=order + 1, **values
        )
        session.add(record)
        session.flush()
        _set_results(session, record, data.result_ids)
        return record.id, Changes.of("deliverable", "plan_link")


def update(profile: Profile, deliverable_id: str, data: DeliverableInput) -> Changes:
    _require_team(profile)
    values = _validate(data)
    with profile.write() as session:
        record = _get(session, deliverable_id)
        state = _state(session, record)
        check_edit(state)
        for key, value in values.items():
            setattr(record, key, value)
        _set_results(session, record, data.result_ids)
        if state is DeliverableState.RETURNED:
            record.state = TEAM_DRAFT  # corrected: a draft again until it is re-submitted
    return Changes.of("deliverable", "plan_link")


def remove(profile: Profile, deliverable_id: str) -> Changes:
    _require_team(profile)
    with profile.write() as session:
        record = _get(session, deliverable_id)
        check_edit(_state(session, record))
        record.deleted = True
    return Changes.of("deliverable")


def restore(profile: Profile, deliverable_id: str) -> Changes:
    """Undo a removal."""
    _require_team(profile)
    from fieldkit.store.models import Deliverable

    with profile.write() as session:
        record = session.get(Deliverable, deliverable_id)
        if record is None:
            raise NotFoundError("No existe el entregable {id}.", id=deliverable_id)
        record.deleted = False
    return Changes.of("deliverable")


# Files ----------------------------------------------------------------------------------------


def add_file(
    profile: Profile, deliverable_id: str, source: Path, caption: str = "", purpose: str = PRODUCT
) -> tuple[str, Changes]:
    """Attach a product file or a photo (while editable), or the scanned signed act (once
    delivered: the one change a delivered deliverable takes)."""
    _require_team(profile)
    from fieldkit.services.forms import attach

    if purpose not in PURPOSES:
        raise ValidationError("Tipo de archivo desconocido «{purpose}».", purpose=purpose)
    with profile.read() as session:
        state = _state(session, _get(session, deliverable_id))
    if purpose == SIGNED_ACT:
        if state is not DeliverableState.DELIVERED:
            raise ValidationError("El acta firmada se adjunta después de registrar la entrega.")
    else:
        check_edit(state)
    row, changes = attach(profile, "deliverable", deliverable_id, Path(source), caption, purpose)
    return row.id, changes


def remove_file(profile: Profile, attachment_id: str) -> Changes:
    _require_team(profile)
    from fieldkit.store.models import Attachment

    with profile.write() as session:
        record = session.get(Attachment, attachment_id)
        if record is None or record.deleted or record.owner_entity != "deliverable":
            raise NotFoundError("No existe el archivo {id} de un entregable.", id=attachment_id)
        check_edit(_state(session, _get(session, record.owner_id)))
        record.deleted = True
    return Changes.of("attachment")


def set_caption(profile: Profile, attachment_id: str, caption: str) -> Changes:
    _require_team(profile)
    from fieldkit.store.models import Attachment

    with profile.write() as session:
        record = session.get(Attachment, attachment_id)
        if record is None or record.deleted or record.owner_entity != "deliverable":
            raise NotFoundError("No existe el archivo {id} de un entregable.", id=attachment_id)
        check_edit(_state(session, _get(session, record.owner_id)))
        record.caption = _text(caption) or None
    return Changes.of("attachment")


# Review ---------------------------------------------------------------------------------------


def submit(profile: Profile, deliverable_id: str, note: str = "") -> Changes:
    """Send to quality review (first time or after corrections)."""
    _require_team(profile)
    from fieldkit.store import deliverables as q
    from fieldkit.store.models import DeliverableReview

    with profile.write() as session:
        record = _get(session, deliverable_id)
        files = q.files_of(session, [deliverable_id])
        check_submit(
            _state(session, record),
            DeliverableFacts(
                has_title=bool(_text(record.title)),
                product_files=sum(1 for f in files if (f.purpose or PRODUCT) == PRODUCT),
            ),
        )
        reviews = q.reviews_of(session, [deliverable_id])
        session.add(
            DeliverableReview(
                deliverable_id=deliverable_id,
                number=max((r.number or 0 for r in reviews), default=0) + 1,
                submitted_at=_now(),
                submitted_by=profile.author,
                note=_text(note) or None,
            )
        )
        record.state = TEAM_SUBMITTED
    return Changes.of("deliverable", "deliverable_review")


def _decide(
    profile: Profile,
    deliverable_id: str,
    decision: str,
    comments: str,
    items: Sequence[ItemComment],
) -> Changes:
    from fieldkit.store import deliverables as q
    from fieldkit.store.models import ReviewComment

    items = [
        ItemComment(_text(i.item) or "general", _text(i.comment)) for i in items if _text(i.comment)
    ]
    with profile.write() as session:
        record = _get(session, deliverable_id)
        check_decide(
            _state(session, record),
            profile.role,
            decision,
            len(items) + (1 if _text(comments) else 0),
        )
        review = q.reviews_of(session, [deliverable_id])[-1]
        review.decision = decision
        review.comments = _text(comments) or None
        review.decided_at = _now()
        review.decided_by = profile.author
        for order, item in enumerate(items, start=1):
            session.add(
                ReviewComment(
                    review_id=review.id, item=item.item, comment=item.comment, sort_order=order
                )
            )
    return Changes.of("deliverable_review", "review_comment")


def approve(profile: Profile, deliverable_id: str, comments: str = "") -> Changes:
    """Approve the submitted deliverable (reviewers and coordinators)."""
    return _decide(profile, deliverable_id, APPROVED, comments, ())


def return_for_changes(
    profile: Profile, deliverable_id: str, comments: str = "", items: Sequence[ItemComment] = ()
) -> Changes:
    """Return it with comments (general and per item); the team corrects and re-submits."""
    return _decide(profile, deliverable_id, RETURNED, comments, items)


def address_comment(
    profile: Profile, comment_id: str, response: str, addressed: bool = True
) -> Changes:
    """The team says what it did about a reviewer's comment."""
    _require_team(profile)
    from fieldkit.store.models import DeliverableReview, ReviewComment

    with profile.write() as session:
        comment = session.get(ReviewComment, comment_id)
        if comment is None or comment.deleted:
            raise NotFoundError("No existe el comentario {id}.", id=comment_id)
        review = session.get(DeliverableReview, comment.review_id)
        if review is None:
            raise NotFoundError("No existe el comentario {id}.", id=comment_id)
        # Answered while the team corrects; sent, approved or delivered, it is part of the record.
        check_edit(_state(session, _get(session, review.deliverable_id)))
        comment.addressed = addressed
        comment.response = _text(response) or None
    return Changes.of("review_comment")


# Delivery -------------------------------------------------------------------------------------


def deliver(profile: Profile, deliverable_id: str, data: DeliveryInput) -> Changes:
    """Record the formal delivery; the deliverable becomes read-only (but for the signed act)."""
    team = [name.strip() for name in data.team_present if name and name.strip()]
    with profile.write() as session:
        record = _get(session, deliverable_id)
        check_deliver(
            _state(session, record),
            profile.role,
            DeliveryFacts(
                has_date=data.delivered_on is not None,
                has_place=bool(_text(data.place)),
                has_receiver=bool(_text(data.received_by)),
                team_present=len(team),
                has_position=bool(_text(data.received_position)),
                has_entity=bool(_text(data.received_entity)),
            ),
        )
        if data.delivered_on > dt.date.today():
            raise ValidationError("La fecha de entrega no puede ser posterior a hoy.")
        record.delivered_on = data.delivered_on
        record.delivery_place = _text(data.place)
        record.received_by = _text(data.received_by)
        record.received_position = _text(data.received_position)
        record.received_entity = _text(data.received_entity)
        record.team_present = json.dumps(team, ensure_ascii=False)
        record.delivered_by = profile.author
        record.state = TEAM_DELIVERED
    return Changes.of("deliverable")


def start_survey(profile: Profile, deliverable_id: str) -> tuple[str, Changes]:
    """Start (or return) the satisfaction survey of a deliverable: the survey form, filled with
    the municipal officials who received it."""
    from fieldkit.services import forms

    row = get(profile, deliverable_id)
    if row.state is not DeliverableState.DELIVERED:
        raise ValidationError("La encuesta de satisfacción se hace después de la entrega.")
    if row.survey_id:
        return row.survey_id, Changes()
    return forms.start(profile, row.assistance_id, SURVEY_FORM, subject_id=deliverable_id)


# Reading --------------------------------------------------------------------------------------


def _rows(session, records) -> list[DeliverableRow]:  # type: ignore[no-untyped-def]
    from fieldkit.store import deliverables as q

    ids = [r.id for r in records]
    files: dict[str, list[FileRow]] = defaultdict(list)
    for a in q.files_of(session, ids):
        files[a.owner_id].append(
            FileRow(
                a.id,
                a.file_name or "",
                a.media_type or "",
                a.size or 0,
                a.caption or "",
                a.purpose or PRODUCT,
                a.sha256 or "",
            )
        )
    comments: dict[str, list[CommentRow]] = defaultdict(list)
    reviews_by: dict[str, list] = defaultdict(list)  # type: ignore[type-arg]
    reviews = q.reviews_of(session, ids)
    for c in q.comments_of(session, [r.id for r in reviews]):
        comments[c.review_id].append(
            CommentRow(c.id, c.item or "", c.comment or "", bool(c.addressed), c.response or "")
        )
    for r in reviews:
        reviews_by[r.deliverable_id].append(
            ReviewRow(
                r.id,
                r.number or 0,
                r.submitted_at,
                r.submitted_by or "",
                r.note or "",
                r.decision,
                r.comments or "",
                r.decided_at,
                r.decided_by or "",
                tuple(comments.get(r.id, ())),
            )
        )
    results = q.result_links(session, ids)
    surveys = q.surveys_of(session, ids)
    out = []
    for d in records:
        its_reviews = tuple(reviews_by.get(d.id, ()))
        last = its_reviews[-1] if its_reviews else None
        try:
            team = tuple(json.loads(d.team_present or "[]"))
        except ValueError:
            team = ()
        out.append(
            DeliverableRow(
                d.id,
                d.assistance_id or "",
                d.kind or "other",
                d.title or "",
                d.description or "",
                d.due_on,
                effective_state(d.state, last.decision if last else None),
                d.delivered_on,
                d.delivery_place or "",
                d.received_by or "",
                d.received_position or "",
                d.received_entity or "",
                team,
                d.delivered_by or "",
                tuple(files.get(d.id, ())),
                its_reviews,
                tuple(sorted(results.get(d.id, ()))),
                surveys.get(d.id),
            )
        )
    return out


def list_for(profile: Profile, assistance: str) -> list[DeliverableRow]:
    """The deliverables of an assistance (its code or id), in the team's order."""
    from fieldkit.store import deliverables as q

    assistance_id = _assistance_id(profile, assistance)
    with profile.read() as session:
        return _rows(session, q.deliverables_of(session, assistance_id))


def get(profile: Profile, deliverable_id: str) -> DeliverableRow:
    with profile.read() as session:
        return _rows(session, [_get(session, deliverable_id)])[0]


def list_all(profile: Profile) -> list[DeliverableRow]:
    """Every deliverable of every assistance (reports and the workbook)."""
    from fieldkit.store import deliverables as q

    with profile.read() as session:
        return _rows(session, q.all_deliverables(session))


def kind_label(kind: str) -> Label:
    return Label(KINDS.get(kind, kind))
