"""Diagnóstico general de capacidad institucional municipal (seed of the shipped .xlsx).

One group per area of municipal administration, each opened by a note, with baseline questions
that can feed indicators (counts, percentages, dates) and questions on the shared maturity scale
(0 no existe … 3 existe y se usa). Each area gets a 0–100 score from its maturity questions and the
form an overall index (the mean of the area scores). The spreadsheet is the source of truth; see
``common.py``.
"""

from __future__ import annotations

from .common import (
    MADUREZ_CHOICES,
    NON_NEGATIVE,
    NON_NEGATIVE_MSG,
    NOT_FUTURE,
    NOT_FUTURE_MSG,
    PCT,
    PCT_MSG,
    SI_NO_NS_CHOICES,
    calc,
    choices,
    exists,
    flatten,
    group,
    mq,
    note,
    q,
    score,
    settings,
    started,
)

FORM_ID = "diagnostico_capacidad_institucional"
VERSION = "2026112201"
TITLE = "Diagnóstico de capacidad institucional municipal"

# (area group, score calculate, es, en, maturity questions) — filled by the area builders
AREAS: list[tuple[str, str, str, str]] = []


def _area(name: str, es: str, en: str, intro: tuple[str, str], rows: list, scale: list[str]):
    """An area group: intro note, the rows, and its score over the ``scale`` questions."""
    score_name = f"p_{name}"
    AREAS.append((name, score_name, es, en))
    return group(
        name,
        es,
        en,
        flatten(
            note(f"{name}_intro", *intro),
            rows,
            calc(score_name, score(scale)),
            note(
                f"{name}_res",
                f"Puntaje del área ({es}): ${{{score_name}}} / 100",
                f"Area score ({en}): ${{{score_name}}} / 100",
            ),
        ),
    )


def _count_le(other: str) -> dict:
    """Constraint: a non-negative count not larger than ``${other}``."""
    return {
        "constraint": f". >= 0 and (${{{other}}} = '' or . <= ${{{other}}})",
        "constraint_msg": (
            "Debe ser un número no negativo y no mayor que el total informado antes.",
            "Must be a non-negative number no larger than the total given before.",
        ),
    }


def _pct_of(part: str, total: str) -> str:
    """Percentage ``part`` of ``total`` with one decimal, empty while either is missing."""
    return (
        f"if(${{{part}}} = '' or ${{{total}}} = '' or ${{{total}}} = 0, '', "
        f"round(100 * ${{{part}}} div ${{{total}}}, 1))"
    )


# ---------------------------------------------------------------------------------- start


def inicio() -> list:
    return group(
        "inicio",
        "Inicio del diagnóstico",
        "Start of the diagnostic",
        [
            note(
                "intro",
                "Este instrumento levanta la línea base de la capacidad institucional de la "
                "alcaldía. Aplíquelo con los servidores responsables de cada área; puede "
                "diligenciarlo en varias sesiones. Las preguntas de madurez se califican de 0 "
                "(no existe) a 3 (existe y se usa) y alimentan un puntaje por área.",
                "This instrument records the baseline of the mayor's office institutional "
                "capacity. Apply it with the officials responsible for each area; it can be "
                "filled in over several sessions. Maturity questions are rated from 0 (does not "
                "exist) to 3 (exists and is used) and feed a score per area.",
            ),
            q(
                "acknowledge",
                "consentimiento",
                "Informé a los servidores participantes el objetivo del diagnóstico, el uso que "
                "se dará a la información y que su participación es voluntaria.",
                "I told the participating officials the purpose of the diagnostic, how the "
                "information will be used and that their participation is voluntary.",
                required=True,
            ),
            q(
                "date",
                "fecha_diag",
                "Fecha del diagnóstico",
                "Date of the diagnostic",
                required=True,
                default="today()",
                constraint=NOT_FUTURE,
                constraint_msg=NOT_FUTURE_MSG,
                hint=(
                    "Fecha de la primera sesión de aplicación.",
                    "Date of the first session in which it was applied.",
                ),
            ),
            q(
                "select_multiple dependencias or_other",
                "dependencias",
                "Dependencias de la alcaldía que participaron",
                "Departments of the mayor's office that took part",
                required=True,
                appearance="minimal",
            ),
            q(
                "integer",
                "n_informantes",
                "Número de servidores entrevistados",
                "Number of officials interviewed",
                required=True,
                constraint=". >= 1 and . <= 200",
                constraint_msg=(
                    "Escriba un número entre 1 y 200.",
                    "Enter a number between 1 and 200.",
                ),
            ),
            q(
                "geopoint",
                "ubicacion",
                "Ubicación de la sede de la alcaldía (opcional)",
                "Location of the town hall (optional)",
                hint=(
                    "Tómela frente a la sede principal si el equipo tiene señal GPS.",
                    "Take it in front of the main building if the device has a GPS fix.",
                ),
            ),
        ],
    )


# ------------------------------------------------------------------------------- planning


def planeacion() -> list:
    rows = [
        mq(
            "pdt",
            "Plan de Desarrollo Territorial del periodo de gobierno, adoptado por acuerdo del "
            "Concejo Municipal",
            "Territorial Development Plan for the current term, adopted by a municipal council "
            "agreement",
        ),
        q(
            "date",
            "pdt_fecha",
            "Fecha del acuerdo que adoptó el plan de desarrollo",
            "Date of the agreement that adopted the development plan",
            relevant=exists("pdt"),
            constraint=NOT_FUTURE,
            constraint_msg=NOT_FUTURE_MSG,
        ),
        mq(
            "bpp",
            "Banco de Programas y Proyectos de Inversión (BPPIM) con proyectos registrados y "
            "viabilizados antes de ejecutarse",
            "Bank of investment programmes and projects, with projects registered and approved "
            "before execution",
        ),
        q(
            "integer",
            "bpp_proyectos",
            "Proyectos registrados en el banco en la vigencia actual",
            "Projects registered in the bank in the current fiscal year",
            relevant=exists("bpp"),
            constraint=NON_NEGATIVE,
            constraint_msg=NON_NEGATIVE_MSG,
        ),
        mq(
            "ctp",
            "Consejo Territorial de Planeación conformado y sesionando (Ley 152 de 1994)",
            "Territorial Planning Council set up and meeting (Law 152 of 1994)",
        ),
        mq(
            "poai",
            "Plan Operativo Anual de Inversiones articulado con las metas del plan de desarrollo",
            "Annual investment operating plan aligned with the development plan targets",
        ),
        mq(
            "seguimiento",
            "Seguimiento periódico al plan de desarrollo (plan indicativo, planes de acción e "
            "informes de avance)",
            "Periodic follow-up of the development plan (indicative plan, action plans and "
            "progress reports)",
        ),
        q(
            "decimal",
            "pdt_avance",
            "Avance físico acumulado del plan de desarrollo según el último informe (%)",
            "Cumulative physical progress of the development plan in the latest report (%)",
            relevant=exists("seguimiento"),
            constraint=PCT,
            constraint_msg=PCT_MSG,
        ),
        q(
            "select_one si_no_ns",
            "informe_concejo",
            "¿Se presentó el último informe de gestión del plan al Concejo y al Consejo "
            "Territorial de Planeación?",
            "Was the latest plan management report presented to the Council and to the "
            "Territorial Planning Council?",
            required=True,
        ),
        q(
            "select_one ordenamiento",
            "ot_tipo",
            "Instrumento de ordenamiento territorial vigente",
            "Land-use planning instrument in force",
            required=True,
            hint=(
                "Ley 388 de 1997: POT, PBOT o EOT según la población del municipio.",
                "Law 388 of 1997: POT, PBOT or EOT depending on the municipality's population.",
            ),
        ),
        q(
            "date",
            "ot_fecha",
            "Fecha de adopción del instrumento de ordenamiento",
            "Adoption date of the land-use planning instrument",
            relevant="${ot_tipo} != 'ninguno' and ${ot_tipo} != 'ns'",
            constraint=NOT_FUTURE,
            constraint_msg=NOT_FUTURE_MSG,
        ),
    ]
    return _area(
        "planeacion",
        "Planeación y plan de desarrollo",
        "Planning and the development plan",
        (
            "Planeación: el plan de desarrollo, el banco de proyectos, el Consejo Territorial "
            "de Planeación, el seguimiento y el ordenamiento territorial.",
            "Planning: the development plan, the project bank, the Territorial Planning "
            "Council, follow-up and land-use planning.",
        ),
        rows,
        ["pdt", "bpp", "ctp", "poai", "seguimiento"],
    )


# ------------------------------------------------------------------------- public finances


def finanzas() -> list:
    rows = [
        q(
            "select_one categorias",
            "categoria",
            "Categoría del municipio en la vigencia actual (Ley 617 de 2000)",
            "Category of the municipality this fiscal year (Law 617 of 2000)",
            required=True,
            hint=(
                "La fija el decreto del alcalde con base en la población (DANE) y los ingresos "
                "corrientes de libre destinación certificados por la Contraloría General.",
                "Set by the mayor's decree from population (DANE) and the unrestricted current "
                "revenue certified by the Comptroller General.",
            ),
        ),
        calc(
            "limite_617",
            "if(${categoria} = 'E', 50, if(${categoria} = '1', 65, "
            "if(${categoria} = '2' or ${categoria} = '3', 70, 80)))",
        ),
        q(
            "decimal",
            "gf_icld",
            "Gastos de funcionamiento como porcentaje de los ingresos corrientes de libre "
            "destinación (ICLD) en la última vigencia cerrada (%)",
            "Operating expenses as a percentage of unrestricted current revenue (ICLD) in the "
            "last closed fiscal year (%)",
            constraint=". >= 0 and . <= 300",
            constraint_msg=(
                "Escriba un porcentaje entre 0 y 300.",
                "Enter a percentage between 0 and 300.",
            ),
            hint=(
                "Según el informe de viabilidad fiscal de la Contraloría o de la Secretaría de "
                "Hacienda. Deje en blanco si no se dispone del dato.",
                "From the fiscal viability report of the Comptroller or the Treasury. Leave "
                "blank if the figure is not available.",
            ),
        ),
        calc(
            "cumple_617",
            "if(${gf_icld} = '', '', if(${gf_icld} <= ${limite_617}, 'si', 'no'))",
        ),
        note(
            "limite_617_nota",
            "Límite de gastos de funcionamiento para la categoría: ${limite_617} % de los ICLD. "
            "¿Cumple? ${cumple_617}",
            "Operating-expense limit for the category: ${limite_617} % of ICLD. "
            "Within the limit? ${cumple_617}",
            relevant="${gf_icld} != ''",
        ),
        q(
            "decimal",
            "icld_millones",
            "Ingresos corrientes de libre destinación de la última vigencia (millones de pesos)",
            "Unrestricted current revenue in the last fiscal year (millions of pesos)",
            constraint=NON_NEGATIVE,
            constraint_msg=NON_NEGATIVE_MSG,
        ),
        q(
            "decimal",
            "recaudo_predial",
            "Recaudo del impuesto predial de la última vigencia frente a lo facturado (%)",
            "Property tax collected in the last fiscal year against the amount billed (%)",
            constraint=PCT,
            constraint_msg=PCT_MSG,
        ),
        q(
            "decimal",
            "recaudo_ica",
            "Variación del recaudo de industria y comercio (ICA) frente a la vigencia anterior (%)",
            "Change in industry and commerce tax (ICA) collected against the previous year (%)",
            constraint=". >= -100 and . <= 1000",
            constraint_msg=(
                "Escriba una variación entre -100 y 1000.",
                "Enter a change between -100 and 1000.",
            ),
            hint=(
                "Negativa si el recaudo disminuyó.",
                "Negative if collection decreased.",
            ),
        ),
        mq(
            "estatuto",
            "Estatuto tributario (de rentas) municipal actualizado a la normativa vigente",
            "Municipal tax (revenue) code updated to current legislation",
        ),
        mq(
            "cobro",
            "Reglamento interno de recaudo de cartera y gestión de cobro persuasivo y coactivo "
            "(Ley 1066 de 2006)",
            "Internal rules for collecting arrears, with persuasive and enforced collection "
            "(Law 1066 of 2006)",
        ),
        q(
            "integer",
            "catastro_urbano",
            "Año de la última actualización catastral de la zona urbana",
            "Year of the last cadastral update of the urban area",
            constraint=". >= 1950 and . <= 2100",
            constraint_msg=("Escriba un año de cuatro cifras.", "Enter a four-digit year."),
        ),
        q(
            "integer",
            "catastro_rural",
            "Año de la última actualización catastral de la zona rural",
            "Year of the last cadastral update of the rural area",
            constraint=". >= 1950 and . <= 2100",
            constraint_msg=("Escriba un año de cuatro cifras.", "Enter a four-digit year."),
        ),
        q(
            "select_one gestores",
            "gestor_catastral",
            "Gestor catastral que presta el servicio en el municipio",
            "Cadastral manager that serves the municipality",
            required=True,
            hint=(
                "En el marco del catastro multipropósito.",
                "Under the multipurpose cadastre.",
            ),
        ),
        mq(
            "mfmp",
            "Marco Fiscal de Mediano Plazo presentado con el proyecto de presupuesto "
            "(Ley 819 de 2003)",
            "Medium-term fiscal framework presented with the budget bill (Law 819 of 2003)",
        ),
        q(
            "select_one semaforo",
            "semaforo_358",
            "Situación de endeudamiento (semáforo de la Ley 358 de 1997)",
            "Debt situation (Law 358 of 1997 traffic light)",
            required=True,
        ),
        q(
            "select_one si_no_ns",
            "cuipo",
            "¿Reporta a tiempo la información presupuestal y contable en el CHIP (CUIPO)?",
            "Does it report budget and accounting data on time to CHIP (CUIPO)?",
            required=True,
        ),
    ]
    return _area(
        "finanzas",
        "Finanzas públicas",
        "Public finances",
        (
            "Finanzas públicas: categoría y límites de gasto de la Ley 617 de 2000, recaudo, "
            "catastro, marco fiscal y endeudamiento. Use las cifras de la última vigencia cerrada.",
            "Public finances: category and spending limits of Law 617 of 2000, tax collection, "
            "cadastre, fiscal framework and debt. Use the figures of the last closed year.",
        ),
        rows,
        ["estatuto", "cobro", "mfmp"],
    )


FINANZAS_CHOICES = [
    *choices(
        "categorias",
        [
            ("E", "Especial", "Special"),
            ("1", "Primera", "First"),
            ("2", "Segunda", "Second"),
            ("3", "Tercera", "Third"),
            ("4", "Cuarta", "Fourth"),
            ("5", "Quinta", "Fifth"),
            ("6", "Sexta", "Sixth"),
        ],
    ),
    *choices(
        "gestores",
        [
            ("igac", "IGAC", "IGAC (national institute)"),
            ("municipio", "El propio municipio (habilitado)", "The municipality itself (enabled)"),
            (
                "otro_gestor",
                "Otro gestor habilitado (departamento, área metropolitana, otro municipio)",
                "Another enabled manager (department, metropolitan area, another municipality)",
            ),
            ("ns", "No sabe", "Does not know"),
        ],
    ),
    *choices(
        "semaforo",
        [
            ("sin_deuda", "No tiene deuda pública", "No public debt"),
            ("verde", "Verde: endeudamiento autónomo", "Green: may borrow autonomously"),
            (
                "rojo",
                "Rojo: requiere autorización o plan de desempeño",
                "Red: needs authorization or a performance plan",
            ),
            ("ns", "No sabe", "Does not know"),
        ],
    ),
]


# ----------------------------------------------------------------------- state contracting


def contratacion() -> list:
    rows = [
        mq(
            "manual_contratacion",
            "Manual de contratación adoptado y actualizado (Decreto 1082 de 2015 y "
            "lineamientos de Colombia Compra Eficiente)",
            "Procurement manual adopted and up to date (Decree 1082 of 2015 and Colombia "
            "Compra Eficiente guidelines)",
        ),
        q(
            "date",
            "manual_fecha",
            "Fecha del acto que adoptó la versión vigente del manual",
            "Date of the act adopting the current version of the manual",
            relevant=exists("manual_contratacion"),
            constraint=NOT_FUTURE,
            constraint_msg=NOT_FUTURE_MSG,
        ),
        mq(
            "paa",
            "Plan Anual de Adquisiciones de la vigencia",
            "Annual procurement plan for the fiscal year",
        ),
        q(
            "select_one si_no_ns",
            "paa_secop",
            "¿El Plan Anual de Adquisiciones se publicó en el SECOP II antes del 31 de enero?",
            "Was the annual procurement plan published on SECOP II before 31 January?",
            relevant=exists("paa"),
            required=True,
        ),
        q(
            "select_one proporcion",
            "secop_uso",
            "¿Qué parte de los procesos de contratación de la vigencia se gestionan en línea en "
            "el SECOP II?",
            "What share of this year's procurement processes are managed online on SECOP II?",
            required=True,
        ),
        mq(
            "supervision",
            "Manual o procedimiento de supervisión e interventoría de contratos",
            "Manual or procedure for contract supervision and oversight",
        ),
        q(
            "select_one si_no_ns",
            "documentos_tipo",
            "¿Usa los documentos tipo obligatorios de Colombia Compra Eficiente en los procesos "
            "de obra pública (Ley 2022 de 2020)?",
            "Does it use Colombia Compra Eficiente's mandatory standard documents in public "
            "works processes (Law 2022 of 2020)?",
            required=True,
        ),
        q(
            "integer",
            "contratos_total",
            "Contratos suscritos en la última vigencia cerrada",
            "Contracts signed in the last closed fiscal year",
            constraint=NON_NEGATIVE,
            constraint_msg=NON_NEGATIVE_MSG,
        ),
        q(
            "integer",
            "contratos_directa",
            "De ellos, contratos celebrados por contratación directa",
            "Of those, contracts awarded by direct contracting",
            relevant="${contratos_total} > 0",
            **_count_le("contratos_total"),
        ),
        calc("pct_directa", _pct_of("contratos_directa", "contratos_total")),
        q(
            "select_multiple modalidades",
            "modalidades",
            "Modalidades de selección usadas en la última vigencia",
            "Selection methods used in the last fiscal year",
            appearance="minimal",
        ),
    ]
    return _area(
        "contratacion",
        "Contratación estatal",
        "State contracting",
        (
            "Contratación estatal: manual de contratación, plan anual de adquisiciones, uso del "
            "SECOP II y supervisión.",
            "State contracting: procurement manual, annual procurement plan, use of SECOP II "
            "and supervision.",
        ),
        rows,
        ["manual_contratacion", "paa", "supervision"],
    )


# ----------------------------------------------------- transparency and access to information


def transparencia() -> list:
    rows = [
        q(
            "decimal",
            "ita",
            "Último puntaje del Índice de Transparencia y Acceso a la Información (ITA) de la "
            "Procuraduría (0 a 100)",
            "Latest score in the Attorney General's Transparency and Access to Information "
            "Index (ITA, 0 to 100)",
            constraint=PCT,
            constraint_msg=(
                "El puntaje va de 0 a 100.",
                "The score ranges from 0 to 100.",
            ),
        ),
        q(
            "select_one sitio_web",
            "sitio_web",
            "Sitio web de la alcaldía",
            "Website of the mayor's office",
            required=True,
        ),
        mq(
            "menu_transparencia",
            "Sección «Transparencia y acceso a la información pública» del sitio web, "
            "completa y actualizada (Ley 1712 de 2014)",
            "'Transparency and access to public information' section of the website, complete "
            "and up to date (Law 1712 of 2014)",
            relevant="${sitio_web} != 'no_tiene'",
        ),
        mq(
            "activos_info",
            "Instrumentos de gestión de la información: registro de activos de información, "
            "índice de información clasificada y reservada, y esquema de publicación",
            "Information management instruments: register of information assets, index of "
            "classified and reserved information, and publication scheme",
        ),
        mq(
            "pqrsd",
            "Procedimiento de peticiones, quejas, reclamos, sugerencias y denuncias (PQRSD) con "
            "registro y control de términos (Ley 1755 de 2015)",
            "Procedure for petitions, complaints, claims, suggestions and reports (PQRSD) "
            "with a register and control of deadlines (Law 1755 of 2015)",
        ),
        q(
            "select_multiple canales",
            "canales",
            "Canales habilitados para recibir PQRSD",
            "Channels available to receive PQRSD",
            required=True,
            constraint="not(selected(., 'ninguno') and count-selected(.) > 1)",
            constraint_msg=(
                "«Ninguno» no puede marcarse junto con otros canales.",
                "'None' cannot be selected together with other channels.",
            ),
        ),
        q(
            "integer",
            "pqrsd_recibidas",
            "PQRSD recibidas en los últimos 12 meses",
            "PQRSD received in the last 12 months",
            relevant=exists("pqrsd"),
            constraint=NON_NEGATIVE,
            constraint_msg=NON_NEGATIVE_MSG,
        ),
        q(
            "integer",
            "pqrsd_vencidas",
            "De ellas, respondidas fuera de término o sin respuesta",
            "Of those, answered late or not answered",
            relevant="${pqrsd_recibidas} > 0",
            **_count_le("pqrsd_recibidas"),
        ),
        calc("pct_pqrsd_vencidas", _pct_of("pqrsd_vencidas", "pqrsd_recibidas")),
        q(
            "select_one si_no_ns",
            "informe_pqrsd",
            "¿Publica informes periódicos de PQRSD (solicitudes de acceso a la información)?",
            "Does it publish periodic PQRSD reports (requests for access to information)?",
            required=True,
        ),
    ]
    return _area(
        "transparencia",
        "Transparencia y acceso a la información",
        "Transparency and access to information",
        (
            "Transparencia y acceso a la información pública (Ley 1712 de 2014): sitio web, "
            "índice ITA, instrumentos de gestión de la información y atención de PQRSD.",
            "Transparency and access to public information (Law 1712 of 2014): website, ITA "
            "index, information management instruments and handling of PQRSD.",
        ),
        rows,
        ["menu_transparencia", "activos_info", "pqrsd"],
    )


# ------------------------------------------------------------------- citizen participation


def participacion() -> list:
    rows = [
        mq(
            "rendicion",
            "Estrategia de rendición de cuentas con espacios de diálogo con la ciudadanía "
            "(Ley 1757 de 2015)",
            "Accountability strategy with spaces for dialogue with citizens (Law 1757 of 2015)",
        ),
        q(
            "date",
            "rendicion_fecha",
            "Fecha de la última audiencia pública o espacio de diálogo de rendición de cuentas",
            "Date of the latest public hearing or accountability dialogue",
            relevant=exists("rendicion"),
            constraint=NOT_FUTURE,
            constraint_msg=NOT_FUTURE_MSG,
        ),
        mq(
            "politica_participacion",
            "Política o plan de participación ciudadana en la gestión (MIPG)",
            "Policy or plan for citizen participation in management (MIPG)",
        ),
        mq(
            "apoyo_comunal",
            "Programa de apoyo y fortalecimiento a los organismos de acción comunal",
            "Programme to support and strengthen community action organizations",
        ),
        q(
            "integer",
            "jac_total",
            "Juntas de Acción Comunal con personería jurídica en el municipio",
            "Community Action Boards (JAC) with legal status in the municipality",
            constraint=NON_NEGATIVE,
            constraint_msg=NON_NEGATIVE_MSG,
        ),
        q(
            "integer",
            "jac_activas",
            "De ellas, juntas con dignatarios elegidos para el periodo vigente",
            "Of those, boards with officers elected for the current term",
            relevant="${jac_total} > 0",
            **_count_le("jac_total"),
        ),
        calc("pct_jac_activas", _pct_of("jac_activas", "jac_total")),
        q(
            "select_multiple instancias or_other",
            "instancias",
            "Instancias de participación que sesionaron en los últimos 12 meses",
            "Participation bodies that met in the last 12 months",
            appearance="minimal",
        ),
        q(
            "integer",
            "veedurias",
            "Veedurías ciudadanas activas inscritas en la Personería o la Cámara de Comercio",
            "Active citizen oversight committees registered with the Ombudsman's office or the "
            "Chamber of Commerce",
            constraint=NON_NEGATIVE,
            constraint_msg=NON_NEGATIVE_MSG,
        ),
    ]
    return _area(
        "participacion",
        "Participación ciudadana",
        "Citizen participation",
        (
            "Participación ciudadana (Ley 1757 de 2015): rendición de cuentas, acción comunal, "
            "instancias de participación y control social.",
            "Citizen participation (Law 1757 of 2015): accountability, community action, "
            "participation bodies and social oversight.",
        ),
        rows,
        ["rendicion", "politica_participacion", "apoyo_comunal"],
    )


# --------------------------------------------------------------------------- human talent


def talento() -> list:
    rows = [
        q(
            "integer",
            "planta_cargos",
            "Cargos de la planta de personal de la administración central",
            "Posts in the central administration's staffing plan",
            required=True,
            constraint=". >= 1",
            constraint_msg=("Debe haber al menos un cargo.", "There must be at least one post."),
        ),
        q(
            "integer",
            "planta_vacantes",
            "De ellos, cargos vacantes a la fecha",
            "Of those, posts vacant today",
            **_count_le("planta_cargos"),
        ),
        q(
            "integer",
            "provisionales",
            "Cargos de carrera administrativa provistos en provisionalidad o encargo",
            "Civil-service posts filled provisionally or by temporary assignment",
            **_count_le("planta_cargos"),
        ),
        calc("pct_vacantes", _pct_of("planta_vacantes", "planta_cargos")),
        q(
            "integer",
            "contratistas",
            "Contratistas de prestación de servicios en un mes típico",
            "Service contractors in a typical month",
            constraint=NON_NEGATIVE,
            constraint_msg=NON_NEGATIVE_MSG,
        ),
        mq(
            "manual_funciones",
            "Manual específico de funciones y competencias laborales actualizado",
            "Specific manual of job functions and competencies up to date",
        ),
        mq(
            "evaluacion",
            "Evaluación del desempeño laboral de los servidores de carrera (sistema tipo de la "
            "CNSC) y acuerdos de gestión de los gerentes públicos",
            "Performance appraisal of civil servants (CNSC standard system) and management "
            "agreements for senior managers",
        ),
        mq(
            "pic",
            "Plan Institucional de Capacitación y plan de bienestar e incentivos",
            "Institutional training plan and welfare and incentives plan",
        ),
        mq(
            "sgsst",
            "Sistema de Gestión de Seguridad y Salud en el Trabajo (Decreto 1072 de 2015)",
            "Occupational health and safety management system (Decree 1072 of 2015)",
        ),
        mq(
            "mipg_th",
            "Autodiagnóstico de la dimensión de Talento Humano de MIPG con plan de acción",
            "Self-assessment of MIPG's Human Talent dimension, with an action plan",
        ),
        q(
            "select_one proporcion",
            "sigep",
            "¿Qué parte de los servidores y contratistas tiene la hoja de vida y la declaración "
            "de bienes y rentas actualizadas en el SIGEP II?",
            "What share of officials and contractors have an updated CV and declaration of "
            "assets in SIGEP II?",
            required=True,
        ),
    ]
    return _area(
        "talento",
        "Talento humano",
        "Human talent",
        (
            "Talento humano: planta de personal, provisión de empleos, manual de funciones, "
            "evaluación del desempeño, capacitación, SIGEP II y la dimensión de talento humano "
            "del Modelo Integrado de Planeación y Gestión (MIPG).",
            "Human talent: staffing plan, filling of posts, job manual, performance appraisal, "
            "training, SIGEP II and the human talent dimension of the Integrated Planning and "
            "Management Model (MIPG).",
        ),
        rows,
        ["manual_funciones", "evaluacion", "pic", "sgsst", "mipg_th"],
    )


# ---------------------------------------------------------------------- document management


def documental() -> list:
    rows = [
        mq(
            "pgd",
            "Programa de Gestión Documental (PGD)",
            "Document management programme (PGD)",
        ),
        mq(
            "trd",
            "Tablas de Retención Documental aprobadas y convalidadas por el Consejo "
            "Departamental de Archivos",
            "Document retention schedules approved and validated by the departmental archives "
            "council",
        ),
        q(
            "date",
            "trd_fecha",
            "Fecha de convalidación de las Tablas de Retención Documental",
            "Validation date of the document retention schedules",
            relevant=exists("trd"),
            constraint=NOT_FUTURE,
            constraint_msg=NOT_FUTURE_MSG,
        ),
        mq(
            "pinar",
            "Plan Institucional de Archivos (PINAR)",
            "Institutional archives plan (PINAR)",
        ),
        mq(
            "archivo_central",
            "Archivo central organizado, con espacio adecuado e inventario documental",
            "Central archive organized, with adequate space and a document inventory",
        ),
        q(
            "decimal",
            "pct_inventariado",
            "Porcentaje del archivo central con inventario en el Formato Único de Inventario "
            "Documental (FUID)",
            "Percentage of the central archive inventoried in the standard inventory form (FUID)",
            relevant=started("archivo_central"),
            constraint=PCT,
            constraint_msg=PCT_MSG,
        ),
        q(
            "select_one si_no_ns",
            "fondo_acumulado",
            "¿Existe fondo documental acumulado sin organizar?",
            "Is there an accumulated backlog of unorganized records?",
            required=True,
        ),
        q(
            "select_multiple riesgos_archivo",
            "riesgos_archivo",
            "Riesgos observados en el depósito del archivo",
            "Risks observed in the archive storage room",
            required=True,
            constraint="not(selected(., 'ninguno') and count-selected(.) > 1)",
            constraint_msg=(
                "«Ninguno» no puede marcarse junto con otros riesgos.",
                "'None' cannot be selected together with other risks.",
            ),
        ),
        q(
            "image",
            "foto_archivo",
            "Fotografía del depósito del archivo central",
            "Photograph of the central archive storage room",
            hint=(
                "Evidencia del estado del archivo; evite fotografiar documentos con datos "
                "personales.",
                "Evidence of the state of the archive; avoid photographing documents with "
                "personal data.",
            ),
        ),
    ]
    return _area(
        "documental",
        "Gestión documental",
        "Document management",
        (
            "Gestión documental (Ley 594 de 2000, Ley General de Archivos): instrumentos "
            "archivísticos, Tablas de Retención Documental y estado del archivo central.",
            "Document management (Law 594 of 2000, General Archives Law): archival "
            "instruments, retention schedules and the state of the central archive.",
        ),
        rows,
        ["pgd", "trd", "pinar", "archivo_central"],
    )


# ------------------------------------------------------------- ICT and information systems


def tic() -> list:
    rows = [
        q(
            "select_one conectividad",
            "conectividad",
            "Conexión a internet principal de la sede de la alcaldía",
            "Main internet connection of the town hall",
            required=True,
        ),
        q(
            "decimal",
            "velocidad",
            "Velocidad contratada de bajada (Mbps)",
            "Contracted download speed (Mbps)",
            relevant="${conectividad} != 'ninguna'",
            constraint=". > 0 and . <= 10000",
            constraint_msg=(
                "Escriba una velocidad mayor que 0 y hasta 10 000 Mbps.",
                "Enter a speed above 0 and up to 10,000 Mbps.",
            ),
        ),
        q(
            "integer",
            "equipos",
            "Computadores en funcionamiento al servicio de la administración",
            "Working computers in use by the administration",
            constraint=NON_NEGATIVE,
            constraint_msg=NON_NEGATIVE_MSG,
        ),
        q(
            "integer",
            "equipos_obsoletos",
            "De ellos, equipos con más de cinco años de uso",
            "Of those, computers more than five years old",
            relevant="${equipos} > 0",
            **_count_le("equipos"),
        ),
        q(
            "select_multiple sistemas or_other",
            "sistemas",
            "Sistemas de información en uso",
            "Information systems in use",
            appearance="minimal",
        ),
        mq(
            "gobierno_digital",
            "Plan de acción de la Política de Gobierno Digital y Plan Estratégico de "
            "Tecnologías de la Información (PETI)",
            "Action plan for the Digital Government Policy and IT strategic plan (PETI)",
        ),
        mq(
            "seguridad_info",
            "Plan de seguridad y privacidad de la información, con copias de respaldo "
            "periódicas y probadas",
            "Information security and privacy plan, with regular, tested backups",
        ),
        mq(
            "datos_abiertos",
            "Publicación de conjuntos de datos abiertos en datos.gov.co",
            "Open data sets published on datos.gov.co",
        ),
        q(
            "integer",
            "tramites_linea",
            "Trámites inscritos en el SUIT que pueden hacerse total o parcialmente en línea",
            "Procedures registered in SUIT that can be done fully or partly online",
            constraint=NON_NEGATIVE,
            constraint_msg=NON_NEGATIVE_MSG,
        ),
    ]
    return _area(
        "tic",
        "TIC y sistemas de información",
        "ICT and information systems",
        (
            "Tecnologías de la información: conectividad, equipos, sistemas de información "
            "(financiero, impuestos, nómina…), Gobierno Digital y seguridad de la información.",
            "Information technology: connectivity, computers, information systems (finance, "
            "taxes, payroll…), Digital Government and information security.",
        ),
        rows,
        ["gobierno_digital", "seguridad_info", "datos_abiertos"],
    )


# ------------------------------------------------------------------------ internal control


def control() -> list:
    rows = [
        q(
            "select_one oci",
            "oci",
            "Oficina o jefe de control interno",
            "Internal control office or head",
            required=True,
        ),
        mq(
            "meci",
            "Modelo Estándar de Control Interno (MECI) actualizado como la dimensión de control "
            "interno de MIPG",
            "Standard Internal Control Model (MECI) updated as MIPG's internal control dimension",
        ),
        mq(
            "cicci",
            "Comité Institucional de Coordinación de Control Interno sesionando",
            "Institutional internal control coordination committee meeting",
        ),
        mq(
            "auditoria",
            "Programa anual de auditoría interna aprobado y ejecutado",
            "Annual internal audit programme approved and carried out",
        ),
        mq(
            "riesgos",
            "Política de administración del riesgo y mapa de riesgos, incluidos los de corrupción",
            "Risk management policy and risk map, including corruption risks",
        ),
        q(
            "select_one si_no_ns",
            "furag",
            "¿La alcaldía diligenció el FURAG en la última medición del desempeño institucional?",
            "Did the mayor's office fill in FURAG in the latest institutional performance "
            "measurement?",
            required=True,
        ),
        q(
            "decimal",
            "idi",
            "Índice de Desempeño Institucional (IDI) obtenido en esa medición",
            "Institutional Performance Index (IDI) obtained in that measurement",
            relevant="${furag} = 'si'",
            constraint=PCT,
            constraint_msg=(
                "El índice va de 0 a 100.",
                "The index ranges from 0 to 100.",
            ),
        ),
        q(
            "select_one si_no_ns",
            "plan_mejoramiento",
            "¿Tiene plan de mejoramiento suscrito con la contraloría, con seguimiento al día?",
            "Does it have an improvement plan agreed with the comptroller, with up-to-date "
            "follow-up?",
            required=True,
        ),
    ]
    return _area(
        "control",
        "Control interno",
        "Internal control",
        (
            "Control interno (Ley 87 de 1993, MECI en el marco de MIPG): oficina de control "
            "interno, comité de coordinación, auditoría, riesgos y reporte FURAG.",
            "Internal control (Law 87 of 1993, MECI within MIPG): internal control office, "
            "coordination committee, audit, risks and FURAG reporting.",
        ),
        rows,
        ["meci", "cicci", "auditoria", "riesgos"],
    )


# -------------------------------------------------------------------- summary and evidence


def cierre() -> list:
    scores = [score_name for _, score_name, _, _ in AREAS]
    mean = " + ".join(f"${{{s}}}" for s in scores)
    weak = " + ".join(f"if(${{{s}}} < 40, 1, 0)" for s in scores)
    lines_es = "\n".join(f"- {es}: ${{{s}}}" for _, s, es, _ in AREAS)
    lines_en = "\n".join(f"- {en}: ${{{s}}}" for _, s, _, en in AREAS)
    return group(
        "cierre",
        "Resultados y evidencias",
        "Results and evidence",
        [
            calc("indice", f"round(({mean}) div {len(scores)}, 0)"),
            calc(
                "nivel",
                "if(${indice} >= 75, 'alto', if(${indice} >= 50, 'medio', "
                "if(${indice} >= 25, 'bajo', 'critico')))",
            ),
            calc("areas_debiles", weak),
            note(
                "resumen",
                "Índice de capacidad institucional: ${indice} / 100 (nivel ${nivel}). "
                f"Áreas con puntaje menor que 40: ${{areas_debiles}}.\n{lines_es}",
                "Institutional capacity index: ${indice} / 100 (level ${nivel}). "
                f"Areas scoring below 40: ${{areas_debiles}}.\n{lines_en}",
            ),
            q(
                "text",
                "hallazgos",
                "Principales hallazgos y necesidades priorizadas con la alcaldía",
                "Main findings and needs prioritized with the mayor's office",
                required=True,
                appearance="multiline",
            ),
            q(
                "file",
                "soporte",
                "Documento de soporte (p. ej. acta de la sesión, informe FURAG, informe de "
                "control interno)",
                "Supporting document (e.g. minutes of the session, FURAG report, internal "
                "control report)",
            ),
        ],
    )


CHOICES = [
    *MADUREZ_CHOICES,
    *SI_NO_NS_CHOICES,
    *FINANZAS_CHOICES,
    *choices(
        "dependencias",
        [
            ("despacho", "Despacho del alcalde", "Mayor's office"),
            ("gobierno", "Secretaría de Gobierno", "Government department"),
            ("planeacion", "Secretaría u oficina de Planeación", "Planning department"),
            ("hacienda", "Secretaría de Hacienda", "Treasury department"),
            (
                "general",
                "Secretaría General o Administrativa",
                "General/administrative secretariat",
            ),
            ("control_interno", "Control interno", "Internal control"),
            ("desarrollo_social", "Desarrollo social / Comisaría", "Social development"),
            ("umata", "Desarrollo rural / UMATA", "Rural development / UMATA"),
            ("obras", "Secretaría de Obras / Infraestructura", "Public works / infrastructure"),
            ("personeria", "Personería municipal", "Municipal ombudsman (Personería)"),
        ],
    ),
    *choices(
        "ordenamiento",
        [
            ("pot", "Plan de Ordenamiento Territorial (POT)", "Land-use plan (POT)"),
            (
                "pbot",
                "Plan Básico de Ordenamiento Territorial (PBOT)",
                "Basic land-use plan (PBOT)",
            ),
            ("eot", "Esquema de Ordenamiento Territorial (EOT)", "Land-use scheme (EOT)"),
            ("ninguno", "No tiene", "None"),
            ("ns", "No sabe", "Does not know"),
        ],
    ),
    *choices(
        "proporcion",
        [
            ("todos", "Todos", "All"),
            ("mayoria", "La mayoría", "Most"),
            ("algunos", "Algunos", "Some"),
            ("ninguno", "Ninguno", "None"),
        ],
    ),
    *choices(
        "modalidades",
        [
            ("licitacion", "Licitación pública", "Public tender"),
            ("abreviada", "Selección abreviada", "Abbreviated selection"),
            ("concurso", "Concurso de méritos", "Merit-based competition"),
            ("minima", "Mínima cuantía", "Minimum amount"),
            ("directa", "Contratación directa", "Direct contracting"),
            ("especial", "Régimen especial (convenios)", "Special regime (agreements)"),
        ],
    ),
    *choices(
        "sitio_web",
        [
            ("gov_co", "Propio, con dominio .gov.co", "Own site on a .gov.co domain"),
            ("otro_dominio", "Propio, con otro dominio", "Own site on another domain"),
            ("no_tiene", "No tiene", "None"),
        ],
    ),
    *choices(
        "canales",
        [
            ("ventanilla", "Ventanilla o radicación física", "Front desk / paper filing"),
            ("correo", "Correo electrónico institucional", "Institutional e-mail"),
            ("formulario", "Formulario en el sitio web", "Web form"),
            ("telefono", "Teléfono o WhatsApp", "Phone or WhatsApp"),
            ("buzon", "Buzón de sugerencias", "Suggestion box"),
            ("redes", "Redes sociales", "Social media"),
            ("ninguno", "Ninguno", "None"),
        ],
    ),
    *choices(
        "instancias",
        [
            ("ctp", "Consejo Territorial de Planeación", "Territorial Planning Council"),
            ("cmdr", "Consejo Municipal de Desarrollo Rural", "Rural Development Council"),
            ("paz", "Consejo Municipal de Paz", "Municipal Peace Council"),
            ("politica_social", "Consejo de Política Social", "Social Policy Council"),
            ("victimas", "Mesa de participación de víctimas", "Victims' participation board"),
            ("juventud", "Consejo Municipal de Juventud", "Municipal Youth Council"),
            ("mujeres", "Consejo o mesa de mujeres", "Women's council or board"),
            ("discapacidad", "Comité de discapacidad", "Disability committee"),
        ],
    ),
    *choices(
        "riesgos_archivo",
        [
            ("humedad", "Humedad o goteras", "Damp or leaks"),
            ("plagas", "Plagas o roedores", "Pests or rodents"),
            (
                "hacinamiento",
                "Documentos en el piso o hacinados",
                "Records on the floor or crammed",
            ),
            ("estanteria", "Falta de estantería o cajas", "No shelving or boxes"),
            ("incendio", "Riesgo de incendio o inundación", "Fire or flood risk"),
            ("acceso", "Acceso sin control", "Uncontrolled access"),
            ("ninguno", "Ninguno", "None"),
        ],
    ),
    *choices(
        "conectividad",
        [
            ("fibra", "Fibra óptica o cable", "Fibre or cable"),
            ("radio", "Radioenlace", "Radio link"),
            ("satelital", "Satelital", "Satellite"),
            ("movil", "Datos móviles", "Mobile data"),
            ("ninguna", "Sin conexión", "No connection"),
        ],
    ),
    *choices(
        "sistemas",
        [
            (
                "financiero",
                "Financiero integrado (presupuesto, contabilidad, tesorería)",
                "Integrated financial system (budget, accounting, treasury)",
            ),
            ("impuestos", "Predial e industria y comercio", "Property and business taxes"),
            ("nomina", "Nómina", "Payroll"),
            ("documental", "Gestión documental / ventanilla única", "Records / single window"),
            ("pqrsd", "Registro de PQRSD", "PQRSD register"),
            ("bpp", "Banco de proyectos", "Project bank"),
            ("sisben", "Sisbén", "Sisbén"),
        ],
    ),
    *choices(
        "oci",
        [
            (
                "jefe",
                "Existe, con jefe de control interno designado",
                "Exists, with a designated head",
            ),
            (
                "asignado",
                "Las funciones están asignadas a otro servidor",
                "Duties assigned to another official",
            ),
            ("no_existe", "No existe", "Does not exist"),
        ],
    ),
]


def build() -> tuple[dict, list, list]:
    AREAS.clear()
    survey = flatten(
        inicio(),
        planeacion(),
        finanzas(),
        contratacion(),
        transparencia(),
        participacion(),
        talento(),
        documental(),
        tic(),
        control(),
        cierre(),
    )
    return settings(FORM_ID, TITLE, VERSION), survey, CHOICES
