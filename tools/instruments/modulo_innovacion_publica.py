"""Módulo de diagnóstico de la línea temática *Innovación pública* (seed of the shipped .xlsx).

Applied after the general diagnostic when the mayor's office chose this line: enabling
conditions (MIPG's knowledge management and innovation policy), practices already in place (with a
repeat of initiatives), and the public challenge the assistance will work on. The spreadsheet is the
source of truth; see ``common.py``.
"""

from __future__ import annotations

from .common import (
    MADUREZ_CHOICES,
    NON_NEGATIVE,
    NON_NEGATIVE_MSG,
    PCT,
    PCT_MSG,
    SI_NO_CHOICES,
    SI_NO_NS_CHOICES,
    calc,
    choices,
    flatten,
    group,
    mq,
    note,
    q,
    repeat,
    score,
    settings,
)

FORM_ID = "modulo_innovacion_publica"
VERSION = "2026112201"
TITLE = "Módulo de diagnóstico: innovación pública"

CONDICIONES = ["gestion_conocimiento", "equipo_innovacion", "lecciones", "caracterizacion"]
PRACTICAS = ["cocreacion", "datos", "racionalizacion", "alianzas"]


def condiciones() -> list:
    return group(
        "condiciones",
        "Condiciones para innovar",
        "Conditions for innovation",
        [
            note(
                "condiciones_intro",
                "Innovación pública: capacidad de la alcaldía para generar y adoptar soluciones "
                "nuevas a problemas públicos, con la ciudadanía y a partir de evidencia "
                "(política de Gestión del Conocimiento y la Innovación de MIPG).",
                "Public innovation: the mayor's office capacity to create and adopt new "
                "solutions to public problems, with citizens and based on evidence (MIPG's "
                "Knowledge Management and Innovation policy).",
            ),
            mq(
                "gestion_conocimiento",
                "Plan de acción de la política de Gestión del Conocimiento y la Innovación",
                "Action plan for the Knowledge Management and Innovation policy",
            ),
            mq(
                "equipo_innovacion",
                "Equipo o servidor designado formalmente para liderar la innovación",
                "Team or official formally appointed to lead innovation",
            ),
            mq(
                "lecciones",
                "Registro de lecciones aprendidas y buenas prácticas (memoria institucional)",
                "Register of lessons learned and good practices (institutional memory)",
            ),
            mq(
                "caracterizacion",
                "Caracterización de los ciudadanos y grupos de valor que usan los servicios",
                "Profile of the citizens and stakeholder groups who use the services",
            ),
            q(
                "decimal",
                "puntaje_gci",
                "Puntaje de la política de Gestión del Conocimiento y la Innovación en el último "
                "FURAG (0 a 100)",
                "Score of the Knowledge Management and Innovation policy in the latest FURAG "
                "(0 to 100)",
                constraint=PCT,
                constraint_msg=PCT_MSG,
                hint=(
                    "Deje en blanco si no se conoce.",
                    "Leave blank if unknown.",
                ),
            ),
            q(
                "select_one si_no",
                "presupuesto_innovacion",
                "¿El presupuesto de la vigencia tiene recursos destinados a innovación?",
                "Does this year's budget set aside funds for innovation?",
                required=True,
            ),
            q(
                "select_multiple barreras or_other",
                "barreras",
                "Principales barreras para innovar en la alcaldía",
                "Main barriers to innovation in the mayor's office",
                required=True,
                appearance="minimal",
                hint=("Marque hasta tres.", "Select up to three."),
                constraint="count-selected(.) <= 3",
                constraint_msg=("Marque como máximo tres.", "Select at most three."),
            ),
        ],
    )


def practicas() -> list:
    return group(
        "practicas",
        "Prácticas de innovación",
        "Innovation practices",
        [
            note(
                "practicas_intro",
                "Prácticas que la alcaldía ya aplica. Registre las iniciativas de los últimos "
                "dos años que cambiaron un servicio, un trámite o un proceso.",
                "Practices the mayor's office already applies. Record the initiatives of the "
                "last two years that changed a service, a procedure or a process.",
            ),
            mq(
                "cocreacion",
                "Espacios de co-creación con la ciudadanía (laboratorios, retos, talleres de "
                "diseño)",
                "Co-creation spaces with citizens (labs, challenges, design workshops)",
            ),
            mq(
                "datos",
                "Uso de datos y evidencia para tomar decisiones (tableros, análisis de datos "
                "administrativos)",
                "Use of data and evidence to make decisions (dashboards, analysis of "
                "administrative data)",
            ),
            mq(
                "racionalizacion",
                "Estrategia de racionalización de trámites registrada en el SUIT "
                "(Ley 2052 de 2020)",
                "Red-tape reduction strategy registered in SUIT (Law 2052 of 2020)",
            ),
            mq(
                "alianzas",
                "Alianzas con universidades, SENA, empresas u organismos de cooperación para "
                "innovar",
                "Partnerships with universities, SENA, companies or cooperation agencies to "
                "innovate",
            ),
            q(
                "select_one si_no_ns",
                "banco_exitos",
                "¿Ha postulado experiencias al Banco de Éxitos o al Premio Nacional de Alta "
                "Gerencia de Función Pública?",
                "Has it submitted experiences to Función Pública's Bank of Successes or the "
                "National Senior Management Award?",
                required=True,
            ),
            q(
                "select_one si_no",
                "hay_iniciativas",
                "¿Hubo iniciativas de innovación en los últimos dos años?",
                "Were there innovation initiatives in the last two years?",
                required=True,
            ),
            *repeat(
                "iniciativas",
                "Iniciativa de innovación",
                "Innovation initiative",
                [
                    q(
                        "text",
                        "ini_nombre",
                        "Nombre o descripción breve",
                        "Name or short description",
                        required=True,
                    ),
                    q(
                        "select_one tipo_iniciativa",
                        "ini_tipo",
                        "Tipo de innovación",
                        "Type of innovation",
                        required=True,
                    ),
                    q(
                        "select_one estado_iniciativa",
                        "ini_estado",
                        "Estado",
                        "Status",
                        required=True,
                    ),
                    q(
                        "integer",
                        "ini_beneficiarios",
                        "Personas beneficiadas (aproximado)",
                        "People who benefited (approximate)",
                        constraint=NON_NEGATIVE,
                        constraint_msg=NON_NEGATIVE_MSG,
                    ),
                    calc(
                        "ini_implementada",
                        "if(${ini_estado} = 'implementada' or ${ini_estado} = 'escalada', 1, 0)",
                    ),
                ],
                relevant="${hay_iniciativas} = 'si'",
            ),
            calc("n_iniciativas", "count(${iniciativas})"),
            calc("n_implementadas", "sum(${ini_implementada})"),
        ],
    )


def necesidades() -> list:
    return group(
        "necesidades",
        "Reto y necesidades",
        "Challenge and needs",
        [
            q(
                "text",
                "reto",
                "Reto o problema público que la alcaldía quiere abordar con innovación",
                "Public challenge or problem the mayor's office wants to tackle with innovation",
                required=True,
                appearance="multiline",
                hint=(
                    "Quién lo vive, dónde y con qué consecuencias; no describa aún la solución.",
                    "Who experiences it, where and with what consequences; do not describe "
                    "the solution yet.",
                ),
            ),
            q(
                "select_multiple temas_innovacion",
                "temas",
                "Temas en los que la alcaldía pide acompañamiento",
                "Topics on which the mayor's office asks for support",
                required=True,
            ),
            calc("p_condiciones", score(CONDICIONES)),
            calc("p_practicas", score(PRACTICAS)),
            calc("indice", score(CONDICIONES + PRACTICAS)),
            note(
                "resumen",
                "Condiciones para innovar: ${p_condiciones} / 100. Prácticas: ${p_practicas} / "
                "100. Índice de innovación pública: ${indice} / 100. Iniciativas registradas: "
                "${n_iniciativas} (implementadas o escaladas: ${n_implementadas}).",
                "Conditions for innovation: ${p_condiciones} / 100. Practices: ${p_practicas} / "
                "100. Public innovation index: ${indice} / 100. Initiatives recorded: "
                "${n_iniciativas} (implemented or scaled: ${n_implementadas}).",
            ),
        ],
    )


CHOICES = [
    *MADUREZ_CHOICES,
    *SI_NO_CHOICES,
    *SI_NO_NS_CHOICES,
    *choices(
        "barreras",
        [
            (
                "riesgo",
                "Temor a sanciones disciplinarias o fiscales",
                "Fear of disciplinary or fiscal sanctions",
            ),
            ("recursos", "Falta de recursos", "Lack of funds"),
            ("rotacion", "Rotación de servidores y contratistas", "Staff and contractor turnover"),
            ("carga", "Carga operativa, falta de tiempo", "Workload, lack of time"),
            ("metodos", "Desconocimiento de metodologías", "Lack of know-how on methods"),
            ("directivo", "Falta de apoyo directivo", "Lack of support from management"),
            ("conectividad", "Conectividad y tecnología", "Connectivity and technology"),
        ],
    ),
    *choices(
        "tipo_iniciativa",
        [
            ("servicio", "Servicio o trámite a la ciudadanía", "Service or procedure for citizens"),
            ("proceso", "Proceso interno", "Internal process"),
            ("participacion", "Participación o co-creación", "Participation or co-creation"),
            ("datos", "Uso de datos", "Use of data"),
            ("tecnologia", "Tecnología o digitalización", "Technology or digitization"),
        ],
    ),
    *choices(
        "estado_iniciativa",
        [
            ("idea", "Idea o diseño", "Idea or design"),
            ("piloto", "Piloto", "Pilot"),
            ("implementada", "Implementada", "Implemented"),
            ("escalada", "Escalada o replicada", "Scaled or replicated"),
            ("suspendida", "Suspendida", "Discontinued"),
        ],
    ),
    *choices(
        "temas_innovacion",
        [
            ("tramites", "Trámites y servicio a la ciudadanía", "Procedures and citizen service"),
            ("datos", "Gestión y uso de datos", "Data management and use"),
            (
                "laboratorio",
                "Laboratorio o metodologías de co-creación",
                "Innovation lab or co-creation methods",
            ),
            ("conocimiento", "Gestión del conocimiento", "Knowledge management"),
            ("compra", "Compra pública para la innovación", "Public procurement for innovation"),
            ("abierto", "Gobierno abierto", "Open government"),
            ("digital", "Transformación digital", "Digital transformation"),
        ],
    ),
]


def build() -> tuple[dict, list, list]:
    survey = flatten(condiciones(), practicas(), necesidades())
    return settings(FORM_ID, TITLE, VERSION), survey, CHOICES
