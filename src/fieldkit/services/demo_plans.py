"""Demo action plans (issue 5) for `fieldkit demo` and `fieldkit demo --edits`.

Assistances that reached the diagnosis get findings and a Plan de Acción Municipal tied to their
thematic line: problem, objective and alternative; 2–4 expected results with the indicators
municipal offices really report; 2–4 activities under each, in the hands of the team or of a named
official of the mayor's office; the review (approved, returned with comments, a second version)
and months of follow-up. Most plans are healthy, some have overdue activities and several show
what the progress figures exist to catch: activities done, results not achieved.

As in demo.py, everything is decided up front by a seeded generator (`plan_all`, pure) and then
replayed through services.plans (`write`), as a team and its reviewer would; `Editor` applies the
plan edits of `fieldkit demo --edits`.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, NamedTuple

from fieldkit.domain.errors import FieldkitError
from fieldkit.domain.plans import PlanState
from fieldkit.domain.progress import (
    ActivityFacts,
    ActivityState,
    Direction,
    IndicatorType,
    PlanProgress,
    ResultFacts,
    plan_progress,
)
from fieldkit.domain.states import AssistanceState
from fieldkit.i18n import N_
from fieldkit.services import plans
from fieldkit.services.plans import ActivityInput, PlanInput, ResultInput
from fieldkit.services.profile import Profile

if TYPE_CHECKING:
    from fieldkit.services.demo import _PlannedAssistance, _PlannedPerson

# A national year writes full plans for a sample of its assistances: each plan is ~40 service
# calls (~0.15 s), and the benchmark year must stay within ~30 % of its time without plans.
MAX_PLANS = 50
# Visit logs go through the form engine (~0.3 s each): a few per run are enough to show the link.
MAX_VISITS = 3
# The states whose assistances have a plan (a closed one was delivered with its plan).
WITH_PLAN = frozenset(
    {
        AssistanceState.DIAGNOSED,
        AssistanceState.PLANNED,
        AssistanceState.IN_EXECUTION,
        AssistanceState.DELIVERED,
        AssistanceState.CLOSED,
    }
)
TEAM = "team"
MAYOR = "Alcalde municipal"


# Reference texts ------------------------------------------------------------------------------
#
# Demo content, not interface: written as a municipal team would, in Spanish, like the CSV lists
# in resources/demo. Responsible offices name a position of resources/demo/cargos.csv (masculine
# form) or the mayor; "team" is the technical assistance team.


class _Theme(NamedTuple):
    """One need of a thematic line: the finding, the result that addresses it, its activities."""

    finding: str
    area: str
    priority: int
    result: str
    indicator: str
    kind: IndicatorType
    unit: str
    baseline: tuple[int, int]  # range the baseline is drawn from
    change: tuple[int, int]  # how far the target lies from the baseline
    direction: Direction
    verification: str
    activities: tuple[tuple[str, str], ...]  # (description, "team" or the office in charge)


INC, DEC = Direction.INCREASE, Direction.DECREASE
PRODUCT, RESULT, IMPACT = IndicatorType.PRODUCT, IndicatorType.RESULT, IndicatorType.IMPACT
HACIENDA, PLANEACION = "Secretario de Hacienda", "Secretario de Planeación"
GENERAL, GOBIERNO = "Secretario General", "Secretario de Gobierno"
CONTROL, CONTRATOS = "Jefe de Control Interno", "Jefe de Contratación"
TALENTO, DIGITAL = "Profesional de Talento Humano", "Líder de Gobierno Digital"
SOCIAL, INFRA = "Secretario de Desarrollo Social", "Secretario de Infraestructura"
VICTIMAS, PAZ, ETNICOS = (
    "Enlace de víctimas",
    "Enlace municipal de paz",
    "Enlace de asuntos étnicos",
)
MUJER, FAMILIA, JURIDICO = "Enlace de mujer y género", "Comisario de Familia", "Asesor jurídico"

THEMES: dict[str, tuple[_Theme, ...]] = {
    "INNOVACION": (
        _Theme(
            "Las PQRSD se radican en papel en varias dependencias, sin seguimiento de términos; "
            "muchas se responden tarde.",
            "Atención a la ciudadanía", 1,
            "La alcaldía responde las PQRSD dentro de los términos de ley",
            "PQRSD respondidas fuera de término (%)", RESULT, "%", (35, 55), (15, 30), DEC,
            "Informe trimestral de PQRSD de la oficina de atención a la ciudadanía",
            (
                ("Levantar el inventario de canales de radicación y de tiempos de respuesta por "
                 "dependencia", TEAM),
                ("Implementar la ventanilla única de radicación con consecutivo y semáforo de "
                 "términos", GENERAL),
                ("Capacitar a los enlaces de cada dependencia en la Ley 1755 de 2015 y en la "
                 "herramienta", TEAM),
                ("Publicar el informe trimestral de PQRSD en la página web", GENERAL),
            ),
        ),
        _Theme(
            "Solo unos pocos trámites están inscritos en el SUIT y ninguno se puede hacer "
            "completamente en línea.",
            "Gobierno digital", 2,
            "Trámites priorizados de la alcaldía disponibles en línea",
            "Trámites inscritos en el SUIT con opción en línea", PRODUCT, "trámites", (1, 3),
            (4, 8), INC, "Reporte del Sistema Único de Información de Trámites (SUIT)",
            (
                ("Priorizar con la ciudadanía los trámites más solicitados", TEAM),
                ("Racionalizar y documentar los trámites priorizados en el SUIT", PLANEACION),
                ("Habilitar el pago en línea del impuesto predial y de industria y comercio",
                 HACIENDA),
                ("Probar los trámites en línea con usuarios de la zona rural", TEAM),
            ),
        ),
        _Theme(
            "El puntaje de la política de Gobierno Digital en el FURAG está por debajo del "
            "promedio de los municipios de su categoría.",
            "Gobierno digital", 2,
            "Política de Gobierno Digital implementada",
            "Puntaje de la política de Gobierno Digital en el FURAG (puntos)", RESULT, "puntos",
            (38, 52), (8, 15), INC, "Resultados del FURAG publicados por Función Pública",
            (
                ("Hacer el autodiagnóstico de Gobierno Digital con la herramienta de MinTIC", TEAM),
                ("Formular el Plan Estratégico de Tecnologías de la Información (PETI)", DIGITAL),
                ("Adoptar el PETI mediante acto administrativo", MAYOR),
                ("Reportar el avance en el FURAG con sus evidencias", CONTROL),
            ),
        ),
        _Theme(
            "La sección de transparencia de la página web está incompleta y la alcaldía no "
            "publica datos abiertos.",
            "Transparencia", 2,
            "Información pública disponible y actualizada en la página web",
            "Índice de Transparencia y Acceso a la Información (ITA) (puntos)", RESULT,
            "puntos", (40, 60), (15, 25), INC,
            "Reporte del ITA de la Procuraduría General de la Nación",
            (
                ("Revisar la sección de transparencia frente a la Resolución 1519 de 2020", TEAM),
                ("Publicar los conjuntos de datos abiertos priorizados en datos.gov.co", DIGITAL),
                ("Actualizar el esquema de publicación y el índice de información clasificada",
                 GENERAL),
                ("Diligenciar la matriz ITA ante la Procuraduría", CONTROL),
            ),
        ),
        _Theme(
            "No hay espacios para que funcionarios y ciudadanía propongan soluciones a los "
            "problemas de la gestión.",
            "Participación ciudadana", 3,
            "Retos de innovación pública resueltos con la ciudadanía",
            "Retos de innovación pública con solución probada", PRODUCT, "retos", (0, 0), (2, 3),
            INC, "Actas del laboratorio de innovación y fichas de los prototipos",
            (
                ("Conformar el equipo de innovación con funcionarios de varias dependencias",
                 MAYOR),
                ("Realizar el taller de identificación de retos con la ciudadanía", TEAM),
                ("Prototipar y probar soluciones a los retos priorizados", TEAM),
                ("Presentar los resultados al consejo de gobierno", PLANEACION),
            ),
        ),
    ),
    "CONTRATACION": (
        _Theme(
            "Los procesos de contratación se publican tarde o incompletos en el SECOP II.",
            "Contratación", 1,
            "Procesos contractuales publicados a tiempo y completos en el SECOP II",
            "Procesos publicados en el SECOP II dentro de los tres días siguientes a su "
            "expedición (%)", RESULT, "%", (40, 60), (25, 40), INC,
            "Reporte de procesos del SECOP II y revisión de Control Interno",
            (
                ("Revisar una muestra de procesos del año anterior frente a lo publicado en el "
                 "SECOP II", TEAM),
                ("Designar y capacitar a los responsables de publicar en el SECOP II", CONTRATOS),
                ("Implementar una lista de chequeo de documentos por etapa del proceso",
                 CONTRATOS),
                ("Hacer seguimiento mensual de la publicación desde Control Interno", CONTROL),
            ),
        ),
        _Theme(
            "La mayoría de los contratos se celebra por contratación directa, incluso para "
            "bienes y servicios de características uniformes.",
            "Contratación", 1,
            "Más procesos competitivos en la contratación de la alcaldía",
            "Valor contratado por contratación directa sobre el total (%)", RESULT, "%",
            (65, 85), (15, 30), DEC,
            "Base de contratos del SECOP II y Plan Anual de Adquisiciones",
            (
                ("Analizar la contratación directa de la vigencia anterior por modalidad y objeto",
                 TEAM),
                ("Elaborar el Plan Anual de Adquisiciones con la modalidad que corresponde a cada "
                 "necesidad", HACIENDA),
                ("Usar los acuerdos marco de la Tienda Virtual del Estado Colombiano para bienes "
                 "uniformes", CONTRATOS),
                ("Acompañar la estructuración de los primeros procesos de mínima cuantía", TEAM),
            ),
        ),
        _Theme(
            "En muchos procesos se presenta un solo oferente por requisitos habilitantes "
            "desproporcionados.",
            "Contratación", 2,
            "Procesos de selección con pluralidad de oferentes",
            "Procesos de selección con un solo oferente (%)", RESULT, "%", (50, 70), (15, 30), DEC,
            "Informes de evaluación de ofertas publicados en el SECOP II",
            (
                ("Revisar los requisitos habilitantes frente a los documentos tipo", TEAM),
                ("Adoptar los documentos tipo de Colombia Compra Eficiente en obra pública",
                 INFRA),
                ("Socializar los procesos con proveedores locales", CONTRATOS),
                ("Publicar los estudios del sector con análisis de mercado", CONTRATOS),
            ),
        ),
        _Theme(
            "El manual de contratación no se actualiza desde 2015 y no incluye la supervisión de "
            "los contratos.",
            "Contratación", 2,
            "Manual de contratación y supervisión actualizado y adoptado",
            "Manual de contratación y supervisión adoptado por decreto", PRODUCT, "documento",
            (0, 0), (1, 1), INC, "Decreto de adopción publicado en la página web",
            (
                ("Diagnosticar el manual vigente frente a la normativa actual", TEAM),
                ("Redactar con la asesoría jurídica el nuevo manual de contratación y supervisión",
                 JURIDICO),
                ("Revisar el proyecto de manual con los supervisores de contratos", CONTROL),
                ("Expedir el decreto de adopción y capacitar a los supervisores", MAYOR),
            ),
        ),
        _Theme(
            "Los supervisores no tienen formatos de informe y los expedientes contractuales "
            "están incompletos.",
            "Gestión documental", 2,
            "Expedientes contractuales completos y con informes de supervisión",
            "Expedientes contractuales completos en la revisión de Control Interno (%)", RESULT,
            "%", (30, 50), (25, 40), INC,
            "Informe de auditoría de Control Interno a los expedientes contractuales",
            (
                ("Diseñar los formatos de informe de supervisión e interventoría", TEAM),
                ("Organizar los expedientes según las tablas de retención documental", GENERAL),
                ("Capacitar a los supervisores en sus responsabilidades legales", TEAM),
                ("Auditar una muestra de expedientes al cierre del semestre", CONTROL),
            ),
        ),
    ),
    "REDISENO": (
        _Theme(
            "El manual específico de funciones no corresponde a la estructura actual ni a los "
            "perfiles que necesita la alcaldía.",
            "Talento humano", 1,
            "Manual específico de funciones y competencias actualizado",
            "Manual específico de funciones y competencias adoptado", PRODUCT, "documento",
            (0, 0), (1, 1), INC, "Decreto de adopción y manual publicado",
            (
                ("Levantar las cargas de trabajo de cada dependencia", TEAM),
                ("Redactar las fichas de los empleos con sus núcleos básicos del conocimiento",
                 TALENTO),
                ("Socializar el proyecto de manual con el sindicato y los funcionarios", GENERAL),
                ("Expedir el decreto que adopta el manual", MAYOR),
            ),
        ),
        _Theme(
            "Muchos empleos de la planta están vacantes y las funciones permanentes las cumplen "
            "contratistas.",
            "Talento humano", 1,
            "Empleos de la planta provistos",
            "Empleos de planta provistos sobre los aprobados (%)", RESULT, "%", (55, 70), (15, 25),
            INC, "Relación de la planta de personal y actos de nombramiento",
            (
                ("Identificar las vacantes definitivas y temporales de la planta", TALENTO),
                ("Reportar las vacantes en la OPEC de la Comisión Nacional del Servicio Civil",
                 TALENTO),
                ("Proveer los encargos y nombramientos provisionales que correspondan", MAYOR),
                ("Acompañar el plan de previsión de recursos humanos", TEAM),
            ),
        ),
        _Theme(
            "La alcaldía depende de contratos de prestación de servicios para funciones "
            "permanentes.",
            "Talento humano", 2,
            "Menos contratos de prestación de servicios para funciones permanentes",
            "Contratistas que cumplen funciones permanentes", RESULT, "personas", (35, 60),
            (10, 20), DEC, "Base de contratos de prestación de servicios del SECOP II",
            (
                ("Clasificar los contratos de prestación de servicios por tipo de función", TEAM),
                ("Estimar el costo de ampliar la planta en el marco fiscal de mediano plazo",
                 HACIENDA),
                ("Presentar al concejo el proyecto de acuerdo de modificación de la planta", MAYOR),
                ("Acompañar la formalización de los primeros empleos", TEAM),
            ),
        ),
        _Theme(
            "La dimensión de talento humano del MIPG tiene el puntaje más bajo de la alcaldía en "
            "el FURAG.",
            "Gestión institucional (MIPG)", 2,
            "Gestión estratégica del talento humano fortalecida",
            "Puntaje de la dimensión de Talento Humano en el FURAG (puntos)", RESULT, "puntos",
            (45, 58), (7, 14), INC, "Resultados del FURAG publicados por Función Pública",
            (
                ("Hacer el autodiagnóstico de talento humano del MIPG", TEAM),
                ("Formular el plan estratégico de talento humano", TALENTO),
                ("Adoptar el plan institucional de capacitación y el plan de bienestar", TALENTO),
                ("Implementar la evaluación del desempeño de los empleos de carrera", CONTROL),
            ),
        ),
        _Theme(
            "La estructura administrativa tiene dependencias con funciones duplicadas y otras "
            "sin responsable.",
            "Estructura administrativa", 2,
            "Estructura administrativa ajustada a las competencias del municipio",
            "Estudio técnico de rediseño institucional aprobado", PRODUCT, "documento", (0, 0),
            (1, 1), INC, "Estudio técnico y acuerdo del concejo municipal",
            (
                ("Analizar los procesos y las funciones de cada dependencia", TEAM),
                ("Elaborar el estudio técnico de rediseño con la guía de Función Pública", TEAM),
                ("Revisar el estudio en el consejo de gobierno", GENERAL),
                ("Radicar en el concejo el proyecto de acuerdo de estructura", MAYOR),
            ),
        ),
    ),
    "ORDENAMIENTO": (
        _Theme(
            "El recaudo del impuesto predial es bajo frente a lo facturado y la cartera morosa "
            "crece cada año.",
            "Finanzas públicas", 1,
            "Mayor recaudo del impuesto predial",
            "Recaudo del impuesto predial frente a lo facturado (%)", RESULT, "%", (32, 45),
            (15, 25), INC, "Ejecución presupuestal de ingresos y reporte del FUT",
            (
                ("Depurar la base de contribuyentes y la cartera del impuesto predial", HACIENDA),
                ("Diseñar la campaña de pago oportuno con descuento por pronto pago", HACIENDA),
                ("Iniciar el cobro persuasivo de la cartera de mayor cuantía", HACIENDA),
                ("Acompañar el seguimiento mensual del recaudo con la Secretaría de Hacienda",
                 TEAM),
            ),
        ),
        _Theme(
            "Las metas del plan de desarrollo no tienen seguimiento periódico y el concejo no "
            "recibe informes de avance.",
            "Planeación", 1,
            "Seguimiento trimestral del plan de desarrollo",
            "Metas del plan de desarrollo con reporte de avance trimestral (%)", RESULT, "%",
            (10, 30), (40, 60), INC,
            "Informes de seguimiento del plan de desarrollo y reporte en el aplicativo del DNP",
            (
                ("Construir la batería de indicadores del plan indicativo", TEAM),
                ("Capacitar a los enlaces de las secretarías en el reporte de metas", PLANEACION),
                ("Reportar el avance del plan en el aplicativo del DNP", PLANEACION),
                ("Presentar el informe de avance al consejo territorial de planeación",
                 PLANEACION),
            ),
        ),
        _Theme(
            "El esquema de ordenamiento territorial perdió vigencia y no incorpora la gestión "
            "del riesgo.",
            "Ordenamiento territorial", 1,
            "Revisión del esquema de ordenamiento territorial en marcha",
            "Avance del expediente municipal y del diagnóstico para revisar el EOT (%)", PRODUCT,
            "%", (0, 10), (40, 60), INC,
            "Expediente municipal y actas del consejo consultivo de ordenamiento",
            (
                ("Conformar el expediente municipal con la cartografía disponible", PLANEACION),
                ("Hacer los estudios básicos de amenaza y riesgo con apoyo del departamento",
                 INFRA),
                ("Instalar el consejo consultivo de ordenamiento territorial", PLANEACION),
                ("Realizar los talleres de participación en la zona rural", TEAM),
            ),
        ),
        _Theme(
            "La alcaldía no tiene reglamento de cartera y los procesos de cobro coactivo "
            "prescriben.",
            "Finanzas públicas", 2,
            "Cartera morosa de impuestos recuperada",
            "Cartera morosa del impuesto predial (millones de pesos)", RESULT,
            "millones de pesos", (800, 2200), (250, 600), DEC,
            "Estado de cartera certificado por la Secretaría de Hacienda",
            (
                ("Expedir el reglamento interno de recaudo de cartera", HACIENDA),
                ("Clasificar la cartera por antigüedad y cuantía", TEAM),
                ("Enviar los mandamientos de pago de la cartera priorizada", HACIENDA),
                ("Celebrar acuerdos de pago con los grandes deudores", HACIENDA),
            ),
        ),
        _Theme(
            "El índice de desempeño fiscal bajó frente al año anterior por la dependencia de las "
            "transferencias.",
            "Finanzas públicas", 2,
            "Mejor desempeño fiscal del municipio",
            "Índice de desempeño fiscal (puntos)", IMPACT, "puntos", (45, 58), (4, 9), INC,
            "Medición del desempeño fiscal publicada por el DNP",
            (
                ("Revisar el marco fiscal de mediano plazo con la Secretaría de Hacienda", TEAM),
                ("Actualizar el estatuto tributario municipal", HACIENDA),
                ("Presentar al concejo el proyecto de acuerdo del estatuto tributario", MAYOR),
                ("Seguir cada trimestre los indicadores de la Ley 617 de 2000", HACIENDA),
            ),
        ),
    ),
    "PAZ": (
        _Theme(
            "Las iniciativas PDET del municipio no están en el plan de desarrollo ni en el "
            "presupuesto.",
            "Implementación del Acuerdo de Paz", 1,
            "Iniciativas PDET con ruta de implementación y recursos",
            "Iniciativas PDET del municipio con ruta de implementación (%)", RESULT, "%",
            (8, 20), (20, 35), INC,
            "Reporte de la Agencia de Renovación del Territorio y presupuesto municipal",
            (
                ("Cruzar las iniciativas PDET con las metas del plan de desarrollo", TEAM),
                ("Priorizar las iniciativas con el grupo motor del municipio", PAZ),
                ("Incluir las iniciativas priorizadas en el plan operativo anual de inversiones",
                 PLANEACION),
                ("Formular los proyectos de las iniciativas priorizadas", PLANEACION),
            ),
        ),
        _Theme(
            "El consejo municipal de paz, reconciliación y convivencia está creado pero no "
            "sesiona.",
            "Paz y convivencia", 2,
            "Consejo municipal de paz funcionando",
            "Sesiones del consejo municipal de paz, reconciliación y convivencia en el año",
            PRODUCT, "sesiones", (0, 1), (3, 4), INC,
            "Actas de las sesiones del consejo municipal de paz",
            (
                ("Actualizar el acto de creación y la conformación del consejo", GOBIERNO),
                ("Convocar la elección de los representantes de la sociedad civil", GOBIERNO),
                ("Acompañar la formulación del plan de acción del consejo", TEAM),
                ("Apoyar a la secretaría técnica en las sesiones ordinarias", PAZ),
            ),
        ),
        _Theme(
            "La mesa de participación de víctimas no tiene plan de trabajo y sus propuestas no "
            "llegan al comité de justicia transicional.",
            "Atención a víctimas", 1,
            "Víctimas participando en las decisiones del municipio",
            "Propuestas de la mesa de víctimas incluidas en el plan de acción territorial",
            RESULT, "propuestas", (0, 2), (3, 6), INC,
            "Plan de acción territorial y actas del comité de justicia transicional",
            (
                ("Acompañar a la mesa de víctimas en la elaboración de su plan de trabajo", TEAM),
                ("Garantizar el transporte y la alimentación para las sesiones de la mesa",
                 VICTIMAS),
                ("Presentar las propuestas de la mesa al comité de justicia transicional",
                 VICTIMAS),
                ("Actualizar el plan de acción territorial con las propuestas aprobadas",
                 GOBIERNO),
            ),
        ),
        _Theme(
            "Las solicitudes de atención de las víctimas se responden sin registro ni "
            "seguimiento de términos.",
            "Atención a víctimas", 2,
            "Atención oportuna a la población víctima",
            "Solicitudes de víctimas respondidas dentro del término (%)", RESULT, "%", (40, 60),
            (20, 35), INC, "Registro de atención del enlace de víctimas y reporte del RUSICST",
            (
                ("Diseñar el registro de solicitudes y respuestas del punto de atención", TEAM),
                ("Capacitar al enlace y a su equipo en la ruta de atención", TEAM),
                ("Reportar el RUSICST dentro de los plazos", VICTIMAS),
                ("Revisar cada trimestre las solicitudes vencidas con el comité", GOBIERNO),
            ),
        ),
        _Theme(
            "Los conflictos por tierras y por el uso del agua se atienden caso por caso, sin "
            "instancias de diálogo.",
            "Paz y convivencia", 2,
            "Conflictos territoriales atendidos en instancias de diálogo",
            "Conflictos territoriales atendidos en mesas de diálogo", PRODUCT, "conflictos",
            (0, 1), (3, 5), INC, "Actas de las mesas de diálogo y acuerdos firmados",
            (
                ("Mapear los conflictos territoriales con la comunidad", TEAM),
                ("Instalar las mesas de diálogo con las juntas de acción comunal", GOBIERNO),
                ("Acompañar los acuerdos con la personería municipal", TEAM),
                ("Seguir el cumplimiento de los acuerdos en el consejo de paz", PAZ),
            ),
        ),
    ),
    "ETNICOS": (
        _Theme(
            "Los programas sociales no registran el sexo, la pertenencia étnica ni la "
            "discapacidad de las personas atendidas.",
            "Enfoque diferencial", 1,
            "Información de la gestión desagregada por sexo, etnia y discapacidad",
            "Programas del plan de desarrollo con indicadores desagregados (%)", RESULT, "%",
            (5, 20), (30, 45), INC,
            "Fichas de indicadores del plan de desarrollo y bases de beneficiarios",
            (
                ("Revisar los formatos de registro de beneficiarios de cada programa", TEAM),
                ("Incluir el sexo, la pertenencia étnica y la discapacidad en los formatos",
                 SOCIAL),
                ("Capacitar a los equipos de los programas en el enfoque diferencial", TEAM),
                ("Publicar el primer boletín de la gestión con datos desagregados", PLANEACION),
            ),
        ),
        _Theme(
            "La política pública de mujer y equidad de género no tiene presupuesto ni plan de "
            "acción.",
            "Enfoque de género", 1,
            "Política de mujer y equidad de género con recursos asignados",
            "Presupuesto asignado a la política de mujer y equidad de género (millones de pesos)",
            RESULT, "millones de pesos", (10, 30), (40, 80), INC,
            "Presupuesto de gastos aprobado y plan operativo anual de inversiones",
            (
                ("Formular el plan de acción de la política con las organizaciones de mujeres",
                 MUJER),
                ("Costear las acciones del plan de acción", HACIENDA),
                ("Incluir las acciones en el plan operativo anual de inversiones", PLANEACION),
                ("Instalar el consejo consultivo de mujeres", MUJER),
            ),
        ),
        _Theme(
            "Los proyectos que afectan a resguardos y consejos comunitarios se deciden sin "
            "espacios de concertación.",
            "Asuntos étnicos", 1,
            "Concertación con las autoridades étnicas antes de decidir los proyectos",
            "Espacios de concertación con autoridades étnicas realizados", PRODUCT, "espacios",
            (0, 1), (2, 4), INC, "Actas de concertación firmadas por las autoridades étnicas",
            (
                ("Identificar los resguardos, los consejos comunitarios y sus autoridades",
                 ETNICOS),
                ("Acordar con las autoridades la ruta de concertación", TEAM),
                ("Realizar los espacios de concertación de los proyectos de inversión", ETNICOS),
                ("Incluir los acuerdos en el banco de proyectos", PLANEACION),
            ),
        ),
        _Theme(
            "Los casos de violencia basada en género no se atienden con una ruta articulada "
            "entre las entidades.",
            "Enfoque de género", 1,
            "Ruta de atención a las violencias basadas en género articulada",
            "Casos de violencia basada en género atendidos fuera de la ruta (%)", RESULT, "%",
            (35, 55), (15, 25), DEC,
            "Informe de la comisaría de familia y del comité de seguimiento a la Ley 1257",
            (
                ("Actualizar la ruta de atención con la comisaría, el hospital y la policía",
                 FAMILIA),
                ("Capacitar a los funcionarios de la ruta en atención sin revictimización", TEAM),
                ("Divulgar la ruta en las veredas y los corregimientos", MUJER),
                ("Seguir los casos en el comité de la Ley 1257", FAMILIA),
            ),
        ),
        _Theme(
            "La población con discapacidad no está caracterizada y el comité municipal de "
            "discapacidad no sesiona.",
            "Inclusión social", 2,
            "Población con discapacidad caracterizada",
            "Personas en el registro de localización y caracterización de personas con "
            "discapacidad", RESULT, "personas", (80, 200), (60, 150), INC,
            "Reporte del RLCPD del Ministerio de Salud",
            (
                ("Reactivar el comité municipal de discapacidad", SOCIAL),
                ("Organizar jornadas de registro en la zona rural con el hospital", SOCIAL),
                ("Acompañar el análisis de la caracterización", TEAM),
                ("Incluir los resultados en los programas del plan de desarrollo", PLANEACION),
            ),
        ),
    ),
}  # fmt: skip
# A thematic line a coordinator added later gets the municipal-finance and planning themes.
FALLBACK_LINE = "ORDENAMIENTO"

PLAN_TEXTS: dict[str, tuple[tuple[str, str, str], ...]] = {
    "INNOVACION": (
        (
            "En {m} la atención a la ciudadanía depende de trámites presenciales y en papel: las "
            "PQRSD se pierden entre dependencias, se responden fuera de término y la información "
            "pública está desactualizada.",
            "Mejorar la relación de la alcaldía de {m} con la ciudadanía con trámites en línea, un "
            "sistema único de PQRSD y más información pública disponible.",
            "Implementar la política de Gobierno Digital por etapas (ventanilla única, "
            "racionalización de trámites y datos abiertos), con acompañamiento mensual del equipo.",
        ),
        (
            "La alcaldía de {m} no tiene un plan de tecnologías de la información y sus procesos "
            "de atención y de gestión interna siguen siendo manuales.",
            "Fortalecer la capacidad de la alcaldía de {m} para innovar en la gestión pública y "
            "usar la tecnología en la atención a la ciudadanía.",
            "Formular y adoptar el PETI, priorizar los trámites más solicitados y conformar un "
            "equipo de innovación con funcionarios de varias dependencias.",
        ),
    ),
    "CONTRATACION": (
        (
            "En {m} la contratación se concentra en la modalidad directa, los procesos se publican "
            "tarde en el SECOP II y muchas convocatorias terminan con un solo oferente.",
            "Mejorar la transparencia y la competencia en la contratación de la alcaldía de {m}.",
            "Acompañar a la oficina de contratación en la planeación de las compras, el uso de los "
            "documentos tipo y la publicación oportuna en el SECOP II.",
        ),
        (
            "La alcaldía de {m} tiene un manual de contratación desactualizado y la supervisión de "
            "los contratos no deja evidencia en los expedientes.",
            "Fortalecer la gestión contractual de la alcaldía de {m}, desde la planeación hasta la "
            "liquidación de los contratos.",
            "Actualizar el manual de contratación y supervisión, organizar los expedientes y hacer "
            "seguimiento desde Control Interno.",
        ),
    ),
    "REDISENO": (
        (
            "La planta de personal de la alcaldía de {m} no corresponde a sus funciones: el manual "
            "de funciones está desactualizado, hay vacantes sin proveer y las tareas permanentes "
            "las cumplen contratistas.",
            "Ajustar la estructura y la planta de la alcaldía de {m} a las competencias que debe "
            "cumplir.",
            "Acompañar el rediseño institucional con el estudio técnico, la actualización del "
            "manual de funciones y un plan de provisión de empleos.",
        ),
        (
            "En {m} la gestión del talento humano es débil: no hay plan de capacitación ni "
            "evaluación del desempeño y la rotación del personal es alta.",
            "Fortalecer la gestión estratégica del talento humano de la alcaldía de {m}.",
            "Formular el plan estratégico de talento humano e implementar la evaluación del "
            "desempeño con la guía del MIPG.",
        ),
    ),
    "ORDENAMIENTO": (
        (
            "En {m} el recaudo del impuesto predial es bajo porque el catastro está desactualizado "
            "y no hay gestión de cobro; las metas del plan de desarrollo no tienen seguimiento.",
            "Mejorar las finanzas y la planeación de {m} para cumplir las metas del plan de "
            "desarrollo.",
            "Acompañar a las secretarías de Hacienda y de Planeación en la gestión del recaudo y en "
            "el seguimiento trimestral del plan de desarrollo.",
        ),
        (
            "El esquema de ordenamiento territorial de {m} perdió vigencia y las decisiones sobre "
            "el uso del suelo se toman sin información ni participación.",
            "Poner en marcha la revisión del ordenamiento territorial de {m} con información "
            "técnica y participación de la comunidad.",
            "Conformar el expediente municipal, hacer los estudios básicos de riesgo e instalar el "
            "consejo consultivo de ordenamiento territorial.",
        ),
    ),
    "PAZ": (
        (
            "En {m} las iniciativas PDET avanzan poco, las instancias de paz no sesionan y las "
            "víctimas no participan en la planeación del municipio.",
            "Fortalecer la capacidad de la alcaldía de {m} para implementar el Acuerdo de Paz y "
            "garantizar la participación de las víctimas.",
            "Acompañar la articulación de las iniciativas PDET con el plan de desarrollo y la "
            "puesta en marcha del consejo municipal de paz y de la mesa de víctimas.",
        ),
        (
            "La atención a la población víctima en {m} no tiene registro ni seguimiento y los "
            "conflictos territoriales no tienen instancias de diálogo.",
            "Mejorar la atención a las víctimas y la gestión de la conflictividad en {m}.",
            "Organizar el punto de atención a víctimas con su registro y sus términos, e instalar "
            "mesas de diálogo con las comunidades.",
        ),
    ),
    "ETNICOS": (
        (
            "La alcaldía de {m} no tiene información desagregada por sexo, etnia ni discapacidad, "
            "y sus políticas de inclusión no cuentan con presupuesto.",
            "Incorporar los enfoques diferencial y de género en la planeación y la gestión de la "
            "alcaldía de {m}.",
            "Acompañar a las secretarías en el registro de información desagregada, la "
            "financiación de la política de mujer y género y la concertación con las autoridades "
            "étnicas.",
        ),
        (
            "En {m} la atención a las violencias basadas en género y a la población con "
            "discapacidad no está articulada entre las entidades.",
            "Articular la atención a las mujeres víctimas de violencia y a la población con "
            "discapacidad en {m}.",
            "Actualizar la ruta de atención a las violencias basadas en género y reactivar el "
            "comité municipal de discapacidad.",
        ),
    ),
}

RETURN_COMMENTS = (
    "Falta la fuente de la línea base de los indicadores: citen el documento (FUT, SECOP II, "
    "informe de PQRSD…) de donde sale cada valor.",
    "Cada resultado necesita al menos una actividad a cargo de la alcaldía, con el nombre del "
    "funcionario responsable.",
    "Las metas son bajas frente a lo que la alcaldía se comprometió en la concertación; "
    "revísenlas con la contraparte.",
    "El indicador del primer resultado mide actividades y no cambios en la alcaldía: propongan "
    "un indicador de resultado con su línea base.",
)
APPROVAL_COMMENTS = (
    "",
    "",
    "Aprobado sin observaciones.",
    "Aprobado: el plan responde a los hallazgos del diagnóstico.",
    "Aprobado. En el seguimiento, adjunten la fuente de verificación de cada medición.",
)
SECOND_VERSION_COMMENTS = (
    "Se aprueba el ajuste de la meta acordado con la alcaldía.",
    "Aprobada la nueva versión: la actividad agregada responde al cambio de funcionario.",
)
# An activity the team adds when the reviewer asks for the mayor's office to take part.
FIX_ACTIVITY = "Validar con la contraparte la línea base y la fuente de verificación del indicador"
SECOND_VERSION_ACTIVITY = "Concertar con el nuevo funcionario responsable el ajuste del cronograma"
NOTES_START = (
    "Se realizó la mesa de arranque con la contraparte y se acordó el cronograma.",
    "La alcaldía entregó la información de base solicitada.",
    "Se inició la revisión de documentos con la dependencia responsable.",
)
NOTES_MIDWAY = (
    "Avance según el cronograma; quedan pendientes ajustes de la alcaldía.",
    "Se realizó la segunda mesa técnica; el documento está en revisión.",
    "La dependencia responsable avanzó, pero faltan soportes.",
    "Retraso por cambio del funcionario responsable; se acordó una nueva fecha.",
)
NOTES_DONE = (
    "Actividad terminada: se entregó el documento final a la alcaldía.",
    "Terminada; los soportes quedan en el expediente de la asistencia.",
    "Se cumplió con la participación de la contraparte; el acta quedó firmada.",
)
NOTES_STALLED = (
    "Venció sin terminar: la alcaldía no ha entregado la información pendiente.",
    "Vencida: falta la firma del acto administrativo en el despacho del alcalde.",
    "Vencida por la ley de garantías; se reprogramará con la contraparte.",
)
NOTES_MEASURED = (
    "Medición con corte al trimestre.",
    "Dato certificado por la dependencia responsable.",
    "Valor preliminar; se confirmará con el reporte oficial.",
)
NOTES_NOT_MOVING = (
    "El indicador casi no se ha movido: la alcaldía aún no aplica lo construido.",
    "Se entregaron los productos, pero el cambio todavía no se ve en el indicador.",
    "La contraparte atribuye el rezago al cierre de la vigencia fiscal.",
)


# Planning (pure: only the random generator decides) ------------------------------------------


class Pattern(StrEnum):
    """How a plan's follow-up goes."""

    NONE = "none"  # not executing yet
    STARTING = "starting"  # just approved: the first activities start
    ON_TRACK = "on_track"  # activities and results advance together
    OVERDUE = "overdue"  # activities past their end date and not complete
    WARNING = "warning"  # activities done, results not achieved
    DONE = "done"  # delivered: activities complete, results mostly achieved


@dataclass
class DemoActivity:
    description: str
    responsible: str  # "team" or "municipality"
    responsible_name: str
    start_on: dt.date
    end_on: dt.date
    follow_ups: list[tuple[dt.date, float, str]] = field(default_factory=list)  # day, %, note
    added: str = ""  # "" in the first draft; "fix" after a return; "v2" in the second version

    @property
    def percent(self) -> float | None:
        return self.follow_ups[-1][1] if self.follow_ups else None

    def facts(self) -> ActivityFacts:
        percent = self.percent
        state = None
        if percent is not None:
            state = (
                ActivityState.COMPLETE
                if percent >= 100
                else ActivityState.IN_PROGRESS
                if percent > 0
                else ActivityState.PENDING
            ).value
        return ActivityFacts(percent, state, self.end_on, self.start_on)


@dataclass
class DemoResult:
    data: ResultInput  # as it ends (after a second version)
    finding: int  # index into DemoPlan.findings
    activities: list[DemoActivity]
    measurements: list[tuple[dt.date, float, str]] = field(default_factory=list)  # day, value
    first_target: float | None = None  # the target of version 1, when version 2 changed it

    def facts(self) -> ResultFacts:
        measured = self.measurements[-1][1] if self.measurements else None
        return ResultFacts(self.data.baseline, self.data.target, self.data.direction, measured)


@dataclass
class DemoPlan:
    code_hint: str  # municipality and line, for messages and tests
    texts: PlanInput
    findings: list[tuple[str, str, int]]  # statement, area, priority
    results: list[DemoResult]
    state: PlanState  # where the review ends
    pattern: Pattern
    team: tuple[str, ...]  # who records follow-ups; the lead submits
    reviewer: tuple[str, str]  # (name, role) of who decides
    returned_with: str = ""  # comments of a return (before the approval, or the last word)
    approved_with: str = ""
    second_version: str = ""  # the approval comments of version 2; "" when there is none
    visit: tuple[dt.date, tuple[tuple[int, int], ...]] | None = None  # day, (result, activity)
    seed: str = ""  # for the visit log's attendees

    def progress(self, today: dt.date) -> PlanProgress:
        """What services.plans will show for this plan on `today` once written."""
        return plan_progress(
            [a.facts() for r in self.results for a in r.activities],
            [r.facts() for r in self.results],
            today,
        )


class _Story(NamedTuple):
    state: PlanState
    pattern: Pattern
    returned_once: bool = False  # returned with comments, fixed and approved
    second_version: bool = False


def plan_all(
    assistances: Sequence[_PlannedAssistance],
    persons: Sequence[_PlannedPerson],
    *,
    seed: int,
    today: dt.date,
) -> list[DemoPlan | None]:
    """The plan of each planned assistance (None when it has none), aligned with `assistances`.

    Independent of demo.py's generator: the same seed gives the same plans, and the assistances
    stay what they were before plans existed.
    """
    rng = random.Random(f"planes/{seed}")
    eligible = [i for i, a in enumerate(assistances) if a.state in WITH_PLAN]
    if len(eligible) > MAX_PLANS:
        eligible = sorted(rng.sample(eligible, MAX_PLANS))
    stories = {i: _story(rng, assistances[i], today) for i in eligible}
    _ensure_stories(stories, assistances, today)
    deciders = [p for p in persons if p.role == "reviewer"] or [
        p for p in persons if p.role == "coordinator"
    ]
    out: list[DemoPlan | None] = [None] * len(assistances)
    visits = 0
    for i in eligible:
        a = assistances[i]
        prng = random.Random(f"planes/{seed}/{i}")
        team = tuple(persons[k].name for k in a.team) or ("Equipo de asistencia técnica",)
        decider = prng.choice(deciders) if deciders else None
        reviewer = (decider.name, decider.role) if decider else ("Revisor", "reviewer")
        plan = _build(prng, a, stories[i], team, reviewer, today)
        plan.seed = f"planes/{seed}/{i}"
        if visits < MAX_VISITS and _add_visit(prng, plan, today):
            visits += 1
        out[i] = plan
    return out


def _limit(today: dt.date) -> dt.date:
    """The last day a follow-up may carry: the demo's today, never after the real one."""
    return min(today, dt.date.today())


def _started_long_ago(a: _PlannedAssistance, today: dt.date) -> bool:
    return a.start_on <= today - dt.timedelta(days=45)


def _story(rng: random.Random, a: _PlannedAssistance, today: dt.date) -> _Story:
    draw = rng.random()
    returned_once = rng.random() < 0.15
    if a.state is AssistanceState.DIAGNOSED:
        state = PlanState.DRAFT if draw < 0.5 else PlanState.SUBMITTED
        if draw >= 0.8:
            state = PlanState.RETURNED
        return _Story(state, Pattern.NONE)
    if a.state is AssistanceState.PLANNED:
        if draw < 0.25:
            return _Story(PlanState.SUBMITTED, Pattern.NONE)
        return _Story(PlanState.APPROVED, Pattern.STARTING, returned_once)
    if a.state in (AssistanceState.DELIVERED, AssistanceState.CLOSED):
        pattern = Pattern.DONE if draw < 0.7 else Pattern.WARNING
        return _Story(PlanState.APPROVED, pattern, returned_once)
    # In execution.
    if not _started_long_ago(a, today):
        return _Story(PlanState.APPROVED, Pattern.ON_TRACK, returned_once)
    if a.end_on < today:  # the assistance itself is overdue
        pattern = Pattern.OVERDUE if draw < 0.7 else Pattern.WARNING
        return _Story(PlanState.APPROVED, pattern, returned_once)
    if draw < 0.5:
        return _Story(PlanState.APPROVED, Pattern.ON_TRACK, returned_once)
    if draw < 0.75:
        return _Story(PlanState.APPROVED, Pattern.WARNING, returned_once)
    if draw < 0.9:
        return _Story(PlanState.APPROVED, Pattern.OVERDUE, returned_once)
    return _Story(PlanState.APPROVED, Pattern.ON_TRACK, returned_once, second_version=True)


def _ensure_stories(
    stories: dict[int, _Story], assistances: Sequence[_PlannedAssistance], today: dt.date
) -> None:
    """Every kind of plan a tour needs shows up at least once when the assistances allow it:
    several «activities done, results not achieved», an overdue one, one returned with
    comments, one approved after a return, one in its second version."""

    def first(*predicates: Callable[[int, _Story], bool]) -> int | None:
        """The first plan meeting the first predicate any plan meets."""
        for predicate in predicates:
            found = next((i for i, s in stories.items() if predicate(i, s)), None)
            if found is not None:
                return found
        return None

    def executing(i: int) -> bool:
        a = assistances[i]
        return a.state is AssistanceState.IN_EXECUTION and _started_long_ago(a, today)

    def on_track(i: int, s: _Story) -> bool:
        return s.pattern is Pattern.ON_TRACK and not s.second_version and executing(i)

    if not any(s.second_version for s in stories.values()):
        i = first(
            on_track, lambda i, s: s.state is PlanState.APPROVED and s.pattern is not Pattern.NONE
        )
        if i is not None:
            stories[i] = stories[i]._replace(second_version=True)
    if not any(s.pattern is Pattern.OVERDUE for s in stories.values()):
        i = first(on_track)
        if i is not None:
            stories[i] = stories[i]._replace(pattern=Pattern.OVERDUE)
    while sum(s.pattern is Pattern.WARNING for s in stories.values()) < 3:
        i = first(on_track, lambda i, s: s.pattern is Pattern.DONE)
        if i is None:
            break
        stories[i] = stories[i]._replace(pattern=Pattern.WARNING)
    if not any(s.state is PlanState.RETURNED for s in stories.values()):
        i = first(lambda i, s: s.state in (PlanState.DRAFT, PlanState.SUBMITTED))
        if i is not None:
            stories[i] = stories[i]._replace(state=PlanState.RETURNED)
    if not any(s.returned_once for s in stories.values()):
        i = first(lambda i, s: s.state is PlanState.APPROVED)
        if i is not None:
            stories[i] = stories[i]._replace(returned_once=True)


def _days(n: float) -> dt.timedelta:
    return dt.timedelta(days=round(n))


def _schedule(
    rng: random.Random, n: int, start: dt.date, end: dt.date
) -> list[tuple[dt.date, dt.date]]:
    """n activities one after the other over [start, end], overlapping a little."""
    span = max((end - start).days, 0)
    step = span / max(n, 1)
    out = []
    for k in range(n):
        first = start + _days(step * k + rng.uniform(0, step * 0.2))
        last = start + _days(step * (k + 1) + rng.uniform(0, step * 0.4))
        last = min(max(last, first), end)
        out.append((min(first, last), last))
    return out


@dataclass
class _Officials:
    """Names for the activities of the mayor's office: the assistance's counterparts when one
    holds the office, else an invented official; the same office, the same person in a plan."""

    rng: random.Random
    counterparts: Sequence[tuple[str, str]]  # (name, position)
    chosen: dict[str, str] = field(default_factory=dict)

    def name(self, office: str) -> str:
        if office not in self.chosen:
            self.chosen[office] = self._pick(office)
        return self.chosen[office]

    def _pick(self, office: str) -> str:
        from fieldkit.services.demo import _first_names, _rows, _surnames

        titles = {r["masculino"]: (r["masculino"], r["femenino"]) for r in _rows("cargos.csv")}
        titles[MAYOR] = (MAYOR, "Alcaldesa municipal")
        male, female = titles.get(office, (office, office))
        for name, position in self.counterparts:
            if position in (male, female):
                return f"{name}, {position}"
        sex = self.rng.choice(("F", "M"))
        first = self.rng.choice(_first_names(sex) or ["Ana"])
        surnames = _surnames() or ["Pérez", "Gómez"]
        person = f"{first} {' '.join(self.rng.sample(surnames, 2))}"
        return f"{person}, {female if sex == 'F' else male}"


def _window(
    rng: random.Random, a: _PlannedAssistance, pattern: Pattern, today: dt.date
) -> tuple[dt.date, dt.date]:
    """The days the plan's activities run, consistent with how far the assistance got."""
    start, end = a.start_on, max(a.end_on, a.start_on)
    if pattern in (Pattern.NONE, Pattern.STARTING):
        if pattern is Pattern.NONE:  # being written or reviewed: the work is ahead
            first = max(start, today + _days(rng.randint(7, 21)))
        else:
            first = max(start, today - _days(rng.randint(0, 14)))
        if (end - first).days < 60:
            # The assistance ends soon: the mayor's office carries the plan on after it.
            year_end = dt.date(first.year, 12, 31)
            end = max(end, min(first + _days(rng.randint(90, 150)), year_end))
        return min(first, end), end
    # Executed: the plan was approved a few weeks after the work started.
    first = min(start + _days(rng.randint(7, 25)), max(start, today - _days(30)), end)
    if pattern is Pattern.WARNING and end > today:
        end = max(first, min(end, today + _days(rng.randint(5, 25))))
    return first, end


def _build(
    rng: random.Random,
    a: _PlannedAssistance,
    story: _Story,
    team: tuple[str, ...],
    reviewer: tuple[str, str],
    today: dt.date,
) -> DemoPlan:
    line = a.line if a.line in THEMES else FALLBACK_LINE
    themes = THEMES[line]
    chosen = rng.sample(range(len(themes)), rng.choice((2, 3, 3, 4)))
    left = [k for k in range(len(themes)) if k not in chosen]
    findings = [(themes[k].finding, themes[k].area, themes[k].priority) for k in chosen]
    if left and rng.random() < 0.5:  # a finding the plan leaves for later
        k = rng.choice(left)
        findings.append((themes[k].finding, themes[k].area, 3))
    problem, objective, alternative = rng.choice(PLAN_TEXTS[line])
    m = a.municipality.name
    texts = PlanInput(problem.format(m=m), objective.format(m=m), alternative.format(m=m))
    officials = _Officials(rng, [(c.name, c.position) for c in a.counterparts])
    first, last = _window(rng, a, story.pattern, today)

    results = []
    for position, k in enumerate(chosen):
        theme = themes[k]
        baseline = rng.randint(*theme.baseline)
        change = rng.randint(*theme.change)
        target = baseline + change if theme.direction is INC else max(0, baseline - change)
        data = ResultInput(
            theme.result,
            indicator_name=theme.indicator,
            indicator_type=theme.kind.value,
            unit=theme.unit,
            baseline=float(baseline),
            target=float(target),
            direction=theme.direction.value,
            verification=theme.verification,
            due_on=last,
        )
        picked = sorted(rng.sample(range(len(theme.activities)), rng.choice((2, 3, 3, 4))))
        activities = []
        for (start, end), j in zip(_schedule(rng, len(picked), first, last), picked, strict=True):
            description, office = theme.activities[j]
            activities.append(_activity(rng, description, office, team, officials, start, end))
        results.append(DemoResult(data, position, activities))

    plan = DemoPlan(
        code_hint=f"{a.municipality.code}/{a.line}",
        texts=texts,
        findings=findings,
        results=results,
        state=story.state,
        pattern=story.pattern,
        team=team,
        reviewer=reviewer,
    )
    if story.state is PlanState.DRAFT and len(results) > 2 and rng.random() < 0.4:
        results[-1].activities.clear()  # still being written: the last result has no activity
    if story.state is PlanState.RETURNED or story.returned_once:
        plan.returned_with = rng.choice(RETURN_COMMENTS)
    if story.returned_once and story.state is PlanState.APPROVED:
        start, end = results[0].activities[0].start_on, results[0].activities[-1].end_on
        fix = _activity(rng, FIX_ACTIVITY, MAYOR, team, officials, start, end)
        fix.added = "fix"
        results[0].activities.append(fix)
    if story.state is PlanState.APPROVED:
        plan.approved_with = rng.choice(APPROVAL_COMMENTS)
    if story.second_version:
        _second_version(rng, plan, officials, first, last, today)
    _follow_up(rng, plan, first, last, today)
    return plan


def _activity(
    rng: random.Random,
    description: str,
    office: str,
    team: tuple[str, ...],
    officials: _Officials,
    start: dt.date,
    end: dt.date,
) -> DemoActivity:
    if office == TEAM:
        # The lead carries most of the work; colleagues and students take some activities.
        name = team[0] if len(team) == 1 or rng.random() < 0.6 else rng.choice(team[1:])
        return DemoActivity(description, "team", name, start, end)
    return DemoActivity(description, "municipality", officials.name(office), start, end)


def _second_version(
    rng: random.Random,
    plan: DemoPlan,
    officials: _Officials,
    first: dt.date,
    last: dt.date,
    today: dt.date,
) -> None:
    """Version 2: the mayor's office asked for a higher target and a new activity."""
    plan.second_version = rng.choice(SECOND_VERSION_COMMENTS)
    for r in plan.results:
        span = abs((r.data.target or 0) - (r.data.baseline or 0))
        if span >= 5:
            raised = round(span * 0.2) * (1 if r.data.direction == INC else -1)
            r.first_target = r.data.target
            r.data = r.data._replace(target=max(0.0, (r.data.target or 0) + raised))
            break
    start = min(max(first, today - _days(rng.randint(5, 20))), last)
    end = min(start + _days(rng.randint(30, 60)), max(last, start))
    extra = _activity(rng, SECOND_VERSION_ACTIVITY, TEAM, plan.team, officials, start, end)
    extra.added = "v2"
    plan.results[0].activities.append(extra)


def _follow_up(
    rng: random.Random, plan: DemoPlan, first: dt.date, last: dt.date, today: dt.date
) -> None:
    """Activity progress and measured indicators as the story goes, dated up to today."""
    pattern = plan.pattern
    if pattern is Pattern.NONE or plan.state is not PlanState.APPROVED:
        return
    limit = _limit(today)
    activities = [x for r in plan.results for x in r.activities]
    if pattern is Pattern.OVERDUE and not any(x.end_on < today for x in activities):
        x = activities[0]  # the first activity should have ended already
        x.end_on = max(first, today - _days(rng.randint(3, 20)))
        x.start_on = min(x.start_on, x.end_on)
    if pattern is Pattern.WARNING:
        for x in activities:  # everything the team did has started
            if x.start_on > limit:
                x.start_on = max(first, limit - _days(rng.randint(0, 10)))
                x.end_on = max(x.end_on, x.start_on)
    stalled = 0
    for x in activities:
        percent = _percent(rng, x, pattern, today, limit)
        past_due = pattern is Pattern.OVERDUE and x.end_on < today and percent == 100
        if past_due and (stalled == 0 or rng.random() < 0.3):
            percent = float(rng.choice((30, 40, 50, 60, 70)))
            stalled += 1
        if percent is not None:
            _record(rng, x, percent, limit, stalled=x.end_on < today and percent < 100)
    _measure(rng, plan, first, last, today, limit)


def _percent(
    rng: random.Random, x: DemoActivity, pattern: Pattern, today: dt.date, limit: dt.date
) -> float | None:
    """The activity's last recorded percent; None when nobody followed it up yet."""
    if x.start_on > limit:
        return None
    if pattern is Pattern.DONE or x.end_on < today:
        return 100.0
    if pattern is Pattern.WARNING:
        return float(rng.choice((80, 85, 90, 95)))
    if pattern is Pattern.STARTING:
        return float(rng.choice((0, 10, 20, 30)))
    length = max((x.end_on - x.start_on).days, 1)
    share = (limit - x.start_on).days / length * rng.uniform(0.8, 1.2)
    return float(min(90, max(10, round(share * 10) * 10)))


def _record(
    rng: random.Random, x: DemoActivity, percent: float, limit: dt.date, *, stalled: bool
) -> None:
    last = max(x.start_on, min(x.end_on, limit) - _days(rng.randint(0, 5)))
    if stalled:  # a visit after the end date found it where it was
        last = max(x.start_on, x.end_on + _days(rng.randint(3, 20)))
    last = min(last, limit)
    if percent >= 50 and (last - x.start_on).days >= 40:
        middle = x.start_on + (last - x.start_on) / 2
        x.follow_ups.append((middle, float(max(10, round(percent / 20) * 10)), _note(rng, 50)))
    note = rng.choice(NOTES_STALLED) if stalled else _note(rng, percent)
    x.follow_ups.append((last, percent, note))


def _note(rng: random.Random, percent: float) -> str:
    if percent >= 100:
        return rng.choice(NOTES_DONE)
    return rng.choice(NOTES_MIDWAY if percent >= 40 else NOTES_START)


def _value(r: DemoResult, share: float) -> float:
    baseline, target = r.data.baseline or 0.0, r.data.target or 0.0
    return float(max(0, round(baseline + (target - baseline) * share)))


def _measure(
    rng: random.Random,
    plan: DemoPlan,
    first: dt.date,
    last: dt.date,
    today: dt.date,
    limit: dt.date,
) -> None:
    pattern = plan.pattern
    if pattern is Pattern.STARTING:
        return
    activities = [x for r in plan.results for x in r.activities]
    done = sum(x.percent or 0 for x in activities) / max(len(activities), 1) / 100
    if pattern is Pattern.DONE:
        day = max(first, min(last, limit) - _days(rng.randint(0, 10)))
    else:
        day = max(first, limit - _days(rng.randint(2, 25)))
    day = min(day, limit)
    for r in plan.results:
        if pattern is Pattern.WARNING:
            share = rng.uniform(0, 0.15)
            note = rng.choice(NOTES_NOT_MOVING)
        elif pattern is Pattern.DONE:
            share = rng.uniform(0.75, 1.15)
            note = rng.choice(NOTES_MEASURED)
        elif pattern is Pattern.OVERDUE:
            share = done * rng.uniform(0.4, 0.8)
            note = rng.choice(NOTES_MEASURED)
        else:
            if done < 0.3 or (done < 0.6 and rng.random() < 0.25):
                continue  # too early to measure this one
            share = min(1.0, done * rng.uniform(0.8, 1.15))
            if done >= 0.8:
                share = max(share, 0.55)
            note = rng.choice(NOTES_MEASURED)
        if (day - first).days >= 60 and share > 0.3:  # an earlier measurement on the way
            middle = first + (day - first) / 2
            r.measurements.append((middle, _value(r, share / 2), rng.choice(NOTES_MEASURED)))
        r.measurements.append((day, _value(r, share), note))
    # Rounding can tip a plan across the 30 % line: keep each plan telling its own story.
    progress = plan.progress(today)
    if pattern is Pattern.WARNING and not progress.warning:
        for r in plan.results:
            r.measurements[-1] = (
                r.measurements[-1][0],
                r.data.baseline or 0.0,
                r.measurements[-1][2],
            )
    elif pattern is not Pattern.WARNING and progress.warning:
        for r in plan.results:
            r.measurements = [
                *r.measurements[:-1],
                (day, _value(r, 0.8), rng.choice(NOTES_MEASURED)),
            ]


def _add_visit(rng: random.Random, plan: DemoPlan, today: dt.date) -> bool:
    """A visit log linked to the activities it advanced, for some plans under way."""
    if plan.pattern not in (Pattern.ON_TRACK, Pattern.OVERDUE, Pattern.WARNING):
        return False
    if rng.random() > 0.3:
        return False
    followed = [
        (i, j, x)
        for i, r in enumerate(plan.results)
        for j, x in enumerate(r.activities)
        if x.follow_ups and not x.added
    ]
    if not followed:
        return False
    i, j, x = rng.choice(followed)
    day = x.follow_ups[-1][0]
    links = [(i, j)]
    for k, other in enumerate(plan.results[i].activities):  # another one under way that day
        if k != j and not other.added and other.start_on <= day <= other.end_on:
            links.append((i, k))
            break
    plan.visit = (day, tuple(links))
    return True


# Writing ---------------------------------------------------------------------------------------


class _Acting(Profile):
    """The open profile, writing as one person of the demo: their name goes on what they submit,
    record or decide, with their role. One device plays the whole office; the profile itself
    keeps its role and user."""

    def __init__(self, profile: Profile, name: str, role: str | None = None) -> None:
        # The same open store: nothing is opened or seeded again.
        self.data_dir = profile.data_dir
        self.store = profile.store
        self._name = name
        self._role = role

    @property
    def author(self) -> str:
        return self._name

    @property
    def role(self) -> str:
        return self._role or Profile.role.fget(self)  # type: ignore[attr-defined]


def write(
    profile: Profile,
    codes: Sequence[str],
    action_plans: Sequence[DemoPlan | None],
    cancel: Callable[[], bool] | None = None,
) -> bool:
    """Write the plans of these assistances (already committed) in one transaction, then their
    visit logs. Returns True when `cancel()` asked to stop (what was written stays)."""
    visits: list[tuple[str, DemoPlan, dict[tuple[int, int], str]]] = []
    cancelled = False
    with profile.batch():
        for code, plan in zip(codes, action_plans, strict=True):
            if plan is None:
                continue
            if cancel is not None and cancel():
                cancelled = True
                break
            ids = _write_plan(profile, code, plan)
            if plan.visit is not None:
                visits.append((code, plan, ids))
    for code, plan, ids in visits:
        if cancel is not None and cancel():
            return True
        _write_visit(profile, code, plan, ids, random.Random(f"{plan.seed}/visita"))
    return cancelled


def _write_plan(profile: Profile, code: str, plan: DemoPlan) -> dict[tuple[int, int], str]:
    """Everything a team and its reviewer do with the plan, in order; activity ids by position."""
    lead = _Acting(profile, plan.team[0])
    reviewer = _Acting(profile, *plan.reviewer)
    suggested = plans.suggest_findings(lead, code)[:2]
    from_diagnostic = [
        plans.add_finding(lead, code, s.statement, s.area, s.priority, s.submission_id)[0]
        for s in suggested
    ]
    finding_ids = [
        plans.add_finding(lead, code, statement, area, priority)[0]
        for statement, area, priority in plan.findings
    ]
    plan_id, _changes = plans.create_plan(lead, code, plan.texts)
    result_ids: list[str] = []
    activity_ids: dict[tuple[int, int], str] = {}

    def add_activities(added: str) -> None:
        for i, r in enumerate(plan.results):
            for j, x in enumerate(r.activities):
                if x.added == added:
                    activity_ids[i, j] = plans.add_activity(
                        lead,
                        plan_id,
                        ActivityInput(
                            x.description,
                            result_ids[i],
                            x.responsible,
                            x.responsible_name,
                            x.start_on,
                            x.end_on,
                        ),
                    )[0]

    for i, r in enumerate(plan.results):
        first_target = r.first_target if r.first_target is not None else r.data.target
        result_id, _changes = plans.add_result(lead, plan_id, r.data._replace(target=first_target))
        result_ids.append(result_id)
        plans.link_finding(lead, finding_ids[r.finding], result_id)
        if i == 0 and from_diagnostic:
            plans.link_finding(lead, from_diagnostic[0], result_id)
    add_activities("")
    if plan.state is PlanState.DRAFT:
        return activity_ids
    plans.submit(lead, plan_id)
    if plan.returned_with:
        plans.return_plan(reviewer, plan_id, plan.returned_with)
        if plan.state is PlanState.RETURNED:
            return activity_ids
        add_activities("fix")
        plans.submit(lead, plan_id)
    if plan.state is PlanState.SUBMITTED:
        return activity_ids
    plans.approve(reviewer, plan_id, plan.approved_with)
    if plan.second_version:
        plans.new_version(lead, plan_id)
        for i, r in enumerate(plan.results):
            if r.first_target is not None:
                plans.update_result(lead, result_ids[i], r.data)
        add_activities("v2")
        plans.submit(lead, plan_id)
        plans.approve(reviewer, plan_id, plan.second_version)
    recorders = {name: _Acting(profile, name) for name in plan.team}
    for i, r in enumerate(plan.results):
        for j, x in enumerate(r.activities):
            who = recorders.get(x.responsible_name, lead)
            for day, percent, note in x.follow_ups:
                plans.record_activity_progress(who, activity_ids[i, j], day, percent, note=note)
        for day, value, note in r.measurements:
            plans.record_measurement(
                lead, result_ids[i], day, value, verification=r.data.verification, note=note
            )
    return activity_ids


def _write_visit(
    profile: Profile,
    code: str,
    plan: DemoPlan,
    ids: dict[tuple[int, int], str],
    rng: random.Random,
) -> None:
    from fieldkit.services import demo_forms

    assert plan.visit is not None
    day, links = plan.visit
    visit_id = demo_forms.add_visit(profile, rng, code, day, complete=True)
    for position in links:
        plans.link_visit(profile, ids[position], visit_id)


# Simulated plan edits (`fieldkit demo --edits`) -----------------------------------------------

EDIT_KINDS = (
    N_("avance de una actividad"),
    N_("medición de un resultado"),
    N_("actividad nueva en un plan"),
    N_("plan enviado a revisión"),
    N_("visita vinculada a una actividad"),
)
PROGRESS_EDIT, MEASURE_EDIT, ACTIVITY_EDIT, SUBMIT_EDIT, VISIT_LINK_EDIT = EDIT_KINDS


class Editor:
    """Plan edits through services.plans, as teams make them between two syncs. The plans are
    listed once (by assistance code, so the same seed on the same data picks the same ones)."""

    def __init__(self, profile: Profile, today: dt.date) -> None:
        self.profile = profile
        self.today = today
        self.limit = _limit(today)
        self._states: dict[str, PlanState] | None = None
        self._lines: dict[str, str] = {}

    def _plans(self) -> dict[str, PlanState]:
        if self._states is None:
            from fieldkit.services import assistances

            by_id = plans.progress_by_assistance(self.profile, self.today)
            rows = sorted(assistances.list_assistances(self.profile), key=lambda r: r.code)
            self._states = {
                r.code: by_id[r.id].plan_state
                for r in rows
                if r.id in by_id and r.state not in ("closed", "cancelled")
            }
            self._lines = {r.code: r.thematic_line_code for r in rows}
        return self._states

    def _pick(self, rng: random.Random, *states: PlanState) -> str | None:
        codes = [c for c, s in self._plans().items() if s in states]
        return rng.choice(codes) if codes else None

    def apply(self, rng: random.Random, kind: str) -> bool:
        """One edit of `kind`; False when no plan lends itself to it (nothing was written)."""
        try:
            if kind == PROGRESS_EDIT:
                return self._progress(rng)
            if kind == MEASURE_EDIT:
                return self._measure(rng)
            if kind == ACTIVITY_EDIT:
                return self._activity(rng)
            if kind == SUBMIT_EDIT:
                return self._submit(rng)
            if kind == VISIT_LINK_EDIT:
                return self._link_visit(rng)
        except FieldkitError:
            return False  # a guard refused (e.g. an incomplete plan): the team fixes that first
        raise ValueError(f"unknown plan edit {kind!r}")

    def _view(self, code: str | None) -> plans.PlanView | None:
        return None if code is None else plans.get_plan(self.profile, code, self.today)

    def _progress(self, rng: random.Random) -> bool:
        view = self._view(self._pick(rng, PlanState.APPROVED))
        if view is None:
            return False
        open_ = [
            a
            for a in view.activities
            if not a.complete
            and a.state != ActivityState.CANCELLED
            and (a.start_on is None or a.start_on <= self.limit)
        ]
        if not open_:
            return False
        a = rng.choice(open_)
        percent = min(100.0, a.percent + rng.choice((10, 20, 25, 30)))
        note = rng.choice(NOTES_DONE if percent >= 100 else NOTES_MIDWAY)
        plans.record_activity_progress(self.profile, a.id, self.limit, percent, note=note)
        return True

    def _measure(self, rng: random.Random) -> bool:
        view = self._view(self._pick(rng, PlanState.APPROVED))
        results = [r for r in view.results if r.target is not None] if view else []
        if not results:
            return False
        r = rng.choice(results)
        baseline = r.baseline if r.baseline is not None else 0.0
        last = r.measured if r.measured is not None else baseline
        step = ((r.target or 0.0) - baseline) * rng.uniform(0.1, 0.3)
        plans.record_measurement(
            self.profile,
            r.id,
            self.limit,
            float(max(0, round(last + step))),
            verification=r.verification,
            note=rng.choice(NOTES_MEASURED),
        )
        return True

    def _activity(self, rng: random.Random) -> bool:
        code = self._pick(rng, PlanState.DRAFT, PlanState.RETURNED)
        view = self._view(code)
        if code is None or view is None or not view.results:
            return False
        result = min(view.results, key=lambda r: len(r.activities))
        themes = THEMES.get(self._lines.get(code, ""), THEMES[FALLBACK_LINE])
        theme = next((t for t in themes if t.result == result.statement), rng.choice(themes))
        taken = {a.description for a in view.activities}
        options = [(d, o) for d, o in theme.activities if d not in taken] or [(FIX_ACTIVITY, TEAM)]
        description, _office = rng.choice(options)
        start = self.today + _days(rng.randint(7, 30))
        lead = next((a.responsible_name for a in view.activities if a.responsible == "team"), "")
        plans.add_activity(
            self.profile,
            view.id,
            ActivityInput(
                description, result.id, "team", lead, start, start + _days(rng.randint(20, 60))
            ),
        )
        return True

    def _submit(self, rng: random.Random) -> bool:
        code = self._pick(rng, PlanState.DRAFT, PlanState.RETURNED)
        view = self._view(code)
        if code is None or view is None:
            return False
        plans.submit(self.profile, view.id)
        self._plans()[code] = PlanState.SUBMITTED
        return True

    def _link_visit(self, rng: random.Random) -> bool:
        from fieldkit.services import demo_forms, forms

        code = self._pick(rng, PlanState.APPROVED)
        view = self._view(code)
        if code is None or view is None:
            return False
        under_way = [a for a in view.activities if a.start_on and a.start_on <= self.limit]
        if not under_way:
            return False
        activity = rng.choice(under_way)
        known = [v.submission_id for v in forms.visits(self.profile, code)]
        fresh = [v for v in known if v not in activity.visits]
        if fresh:
            visit_id = rng.choice(fresh)
        else:  # the team logs the visit it just made, then says what it advanced
            visit_id = demo_forms.add_visit(self.profile, rng, code, self.limit, complete=True)
        plans.link_visit(self.profile, activity.id, visit_id)
        return True
