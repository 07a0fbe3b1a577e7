"""Encuesta de satisfacción con el entregable de la asistencia técnica (seed of the .xlsx).

Answered by officials of the mayor's office when a deliverable is handed over: five 1–5 scales
(relevance, quality, timeliness, the team's treatment, usefulness) shown as a Likert row, their
average, whether the product will be adopted, and open comments. The deliverable itself is the
record the survey hangs from in fieldkit, so it is not asked. The spreadsheet is the source of
truth; see ``common.py``.
"""

from __future__ import annotations

from .common import calc, choices, flatten, group, note, q, settings

FORM_ID = "encuesta_satisfaccion"
VERSION = "2026112201"
TITLE = "Encuesta de satisfacción con el entregable"

# (name, es, en) of the 1–5 scales
ESCALAS = [
    (
        "pertinencia",
        "Pertinencia: el producto responde a las necesidades de la alcaldía",
        "Relevance: the product meets the needs of the mayor's office",
    ),
    (
        "calidad",
        "Calidad técnica del producto",
        "Technical quality of the product",
    ),
    (
        "oportunidad",
        "Oportunidad: el producto se entregó en los tiempos acordados",
        "Timeliness: the product was delivered when agreed",
    ),
    (
        "trato",
        "Trato y disposición del equipo de asistencia técnica",
        "Courtesy and willingness of the technical assistance team",
    ),
    (
        "utilidad",
        "Utilidad: el producto se puede aplicar en la gestión de la alcaldía",
        "Usefulness: the product can be applied in the work of the mayor's office",
    ),
]


def encuestado() -> list:
    return group(
        "encuestado",
        "Persona que responde",
        "Respondent",
        [
            note(
                "intro",
                "Su opinión nos ayuda a mejorar la asistencia técnica. La encuesta toma unos "
                "cinco minutos y sus respuestas se analizan de forma agregada.",
                "Your opinion helps us improve the technical assistance. The survey takes "
                "about five minutes and answers are analysed in aggregate.",
            ),
            q(
                "date",
                "fecha",
                "Fecha",
                "Date",
                required=True,
                default="today()",
                constraint=". <= today()",
                constraint_msg=(
                    "La fecha no puede ser posterior a hoy.",
                    "The date cannot be later than today.",
                ),
            ),
            q(
                "select_one roles or_other",
                "rol",
                "Su rol en la alcaldía",
                "Your role in the mayor's office",
                required=True,
            ),
            q(
                "select_one participacion",
                "participo",
                "¿Cómo participó en la asistencia técnica?",
                "How did you take part in the technical assistance?",
                required=True,
            ),
        ],
    )


def valoracion() -> list:
    scales = [
        q(
            "select_one escala",
            name,
            es,
            en,
            required=True,
            appearance="likert",
        )
        for name, es, en in ESCALAS
    ]
    total = " + ".join(f"${{{name}}}" for name, _, _ in ESCALAS)
    answered = " and ".join(f"${{{name}}} != ''" for name, _, _ in ESCALAS)
    return group(
        "valoracion",
        "Valoración",
        "Rating",
        [
            note(
                "valoracion_intro",
                "Califique de 1 (muy insatisfecho) a 5 (muy satisfecho).",
                "Rate from 1 (very dissatisfied) to 5 (very satisfied).",
            ),
            *scales,
            calc("promedio", f"if({answered}, round(({total}) div {len(ESCALAS)}, 2), '')"),
            calc("satisfecho", "if(${promedio} = '', '', if(${promedio} >= 4, 1, 0))"),
            note(
                "promedio_nota",
                "Calificación promedio: ${promedio} de 5.",
                "Average rating: ${promedio} out of 5.",
                relevant="${promedio} != ''",
            ),
            q(
                "select_one adopcion",
                "adopcion",
                "¿La alcaldía adoptará o aplicará el producto?",
                "Will the mayor's office adopt or apply the product?",
                required=True,
            ),
        ],
    )


def comentarios() -> list:
    return group(
        "comentarios",
        "Comentarios",
        "Comments",
        [
            q(
                "text",
                "fortalezas",
                "¿Qué fue lo más valioso de la asistencia técnica?",
                "What was most valuable about the technical assistance?",
                appearance="multiline",
            ),
            q(
                "text",
                "mejoras",
                "¿Qué deberíamos mejorar?",
                "What should we improve?",
                appearance="multiline",
                required=True,
                relevant="${promedio} != '' and ${promedio} < 4",
                hint=(
                    "Se pide porque la calificación promedio fue menor que 4.",
                    "Asked because the average rating was below 4.",
                ),
            ),
            q(
                "text",
                "sugerencias",
                "Otros comentarios o sugerencias",
                "Other comments or suggestions",
                appearance="multiline",
            ),
        ],
    )


CHOICES = [
    *choices(
        "escala",
        [
            ("1", "1 · Muy insatisfecho", "1 · Very dissatisfied"),
            ("2", "2 · Insatisfecho", "2 · Dissatisfied"),
            ("3", "3 · Ni satisfecho ni insatisfecho", "3 · Neither satisfied nor dissatisfied"),
            ("4", "4 · Satisfecho", "4 · Satisfied"),
            ("5", "5 · Muy satisfecho", "5 · Very satisfied"),
        ],
    ),
    *choices(
        "roles",
        [
            ("alcalde", "Alcalde o alcaldesa", "Mayor"),
            (
                "secretario",
                "Secretario(a) de despacho o jefe de oficina",
                "Department head or office head",
            ),
            (
                "profesional",
                "Profesional, técnico(a) o asistencial de planta",
                "Staff professional, technician or assistant",
            ),
            ("contratista", "Contratista", "Contractor"),
            ("concejal", "Concejal(a)", "Council member"),
            ("personero", "Personero(a)", "Municipal ombudsman (personero)"),
        ],
    ),
    *choices(
        "participacion",
        [
            ("contraparte", "Fui contraparte designada", "I was an appointed counterpart"),
            ("sesiones", "Asistí a sesiones de trabajo", "I attended work sessions"),
            ("recibo", "Solo recibí el producto", "I only received the product"),
        ],
    ),
    *choices(
        "adopcion",
        [
            (
                "adoptado",
                "Sí, ya se adoptó (acto administrativo, procedimiento en uso)",
                "Yes, already adopted (administrative act, procedure in use)",
            ),
            ("en_proceso", "Sí, está en proceso de adopción", "Yes, adoption is under way"),
            ("no", "No", "No"),
            ("ns", "No sabe", "Does not know"),
        ],
    ),
]


def build() -> tuple[dict, list, list]:
    survey = flatten(encuestado(), valoracion(), comentarios())
    return settings(FORM_ID, TITLE, VERSION), survey, CHOICES
