"""Deliverables through the services: writing them with the plan results they serve, their files
and photos, the quality review (per-item comments, answers, re-submission), the formal delivery
and its guards, the read-only delivered product and its signed act, the satisfaction survey,
their histories, and a deliverable travelling between a team, a coordinator and a reviewer."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

import pytest
from service_helpers import Unchanged, enrol, new_device

from fieldkit.domain.deliverables import (
    DeliverableFacts,
    DeliverableState,
    check_submit,
)
from fieldkit.domain.errors import NotFoundError, TransitionError, ValidationError
from fieldkit.services import assistances, catalog, deliverables, forms, history, plans
from fieldkit.services.assistances import AssistanceInput
from fieldkit.services.deliverables import (
    PHOTO,
    PRODUCT,
    SIGNED_ACT,
    DeliverableInput,
    DeliveryInput,
    ItemComment,
)
from fieldkit.services.plans import PlanInput, ResultInput
from fieldkit.services.profile import Profile, set_role
from fieldkit.services.sync import export, import_bundles

TODAY = dt.date.today()
DELIVERED = "El entregable ya fue entregado: solo se le puede agregar el acta firmada."
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-")


def days(n: int) -> dt.date:
    return TODAY + dt.timedelta(days=n)


MANUAL = DeliverableInput(
    "procedure_manual",
    "Manual de procesos del banco de proyectos",
    "Procedimientos de registro, viabilidad y seguimiento de proyectos de inversión.",
    days(30),
)
ACTA = DeliveryInput(
    delivered_on=TODAY,
    place="Despacho del alcalde, Tumaco",
    received_by="Luz Dary Angulo",
    received_position="Secretaria de Planeación",
    received_entity="Alcaldía de San Andrés de Tumaco",
    team_present=("Ana María Quiñones", "Valentina Ortiz Nupan"),
)


@pytest.fixture
def code(fresh: Profile) -> str:
    found, _ = assistances.create_assistance(fresh, AssistanceInput("52835", "PAZ"))
    return found


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    folder = tmp_path / "archivos"
    folder.mkdir()
    made = {
        "manual.pdf": b"%PDF-1.4 manual de procesos " * 40,
        "anexos.docx": b"PK\x03\x04 anexos del manual " * 20,
        "taller.jpg": b"\xff\xd8\xff\xe0 foto del taller de socializacion " * 30,
        "acta-firmada.pdf": b"%PDF-1.4 acta de entrega firmada " * 50,
    }
    out = {}
    for name, data in made.items():
        (folder / name).write_bytes(data)
        out[name] = folder / name
    return out


class Made(NamedTuple):
    id: str
    product: str  # the attachment id of its product file


def ready(
    profile: Profile, code: str, files: dict[str, Path], data: DeliverableInput = MANUAL
) -> Made:
    """A deliverable with its product file: ready to submit."""
    deliverable_id, _ = deliverables.create(profile, code, data)
    product, _ = deliverables.add_file(profile, deliverable_id, files["manual.pdf"])
    return Made(deliverable_id, product)


def approved(
    profile: Profile, code: str, files: dict[str, Path], data: DeliverableInput = MANUAL
) -> Made:
    made = ready(profile, code, files, data)
    deliverables.submit(profile, made.id)
    deliverables.approve(profile, made.id)
    return made


def row(profile: Profile, deliverable_id: str) -> deliverables.DeliverableRow:
    return deliverables.get(profile, deliverable_id)


def a_plan(profile: Profile, code: str) -> tuple[str, str, str]:
    """A plan with two results: (plan id, first result, second result)."""
    plan_id, _ = plans.create_plan(profile, code, PlanInput("Sin banco de proyectos", "Crearlo"))
    first, _ = plans.add_result(profile, plan_id, ResultInput("Banco de proyectos operando"))
    second, _ = plans.add_result(profile, plan_id, ResultInput("Funcionarios capacitados"))
    return plan_id, first, second


# Writing them ---------------------------------------------------------------------------------


def test_a_deliverable_is_created_edited_removed_and_restored(fresh: Profile, code: str) -> None:
    assert deliverables.list_for(fresh, code) == []
    deliverable_id, changes = deliverables.create(
        fresh, code, MANUAL._replace(title="  Manual de procesos del banco de proyectos  ")
    )
    assert changes.touches("deliverable")
    [found] = deliverables.list_for(fresh, code)
    assert found == row(fresh, deliverable_id)
    assert found.assistance_id == assistances.get_assistance(fresh, code).row.id
    assert (found.kind, found.kind_label) == (
        "procedure_manual",
        "Manual de procesos y procedimientos",
    )
    assert found.title == "Manual de procesos del banco de proyectos"
    assert found.description == MANUAL.description and found.due_on == days(30)
    assert (found.state, found.state_label, found.editable) == (
        DeliverableState.DRAFT,
        "Borrador",
        True,
    )
    assert (found.files, found.reviews, found.result_ids, found.survey_id) == ((), (), (), None)
    assert (found.delivered_on, found.team_present, found.on_time, found.signed_act) == (
        None,
        (),
        None,
        None,
    )
    assert found.last_review is None

    changes = deliverables.update(
        fresh, deliverable_id, DeliverableInput("guide", " Guía del banco de proyectos ", "  ")
    )
    assert changes.touches("deliverable")
    edited = row(fresh, deliverable_id)
    assert (edited.kind, edited.kind_label, edited.title) == (
        "guide",
        "Guía",
        "Guía del banco de proyectos",
    )
    assert (edited.description, edited.due_on) == ("", None)

    assert deliverables.remove(fresh, deliverable_id).touches("deliverable")
    assert deliverables.list_for(fresh, code) == []
    assert deliverables.list_all(fresh) == []
    with pytest.raises(NotFoundError, match="No existe el entregable"):
        deliverables.get(fresh, deliverable_id)
    with Unchanged(fresh), pytest.raises(NotFoundError):
        deliverables.update(fresh, deliverable_id, MANUAL)
    deliverables.restore(fresh, deliverable_id)
    assert deliverables.list_for(fresh, code) == [edited]
    with pytest.raises(NotFoundError):
        deliverables.restore(fresh, "no-existe")


def test_wrong_input_is_refused_with_a_message_and_nothing_written(
    fresh: Profile, code: str
) -> None:
    other, _ = assistances.create_assistance(fresh, AssistanceInput("52835", "INNOVACION"))
    _plan, foreign, _second = a_plan(fresh, other)
    with Unchanged(fresh):
        with pytest.raises(ValidationError) as kind:
            deliverables.create(fresh, code, MANUAL._replace(kind="folleto"))
        assert str(kind.value).startswith("Tipo de entregable desconocido «folleto». Tipos: ")
        assert "procedure_manual" in str(kind.value)
        with pytest.raises(ValidationError) as title:
            deliverables.create(fresh, code, MANUAL._replace(title="   "))
        assert str(title.value) == "Escriba el título del entregable."
        with pytest.raises(ValidationError) as no_plan:
            deliverables.create(fresh, code, MANUAL._replace(result_ids=[foreign]))
        assert str(no_plan.value) == (
            "La asistencia no tiene plan de acción: no hay resultados que vincular."
        )
        with pytest.raises(NotFoundError):
            deliverables.create(fresh, "AT-1999-XXXXX-999", MANUAL)
    a_plan(fresh, code)
    with Unchanged(fresh), pytest.raises(ValidationError) as elsewhere:
        deliverables.create(fresh, code, MANUAL._replace(result_ids=[foreign]))
    assert str(elsewhere.value) == f"El resultado {foreign} no es del plan de esta asistencia."
    deliverable_id, _ = deliverables.create(fresh, code, MANUAL)
    with Unchanged(fresh):
        with pytest.raises(ValidationError, match="no es del plan de esta asistencia"):
            deliverables.update(fresh, deliverable_id, MANUAL._replace(result_ids=[foreign]))
        with pytest.raises(ValidationError, match="Escriba el título"):
            deliverables.update(fresh, deliverable_id, MANUAL._replace(title=""))
        with pytest.raises(ValidationError, match="Tipo de entregable desconocido"):
            deliverables.update(fresh, deliverable_id, MANUAL._replace(kind=""))


def test_the_plan_results_it_serves_are_linked_and_unlinked(fresh: Profile, code: str) -> None:
    _plan_id, first, second = a_plan(fresh, code)
    deliverable_id, changes = deliverables.create(
        fresh, code, MANUAL._replace(result_ids=[second, first, first])
    )
    assert changes.touches("plan_link")
    assert row(fresh, deliverable_id).result_ids == tuple(sorted((first, second)))
    deliverables.update(fresh, deliverable_id, MANUAL._replace(result_ids=[second]))
    assert row(fresh, deliverable_id).result_ids == (second,)
    with Unchanged(fresh):  # the same links again: nothing to write
        deliverables.update(fresh, deliverable_id, MANUAL._replace(result_ids=[second]))
    deliverables.update(fresh, deliverable_id, MANUAL)
    assert row(fresh, deliverable_id).result_ids == ()
    deliverables.update(fresh, deliverable_id, MANUAL._replace(result_ids=[first, second]))
    assert row(fresh, deliverable_id).result_ids == tuple(sorted((first, second)))
    # A result removed from the plan is not served any more; its undo brings it back.
    removed, _ = plans.remove_result(fresh, first)
    assert row(fresh, deliverable_id).result_ids == (second,)
    plans.restore(fresh, removed)
    assert row(fresh, deliverable_id).result_ids == tuple(sorted((first, second)))
    # Links are records of the plan, one per pair, whatever the order they were made in.
    with fresh.read() as session:
        from fieldkit.store import plans as plan_queries

        plan = plan_queries.plan_of(session, row(fresh, deliverable_id).assistance_id)
        assert plan is not None
        links = [
            (link.source_id, link.target_id)
            for link in plan_queries.links_of(session, plan.id)
            if link.kind == deliverables.DELIVERABLE_RESULT
        ]
    assert sorted(links) == sorted([(deliverable_id, first), (deliverable_id, second)])


# Files and photos -----------------------------------------------------------------------------


def test_product_files_and_photos_with_captions(
    fresh: Profile, code: str, files: dict[str, Path]
) -> None:
    deliverable_id, _ = deliverables.create(fresh, code, MANUAL)
    manual, changes = deliverables.add_file(fresh, deliverable_id, files["manual.pdf"])
    assert changes.touches("attachment")
    annex, _ = deliverables.add_file(
        fresh, deliverable_id, files["anexos.docx"], caption="Anexos: formatos"
    )
    photo, _ = deliverables.add_file(
        fresh, deliverable_id, files["taller.jpg"], "Taller de socialización", PHOTO
    )
    shown = row(fresh, deliverable_id).files
    assert [f.id for f in shown] == [manual, annex, photo]
    first, second, third = shown
    assert (first.file_name, first.media_type, first.purpose, first.caption) == (
        "manual.pdf",
        "application/pdf",
        PRODUCT,
        "",
    )
    assert first.size == files["manual.pdf"].stat().st_size
    assert forms.attachment_path(fresh, manual).read_bytes() == files["manual.pdf"].read_bytes()
    assert (second.purpose, second.caption) == (PRODUCT, "Anexos: formatos")
    assert (third.file_name, third.media_type, third.purpose, third.caption) == (
        "taller.jpg",
        "image/jpeg",
        PHOTO,
        "Taller de socialización",
    )
    assert first.sha256 != third.sha256 and len(third.sha256) == 64

    assert deliverables.set_caption(fresh, photo, "  Socialización con la Secretaría  ").touches(
        "attachment"
    )
    assert row(fresh, deliverable_id).files[2].caption == "Socialización con la Secretaría"
    deliverables.set_caption(fresh, annex, " ")
    assert row(fresh, deliverable_id).files[1].caption == ""
    assert deliverables.remove_file(fresh, annex).touches("attachment")
    assert [f.id for f in row(fresh, deliverable_id).files] == [manual, photo]

    with Unchanged(fresh):
        with pytest.raises(ValidationError, match="Tipo de archivo desconocido «portada»"):
            deliverables.add_file(fresh, deliverable_id, files["manual.pdf"], purpose="portada")
        with pytest.raises(ValidationError) as early:
            deliverables.add_file(fresh, deliverable_id, files["acta-firmada.pdf"], "", SIGNED_ACT)
        assert str(early.value) == "El acta firmada se adjunta después de registrar la entrega."
        with pytest.raises(ValidationError, match="No existe el archivo"):
            deliverables.add_file(fresh, deliverable_id, files["manual.pdf"].with_name("no.pdf"))
        with pytest.raises(NotFoundError, match="No existe el archivo"):
            deliverables.remove_file(fresh, annex)  # already removed
        with pytest.raises(NotFoundError):
            deliverables.set_caption(fresh, "no-existe", "x")
        with pytest.raises(NotFoundError):
            deliverables.add_file(fresh, "no-existe", files["manual.pdf"])
    # A visit's attachment is not a deliverable's file.
    visit, _ = forms.start(fresh, code, "bitacora_visita")
    foreign, _ = forms.attach(fresh, "submission", visit, files["taller.jpg"])
    with Unchanged(fresh), pytest.raises(NotFoundError, match="de un entregable"):
        deliverables.remove_file(fresh, foreign.id)


# The quality review ---------------------------------------------------------------------------


def test_submitting_needs_a_title_and_a_product_file(
    fresh: Profile, code: str, files: dict[str, Path]
) -> None:
    deliverable_id, _ = deliverables.create(fresh, code, MANUAL)
    with Unchanged(fresh), pytest.raises(TransitionError) as bare:
        deliverables.submit(fresh, deliverable_id)
    assert str(bare.value) == (
        "Para enviar el entregable a revisión falta: al menos un archivo del producto."
    )
    deliverables.add_file(fresh, deliverable_id, files["taller.jpg"], "Taller", PHOTO)
    with Unchanged(fresh), pytest.raises(TransitionError, match="al menos un archivo del producto"):
        deliverables.submit(fresh, deliverable_id)  # a photo is not the product
    # A title can only be lost through another laptop's edit; the guard names it too.
    with pytest.raises(TransitionError) as nothing:
        check_submit(DeliverableState.DRAFT, DeliverableFacts(has_title=False, product_files=0))
    assert str(nothing.value) == (
        "Para enviar el entregable a revisión falta: el título; al menos un archivo del producto."
    )
    from fieldkit.store.models import Deliverable

    deliverables.add_file(fresh, deliverable_id, files["manual.pdf"])
    with fresh.write() as session:
        record = session.get(Deliverable, deliverable_id)
        assert record is not None
        record.title = ""
    with Unchanged(fresh), pytest.raises(TransitionError) as untitled:
        deliverables.submit(fresh, deliverable_id)
    assert str(untitled.value) == "Para enviar el entregable a revisión falta: el título."
    deliverables.update(fresh, deliverable_id, MANUAL)
    changes = deliverables.submit(fresh, deliverable_id, "  Primera versión del manual  ")
    assert changes.touches("deliverable", "deliverable_review")
    submitted = row(fresh, deliverable_id)
    assert (submitted.state, submitted.state_label, submitted.editable) == (
        DeliverableState.SUBMITTED,
        "En revisión de calidad",
        False,
    )
    [review] = submitted.reviews
    assert review == submitted.last_review
    assert (review.number, review.note, review.submitted_by, review.decision) == (
        1,
        "Primera versión del manual",
        fresh.author,
        None,
    )
    assert review.submitted_at is not None and review.decided_at is None and review.items == ()


def test_returned_with_comments_per_item_answered_corrected_resubmitted_and_approved(
    fresh: Profile, code: str, files: dict[str, Path]
) -> None:
    made = ready(fresh, code, files)
    deliverables.submit(fresh, made.id)
    with Unchanged(fresh):
        with pytest.raises(TransitionError) as silent:
            deliverables.return_for_changes(fresh, made.id, "  ", [ItemComment("manual.pdf", " ")])
        assert str(silent.value) == "Para devolver el entregable escriba al menos un comentario."
        with pytest.raises(
            TransitionError, match="solo se envía a revisión en borrador o devuelto"
        ):
            deliverables.submit(fresh, made.id)
    changes = deliverables.return_for_changes(
        fresh,
        made.id,
        "Buen avance; faltan ajustes.",
        [
            ItemComment(" manual.pdf ", " El capítulo 3 no describe la viabilidad. "),
            ItemComment("", "Falta la tabla de contenido."),
            ItemComment("anexos", "   "),  # an empty comment is not a comment
        ],
    )
    assert changes.touches("deliverable_review", "review_comment")
    returned = row(fresh, made.id)
    assert (returned.state, returned.state_label, returned.editable) == (
        DeliverableState.RETURNED,
        "Devuelto con comentarios",
        True,
    )
    [review] = returned.reviews
    assert (review.decision, review.comments, review.decided_by) == (
        "returned",
        "Buen avance; faltan ajustes.",
        fresh.author,
    )
    assert review.decided_at is not None
    assert [(c.item, c.comment, c.addressed, c.response) for c in review.items] == [
        ("manual.pdf", "El capítulo 3 no describe la viabilidad.", False, ""),
        ("general", "Falta la tabla de contenido.", False, ""),
    ]
    chapter, contents = review.items

    assert deliverables.address_comment(
        fresh, chapter.id, " Se agregó la sección 3.2 de viabilidad. "
    ).touches("review_comment")
    deliverables.address_comment(fresh, contents.id, "Se dejará para la versión final", False)
    items = row(fresh, made.id).reviews[0].items
    assert [(c.addressed, c.response) for c in items] == [
        (True, "Se agregó la sección 3.2 de viabilidad."),
        (False, "Se dejará para la versión final"),
    ]
    assert row(fresh, made.id).state is DeliverableState.RETURNED  # answering is not correcting
    with Unchanged(fresh), pytest.raises(NotFoundError, match="No existe el comentario"):
        deliverables.address_comment(fresh, "no-existe", "x")

    # Correcting it makes it a draft again; submitting it again is the second review.
    deliverables.update(fresh, made.id, MANUAL._replace(description="Con la sección 3.2"))
    assert row(fresh, made.id).state is DeliverableState.DRAFT
    deliverables.submit(fresh, made.id, "Corregido")
    first, second = row(fresh, made.id).reviews
    assert (first.number, first.decision, len(first.items)) == (1, "returned", 2)
    assert (second.number, second.note, second.decision, second.items) == (
        2,
        "Corregido",
        None,
        (),
    )
    assert row(fresh, made.id).state is DeliverableState.SUBMITTED
    # The answers went with the submission: not changed while it is reviewed.
    with Unchanged(fresh), pytest.raises(TransitionError, match="En revisión de calidad"):
        deliverables.address_comment(fresh, contents.id, "Otra respuesta")
    deliverables.approve(fresh, made.id, "Cumple los criterios de calidad")
    done = row(fresh, made.id)
    assert (done.state, done.state_label, done.editable) == (
        DeliverableState.APPROVED,
        "Aprobado",
        False,
    )
    assert done.last_review is not None
    assert (done.last_review.decision, done.last_review.comments) == (
        "approved",
        "Cumple los criterios de calidad",
    )
    assert [r.decision for r in done.reviews] == ["returned", "approved"]
    with (
        Unchanged(fresh),
        pytest.raises(TransitionError, match="solo se aprueba o devuelve uno en"),
    ):
        deliverables.approve(fresh, made.id)


def test_a_returned_deliverable_may_be_resubmitted_without_other_changes(
    fresh: Profile, code: str, files: dict[str, Path]
) -> None:
    made = ready(fresh, code, files)
    deliverables.submit(fresh, made.id)
    deliverables.return_for_changes(fresh, made.id, items=[ItemComment("manual.pdf", "Firmas")])
    deliverables.add_file(fresh, made.id, files["anexos.docx"], "Firmas escaneadas")
    assert row(fresh, made.id).state is DeliverableState.RETURNED
    deliverables.submit(fresh, made.id)
    assert [r.number for r in row(fresh, made.id).reviews] == [1, 2]
    assert row(fresh, made.id).state is DeliverableState.SUBMITTED


@pytest.mark.parametrize(
    ("state", "label"),
    [("submitted", "En revisión de calidad"), ("approved", "Aprobado")],
)
def test_edits_are_refused_while_reviewed_or_approved(
    fresh: Profile, code: str, files: dict[str, Path], state: str, label: str
) -> None:
    made = ready(fresh, code, files)
    photo, _ = deliverables.add_file(fresh, made.id, files["taller.jpg"], "Taller", PHOTO)
    deliverables.submit(fresh, made.id)
    if state == "approved":
        deliverables.approve(fresh, made.id)
    assert row(fresh, made.id).state == DeliverableState(state)
    with Unchanged(fresh):
        for refused in (
            lambda: deliverables.update(fresh, made.id, MANUAL._replace(title="Otro")),
            lambda: deliverables.remove(fresh, made.id),
            lambda: deliverables.add_file(fresh, made.id, files["anexos.docx"]),
            lambda: deliverables.add_file(fresh, made.id, files["taller.jpg"], "", PHOTO),
            lambda: deliverables.set_caption(fresh, photo, "Otra leyenda"),
            lambda: deliverables.remove_file(fresh, made.product),
        ):
            with pytest.raises(TransitionError) as refusal:
                refused()
            assert str(refusal.value) == (
                f"El entregable está «{label}»: no se puede modificar ahora."
            )


def test_only_reviewers_and_coordinators_approve_or_return(
    fresh: Profile, code: str, files: dict[str, Path]
) -> None:
    made = ready(fresh, code, files)
    other = ready(fresh, code, files, MANUAL._replace(title="Guía de presupuesto participativo"))
    deliverables.submit(fresh, made.id)
    deliverables.submit(fresh, other.id)
    set_role(fresh, "field")
    with Unchanged(fresh):
        for decide in (
            lambda: deliverables.approve(fresh, made.id, "Bien"),
            lambda: deliverables.return_for_changes(fresh, made.id, "Ajustar"),
        ):
            with pytest.raises(TransitionError) as refused:
                decide()
            assert str(refused.value) == (
                "Solo un revisor o un coordinador puede aprobar o devolver un entregable."
            )
    set_role(fresh, "reviewer")
    deliverables.return_for_changes(fresh, made.id, "Ajustar el capítulo 2")
    assert row(fresh, made.id).state is DeliverableState.RETURNED
    set_role(fresh, "coordinator")
    deliverables.approve(fresh, other.id)
    assert row(fresh, other.id).state is DeliverableState.APPROVED


# Delivery -------------------------------------------------------------------------------------


def test_delivery_needs_an_approved_product_the_team_and_every_detail(
    fresh: Profile, code: str, files: dict[str, Path]
) -> None:
    made = ready(fresh, code, files)
    with Unchanged(fresh), pytest.raises(TransitionError) as draft:
        deliverables.deliver(fresh, made.id, ACTA)
    assert str(draft.value) == (
        "Solo se entrega un producto aprobado en la revisión de calidad; este está «Borrador»."
    )
    deliverables.submit(fresh, made.id)
    with Unchanged(fresh), pytest.raises(TransitionError, match="este está «En revisión de"):
        deliverables.deliver(fresh, made.id, ACTA)
    deliverables.approve(fresh, made.id)

    set_role(fresh, "reviewer")
    with Unchanged(fresh), pytest.raises(TransitionError) as reviewer:
        deliverables.deliver(fresh, made.id, ACTA)
    assert str(reviewer.value) == "Solo el equipo de la asistencia entrega los productos."
    set_role(fresh, "field")
    blank = DeliveryInput(None, " ", "", "", "", ("  ", ""))  # type: ignore[arg-type]
    with Unchanged(fresh):
        with pytest.raises(TransitionError) as everything:
            deliverables.deliver(fresh, made.id, blank)
        assert str(everything.value) == (
            "Para registrar la entrega falta: la fecha; el lugar; el nombre de quien recibe; "
            "el cargo de quien recibe; la entidad de quien recibe; "
            "al menos un integrante del equipo presente."
        )
        for missing, data in (
            ("el lugar", ACTA._replace(place="  ")),
            ("el nombre de quien recibe", ACTA._replace(received_by="")),
            ("el cargo de quien recibe", ACTA._replace(received_position=" ")),
            ("la entidad de quien recibe", ACTA._replace(received_entity="")),
            ("al menos un integrante del equipo presente", ACTA._replace(team_present=[])),
        ):
            with pytest.raises(TransitionError) as one:
                deliverables.deliver(fresh, made.id, data)
            assert str(one.value) == f"Para registrar la entrega falta: {missing}."
        with pytest.raises(ValidationError) as future:
            deliverables.deliver(fresh, made.id, ACTA._replace(delivered_on=days(1)))
        assert str(future.value) == "La fecha de entrega no puede ser posterior a hoy."

    changes = deliverables.deliver(
        fresh,
        made.id,
        ACTA._replace(
            delivered_on=days(-2),
            place="  Despacho del alcalde, Tumaco ",
            team_present=[" Ana María Quiñones ", "", "Valentina Ortiz Nupan"],
        ),
    )
    assert changes.touches("deliverable")
    done = row(fresh, made.id)
    assert (done.state, done.state_label, done.editable) == (
        DeliverableState.DELIVERED,
        "Entregado",
        False,
    )
    assert (done.delivered_on, done.delivery_place) == (days(-2), "Despacho del alcalde, Tumaco")
    assert (done.received_by, done.received_position, done.received_entity) == (
        "Luz Dary Angulo",
        "Secretaria de Planeación",
        "Alcaldía de San Andrés de Tumaco",
    )
    assert done.team_present == ("Ana María Quiñones", "Valentina Ortiz Nupan")
    assert done.delivered_by == fresh.author
    assert done.on_time is True  # due in 30 days, delivered two days ago
    with Unchanged(fresh), pytest.raises(TransitionError, match="este está «Entregado»"):
        deliverables.deliver(fresh, made.id, ACTA)


def test_a_delivered_deliverable_only_takes_its_signed_act(
    fresh: Profile, code: str, files: dict[str, Path]
) -> None:
    made = ready(fresh, code, files)
    photo, _ = deliverables.add_file(fresh, made.id, files["taller.jpg"], "Taller", PHOTO)
    deliverables.submit(fresh, made.id)
    deliverables.approve(fresh, made.id)
    deliverables.deliver(fresh, made.id, ACTA)
    assert row(fresh, made.id).signed_act is None
    with Unchanged(fresh):
        for refused in (
            lambda: deliverables.update(fresh, made.id, MANUAL._replace(title="Otro")),
            lambda: deliverables.remove(fresh, made.id),
            lambda: deliverables.add_file(fresh, made.id, files["anexos.docx"]),
            lambda: deliverables.add_file(fresh, made.id, files["taller.jpg"], "", PHOTO),
            lambda: deliverables.set_caption(fresh, photo, "Otra"),
            lambda: deliverables.remove_file(fresh, made.product),
        ):
            with pytest.raises(TransitionError) as refusal:
                refused()
            assert str(refusal.value) == DELIVERED
        with pytest.raises(TransitionError, match="está «Entregado»: solo se envía"):
            deliverables.submit(fresh, made.id)
        with pytest.raises(TransitionError, match="solo se aprueba o devuelve uno en revisión"):
            deliverables.return_for_changes(fresh, made.id, "Tarde")

    act, changes = deliverables.add_file(
        fresh, made.id, files["acta-firmada.pdf"], "Acta firmada por la secretaria", SIGNED_ACT
    )
    assert changes.touches("attachment")
    after = row(fresh, made.id)
    assert after.signed_act is not None
    assert (after.signed_act.id, after.signed_act.purpose, after.signed_act.caption) == (
        act,
        SIGNED_ACT,
        "Acta firmada por la secretaria",
    )
    assert [f.purpose for f in after.files] == [PRODUCT, PHOTO, SIGNED_ACT]
    again, _ = deliverables.add_file(fresh, made.id, files["acta-firmada.pdf"], "", SIGNED_ACT)
    assert row(fresh, made.id).signed_act.id == again  # type: ignore[union-attr]  # the newest
    assert after.state is DeliverableState.DELIVERED
    with Unchanged(fresh), pytest.raises(TransitionError, match="solo se le puede agregar el acta"):
        deliverables.remove_file(fresh, act)  # the signed act is part of the record too


def test_the_satisfaction_survey_starts_once_after_delivery(
    fresh: Profile, code: str, files: dict[str, Path]
) -> None:
    made = approved(fresh, code, files)
    with Unchanged(fresh), pytest.raises(ValidationError) as early:
        deliverables.start_survey(fresh, made.id)
    assert str(early.value) == "La encuesta de satisfacción se hace después de la entrega."
    deliverables.deliver(fresh, made.id, ACTA)
    survey, changes = deliverables.start_survey(fresh, made.id)
    assert changes.touches("submission")
    again, nothing = deliverables.start_survey(fresh, made.id)
    assert (again, nothing.entities) == (survey, frozenset())
    assert row(fresh, made.id).survey_id == survey
    submission = forms.get_submission(fresh, survey)
    assert (submission.form_id, submission.subject_id, submission.kind) == (
        "encuesta_satisfaccion",
        made.id,
        "survey",
    )
    assert submission.assistance_id == row(fresh, made.id).assistance_id
    # It is an ordinary filling: answered and completed with the forms service.
    state = forms.open_state(fresh, survey)
    assert state.form.form_id == "encuesta_satisfaccion"
    assert [s.id for s in forms.list_submissions(fresh, code, kind="survey")] == [survey]


def test_on_time_compares_the_delivery_with_the_due_date(
    fresh: Profile, code: str, files: dict[str, Path]
) -> None:
    early = approved(fresh, code, files, MANUAL._replace(due_on=days(-1)))
    late = approved(fresh, code, files, MANUAL._replace(due_on=days(-10)))
    undated = approved(fresh, code, files, MANUAL._replace(due_on=None))
    pending = approved(fresh, code, files, MANUAL._replace(due_on=days(-30)))
    deliverables.deliver(fresh, early.id, ACTA._replace(delivered_on=days(-1)))  # that very day
    deliverables.deliver(fresh, late.id, ACTA._replace(delivered_on=days(-3)))
    deliverables.deliver(fresh, undated.id, ACTA)
    assert [row(fresh, d.id).on_time for d in (early, late, undated, pending)] == [
        True,
        False,
        None,
        None,
    ]


def test_lists_keep_the_team_order_per_assistance(
    fresh: Profile, code: str, files: dict[str, Path]
) -> None:
    other, _ = assistances.create_assistance(fresh, AssistanceInput("52835", "INNOVACION"))
    first, _ = deliverables.create(fresh, code, MANUAL._replace(title="Primero"))
    elsewhere, _ = deliverables.create(fresh, other, MANUAL._replace(title="De la otra"))
    second, _ = deliverables.create(fresh, code, MANUAL._replace(title="Segundo"))
    third, _ = deliverables.create(fresh, code, MANUAL._replace(title="Tercero"))
    assert [d.id for d in deliverables.list_for(fresh, code)] == [first, second, third]
    assert [d.id for d in deliverables.list_for(fresh, other)] == [elsewhere]
    deliverables.remove(fresh, second)
    fourth, _ = deliverables.create(fresh, code, MANUAL._replace(title="Cuarto"))
    assert [d.title for d in deliverables.list_for(fresh, code)] == ["Primero", "Tercero", "Cuarto"]
    ids = {c: assistances.get_assistance(fresh, c).row.id for c in (code, other)}
    everything = deliverables.list_all(fresh)
    assert sorted(d.id for d in everything) == sorted([first, elsewhere, third, fourth])
    by_assistance: dict[str, list[str]] = {}
    for d in everything:
        by_assistance.setdefault(d.assistance_id, []).append(d.id)
    assert by_assistance == {ids[code]: [first, third, fourth], ids[other]: [elsewhere]}
    # Rows read alike from each list.
    assert {d.id: d for d in everything}[third] == row(fresh, third)


# Histories ------------------------------------------------------------------------------------


def texts(changes: list[history.Change]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for c in changes:
        out.setdefault(c.field, []).append(c.text)
    return out


def test_deliverable_records_read_in_histories_with_names_and_labels(
    fresh: Profile, code: str, files: dict[str, Path]
) -> None:
    _plan_id, result, _second = a_plan(fresh, code)
    made = ready(
        fresh, code, files, MANUAL._replace(due_on=dt.date(2026, 9, 30), result_ids=[result])
    )
    photo, _ = deliverables.add_file(fresh, made.id, files["taller.jpg"], "Taller", PHOTO)
    deliverables.submit(fresh, made.id, "Primera versión")
    deliverables.return_for_changes(
        fresh, made.id, "Ajustes", [ItemComment("manual.pdf", "Falta el capítulo de viabilidad")]
    )
    [comment] = row(fresh, made.id).reviews[0].items
    deliverables.address_comment(fresh, comment.id, "Agregado")
    deliverables.submit(fresh, made.id)
    deliverables.approve(fresh, made.id)
    deliverables.deliver(fresh, made.id, ACTA._replace(delivered_on=dt.date(2026, 1, 15)))
    act, _ = deliverables.add_file(fresh, made.id, files["acta-firmada.pdf"], "", SIGNED_ACT)

    changes = history.record_history(fresh, made.id)
    shown = texts(changes)
    assert shown["assistance_id"] == [code]
    assert shown["kind"] == ["Manual de procesos y procedimientos"]
    assert shown["title"] == [MANUAL.title]
    assert shown["due_on"] == ["30/09/2026"]
    assert shown["state"] == ["Borrador", "En revisión de calidad", "Entregado"]
    assert shown["delivered_on"] == ["15/01/2026"]
    assert shown["team_present"] == ["Ana María Quiñones, Valentina Ortiz Nupan"]
    assert shown["received_by"] == ["Luz Dary Angulo"]
    assert history.describe_field("deliverable", "received_position") == (
        "Entregable · cargo de quien recibe"
    )
    assert history.describe_field("deliverable", "team_present") == (
        "Entregable · equipo presente en la entrega"
    )
    for c in changes:
        assert not UUID.search(c.text), c

    first, _second_review = row(fresh, made.id).reviews
    shown = texts(history.record_history(fresh, first.id))
    assert shown["deliverable_id"] == [f"Entregable «{MANUAL.title}» de {code}"]
    assert shown["decision"] == ["Devuelto con comentarios"]
    assert shown["number"] == ["1"]
    assert shown["note"] == ["Primera versión"]
    assert (
        history.describe_field("deliverable_review", "decision") == "Revisión de calidad · decisión"
    )
    shown = texts(history.record_history(fresh, row(fresh, made.id).reviews[1].id))
    assert shown["decision"] == ["Aprobado"]

    shown = texts(history.record_history(fresh, comment.id))
    assert shown["review_id"] == [f"Envío 1 a revisión del entregable «{MANUAL.title}» de {code}"]
    assert shown["item"] == ["manual.pdf"]
    assert shown["addressed"] == ["Sí"]
    assert shown["response"] == ["Agregado"]
    assert history.describe_field("review_comment", "response") == (
        "Comentario de revisión · respuesta del equipo"
    )

    shown = texts(history.record_history(fresh, photo))
    assert shown["purpose"] == ["Foto"]
    assert shown["owner_entity"] == ["Entregable"]
    assert shown["owner_id"] == [f"Entregable «{MANUAL.title}» de {code}"]
    assert texts(history.record_history(fresh, act))["purpose"] == ["Acta de entrega firmada"]
    assert texts(history.record_history(fresh, made.product))["purpose"] == ["Archivo del producto"]
    assert history.describe_field("attachment", "purpose") == "Adjunto · uso del archivo"

    with fresh.read() as session:
        values = history.Values(fresh, session)
        assert values.record("deliverable", made.id) == f"Entregable «{MANUAL.title}» de {code}"
        assert values.record("review_comment", comment.id) == (
            f"Comentario sobre «manual.pdf» en el envío 1 del entregable «{MANUAL.title}»"
        )
        link = plans.link_id(deliverables.DELIVERABLE_RESULT, made.id, result)
        assert values.record("plan_link", link) == (
            f"Entregable «{MANUAL.title}» de {code} → "
            f"Resultado «Banco de proyectos operando» del plan de {code}"
        )
        assert values.text("plan_link", "kind", "deliverable_result") == (
            "Entregable que sirve a un resultado"
        )
        assert values.text("deliverable", "kind", "folleto") == "folleto"  # unknown: as stored
        assert values.text("deliverable", "team_present", "no es JSON") == "no es JSON"


# Between laptops ------------------------------------------------------------------------------


class Laptops(NamedTuple):
    office: Profile  # the directorate's coordinator
    team: Profile  # a field team
    reviewer: Profile  # a central quality reviewer


@pytest.fixture
def laptops(template: Path, tmp_path: Path) -> Iterator[Laptops]:
    office = new_device(template, tmp_path / "oficina", "Coordinación Nariño")
    team = new_device(template, tmp_path / "equipo", "Portátil Tumaco")
    reviewer = new_device(template, tmp_path / "revisor", "Revisión de calidad")
    catalog.import_directorates(office)
    set_role(team, "field")
    set_role(reviewer, "reviewer")
    enrol(office, team, tmp_path / "inscripcion", directorates=["NAR"])
    enrol(office, reviewer, tmp_path / "inscripcion", directorates=["NAR"])
    try:
        yield Laptops(office, team, reviewer)
    finally:
        office.close()
        team.close()
        reviewer.close()


def send(source: Profile, target: Profile, path: Path) -> tuple[tuple[str, str], ...]:
    sent = export(source, path, for_device=target.device_id)
    [result], _ = import_bundles(target, [sent.path])
    assert result.status == "applied", result.error
    return result.rejected


def reasons(rejected: tuple[tuple[str, str], ...]) -> list[str]:
    return sorted(reason for _summary, reason in rejected)


def test_a_deliverable_travels_and_each_role_keeps_to_its_part(
    laptops: Laptops, files: dict[str, Path], tmp_path: Path
) -> None:
    office, team, reviewer = laptops
    code, _ = assistances.create_assistance(team, AssistanceInput("52835", "PAZ"))
    _plan_id, result, _second = a_plan(team, code)
    made = ready(team, code, files, MANUAL._replace(result_ids=[result]))
    photo, _ = deliverables.add_file(team, made.id, files["taller.jpg"], "Taller", PHOTO)
    deliverables.submit(team, made.id, "Para revisión")

    assert send(team, office, tmp_path / "1.fkb") == ()
    received = row(office, made.id)
    assert received == row(team, made.id)
    assert received.state is DeliverableState.SUBMITTED and received.result_ids == (result,)
    for attachment, name in ((made.product, "manual.pdf"), (photo, "taller.jpg")):
        assert forms.attachment_path(office, attachment).read_bytes() == files[name].read_bytes()

    # The field laptop approves its own product (its role changed for a moment): refused.
    set_role(team, "reviewer")
    deliverables.approve(team, made.id, "Aprobado por mí mismo")
    set_role(team, "field")
    assert row(team, made.id).state is DeliverableState.APPROVED  # on its own laptop only
    self_approval = [
        f"un equipo de campo no puede cambiar deliverable_review.{field}"
        for field in ("comments", "decided_at", "decided_by", "decision")
    ]
    assert reasons(send(team, office, tmp_path / "2.fkb")) == self_approval
    assert row(office, made.id).state is DeliverableState.SUBMITTED

    # The reviewer receives it with its files and returns it with a comment on one item.
    assert send(office, reviewer, tmp_path / "3.fkb") == ()
    assert forms.attachment_path(reviewer, made.product).read_bytes() == (
        files["manual.pdf"].read_bytes()
    )
    deliverables.return_for_changes(
        reviewer, made.id, "Revise el capítulo 3", [ItemComment("manual.pdf", "Sin viabilidad")]
    )
    assert send(reviewer, office, tmp_path / "4.fkb") == ()
    assert row(office, made.id).state is DeliverableState.RETURNED
    assert send(office, team, tmp_path / "5.fkb") == ()
    # On the team's laptop, its own approval and the reviewer's return meet: the reviewer's
    # decision (the newer one) is what everyone sees.
    returned = row(team, made.id)
    assert returned.state is DeliverableState.RETURNED
    [comment] = returned.reviews[0].items
    assert (comment.item, comment.comment) == ("manual.pdf", "Sin viabilidad")

    # The team answers, corrects and submits again; the reviewer approves.
    deliverables.address_comment(team, comment.id, "Se agregó la viabilidad")
    fixed = tmp_path / "manual-v2.pdf"
    fixed.write_bytes(b"%PDF-1.4 manual corregido " * 60)
    deliverables.remove_file(team, made.product)
    second_file, _ = deliverables.add_file(team, made.id, fixed)
    deliverables.submit(team, made.id, "Corregido")
    # The refused approval counts as seen by the office: it is neither sent nor refused again.
    assert reasons(send(team, office, tmp_path / "6.fkb")) == []
    assert send(office, reviewer, tmp_path / "7.fkb") == ()
    assert forms.attachment_path(reviewer, second_file).read_bytes() == fixed.read_bytes()
    assert row(reviewer, made.id).reviews[0].items[0].response == "Se agregó la viabilidad"
    deliverables.approve(reviewer, made.id, "Cumple")
    assert send(reviewer, office, tmp_path / "8.fkb") == ()
    assert row(office, made.id).state is DeliverableState.APPROVED

    # The reviewer records the delivery itself (a coordinator for a moment): refused in part.
    set_role(reviewer, "coordinator")
    deliverables.deliver(reviewer, made.id, ACTA)
    set_role(reviewer, "reviewer")
    assert row(reviewer, made.id).state is DeliverableState.DELIVERED  # on its laptop only
    assert reasons(send(reviewer, office, tmp_path / "9.fkb")) == [
        f"un revisor no puede cambiar deliverable.{field}"
        for field in (
            "delivered_by",
            "delivered_on",
            "delivery_place",
            "received_by",
            "received_entity",
            "received_position",
            "state",
            "team_present",
        )
    ]
    still = row(office, made.id)
    assert (still.state, still.delivered_on) == (DeliverableState.APPROVED, None)

    # The team delivers; its signed act and the survey travel to the office.
    assert send(office, team, tmp_path / "10.fkb") == ()
    deliverables.deliver(team, made.id, ACTA)
    act, _ = deliverables.add_file(team, made.id, files["acta-firmada.pdf"], "", SIGNED_ACT)
    survey, _ = deliverables.start_survey(team, made.id)
    assert reasons(send(team, office, tmp_path / "11.fkb")) == []  # the old refusal is seen
    delivered = row(office, made.id)
    assert delivered == row(team, made.id)
    assert (delivered.state, delivered.delivered_on) == (DeliverableState.DELIVERED, TODAY)
    assert delivered.signed_act is not None and delivered.signed_act.id == act
    assert delivered.survey_id == survey
    assert forms.attachment_path(office, act).read_bytes() == files["acta-firmada.pdf"].read_bytes()
    assert delivered.team_present == ACTA.team_present


def test_a_reviewer_laptop_decides_but_does_not_write_deliverables(
    fresh: Profile, code: str, files: dict[str, Path]
) -> None:
    made = ready(fresh, code, files)
    deliverables.submit(fresh, made.id)
    set_role(fresh, "reviewer")
    with Unchanged(fresh):
        for attempt in (
            lambda: deliverables.create(fresh, code, MANUAL),
            lambda: deliverables.add_file(fresh, made.id, files["anexos.docx"]),
            lambda: deliverables.remove(fresh, made.id),
            lambda: deliverables.submit(fresh, made.id),
        ):
            with pytest.raises(ValidationError, match="este perfil es de revisor"):
                attempt()
    deliverables.approve(fresh, made.id, "Cumple")  # what a reviewer does
    assert deliverables.get(fresh, made.id).state is DeliverableState.APPROVED
