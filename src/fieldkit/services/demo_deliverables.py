"""Demo deliverables (issue 6) for `fieldkit demo` and `fieldkit demo --edits`.

Assistances being executed, delivered or closed get 1–3 products of their thematic line (a
proyecto de acuerdo, a manual, a guide, a workshop…) that serve results of their action plan.
Each has real files: a PDF of one or two pages, sometimes a spreadsheet, and 1–3 photos with
captions. Their review tells a story: approved the first time, returned with comments per item
that the team answered before submitting again, still in review, returned and being corrected.
Delivered ones carry the act's data (place, the receiving official among the assistance's
counterparts, the team members present), the scanned signed act and a completed satisfaction
survey; some were delivered after their due date, so the «a tiempo» figures have both kinds.

As in demo_plans.py, everything is decided up front by generators seeded apart from demo.py's
(`plan_all`, pure; the files' bytes too, so the same seed attaches the same files) and replayed
through services.deliverables and services.forms (`write`), by the team and a reviewer of the
demo; `Editor` applies the deliverable edits of `fieldkit demo --edits`.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import random
import re
import tempfile
import textwrap
import zipfile
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from fieldkit.domain.authorization import FIELD, REVIEWER
from fieldkit.domain.deliverables import DeliverableState
from fieldkit.domain.errors import FieldkitError
from fieldkit.domain.states import AssistanceState
from fieldkit.domain.text import fold
from fieldkit.i18n import N_
from fieldkit.services import deliverables, forms
from fieldkit.services.deliverables import (
    PHOTO,
    PRODUCT,
    SIGNED_ACT,
    SURVEY_FORM,
    DeliverableInput,
    DeliveryInput,
    ItemComment,
)
from fieldkit.services.profile import Profile

if TYPE_CHECKING:
    from fieldkit.services.demo import _PlannedAssistance, _PlannedPerson
    from fieldkit.services.demo_plans import DemoPlan

# The products of a sample of the assistances: each product is ~15 service calls and a few
# small files (an fsync each), a delivered one also a survey; `demo --scale small` must not take
# more than ~40 % longer because of them, nor the national benchmark year.
MAX_ASSISTANCES = 20
WITH_DELIVERABLES = frozenset(
    {AssistanceState.IN_EXECUTION, AssistanceState.DELIVERED, AssistanceState.CLOSED}
)
State = DeliverableState
LATE_ROOM = 5  # days between a late product's due date and the demo's today, at least
TEAM_NAME = "Equipo de asistencia técnica"
MAYOR = "Alcalde municipal"


# Reference texts ------------------------------------------------------------------------------
#
# Demo content, not interface: written as a team and its reviewers would, in Spanish.


class _Product(NamedTuple):
    kind: str  # a key of domain.deliverables.KINDS
    title: str
    description: str
    theme: int  # the index in demo_plans.THEMES[line] of the result it serves


PRODUCTS: dict[str, tuple[_Product, ...]] = {
    "INNOVACION": (
        _Product("procedure_manual", "Procedimiento de atención de PQRSD con semáforo de términos",
                 "Procedimiento de radicación, reparto, respuesta y seguimiento de las PQRSD, con "
                 "los términos de la Ley 1755 de 2015 y los formatos de control.", 0),
        _Product("guide", "Guía de racionalización de trámites en el SUIT",
                 "Paso a paso para inventariar, priorizar y racionalizar los trámites de la "
                 "alcaldía y registrarlos en el SUIT.", 1),
        _Product("plan", "Plan Estratégico de Tecnologías de la Información (PETI)",
                 "Diagnóstico de la infraestructura tecnológica, proyectos priorizados y hoja de "
                 "ruta de la política de Gobierno Digital.", 2),
        _Product("guide", "Guía de rendición de cuentas",
                 "Metodología para preparar, realizar y evaluar la audiencia pública de rendición "
                 "de cuentas con enfoque de derechos.", 3),
        _Product("toolkit", "Caja de herramientas de transparencia y datos abiertos",
                 "Matriz ITA diligenciada, esquema de publicación y conjuntos de datos "
                 "priorizados para datos.gov.co.", 3),
        _Product("training", "Taller de innovación pública: del reto al prototipo",
                 "Taller con funcionarios y ciudadanía para identificar retos de la gestión y "
                 "prototipar soluciones.", 4),
    ),
    "CONTRATACION": (
        _Product("training", "Taller de publicación de procesos en el SECOP II",
                 "Capacitación práctica a los responsables de publicar los procesos "
                 "contractuales, con ejercicios sobre procesos reales de la alcaldía.", 0),
        _Product("plan", "Plan Anual de Adquisiciones con modalidades de selección",
                 "Plan Anual de Adquisiciones revisado, con la modalidad de selección que "
                 "corresponde a cada necesidad.", 1),
        _Product("toolkit", "Caja de herramientas de documentos tipo para obra pública",
                 "Documentos tipo de Colombia Compra Eficiente adaptados a la alcaldía, con "
                 "instructivos de uso.", 2),
        _Product("procedure_manual", "Manual de contratación actualizado",
                 "Manual de contratación y supervisión ajustado a la normativa vigente, con sus "
                 "flujogramas y formatos.", 3),
        _Product("policy_draft",
                 "Proyecto de decreto de adopción del manual de contratación y supervisión",
                 "Proyecto de decreto con sus considerandos para que el alcalde adopte el nuevo "
                 "manual.", 3),
        _Product("guide", "Guía de supervisión de contratos con formatos de informe",
                 "Responsabilidades de los supervisores, formatos de informe y lista de chequeo "
                 "del expediente contractual.", 4),
    ),
    "REDISENO": (
        _Product("procedure_manual", "Manual específico de funciones y competencias laborales",
                 "Fichas de los empleos de la planta con propósito, funciones esenciales, "
                 "competencias y requisitos.", 0),
        _Product("plan", "Plan de previsión de recursos humanos",
                 "Análisis de las vacantes de la planta y de las necesidades de personal, con "
                 "las medidas para proveerlas.", 1),
        _Product("policy_draft", "Proyecto de acuerdo de modificación de la planta de personal",
                 "Proyecto de acuerdo con su exposición de motivos y el análisis de costos en el "
                 "marco fiscal de mediano plazo.", 2),
        _Product("training", "Capacitación en evaluación del desempeño laboral",
                 "Sesiones con jefes de dependencia y evaluados sobre el sistema de evaluación "
                 "del desempeño de los empleos de carrera.", 3),
        _Product("other", "Estudio técnico de rediseño institucional",
                 "Análisis de procesos, cargas de trabajo y estructura, con la propuesta de "
                 "ajuste de la estructura administrativa.", 4),
    ),
    "ORDENAMIENTO": (
        _Product("toolkit", "Caja de herramientas para la campaña de pago oportuno del predial",
                 "Piezas de comunicación, calendario de descuentos y base depurada de "
                 "contribuyentes.", 0),
        _Product("training", "Taller de formulación de proyectos en la MGA",
                 "Taller práctico de formulación de proyectos de inversión en la Metodología "
                 "General Ajustada del DNP.", 1),
        _Product("guide", "Guía de seguimiento al plan de desarrollo",
                 "Batería de indicadores del plan indicativo y procedimiento de reporte "
                 "trimestral de las metas.", 1),
        _Product("other", "Expediente municipal para la revisión del EOT",
                 "Documento de seguimiento y evaluación del esquema de ordenamiento territorial, "
                 "con la cartografía disponible.", 2),
        _Product("policy_draft", "Proyecto de decreto del reglamento interno de recaudo de cartera",
                 "Reglamento de cobro persuasivo y coactivo, con la clasificación de la cartera "
                 "por antigüedad y cuantía.", 3),
        _Product("plan", "Plan de saneamiento fiscal y financiero",
                 "Medidas de ingresos y gastos para cumplir los indicadores de la Ley 617 de "
                 "2000 y mejorar el desempeño fiscal.", 4),
    ),
    "PAZ": (
        _Product("plan", "Hoja de ruta de implementación de las iniciativas PDET",
                 "Iniciativas PDET priorizadas con sus fuentes de financiación, responsables y "
                 "cronograma.", 0),
        _Product("policy_draft",
                 "Proyecto de acuerdo de creación del Consejo Municipal de Paz, Reconciliación, "
                 "Convivencia y Derechos Humanos",
                 "Proyecto de acuerdo con su exposición de motivos, la conformación del consejo y "
                 "su reglamento.", 1),
        _Product("training", "Escuela de formación para la mesa de participación de víctimas",
                 "Cuatro sesiones sobre derechos, incidencia y seguimiento a la política de "
                 "víctimas con los integrantes de la mesa.", 2),
        _Product("policy_draft", "Proyecto de acuerdo de la política pública de víctimas",
                 "Política pública municipal de prevención, protección, atención, asistencia y "
                 "reparación integral a las víctimas.", 3),
        _Product("procedure_manual", "Protocolo de atención y orientación a la población víctima",
                 "Ruta de atención en el punto de atención municipal, con formatos de remisión a "
                 "las entidades.", 3),
        _Product("guide", "Guía para la gestión de conflictos territoriales",
                 "Metodología de diálogo para atender conflictos por tierras y uso del suelo en "
                 "instancias de concertación.", 4),
    ),
    "ETNICOS": (
        _Product("toolkit",
                 "Caja de herramientas para el registro de información con enfoque diferencial",
                 "Formatos y variables para desagregar la información de la gestión por sexo, "
                 "etnia y discapacidad.", 0),
        _Product("policy_draft",
                 "Proyecto de acuerdo de la política pública de mujer y equidad de género",
                 "Política pública con sus ejes, metas e instancias de seguimiento, construida "
                 "con las organizaciones de mujeres.", 1),
        _Product("guide", "Guía de consulta y concertación con autoridades étnicas",
                 "Pasos para concertar con los cabildos y consejos comunitarios los proyectos que "
                 "los afectan.", 2),
        _Product("procedure_manual", "Ruta de atención integral a las violencias basadas en género",
                 "Ruta municipal con las entidades responsables, tiempos de respuesta y formatos "
                 "de remisión.", 3),
        _Product("training", "Taller de enfoque diferencial e interseccional en la gestión municipal",
                 "Taller con las dependencias sobre cómo incluir el enfoque diferencial en los "
                 "proyectos y en la atención.", 4),
        _Product("other", "Caracterización de la población con discapacidad",
                 "Informe de la caracterización con el registro de localización y "
                 "caracterización del Ministerio de Salud.", 4),
    ),
}  # fmt: skip
FALLBACK_LINE = "ORDENAMIENTO"  # as demo_plans: a line added later gets these

NORMS: dict[str, str] = {
    "INNOVACION": "la Ley 1712 de 2014 de transparencia, la Ley 1755 de 2015 del derecho de "
    "petición y la política de Gobierno Digital (Decreto 767 de 2022)",
    "CONTRATACION": "la Ley 80 de 1993, la Ley 1150 de 2007, la Ley 1474 de 2011 y el Decreto "
    "1082 de 2015",
    "REDISENO": "la Ley 909 de 2004, el Decreto 785 de 2005 y el Decreto 1083 de 2015",
    "ORDENAMIENTO": "la Ley 152 de 1994, la Ley 388 de 1997 y la Ley 617 de 2000",
    "PAZ": "la Ley 1448 de 2011, el Decreto Ley 893 de 2017 y el Decreto Ley 885 de 2017",
    "ETNICOS": "el Convenio 169 de la OIT (Ley 21 de 1991), la Ley 70 de 1993, la Ley 1257 de "
    "2008 y la Ley Estatutaria 1618 de 2013",
}
DEVELOPMENT = (
    "Las mesas técnicas se hicieron en la sede de la alcaldía con los funcionarios de las "
    "dependencias involucradas; cada versión del documento se revisó con la contraparte antes de "
    "pasar a la siguiente.",
    "El documento recoge la información entregada por la alcaldía y la que el equipo verificó en "
    "los sistemas de información nacionales; donde hubo diferencias se dejó constancia.",
    "Se privilegió un lenguaje claro y ejemplos tomados de la gestión del propio municipio, para "
    "que el producto se pueda usar sin acompañamiento permanente.",
    "Los funcionarios que participaron aportaron los formatos y prácticas que ya funcionaban; el "
    "producto los conserva y ordena en lugar de reemplazarlos.",
)
RECOMMENDATIONS = (
    "Adoptar el producto mediante acto administrativo y publicarlo en la página web de la "
    "alcaldía.",
    "Incluir su socialización en el plan institucional de capacitación de la vigencia.",
    "Designar un responsable de actualizarlo cuando cambie la normativa o la estructura de la "
    "alcaldía.",
    "Presentar sus avances en el consejo de gobierno al menos una vez por trimestre.",
)
CAPTIONS: dict[str, tuple[str, ...]] = {
    "training": (
        "Funcionarios de la alcaldía de {m} durante el taller",
        "Trabajo en grupos: ejercicio práctico del taller",
        "Exposición del equipo de asistencia técnica en el salón del concejo de {m}",
        "Entrega de certificados de asistencia al taller",
    ),
    "policy_draft": (
        "Socialización del proyecto con concejales de {m}",
        "Mesa de trabajo de la exposición de motivos con la oficina jurídica",
        "Consulta del proyecto con organizaciones sociales de {m}",
    ),
    "": (
        "Mesa técnica de revisión del documento con la contraparte",
        "Socialización del producto con el equipo de la alcaldía de {m}",
        "Revisión del borrador con la dependencia responsable",
        "Presentación del producto ante el consejo de gobierno de {m}",
        "Jornada de validación con funcionarios y comunidad de {m}",
    ),
}
ANNEXES: dict[str, str] = {
    "toolkit": "herramienta-de-seguimiento.xlsx",
    "plan": "matriz-de-seguimiento-del-plan.xlsx",
    "procedure_manual": "matriz-de-procedimientos-y-formatos.xlsx",
    "training": "evaluacion-del-taller.xlsx",
    "": "matriz-de-actividades.xlsx",
}
ANNEX_CHANCE = {"toolkit": 1.0, "plan": 0.6, "procedure_manual": 0.4, "training": 0.5}
PDF_COMMENTS = (
    "El marco normativo está desactualizado: incluyan las normas vigentes y retiren las derogadas.",
    "Falta relacionar el producto con los hallazgos del diagnóstico de la alcaldía.",
    "El cronograma de implementación no tiene responsables de la alcaldía ni fechas.",
    "Revisen la redacción y la numeración de los capítulos: hay secciones repetidas.",
    "El documento usa siglas y términos técnicos sin definirlos: agreguen un glosario.",
)
XLSX_COMMENTS = (
    "La matriz no tiene instrucciones de diligenciamiento.",
    "Las fechas de la matriz no coinciden con el cronograma del documento.",
    "Falta la columna de la dependencia responsable de cada actividad.",
)
PART_COMMENTS = (
    ("Capítulo 3. Marco normativo", "Citen los artículos que aplican, no solo las leyes."),
    ("Recomendaciones", "Las recomendaciones deben poder cumplirse con los recursos de la alcaldía."),
    ("Fotos", "Falta una foto de la sesión de validación con los funcionarios."),
)  # fmt: skip
RESPONSES = (
    "Ajustado en la versión 2 del documento.",
    "Se incorporó lo solicitado y se revisó con la contraparte.",
    "Corregido; ver la sección señalada.",
    "Se agregó lo que faltaba y se actualizaron las fechas.",
)
RETURN_COMMENTS = (
    "Buen avance, pero el producto aún no está listo para entregarse a la alcaldía: atiendan los "
    "comentarios por ítem.",
    "Devuelto para ajustes de forma y de contenido; revisen cada comentario.",
    "",
)
APPROVAL_COMMENTS = (
    "",
    "",
    "Aprobado: cumple los criterios de calidad.",
    "Aprobado. Para la entrega lleven una copia impresa y una digital.",
    "Aprobado; se nota el trabajo con la contraparte.",
)
SUBMIT_NOTES = (
    "",
    "Versión concertada con la contraparte.",
    "Se adjuntan el documento y las fotos de la socialización.",
)
RESUBMIT_NOTES = (
    "Se atendieron todos los comentarios de la revisión.",
    "Versión 2 con los ajustes solicitados.",
)
PLACES = (
    "Despacho del alcalde, {m}",
    "Sala de juntas de la alcaldía de {m}",
    "Salón del concejo municipal de {m}",
    "Casa de la cultura de {m}",
)
STRENGTHS = (
    "El acompañamiento en sitio y la disposición del equipo.",
    "Que el producto se construyó con los funcionarios y no desde afuera.",
    "Los formatos y herramientas quedaron listos para usar.",
    "La claridad de las explicaciones en las mesas de trabajo.",
)
IMPROVEMENTS = (
    "Más tiempo de acompañamiento después de la entrega.",
    "Entregar el producto con más anticipación al cierre de la vigencia.",
    "Incluir a más dependencias en las mesas de trabajo.",
    "Enviar los documentos en formato editable.",
)
SUGGESTIONS = (
    "",
    "",
    "Continuar la asistencia técnica el próximo año.",
    "Apoyar la socialización del producto con el concejo municipal.",
)


# Planning (pure: only the seeded generators decide) -------------------------------------------


class DemoFile(NamedTuple):
    """A file as it is attached: its bytes follow from `seed` and the deliverable."""

    name: str
    kind: str  # "pdf", "xlsx", "jpg" or "act" (the scanned signed act)
    purpose: str  # services.deliverables PRODUCT, PHOTO or SIGNED_ACT
    caption: str
    seed: str
    version: int = 1  # 2: the corrected document after a return


@dataclass
class DemoDeliverable:
    code_hint: str  # municipality and line, for messages and tests
    municipality: str
    department: str
    line: str
    data: DeliverableInput  # result_ids hold the statements of the results it serves
    state: DeliverableState  # where its story ends
    team: tuple[str, ...]  # who writes it; the first submits and delivers
    reviewer: tuple[str, str]  # (name, role) of who decides
    activities: tuple[tuple[str, str], ...]  # of the result it serves: (description, office)
    files: list[DemoFile] = field(default_factory=list)  # products and photos, first upload
    submit_note: str = ""
    returned: tuple[str, tuple[ItemComment, ...]] | None = None  # general comment, per item
    responses: tuple[str, ...] = ()  # the team's answers to the comments, in order
    corrected: DemoFile | None = None  # the new version of the document after the return
    approved_with: str = ""
    resubmit_note: str = ""
    delivery: DeliveryInput | None = None
    act: DemoFile | None = None
    survey: dict[str, object] | None = None  # answers by question name

    @property
    def late(self) -> bool | None:
        if self.delivery is None or self.data.due_on is None:
            return None
        return self.delivery.delivered_on > self.data.due_on


class _Story(NamedTuple):
    state: DeliverableState
    returned_once: bool = False  # returned, answered, corrected and submitted again
    late: bool = False  # delivered after its due date


def _limit(today: dt.date) -> dt.date:
    """The last day a delivery may carry: the demo's today, never after the real one."""
    return min(today, dt.date.today())


SHORT_WORDS = frozenset({"de", "del", "la", "las", "el", "los", "y", "en", "para", "con"})


def _slug(text: str, limit: int = 60) -> str:
    """A file name as people write them: «Manual de contratación» -> manual-de-contratacion,
    shortened at a word."""
    slug = re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")
    if len(slug) > limit:
        words = slug[: slug.rfind("-", 0, limit + 1)].split("-")
        while len(words) > 1 and words[-1] in SHORT_WORDS:
            words.pop()
        slug = "-".join(words)
    return slug


def _days(n: float) -> dt.timedelta:
    return dt.timedelta(days=round(n))


def plan_all(
    assistances: Sequence[_PlannedAssistance],
    persons: Sequence[_PlannedPerson],
    action_plans: Sequence[DemoPlan | None],
    *,
    seed: int,
    today: dt.date,
) -> list[list[DemoDeliverable]]:
    """The deliverables of each planned assistance (empty when it has none), aligned with
    `assistances`. Independent of demo.py's and demo_plans' generators."""
    rng = random.Random(f"entregables/{seed}")
    eligible = [i for i, a in enumerate(assistances) if a.state in WITH_DELIVERABLES and a.team]
    if len(eligible) > MAX_ASSISTANCES:
        # A sample, those with a plan first: their products serve its results.
        with_plan = [i for i in eligible if action_plans[i] is not None]
        rest = [i for i in eligible if action_plans[i] is None]
        if len(with_plan) >= MAX_ASSISTANCES:
            eligible = sorted(rng.sample(with_plan, MAX_ASSISTANCES))
        else:
            eligible = sorted(with_plan + rng.sample(rest, MAX_ASSISTANCES - len(with_plan)))
    limit = _limit(today)
    stories: dict[int, list[_Story]] = {}
    dues: dict[int, list[dt.date]] = {}
    for i in eligible:
        prng = random.Random(f"entregables/{seed}/{i}")
        dues[i] = _due_dates(prng, assistances[i])
        stories[i] = [_story(prng, assistances[i], due, limit) for due in dues[i]]
    _ensure_stories(stories, dues, assistances, limit)
    deciders = [p for p in persons if p.role == "reviewer"] or [
        p for p in persons if p.role == "coordinator"
    ]
    out: list[list[DemoDeliverable]] = [[] for _a in assistances]
    for i in eligible:
        a = assistances[i]
        prng = random.Random(f"entregables/{seed}/{i}/contenido")
        team = tuple(persons[k].name for k in a.team) or (TEAM_NAME,)
        decider = prng.choice(deciders) if deciders else None
        reviewer = (decider.name, decider.role) if decider else ("Revisor", REVIEWER)
        line = a.line if a.line in PRODUCTS else FALLBACK_LINE
        plan_results = (
            [r.data.statement for r in action_plans[i].results] if action_plans[i] else []
        )
        products = _choose_products(prng, line, plan_results, len(stories[i]))
        for k, (story, due, product) in enumerate(zip(stories[i], dues[i], products, strict=True)):
            out[i].append(
                _build(
                    prng, a, line, product, plan_results, story, due, team, reviewer, limit,
                    f"entregables/{seed}/{i}/{k}",
                )
            )  # fmt: skip
    return out


def _due_dates(rng: random.Random, a: _PlannedAssistance) -> list[dt.date]:
    """1–3 products spread over the assistance: the last one due at its end."""
    # A closed assistance shows its main products; one being executed may have more under way.
    weights = (8, 2, 0) if a.state is AssistanceState.CLOSED else (4, 4, 2)
    n = rng.choices((1, 2, 3), weights)[0]
    start, end = a.start_on, max(a.end_on, a.start_on + _days(30))
    span = (end - start).days
    out = []
    for k in range(n):
        due = start + _days(span * (k + 1) / n - rng.randint(0, 8))
        out.append(max(start + _days(10), min(due, end)))
    return out


def _story(rng: random.Random, a: _PlannedAssistance, due: dt.date, limit: dt.date) -> _Story:
    late = rng.random() < 0.25
    returned_once = rng.random() < 0.25
    if a.state is AssistanceState.CLOSED:
        return _Story(State.DELIVERED, returned_once, late)
    if a.state is AssistanceState.DELIVERED:
        state = State.DELIVERED if rng.random() < 0.8 else State.APPROVED
        return _Story(state, returned_once, late)
    # In execution: the products due long ago are the advanced ones.
    if due < limit - _days(20):
        weights = {State.DELIVERED: 40, State.APPROVED: 15, State.SUBMITTED: 15,
                   State.RETURNED: 10, State.DRAFT: 20}  # fmt: skip
    else:
        weights = {State.DELIVERED: 5, State.APPROVED: 15, State.SUBMITTED: 25,
                   State.RETURNED: 20, State.DRAFT: 35}  # fmt: skip
    state = rng.choices(list(weights), list(weights.values()))[0]
    if state in (State.DRAFT, State.RETURNED):
        returned_once = False
    return _Story(state, returned_once, late and state is State.DELIVERED)


def _ensure_stories(
    stories: dict[int, list[_Story]],
    dues: dict[int, list[dt.date]],
    assistances: Sequence[_PlannedAssistance],
    limit: dt.date,
) -> None:
    """Every state shows up when the assistances allow it, with deliveries both on time and
    late, and approvals both at the first try and after a return."""
    executing = [
        (i, k)
        for i, items in stories.items()
        if assistances[i].state is AssistanceState.IN_EXECUTION
        for k in range(len(items))
    ]
    everything = [(i, k) for i, items in stories.items() for k in range(len(items))]

    def count(predicate: Callable[[_Story], bool]) -> int:
        return sum(predicate(stories[i][k]) for i, k in everything)

    def spare(i: int, k: int) -> bool:
        """A product whose state may change without leaving its own state empty."""
        state = stories[i][k].state
        return count(lambda s: s.state is state) > 1

    for state in (State.DRAFT, State.SUBMITTED, State.RETURNED, State.APPROVED, State.DELIVERED):
        if count(lambda s, state=state: s.state is state):
            continue
        found = next(((i, k) for i, k in executing if spare(i, k)), None)
        if found is not None:
            i, k = found
            stories[i][k] = _Story(state)
    delivered = [(i, k) for i, k in everything if stories[i][k].state is State.DELIVERED]

    def late(i: int, k: int) -> bool:
        """Delivered late for real: its due date leaves room before the last possible day."""
        return stories[i][k].late and dues[i][k] <= limit - _days(LATE_ROOM)

    if len(delivered) >= 2:
        if not any(late(i, k) for i, k in delivered):
            room = [(i, k) for i, k in delivered if dues[i][k] <= limit - _days(LATE_ROOM)]
            if room:
                i, k = room[0]
                stories[i][k] = stories[i][k]._replace(late=True)
        if all(late(i, k) for i, k in delivered):
            i, k = delivered[0]
            stories[i][k] = stories[i][k]._replace(late=False)
    decided = (State.APPROVED, State.DELIVERED)
    if not count(lambda s: s.state in decided and s.returned_once):
        found = next(((i, k) for i, k in everything if stories[i][k].state in decided), None)
        if found is not None:
            i, k = found
            stories[i][k] = stories[i][k]._replace(returned_once=True)
    if not count(lambda s: s.state in decided and not s.returned_once):
        found = next(
            ((i, k) for i, k in reversed(everything) if stories[i][k].state in decided), None
        )
        if found is not None:
            i, k = found
            stories[i][k] = stories[i][k]._replace(returned_once=False)


def _choose_products(
    rng: random.Random, line: str, plan_results: Sequence[str], n: int
) -> list[_Product]:
    """n different products of the line, those serving a result of the plan first."""
    from fieldkit.services.demo_plans import FALLBACK_LINE as PLAN_FALLBACK
    from fieldkit.services.demo_plans import THEMES

    themes = THEMES.get(line) or THEMES[PLAN_FALLBACK]
    options = list(PRODUCTS[line])
    rng.shuffle(options)
    options.sort(key=lambda p: themes[p.theme].result not in plan_results)
    return options[:n] if n <= len(options) else (options * n)[:n]


def _build(
    rng: random.Random,
    a: _PlannedAssistance,
    line: str,
    product: _Product,
    plan_results: Sequence[str],
    story: _Story,
    due: dt.date,
    team: tuple[str, ...],
    reviewer: tuple[str, str],
    limit: dt.date,
    seed: str,
) -> DemoDeliverable:
    from fieldkit.services.demo_plans import THEMES

    themes = THEMES.get(line) or THEMES[FALLBACK_LINE]
    theme = themes[product.theme]
    m = a.municipality.name
    served: list[str] = []
    if plan_results:
        served.append(theme.result if theme.result in plan_results else rng.choice(plan_results))
        others = [r for r in plan_results if r not in served]
        if others and rng.random() < 0.35:
            served.append(rng.choice(others))
    d = DemoDeliverable(
        code_hint=f"{a.municipality.code}/{a.line}",
        municipality=m,
        department=a.municipality.department,
        line=line,
        data=DeliverableInput(product.kind, product.title, product.description, due, served),
        state=story.state,
        team=team,
        reviewer=reviewer,
        activities=tuple(theme.activities),
    )
    name = _slug(product.title)
    d.files.append(DemoFile(f"{name}.pdf", "pdf", PRODUCT, "", f"{seed}/documento"))
    if rng.random() < ANNEX_CHANCE.get(product.kind, 0.15):
        annex = ANNEXES.get(product.kind, ANNEXES[""])
        d.files.append(DemoFile(annex, "xlsx", PRODUCT, "", f"{seed}/anexo"))
    if story.state is State.DRAFT and rng.random() < 0.3:
        d.files.clear()  # still being written: nothing uploaded yet
    captions = CAPTIONS.get(product.kind, ()) + CAPTIONS[""]
    # Photos of the sessions around the due date, never after the day of the demo.
    shot = min(due - _days(rng.randint(3, 25)), limit)
    photos = rng.choices((1, 2, 3), (60, 30, 10))[0]
    for n, caption in enumerate(rng.sample(captions, photos), start=1):
        when = dt.datetime.combine(shot - _days(n * 2), dt.time(rng.randint(8, 16), rng.randint(0, 59), rng.randint(0, 59)))  # fmt: skip
        d.files.append(
            DemoFile(
                f"IMG_{when:%Y%m%d_%H%M%S}.jpg", "jpg", PHOTO, caption.format(m=m),
                f"{seed}/foto{n}",
            )
        )  # fmt: skip
    if story.state is State.DRAFT:
        return d
    d.submit_note = rng.choice(SUBMIT_NOTES)
    if story.state is State.RETURNED or story.returned_once:
        d.returned = _return(rng, d)
        answered = len(d.returned[1]) if story.returned_once else rng.randint(0, 1)
        d.responses = tuple(rng.choice(RESPONSES) for _i in range(answered))
    if story.returned_once:
        d.corrected = DemoFile(f"{name}-v2.pdf", "pdf", PRODUCT, "", f"{seed}/documento", 2)
        d.resubmit_note = rng.choice(RESUBMIT_NOTES)
    if story.state in (State.APPROVED, State.DELIVERED):
        d.approved_with = rng.choice(APPROVAL_COMMENTS)
    if story.state is State.DELIVERED:
        _deliver(rng, d, a, story.late, limit, seed)
    return d


def _return(rng: random.Random, d: DemoDeliverable) -> tuple[str, tuple[ItemComment, ...]]:
    items: list[ItemComment] = []
    documents = [f.name for f in d.files if f.kind == "pdf"]
    sheets = [f.name for f in d.files if f.kind == "xlsx"]
    for comment in rng.sample(PDF_COMMENTS, rng.randint(1, 2)):
        items.append(ItemComment(documents[0] if documents else "general", comment))
    if sheets and rng.random() < 0.6:
        items.append(ItemComment(sheets[0], rng.choice(XLSX_COMMENTS)))
    if rng.random() < 0.4:
        items.append(ItemComment(*rng.choice(PART_COMMENTS)))
    return rng.choice(RETURN_COMMENTS), tuple(items)


def _deliver(
    rng: random.Random,
    d: DemoDeliverable,
    a: _PlannedAssistance,
    late: bool,
    limit: dt.date,
    seed: str,
) -> None:
    """When and to whom it was delivered; the signed act and the survey that followed."""
    due = d.data.due_on
    assert due is not None
    if late and due <= limit - _days(LATE_ROOM):
        delivered = min(due + _days(rng.randint(4, 30)), limit)
    else:
        delivered = min(due - _days(rng.randint(0, 12)), limit)
        delivered = max(delivered, min(a.start_on, limit))
        if delivered > due:  # the assistance started after the product was due: move it
            d.data = d.data._replace(due_on=delivered + _days(rng.randint(0, 10)))
    official = rng.choice(a.counterparts) if a.counterparts else None
    name = official.name if official else "Funcionario de la alcaldía"
    position = official.position if official and official.position else "Secretario de Despacho"
    present = list(d.team[: rng.randint(1, min(3, len(d.team)))])
    d.delivery = DeliveryInput(
        delivered_on=delivered,
        place=rng.choice(PLACES).format(m=d.municipality),
        received_by=name,
        received_position=position,
        received_entity=f"Alcaldía municipal de {d.municipality}",
        team_present=tuple(present),
    )
    d.act = DemoFile("acta-de-entrega-firmada.pdf", "act", SIGNED_ACT, "", f"{seed}/acta")
    d.survey = _survey(rng, d, position, bool(d.late), limit)


def _survey(
    rng: random.Random, d: DemoDeliverable, position: str, late: bool, limit: dt.date
) -> dict[str, object]:
    """The receiving official's answers to encuesta_satisfaccion: mostly satisfied, sometimes
    not, and timeliness scored lower when the product came late."""
    assert d.delivery is not None
    mood = rng.choices(("high", "medium", "low"), (65, 27, 8))[0]
    scale = {
        "high": ((4, 5), (4, 6)),
        "medium": ((3, 4, 5), (3, 5, 2)),
        "low": ((2, 3, 4), (3, 5, 2)),
    }
    values, weights = scale[mood]

    def score() -> str:
        return str(rng.choices(values, weights)[0])

    answers: dict[str, object] = {
        "fecha": min(d.delivery.delivered_on + _days(rng.randint(0, 6)), limit).isoformat(),
        "rol": _survey_role(position),
        "participo": rng.choices(("contraparte", "sesiones", "recibo"), (70, 20, 10))[0],
        "pertinencia": score(),
        "calidad": score(),
        "oportunidad": str(rng.choices((2, 3, 4), (3, 5, 2))[0]) if late else score(),
        "trato": score(),
        "utilidad": score(),
    }
    adoption = {
        "high": (("adoptado", "en_proceso", "ns"), (40, 50, 10)),
        "medium": (("en_proceso", "no", "ns"), (50, 20, 30)),
        "low": (("no", "ns", "en_proceso"), (50, 30, 20)),
    }
    answers["adopcion"] = rng.choices(*adoption[mood])[0]
    if rng.random() < 0.8:
        answers["fortalezas"] = rng.choice(STRENGTHS)
    scores = [int(str(answers[k])) for k in ("pertinencia", "calidad", "oportunidad", "trato", "utilidad")]  # fmt: skip
    if sum(scores) / 5 < 4:  # the form asks what to improve
        answers["mejoras"] = rng.choice(IMPROVEMENTS)
    suggestion = rng.choice(SUGGESTIONS)
    if suggestion:
        answers["sugerencias"] = suggestion
    return answers


def _survey_role(position: str) -> str:
    if position.startswith("Alcald"):
        return "alcalde"
    if position.startswith(("Secretari", "Jef", "Comisari")):
        return "secretario"
    return "profesional"


# Files (real, small and deterministic: the same seed attaches the same bytes) -----------------


def _pdf(d: DemoDeliverable, f: DemoFile) -> bytes:
    """The product document: one or two letter pages with the title and its sections."""
    from reportlab.lib.pagesizes import letter
    from reportlab.lib.utils import simpleSplit
    from reportlab.pdfgen import canvas

    from fieldkit.services.deliverables import KINDS

    rng = random.Random(f.seed)
    m, title = d.municipality, d.data.title
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=letter, invariant=True, pageCompression=0)
    pdf.setTitle(title)
    pdf.setAuthor(f"Alcaldía municipal de {m}")
    pdf.setSubject(KINDS.get(d.data.kind, ""))
    width, height = letter
    margin, y, page = 72.0, height - 72.0, 1

    def footer() -> None:
        pdf.setFont("Helvetica", 8)
        pdf.drawString(margin, 40, f"Alcaldía municipal de {m} · {title}"[:110])
        pdf.drawRightString(width - margin, 40, f"Página {page}")

    def write(text: str, font: str = "Helvetica", size: float = 10.5, gap: float = 6) -> None:
        nonlocal y, page
        pdf.setFont(font, size)
        for line in simpleSplit(text, font, size, width - 2 * margin):
            if y < 72:
                footer()
                pdf.showPage()
                page += 1
                y = height - 72.0
                pdf.setFont(font, size)
            pdf.drawString(margin, y, line)
            y -= size * 1.35
        y -= gap

    write(f"ALCALDÍA MUNICIPAL DE {m.upper()} · {d.department.upper()}", "Helvetica", 9, 10)
    write(title, "Helvetica-Bold", 16, 4)
    version = " · Versión 2, ajustada según la revisión de calidad" if f.version > 1 else ""
    write(f"{KINDS.get(d.data.kind, '')}{version}", "Helvetica-Oblique", 10, 14)
    office = next((o for _d, o in d.activities if o not in ("team", MAYOR)), "Secretario General")
    acts = "; ".join(desc[0].lower() + desc[1:] for desc, _o in d.activities[:3])
    sections = [
        ("1. Presentación",
         f"La alcaldía de {m} ({d.department}) y el equipo de asistencia técnica territorial "
         f"construyeron este documento, «{title}», a partir del diagnóstico de capacidades "
         f"institucionales y de las mesas de trabajo con los funcionarios responsables. "
         f"{d.data.description}"),
        ("2. Objetivo",
         f"Dotar a la administración municipal de {m} de un instrumento práctico, revisado en el "
         "control de calidad de la asistencia técnica, que pueda aplicarse desde la presente "
         "vigencia y quede en el archivo institucional para las siguientes administraciones."),
        ("3. Marco normativo",
         f"El documento se enmarca en {NORMS.get(d.line, NORMS[FALLBACK_LINE])}. Se revisaron "
         "además los lineamientos de las entidades del orden nacional y los actos "
         "administrativos vigentes del municipio."),
        ("4. Desarrollo",
         f"Para su elaboración se realizaron estas actividades: {acts}. "
         + " ".join(rng.sample(DEVELOPMENT, rng.randint(1, 3)))),
        ("5. Implementación y seguimiento",
         f"La dependencia a cargo ({office.replace('Secretario', 'Secretaría')}) aplicará el "
         "producto y reportará su avance en el consejo de gobierno. El equipo de asistencia "
         "técnica acompañará la implementación durante los meses siguientes a la entrega."),
        ("6. Recomendaciones",
         " ".join(f"({n}) {r}" for n, r in enumerate(rng.sample(RECOMMENDATIONS, 3), start=1))),
    ]  # fmt: skip
    if f.version > 1:
        sections.append(
            ("7. Ajustes de la revisión de calidad",
             "Esta versión atiende los comentarios del revisor: " + "; ".join(
                 c.comment[0].lower() + c.comment[1:].rstrip(".")
                 for c in (d.returned[1] if d.returned else ())
             ) + ".")
        )  # fmt: skip
    used = " ".join(text for _heading, text in sections)
    for heading, text in sections:
        write(heading, "Helvetica-Bold", 11.5, 2)
        write(text)
        extra = [p for p in DEVELOPMENT if p not in used]
        if extra and rng.random() < 0.35:  # some sections run longer: one or two pages
            paragraph = rng.choice(extra)
            write(paragraph)
            used += paragraph  # not twice in one document
    footer()
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def _act(d: DemoDeliverable, f: DemoFile) -> bytes:
    """The signed act as it comes back from the scanner: a grey page, the data, signatures."""
    from reportlab.lib.pagesizes import letter
    from reportlab.lib.utils import simpleSplit
    from reportlab.pdfgen import canvas

    assert d.delivery is not None
    rng = random.Random(f.seed)
    delivery = d.delivery
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=letter, invariant=True, pageCompression=0)
    pdf.setTitle(f"Acta de entrega firmada: {d.data.title}")
    width, height = letter
    pdf.setFillColorRGB(0.95, 0.94, 0.91)
    pdf.rect(0, 0, width, height, stroke=0, fill=1)
    pdf.setFillColorRGB(0.12, 0.12, 0.14)
    pdf.rotate(rng.uniform(-0.6, 0.6))  # scanned a little askew
    y = height - 80
    pdf.setFont("Helvetica-Bold", 14)
    pdf.drawCentredString(width / 2, y, "ACTA DE ENTREGA DE PRODUCTO")
    y -= 30
    lines = [
        f"Municipio: {d.municipality} ({d.department})",
        f"Producto: {d.data.title}",
        f"Fecha de entrega: {delivery.delivered_on:%d/%m/%Y}",
        f"Lugar: {delivery.place}",
        f"Recibe: {delivery.received_by}, {delivery.received_position}, {delivery.received_entity}",
        f"Equipo presente: {', '.join(delivery.team_present)}",
    ]
    pdf.setFont("Helvetica", 10.5)
    for text in lines:
        for line in simpleSplit(text, "Helvetica", 10.5, width - 144):
            pdf.drawString(72, y, line)
            y -= 15
        y -= 3
    y -= 10
    for line in simpleSplit(
        "La alcaldía recibe a satisfacción el producto descrito, que fue aprobado en la revisión "
        "de calidad de la asistencia técnica, en medio impreso y digital.",
        "Helvetica",
        10.5,
        width - 144,
    ):
        pdf.drawString(72, y, line)
        y -= 15
    y -= 70
    signers = [(delivery.received_by, delivery.received_position), (delivery.team_present[0], "Equipo de asistencia técnica")]  # fmt: skip
    for n, (name, role) in enumerate(signers):
        x = 72 + n * 250
        pdf.setStrokeColorRGB(0.1, 0.15, 0.45)
        pdf.setLineWidth(1.2)
        path = pdf.beginPath()
        path.moveTo(x + 10, y + 12)
        for _k in range(3):
            path.curveTo(
                x + rng.uniform(20, 80), y + rng.uniform(20, 45),
                x + rng.uniform(60, 140), y + rng.uniform(-5, 15),
                x + rng.uniform(120, 190), y + rng.uniform(5, 30),
            )  # fmt: skip
        pdf.drawPath(path)
        pdf.setStrokeColorRGB(0.1, 0.1, 0.1)
        pdf.setLineWidth(0.6)
        pdf.line(x, y, x + 200, y)
        pdf.setFont("Helvetica", 9)
        pdf.drawString(x, y - 12, name)
        pdf.drawString(x, y - 24, role[:45])
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


FIXED_ZIP_TIME = (2026, 1, 1, 0, 0, 0)


def _xlsx(d: DemoDeliverable, f: DemoFile) -> bytes:
    """The annex: a workbook with the activities behind the product (or the workshop's
    evaluation), re-zipped with fixed times so the same seed gives the same bytes."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    rng = random.Random(f.seed)
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    due = d.data.due_on or dt.date(2026, 6, 30)
    if d.data.kind == "training":
        sheet.title = "Evaluación"
        sheet.append(["Aspecto evaluado", "Promedio (1 a 5)", "Respuestas"])
        answered = rng.randint(12, 35)
        for aspect in (
            "Pertinencia de los temas",
            "Claridad de las explicaciones",
            "Utilidad para el trabajo",
            "Materiales entregados",
            "Organización y tiempos",
        ):
            sheet.append([aspect, round(rng.uniform(3.6, 4.9), 1), answered])
        offices = workbook.create_sheet("Participantes")
        offices.append(["Dependencia", "Mujeres", "Hombres"])
        for office in ("Secretaría de Planeación", "Secretaría de Hacienda", "Secretaría de Gobierno", "Control Interno", "Concejo municipal"):  # fmt: skip
            offices.append([office, rng.randint(0, 6), rng.randint(0, 5)])
    else:
        sheet.title = "Matriz"
        sheet.append(["Actividad", "Responsable", "Inicio", "Fin", "Estado"])
        start = due - _days(rng.randint(60, 120))
        for desc, office in d.activities:
            end = start + _days(rng.randint(15, 40))
            who = TEAM_NAME if office == "team" else office
            sheet.append(
                [desc, who, start, end, rng.choice(("Terminada", "En curso", "Terminada"))]
            )
            start = end - _days(rng.randint(0, 7))
        notes = workbook.create_sheet("Instrucciones")
        notes.append([f"Matriz de «{d.data.title}»"])
        notes.append([f"Alcaldía municipal de {d.municipality}"])
        notes.append(["Actualice el estado de cada actividad al cierre de cada mes."])
    for ws in workbook.worksheets:
        for cell in ws[1]:
            cell.font = Font(bold=True)
        ws.column_dimensions["A"].width = 60
        ws.column_dimensions["B"].width = 30
    workbook.properties.creator = TEAM_NAME
    raw = io.BytesIO()
    workbook.save(raw)
    return _fixed_zip(raw.getvalue())


def _fixed_zip(data: bytes) -> bytes:
    """The same archive with fixed entry times and document dates (openpyxl stamps now)."""
    stamp = b"2026-01-01T00:00:00Z"
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            body = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                body = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*", rb"\g<1>" + stamp, body)  # fmt: skip
            entry = zipfile.ZipInfo(info.filename, date_time=FIXED_ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(entry, body)
    return out.getvalue()


def _jpeg(d: DemoDeliverable, f: DemoFile) -> bytes:
    """A photo of the session: a room in a gradient, a screen with the title, people."""
    from PIL import Image, ImageDraw

    rng = random.Random(f.seed)
    width, height = 480, 320
    wall = tuple(rng.randint(150, 225) for _i in range(3))
    floor = tuple(rng.randint(60, 130) for _i in range(3))
    gradient = Image.linear_gradient("L").resize((width, height))
    image = Image.composite(Image.new("RGB", (width, height), floor), Image.new("RGB", (width, height), wall), gradient)  # fmt: skip
    draw = ImageDraw.Draw(image)
    left = rng.randint(40, 200)
    draw.rectangle((left, 30, left + 220, 150), fill=(245, 245, 240), outline=(40, 40, 40), width=3)
    small = _font(13)
    for n, line in enumerate(textwrap.wrap(d.data.title, 30)[:2]):
        draw.text((left + 10, 45 + 17 * n), line, fill=(30, 50, 110), font=small)
    for _person in range(rng.randint(4, 9)):
        x, base = rng.randint(10, width - 50), rng.randint(210, 280)
        shirt = tuple(rng.randint(20, 230) for _i in range(3))
        draw.rounded_rectangle((x, base, x + 40, base + 60), radius=12, fill=shirt)
        draw.ellipse((x + 8, base - 28, x + 32, base - 2), fill=rng.choice(((120, 80, 50), (160, 110, 70), (90, 60, 40), (200, 150, 110))))  # fmt: skip
    draw.rectangle((0, height - 26, width, height), fill=(0, 0, 0))
    draw.text((8, height - 21), f.caption[:70], fill=(255, 255, 255), font=_font(12))  # fmt: skip
    out = io.BytesIO()
    image.save(out, "JPEG", quality=82)
    return out.getvalue()


@functools.cache
def _font(size: int):  # type: ignore[no-untyped-def]
    """Bitstream Vera, shipped with reportlab: it has the accented letters Pillow's default
    font lacks."""
    from pathlib import Path as _Path

    import reportlab
    from PIL import ImageFont

    vera = _Path(reportlab.__file__).parent / "fonts" / "Vera.ttf"
    return ImageFont.truetype(str(vera), size) if vera.is_file() else ImageFont.load_default(size)


MAKERS: dict[str, Callable[[DemoDeliverable, DemoFile], bytes]] = {
    "pdf": _pdf,
    "act": _act,
    "xlsx": _xlsx,
    "jpg": _jpeg,
}


def make_file(d: DemoDeliverable, f: DemoFile, folder: Path) -> Path:
    """Write the file in `folder` (the services copy it to the attachment store)."""
    path = folder / f.seed.replace("/", "-") / f.name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(MAKERS[f.kind](d, f))
    return path


# Writing ---------------------------------------------------------------------------------------


@dataclass
class _Written:
    d: DemoDeliverable
    id: str
    lead: Profile
    files: dict[str, str] = field(default_factory=dict)  # file name -> attachment id
    survey: str = ""


def write(
    profile: Profile,
    codes: Sequence[str],
    planned: Sequence[Sequence[DemoDeliverable]],
    cancel: Callable[[], bool] | None = None,
) -> bool:
    """Write the deliverables of these assistances (committed, with their plans) and their whole
    review and delivery. Returns True when `cancel()` asked to stop (what was written stays).

    A few transactions, one per step, each over every deliverable: reads done by the services
    (a deliverable's state before attaching, a submission's answers before completing it) only
    see what is committed.
    """
    from fieldkit.services.demo_plans import _Acting

    if not any(planned):
        return False
    written: list[_Written] = []
    cancelled = False
    with tempfile.TemporaryDirectory(prefix="fieldkit-demo-") as tmp:
        folder = Path(tmp)
        with profile.batch():  # 1. the deliverables, tied to their plan's results
            for code, items in zip(codes, planned, strict=True):
                if not items:
                    continue
                if cancel is not None and cancel():
                    cancelled = True
                    break
                results = _result_ids(profile, code)
                for d in items:
                    lead = _Acting(profile, d.team[0], FIELD)
                    served = [results[s] for s in d.data.result_ids if s in results]
                    deliverable_id, _changes = deliverables.create(
                        lead, code, d.data._replace(result_ids=served)
                    )
                    written.append(_Written(d, deliverable_id, lead))
        with profile.batch():  # 2. files and photos; the first submission and its decision
            for w in written:
                _first_round(profile, w, folder)
        with profile.batch():  # 3. answers, corrections, the second round; the deliveries
            for w in written:
                _second_round(profile, w, folder)
        with profile.batch():  # 4. the signed acts and the surveys' answers
            for w in written:
                if w.d.delivery is not None:
                    _act_and_survey(profile, w, folder)
    with profile.batch():  # 5. the surveys, complete
        for w in written:
            if w.survey:
                forms.complete(w.lead, w.survey)
    return cancelled


def _result_ids(profile: Profile, code: str) -> dict[str, str]:
    """The plan's results by statement ({} without a plan)."""
    from fieldkit.store import plans as plan_queries
    from fieldkit.store import queries

    with profile.read() as session:
        assistance = queries.assistance_by_code_or_id(session, code)
        plan = plan_queries.plan_of(session, assistance.id) if assistance else None
        if plan is None:
            return {}
        return {r.statement or "": r.id for r in plan_queries.results_of(session, plan.id)}


def _reviewer(profile: Profile, d: DemoDeliverable) -> Profile:
    from fieldkit.services.demo_plans import _Acting

    return _Acting(profile, *d.reviewer)


def _first_round(profile: Profile, w: _Written, folder: Path) -> None:
    d = w.d
    for f in d.files:
        w.files[f.name], _changes = deliverables.add_file(
            w.lead, w.id, make_file(d, f, folder), f.caption, f.purpose
        )
    if d.state is State.DRAFT:
        return
    deliverables.submit(w.lead, w.id, d.submit_note)
    if d.returned is not None:
        deliverables.return_for_changes(_reviewer(profile, d), w.id, *d.returned)
    elif d.state is not State.SUBMITTED:
        deliverables.approve(_reviewer(profile, d), w.id, d.approved_with)


def _second_round(profile: Profile, w: _Written, folder: Path) -> None:
    d = w.d
    if d.returned is not None:
        review = deliverables.get(profile, w.id).reviews[-1]
        for comment, response in zip(review.items, d.responses, strict=False):
            deliverables.address_comment(w.lead, comment.id, response)
        if d.corrected is None:
            return
        first = d.files[0].name if d.files else ""
        w.files[d.corrected.name], _changes = deliverables.add_file(
            w.lead, w.id, make_file(d, d.corrected, folder), "", PRODUCT
        )
        if first in w.files:
            deliverables.remove_file(w.lead, w.files.pop(first))
        deliverables.submit(w.lead, w.id, d.resubmit_note)
        if d.state is State.SUBMITTED:
            return
        deliverables.approve(_reviewer(profile, d), w.id, d.approved_with)
    if d.delivery is not None:
        deliverables.deliver(w.lead, w.id, d.delivery)


def _act_and_survey(profile: Profile, w: _Written, folder: Path) -> None:
    from fieldkit.forms import FormState

    d = w.d
    assert d.act is not None and d.survey is not None
    w.files[d.act.name], _changes = deliverables.add_file(
        w.lead, w.id, make_file(d, d.act, folder), "", SIGNED_ACT
    )
    w.survey, _changes = deliverables.start_survey(w.lead, w.id)
    # The filling is not committed yet: the form state starts from the form, as start() did.
    state = FormState(forms.form_definition(profile, SURVEY_FORM))
    for name, value in d.survey.items():
        state.set_answer(name, value)
    forms.save_answers(w.lead, w.survey, state.answers())


# Simulated deliverable edits (`fieldkit demo --edits`) ----------------------------------------

EDIT_KINDS = (
    N_("entregable enviado a revisión"),
    N_("entregable devuelto con comentarios"),
    N_("respuesta a un comentario de revisión"),
    N_("foto de un entregable"),
    N_("entrega de un producto aprobado"),
)
SUBMIT_EDIT, RETURN_EDIT, ANSWER_EDIT, PHOTO_EDIT, DELIVER_EDIT = EDIT_KINDS


class Editor:
    """Deliverable edits through services.deliverables, as teams and reviewers make them between
    two syncs. Deliverables are listed once, ordered by assistance code and position, so the
    same seed on the same data picks the same ones."""

    def __init__(self, profile: Profile, today: dt.date) -> None:
        self.profile = profile
        self.today = today
        self.limit = _limit(today)
        self._rows: dict[str, deliverables.DeliverableRow] | None = None
        self._codes: dict[str, str] = {}  # assistance id -> code

    def _all(self) -> dict[str, deliverables.DeliverableRow]:
        if self._rows is None:
            from fieldkit.services import assistances

            rows = assistances.list_assistances(self.profile)
            self._codes = {r.id: r.code for r in rows}
            listed = [
                d for d in deliverables.list_all(self.profile) if d.assistance_id in self._codes
            ]
            listed.sort(
                key=lambda d: (self._codes[d.assistance_id], d.due_on or dt.date.max, d.title)
            )
            self._rows = {d.id: d for d in listed}
        return self._rows

    def _pick(
        self, rng: random.Random, *states: DeliverableState
    ) -> deliverables.DeliverableRow | None:
        rows = [d for d in self._all().values() if d.state in states]
        return rng.choice(rows) if rows else None

    def _refresh(self, deliverable_id: str) -> None:
        self._all()[deliverable_id] = deliverables.get(self.profile, deliverable_id)

    def apply(self, rng: random.Random, kind: str) -> bool:
        """One edit of `kind`; False when no deliverable lends itself to it."""
        handlers = {
            SUBMIT_EDIT: self._submit,
            RETURN_EDIT: self._return,
            ANSWER_EDIT: self._answer,
            PHOTO_EDIT: self._photo,
            DELIVER_EDIT: self._deliver,
        }
        if kind not in handlers:
            raise ValueError(f"unknown deliverable edit {kind!r}")
        try:
            return handlers[kind](rng)
        except FieldkitError:
            return False  # a guard refused (e.g. this profile is a reviewer's): nothing written

    def _submit(self, rng: random.Random) -> bool:
        ready = [
            d
            for d in self._all().values()
            if d.editable and any(f.purpose == PRODUCT for f in d.files)
        ]
        if not ready:
            return False
        d = rng.choice(ready)
        note = rng.choice(RESUBMIT_NOTES) if d.reviews else rng.choice(SUBMIT_NOTES)
        deliverables.submit(self.profile, d.id, note)
        self._refresh(d.id)
        return True

    def _return(self, rng: random.Random) -> bool:
        from fieldkit.services import persons
        from fieldkit.services.demo_plans import _Acting

        d = self._pick(rng, State.SUBMITTED)
        if d is None:
            return False
        deciders = sorted(
            (
                p
                for p in persons.list_persons(self.profile)
                if p.role in ("reviewer", "coordinator")
            ),
            key=lambda p: (p.role != "reviewer", p.name),
        )
        decider = rng.choice(deciders) if deciders else None
        name, role = (decider.name, decider.role) if decider else ("Revisor", REVIEWER)
        documents = [f.file_name for f in d.files if f.purpose == PRODUCT] or ["general"]
        item = ItemComment(rng.choice(documents), rng.choice(PDF_COMMENTS))
        deliverables.return_for_changes(
            _Acting(self.profile, name, role), d.id, rng.choice(RETURN_COMMENTS), [item]
        )
        self._refresh(d.id)
        return True

    def _answer(self, rng: random.Random) -> bool:
        open_comments = [
            (d, c)
            for d in self._all().values()
            if d.state is State.RETURNED and d.last_review is not None
            for c in d.last_review.items
            if not c.addressed
        ]
        if not open_comments:
            return False
        d, comment = rng.choice(open_comments)
        deliverables.address_comment(self.profile, comment.id, rng.choice(RESPONSES))
        self._refresh(d.id)
        return True

    def _photo(self, rng: random.Random) -> bool:
        d = self._pick(rng, State.DRAFT, State.RETURNED)
        if d is None:
            return False
        sketch = DemoDeliverable(
            "", "", "", FALLBACK_LINE, DeliverableInput(d.kind, d.title), d.state, (), ("", ""), ()
        )
        caption = rng.choice(CAPTIONS.get(d.kind, ()) + CAPTIONS[""]).replace(" de {m}", "")
        when = dt.datetime.combine(self.limit, dt.time(rng.randint(8, 16), rng.randint(0, 59)))
        name = f"IMG_{when:%Y%m%d_%H%M%S}.jpg"
        photo = DemoFile(name, "jpg", PHOTO, caption, f"{d.title}/{name}/{len(d.files)}")
        with tempfile.TemporaryDirectory(prefix="fieldkit-demo-") as tmp:
            deliverables.add_file(
                self.profile, d.id, make_file(sketch, photo, Path(tmp)), caption, PHOTO
            )
        self._refresh(d.id)
        return True

    def _deliver(self, rng: random.Random) -> bool:
        from fieldkit.services import assistances

        d = self._pick(rng, State.APPROVED)
        if d is None:
            return False
        detail = assistances.get_assistance(self.profile, d.assistance_id)
        official = rng.choice(detail.counterparts) if detail.counterparts else None
        team = [m.name for m in detail.team] or [self.profile.author]
        m = detail.row.municipality
        deliverables.deliver(
            self.profile,
            d.id,
            DeliveryInput(
                delivered_on=self.limit,
                place=rng.choice(PLACES).format(m=m),
                received_by=official.name if official else "Funcionario de la alcaldía",
                received_position=(official.position if official else "")
                or "Secretario de Despacho",
                received_entity=f"Alcaldía municipal de {m}",
                team_present=team[: rng.randint(1, min(3, len(team)))],
            ),
        )
        self._refresh(d.id)
        return True


def counts(planned: Sequence[Sequence[DemoDeliverable]]) -> Counter[DeliverableState]:
    """How many deliverables end in each state (tests and messages)."""
    return Counter(d.state for items in planned for d in items)
