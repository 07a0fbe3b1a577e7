"""A whole assistance written through the services, for the report tests: team, counterparts,
a diagnostic, a plan with results, activities and follow-ups with evidence, a visit with its
attendance, deliverables with photos (one whose file is gone, one that is not an image), a
review history and a delivery; a second assistance whose activities run ahead of its results."""

from __future__ import annotations

import datetime as dt
import random
import shutil
import subprocess
from pathlib import Path
from typing import NamedTuple

from pypdf import PdfReader

from fieldkit.services import assistances, catalog, deliverables, forms, persons, plans
from fieldkit.services.assistances import AssistanceInput, CounterpartInput
from fieldkit.services.deliverables import DeliverableInput, DeliveryInput, ItemComment
from fieldkit.services.plans import ActivityInput, PlanInput, ResultInput
from fieldkit.services.profile import Profile

TODAY = dt.date.today()
ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"


def days(n: int) -> dt.date:
    return TODAY + dt.timedelta(days=n)


class Scenario(NamedTuple):
    code: str  # the assistance with everything
    flagged: str  # the assistance whose activities run ahead of its results
    manual_id: str  # delivered deliverable
    guide_id: str  # approved, not delivered
    missing_photo: str  # file name of the photo whose blob was removed
    broken_photo: str  # file name of the "photo" that is not an image
    lead: str
    student: str


class Populated(NamedTuple):
    profile: Profile
    scenario: Scenario


def photo(
    path: Path, size: tuple[int, int], color: tuple[int, int, int], orientation: int = 1
) -> Path:
    """A JPEG with a gradient, some shapes and noise (what a phone picture compresses like)."""
    from PIL import Image, ImageDraw

    width, height = size
    gradient = Image.linear_gradient("L").resize(size)
    image = Image.merge(
        "RGB",
        [gradient.point(lambda v, c=c: (v * c) // 255 + (255 - c) // 3) for c in color],
    )
    draw = ImageDraw.Draw(image)
    rng = random.Random(sum(color) + width)
    for _ in range(12):
        x, y = rng.randrange(width), rng.randrange(height)
        r = rng.randrange(width // 20, width // 6)
        draw.ellipse((x - r, y - r, x + r, y + r), fill=tuple(rng.randrange(256) for _ in range(3)))
    noise = Image.effect_noise(size, 18).convert("RGB")
    image = Image.blend(image, noise, 0.12)
    exif = Image.Exif()
    if orientation != 1:
        exif[0x0112] = orientation
    image.save(path, "JPEG", quality=90, exif=exif.tobytes())
    return path


def fill_visit(profile: Profile, submission_id: str, people: list[dict[str, str]]) -> None:
    state = forms.open_state(profile, submission_id)
    for name, value in {
        "hora_inicio": "09:00",
        "hora_fin": "12:30",
        "modalidad": "presencial",
        "lugar": "alcaldia",
        "etapa": "seguimiento",
        "acta": "Mesa técnica con la Secretaría de Planeación sobre el banco de proyectos.",
    }.items():
        state.set_answer(name, value)
    visible = [c.name for c in state.visible_choices("proposito")]
    state.set_answer(
        "proposito", [n for n in ("seguimiento", "capacitacion") if n in visible] or visible[:1]
    )
    for n, person in enumerate(people, start=1):
        state.add_repeat("asistentes")
        state.set_answer("consentimiento", "si", repeat_path=(n,))
        for name, value in person.items():
            state.set_answer(name, value, repeat_path=(n,))
    forms.save_answers(profile, submission_id, state.answers())


def answer_diagnostic(profile: Profile, code: str) -> str:
    sid, _ = forms.start(profile, code, "diagnostico_capacidad_institucional")
    state = forms.open_state(profile, sid)
    answers = {
        "fecha_diag": days(-80).isoformat(),
        # Planeación: 3+1+3+2+2 of 15 → 73
        "pdt": "3",
        "bpp": "1",
        "ctp": "3",
        "poai": "2",
        "seguimiento": "2",
        # Finanzas: 0+1+0 of 9 → 11 (a weak area)
        "estatuto": "0",
        "cobro": "1",
        "mfmp": "0",
        # Contratación: 3+3+2 of 9 → 89
        "manual_contratacion": "3",
        "paa": "3",
        "supervision": "2",
        "hallazgos": "El banco de proyectos no opera.\nEl estatuto tributario es de 2009.",
    }
    for name, value in answers.items():
        state.set_answer(name, value)
    forms.save_answers(profile, sid, state.answers())
    return sid


def populate(profile: Profile, folder: Path) -> Scenario:
    folder.mkdir(parents=True, exist_ok=True)
    catalog.import_directorates(profile)
    lead, _ = persons.save_person(profile, name="Luz Dary Angulo Cortés", role="field_professional")
    student, _ = persons.save_person(profile, name="Wilmer Castillo Ñañez", role="student")
    code, _ = assistances.create_assistance(
        profile,
        AssistanceInput(
            "52835",
            "PAZ",
            team=[lead, student],
            counterparts=[
                CounterpartInput(
                    "Dora Cabezas Quiñones",
                    "Secretaria de Planeación",
                    "planeacion@tumaco-narino.gov.co",
                    "3104567890",
                )
            ],
            requested_on=days(-100),
            start_on=days(-90),
            end_on=days(60),
        ),
    )
    for state in ("concerted", "diagnosed", "planned", "in_execution"):
        assistances.transition(profile, code, state)
    diagnostic = answer_diagnostic(profile, code)
    plans.add_finding(
        profile,
        code,
        "El banco de proyectos no viabiliza proyectos desde 2022.",
        area="Planeación",
        priority=1,
        submission_id=diagnostic,
    )
    plans.add_finding(profile, code, "No hay estatuto tributario actualizado.", "Finanzas", 2)

    plan_id, _ = plans.create_plan(
        profile,
        code,
        PlanInput(
            problem="La alcaldía no formula proyectos de inversión a tiempo.",
            objective="Fortalecer la formulación de proyectos en la Secretaría de Planeación.",
            alternative="Acompañamiento mensual y mesas técnicas con la Secretaría.",
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
            due_on=days(30),
        ),
    )
    recaudo, _ = plans.add_result(
        profile,
        plan_id,
        ResultInput(
            "Recaudo predial fortalecido",
            indicator_name="Recaudo del impuesto predial",
            unit="millones de pesos",
            baseline=1000,
            target=1500.5,
            verification="Ejecución presupuestal",
            due_on=days(50),
        ),
    )
    taller, _ = plans.add_activity(
        profile,
        plan_id,
        ActivityInput(
            "Taller de formulación en la MGA", banco, start_on=days(-60), end_on=days(-30)
        ),
    )
    acuerdo, _ = plans.add_activity(
        profile,
        plan_id,
        ActivityInput(
            "Proyecto de acuerdo del banco de proyectos",
            banco,
            responsible="municipality",
            responsible_name="Dora Cabezas, secretaria de Planeación",
            start_on=days(-40),
            end_on=days(-5),
        ),
    )
    plans.add_activity(
        profile,
        plan_id,
        ActivityInput("Actualizar la base catastral", recaudo, start_on=days(-20), end_on=days(40)),
    )
    plans.record_activity_progress(
        profile,
        taller,
        days(-30),
        100,
        note="Taller con 18 funcionarios.",
        evidence=[
            (photo(folder / "taller.jpg", (1200, 900), (40, 120, 200)), "Taller en la alcaldía")
        ],
    )
    plans.record_activity_progress(profile, acuerdo, days(-6), 40)
    plans.record_measurement(profile, banco, days(-3), 4, verification="Registro del BPPIM")
    plans.submit(profile, plan_id)
    plans.approve(profile, plan_id)

    visit, _ = forms.start(profile, code, "bitacora_visita")
    fill_visit(
        profile,
        visit,
        [
            {"nombre": "Luz Mery Angulo", "sexo": "mujer", "etnia": "negro", "victima": "si"},
            {"nombre": "Wilmer Castillo", "sexo": "hombre", "etnia": "ninguno", "victima": "no"},
            {"nombre": "Rosa Quiñones", "sexo": "mujer", "etnia": "indigena", "discapacidad": "si"},
        ],
    )

    # Deliverables: one delivered after a round of corrections, one approved and waiting.
    manual_id, _ = deliverables.create(
        profile,
        code,
        DeliverableInput(
            "procedure_manual",
            "Manual de contratación actualizado",
            "Manual con los procedimientos de supervisión y los documentos tipo.",
            due_on=days(-10),
            result_ids=[banco],
        ),
    )
    product = folder / "manual-contratacion.docx"
    product.write_bytes(b"PK\x03\x04 manual de contratacion")
    deliverables.add_file(profile, manual_id, product)
    deliverables.add_file(
        profile,
        manual_id,
        photo(folder / "socializacion.jpg", (3000, 2000), (200, 90, 40)),
        caption="Socialización del manual con el comité de contratación",
        purpose="photo",
    )
    deliverables.add_file(
        profile,
        manual_id,
        photo(folder / "firma-vertical.jpg", (1600, 1200), (60, 160, 80), orientation=6),
        caption="Firma del decreto de adopción",
        purpose="photo",
    )
    gone, _ = deliverables.add_file(
        profile,
        manual_id,
        photo(folder / "foto-perdida.jpg", (800, 600), (120, 120, 120)),
        caption="Foto que no llegó",
        purpose="photo",
    )
    broken = folder / "foto-dañada.jpg"
    broken.write_bytes(b"\xff\xd8\xff\xe0 esto no es una imagen completa" * 20)
    deliverables.add_file(profile, manual_id, broken, caption="Archivo dañado", purpose="photo")
    # The bytes of one photo are not on this laptop (they come with a later bundle).
    blob = forms.attachment_path(profile, gone)
    blob.unlink()

    deliverables.submit(profile, manual_id, note="Primera versión")
    review = deliverables.get(profile, manual_id).reviews[-1]
    assert review.decision is None
    deliverables.return_for_changes(
        profile,
        manual_id,
        "Faltan los documentos tipo.",
        [ItemComment("manual-contratacion.docx", "Incluya el capítulo de supervisión.")],
    )
    comment = deliverables.get(profile, manual_id).reviews[-1].items[0]
    deliverables.address_comment(profile, comment.id, "Se agregó el capítulo 7.")
    deliverables.update(
        profile,
        manual_id,
        DeliverableInput(
            "procedure_manual",
            "Manual de contratación actualizado",
            "Manual con los procedimientos de supervisión y los documentos tipo.",
            due_on=days(-10),
            result_ids=[banco],
        ),
    )
    deliverables.submit(profile, manual_id, note="Con las correcciones")
    deliverables.approve(profile, manual_id, "Cumple los criterios de calidad.")
    deliverables.deliver(
        profile,
        manual_id,
        DeliveryInput(
            days(-2),
            "Despacho del alcalde, Palacio municipal",
            "Dora Cabezas Quiñones",
            "Secretaria de Planeación",
            "Alcaldía de San Andrés de Tumaco",
            ["Luz Dary Angulo Cortés", "Wilmer Castillo Ñañez"],
        ),
    )

    guide_id, _ = deliverables.create(
        profile,
        code,
        DeliverableInput(
            "guide",
            "Guía de presupuesto participativo",
            "¿Cómo prioriza la comunidad la inversión? Guía para las juntas de acción comunal.",
            due_on=days(20),
        ),
    )
    guide = folder / "guia-presupuesto.pdf"
    guide.write_bytes(b"%PDF-1.4 guia")
    deliverables.add_file(profile, guide_id, guide)
    deliverables.submit(profile, guide_id)
    deliverables.approve(profile, guide_id)

    # A second assistance in the same directorate: every activity done, the result barely moved.
    flagged, _ = assistances.create_assistance(
        profile,
        AssistanceInput("52001", "CONTRATACION", team=[lead], start_on=days(-120)),
    )
    other_plan, _ = plans.create_plan(profile, flagged, PlanInput(problem="Contratación directa."))
    share, _ = plans.add_result(
        profile,
        other_plan,
        ResultInput(
            "Menos contratación directa",
            indicator_name="Contratos directos",
            unit="%",
            baseline=80,
            target=40,
            direction="decrease",
        ),
    )
    done, _ = plans.add_activity(
        profile, other_plan, ActivityInput("Capacitación en SECOP II", share, end_on=days(-30))
    )
    plans.record_activity_progress(profile, done, days(-31), 100)
    plans.record_measurement(profile, share, days(-1), 78)
    return Scenario(
        code, flagged, manual_id, guide_id, "foto-perdida.jpg", "foto-dañada.jpg", lead, student
    )


def pdf_text(path: Path) -> list[str]:
    return [page.extract_text() for page in PdfReader(path).pages]


def fonts_of(path: Path) -> dict[str, object]:
    """Every font used on any page (also inside form XObjects), by its base name."""
    out: dict[str, object] = {}
    for page in PdfReader(path).pages:
        resources = page.get("/Resources")
        pending = [resources.get_object()] if resources is not None else []
        while pending:
            res = pending.pop()
            fonts = res.get("/Font")
            if fonts is not None:
                for font in fonts.get_object().values():
                    font = font.get_object()
                    out[str(font["/BaseFont"])] = font
            xobjects = res.get("/XObject")
            if xobjects is not None:
                for xobject in xobjects.get_object().values():
                    xobject = xobject.get_object()
                    if xobject.get("/Subtype") == "/Form" and "/Resources" in xobject:
                        pending.append(xobject["/Resources"].get_object())
    return out


def images_of(path: Path) -> list[dict[str, object]]:
    out = []
    for page in PdfReader(path).pages:
        resources = page.get("/Resources")
        xobjects = resources.get_object().get("/XObject") if resources is not None else None
        for xobject in xobjects.get_object().values() if xobjects is not None else ():
            xobject = xobject.get_object()
            if xobject.get("/Subtype") == "/Image":
                out.append(
                    {
                        "width": int(xobject["/Width"]),
                        "height": int(xobject["/Height"]),
                        "filter": _names(xobject.get("/Filter")),
                    }
                )
    return out


def _names(value: object) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, list):
        return tuple(str(v) for v in value)
    return (str(value),)


def render_pages(pdf: Path, prefix: str, resolution: int = 70) -> list[Path]:
    """Every page as a PNG in tests/artifacts (to look at), when poppler's pdftoppm is here."""
    tool = shutil.which("pdftoppm")
    if tool is None:
        return []
    ARTIFACTS.mkdir(exist_ok=True)
    for old in ARTIFACTS.glob(f"{prefix}-*.png"):
        old.unlink()
    subprocess.run(
        [tool, "-r", str(resolution), "-png", str(pdf), str(ARTIFACTS / prefix)], check=True
    )
    return sorted(ARTIFACTS.glob(f"{prefix}-*.png"))
