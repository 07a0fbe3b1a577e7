"""Bitácora de visita o sesión de trabajo, con lista de asistencia (seed of the shipped .xlsx).

Date, times, modality and place; the stage of the assistance and the purposes (a cascade: the
purposes offered depend on the stage); minutes; agreements as a repeat; and the attendance list as
the repeat ``asistentes``, with the disaggregation the monitoring system reports (sex, ethnic
self-recognition, victims of the armed conflict, disability) and the consent for personal data
processing required by Ley 1581 de 2012. Per-row 0/1 calculates are summed into form-level totals.
The spreadsheet is the source of truth; see ``common.py``.
"""

from __future__ import annotations

from .common import (
    NOT_FUTURE,
    NOT_FUTURE_MSG,
    SI_NO_CHOICES,
    calc,
    choices,
    flatten,
    group,
    note,
    q,
    repeat,
    settings,
)

FORM_ID = "bitacora_visita"
VERSION = "2026112201"
TITLE = "Bitácora de visita o sesión de trabajo"

CONSENT_ES = (
    "Autorizo de manera previa, expresa e informada a la entidad responsable de la asistencia "
    "técnica territorial para tratar los datos personales que registro en esta lista (nombre, "
    "documento de identidad, sexo, autorreconocimiento étnico, condición de víctima del "
    "conflicto armado, discapacidad, entidad y cargo) con la única finalidad de registrar mi "
    "asistencia y producir estadísticas agregadas de la asistencia técnica, conforme a la Ley "
    "1581 de 2012 y el Decreto 1377 de 2013. Me informaron que los datos sobre pertenencia "
    "étnica, condición de víctima y discapacidad son sensibles y que no estoy obligado(a) a "
    "suministrarlos, y que puedo conocer, actualizar, rectificar y suprimir mis datos y "
    "revocar esta autorización en cualquier momento."
)
CONSENT_EN = (
    "I give the entity responsible for the territorial technical assistance my prior, express "
    "and informed authorization to process the personal data I record in this list (name, "
    "identity document, sex, ethnic self-recognition, status as a victim of the armed conflict, "
    "disability, entity and position) for the sole purpose of recording my attendance and "
    "producing aggregate statistics of the technical assistance, under Law 1581 of 2012 and "
    "Decree 1377 of 2013. I was told that data on ethnicity, victim status and disability are "
    "sensitive and that I am not obliged to provide them, and that I may access, update, "
    "correct and delete my data and revoke this authorization at any time."
)

# value in the choice list -> name of the per-row 0/1 calculate and of the form-level total
SEXOS = [("mujer", "Mujer", "Woman"), ("hombre", "Hombre", "Man"),
         ("intersexual", "Intersexual", "Intersex")]  # fmt: skip
ETNIAS = [
    ("indigena", "Indígena", "Indigenous"),
    ("negro", "Negro(a) / afrocolombiano(a)", "Black / Afro-Colombian"),
    ("raizal", "Raizal", "Raizal"),
    ("palenquero", "Palenquero(a)", "Palenquero"),
    ("rrom", "Rrom (gitano)", "Rrom (Roma)"),
    ("ninguno", "Ninguno", "None"),
]


def sesion() -> list:
    return group(
        "sesion",
        "Datos de la sesión",
        "Session details",
        [
            q(
                "date",
                "fecha",
                "Fecha de la sesión",
                "Date of the session",
                required=True,
                default="today()",
                constraint=NOT_FUTURE,
                constraint_msg=NOT_FUTURE_MSG,
            ),
            q("time", "hora_inicio", "Hora de inicio", "Start time", required=True),
            q(
                "time",
                "hora_fin",
                "Hora de finalización",
                "End time",
                required=True,
                constraint="decimal-time(.) > decimal-time(${hora_inicio})",
                constraint_msg=(
                    "La hora de finalización debe ser posterior a la de inicio.",
                    "The end time must be later than the start time.",
                ),
            ),
            q(
                "select_one modalidades",
                "modalidad",
                "Modalidad",
                "Format",
                required=True,
            ),
            q(
                "select_one lugares or_other",
                "lugar",
                "Lugar",
                "Place",
                required=True,
                constraint="not(. = 'virtual' and ${modalidad} = 'presencial')",
                constraint_msg=(
                    "Una sesión presencial no puede tener lugar «virtual».",
                    "An in-person session cannot take place 'online'.",
                ),
            ),
            q(
                "text",
                "vereda",
                "Nombre de la vereda o corregimiento",
                "Name of the rural district (vereda or corregimiento)",
                required=True,
                relevant="${lugar} = 'vereda'",
            ),
            q(
                "select_one plataformas",
                "plataforma",
                "Medio de la conexión",
                "Means of connection",
                relevant="${modalidad} != 'presencial'",
            ),
            q(
                "select_one etapas",
                "etapa",
                "Etapa de la asistencia técnica",
                "Stage of the technical assistance",
                required=True,
            ),
            q(
                "select_multiple propositos",
                "proposito",
                "Propósito de la sesión",
                "Purpose of the session",
                required=True,
                choice_filter="etapa = ${etapa} or etapa = 'todas'",
                hint=(
                    "Las opciones dependen de la etapa elegida.",
                    "The options depend on the stage chosen.",
                ),
            ),
            q(
                "text",
                "proposito_otro",
                "¿Qué otro propósito?",
                "What other purpose?",
                required=True,
                relevant="selected(${proposito}, 'otro')",
            ),
        ],
    )


def desarrollo() -> list:
    return group(
        "desarrollo",
        "Desarrollo y acuerdos",
        "Proceedings and agreements",
        [
            q(
                "text",
                "acta",
                "Desarrollo de la sesión (acta)",
                "Proceedings of the session (minutes)",
                required=True,
                appearance="multiline",
                hint=(
                    "Temas tratados, posiciones de la alcaldía y decisiones tomadas.",
                    "Topics discussed, positions of the mayor's office and decisions taken.",
                ),
            ),
            q(
                "text",
                "dificultades",
                "Dificultades o alertas",
                "Difficulties or warnings",
                appearance="multiline",
            ),
            *repeat(
                "acuerdos",
                "Acuerdo o compromiso",
                "Agreement or commitment",
                [
                    q("text", "acuerdo", "Acuerdo", "Agreement", required=True),
                    q(
                        "select_one partes",
                        "parte",
                        "¿Quién lo cumple?",
                        "Who carries it out?",
                        required=True,
                    ),
                    q(
                        "text",
                        "responsable",
                        "Nombre o cargo del responsable",
                        "Name or position of the person responsible",
                        required=True,
                    ),
                    q(
                        "date",
                        "fecha_limite",
                        "Fecha límite",
                        "Due date",
                        required=True,
                        constraint=". >= ${fecha}",
                        constraint_msg=(
                            "La fecha límite no puede ser anterior a la sesión.",
                            "The due date cannot be earlier than the session.",
                        ),
                    ),
                ],
            ),
            calc("n_acuerdos", "count(${acuerdos})"),
            q(
                "image",
                "foto",
                "Fotografía de la sesión o de la lista de asistencia en papel",
                "Photograph of the session or of the paper attendance sheet",
                hint=(
                    "Solo si los asistentes aceptaron ser fotografiados.",
                    "Only if those present agreed to be photographed.",
                ),
            ),
        ],
    )


def _one_if(question: str, value: str) -> str:
    return f"if(${{{question}}} = '{value}', 1, 0)"


def asistencia() -> list:
    consented = "${consentimiento} = 'si'"
    row = [
        calc("fila", "position(..)"),
        note("fila_nota", "Asistente n.º ${fila}", "Attendee no. ${fila}"),
        q(
            "select_one si_no",
            "consentimiento",
            CONSENT_ES,
            CONSENT_EN,
            required=True,
            constraint=". = 'si'",
            constraint_msg=(
                "Sin autorización no se registran los datos de la persona: elimine esta fila "
                "(cuente a la persona solo en el acta).",
                "Without authorization the person's data are not recorded: remove this row "
                "(mention the person only in the minutes).",
            ),
        ),
        q(
            "text",
            "nombre",
            "Nombres y apellidos",
            "Full name",
            required=True,
            relevant=consented,
            constraint="string-length(.) >= 3",
            constraint_msg=("Escriba el nombre completo.", "Enter the full name."),
        ),
        q(
            "select_one tipos_documento",
            "tipo_doc",
            "Tipo de documento (opcional)",
            "Type of identity document (optional)",
            relevant=consented,
        ),
        q(
            "text",
            "num_doc",
            "Número de documento",
            "Document number",
            required=True,
            relevant=f"{consented} and ${{tipo_doc}} != ''",
            constraint=(
                "regex(., '^[0-9]{5,11}$') or "
                "(${tipo_doc} = 'pasaporte' and regex(., '^[A-Z0-9]{5,12}$'))"
            ),
            constraint_msg=(
                "Escriba solo los dígitos, sin puntos ni espacios (entre 5 y 11); el pasaporte "
                "admite letras mayúsculas.",
                "Digits only, without dots or spaces (5 to 11); passports may contain capital "
                "letters.",
            ),
        ),
        q(
            "select_one sexos",
            "sexo",
            "Sexo",
            "Sex",
            required=True,
            relevant=consented,
        ),
        q(
            "select_one etnias",
            "etnia",
            "Autorreconocimiento étnico",
            "Ethnic self-recognition",
            relevant=consented,
            hint=(
                "Dato sensible: lo responde la persona y puede dejarlo en blanco.",
                "Sensitive data: the person answers and may leave it blank.",
            ),
        ),
        q(
            "select_one victima",
            "victima",
            "¿Es víctima del conflicto armado?",
            "Is the person a victim of the armed conflict?",
            required=True,
            relevant=consented,
            hint=(
                "Dato sensible: puede elegir «Prefiere no decir».",
                "Sensitive data: 'Prefers not to say' is an option.",
            ),
        ),
        q(
            "select_one si_no",
            "discapacidad",
            "¿Tiene alguna discapacidad?",
            "Does the person have a disability?",
            relevant=consented,
            hint=(
                "Dato sensible: la persona puede dejarlo en blanco.",
                "Sensitive data: the person may leave it blank.",
            ),
        ),
        q(
            "text",
            "entidad",
            "Entidad u organización",
            "Entity or organization",
            required=True,
            relevant=consented,
        ),
        q(
            "text",
            "cargo",
            "Cargo o rol",
            "Position or role",
            required=True,
            relevant=consented,
        ),
        *(calc(f"es_{v}", _one_if("sexo", v)) for v, _, _ in SEXOS),
        *(calc(f"et_{v}", _one_if("etnia", v)) for v, _, _ in ETNIAS),
        calc("es_victima", _one_if("victima", "si")),
        calc("es_discapacidad", _one_if("discapacidad", "si")),
    ]
    totals = [
        calc("n_asistentes", "count(${asistentes})"),
        *(calc(f"total_{v}", f"sum(${{es_{v}}})") for v, _, _ in SEXOS),
        *(calc(f"total_et_{v}", f"sum(${{et_{v}}})") for v, _, _ in ETNIAS),
        calc(
            "total_et_sin_dato",
            "${n_asistentes} - (" + " + ".join(f"${{total_et_{v}}}" for v, _, _ in ETNIAS) + ")",
        ),
        calc("total_victimas", "sum(${es_victima})"),
        calc("total_discapacidad", "sum(${es_discapacidad})"),
    ]
    etnias_es = ", ".join(f"{es.lower()} ${{total_et_{v}}}" for v, es, _ in ETNIAS)
    etnias_en = ", ".join(f"{en.lower()} ${{total_et_{v}}}" for v, _, en in ETNIAS)
    summary = note(
        "totales",
        "Asistentes: ${n_asistentes}. Mujeres ${total_mujer}, hombres ${total_hombre}, "
        f"intersexuales ${{total_intersexual}}. Autorreconocimiento étnico: {etnias_es}, sin "
        "dato ${total_et_sin_dato}. Víctimas del conflicto: ${total_victimas}. Personas con "
        "discapacidad: ${total_discapacidad}.",
        "Attendees: ${n_asistentes}. Women ${total_mujer}, men ${total_hombre}, intersex "
        f"${{total_intersexual}}. Ethnic self-recognition: {etnias_en}, not stated "
        "${total_et_sin_dato}. Victims of the conflict: ${total_victimas}. People with "
        "disabilities: ${total_discapacidad}.",
    )
    return group(
        "asistencia",
        "Lista de asistencia",
        "Attendance list",
        flatten(
            note(
                "asistencia_intro",
                "Registre a cada asistente en una fila. Lea en voz alta la autorización de "
                "tratamiento de datos antes de anotar sus datos; quien no autorice no se "
                "registra en la lista.",
                "Record each attendee in a row. Read the data processing authorization aloud "
                "before writing down their data; anyone who does not authorize it is not "
                "recorded in the list.",
            ),
            repeat("asistentes", "Asistente", "Attendee", row),
            totals,
            summary,
        ),
    )


def _propositos() -> list:
    by_stage = {
        "concertacion": [
            (
                "presentar_oferta",
                "Presentar la oferta de asistencia técnica",
                "Present the technical assistance offer",
            ),
            (
                "concertar_linea",
                "Concertar la línea temática y el alcance",
                "Agree on the thematic line and scope",
            ),
            (
                "contrapartes",
                "Designar las contrapartes de la alcaldía",
                "Appoint the counterparts of the mayor's office",
            ),
        ],
        "diagnostico": [
            (
                "aplicar_instrumento",
                "Aplicar instrumentos de diagnóstico",
                "Apply diagnostic instruments",
            ),
            (
                "revisar_documentos",
                "Revisar documentos y recoger evidencias",
                "Review documents and collect evidence",
            ),
            (
                "priorizar",
                "Priorizar necesidades con la alcaldía",
                "Prioritize needs with the mayor's office",
            ),
        ],
        "plan": [
            (
                "formular_plan",
                "Formular el Plan de Acción Municipal",
                "Draft the Municipal Action Plan",
            ),
            (
                "aprobar_plan",
                "Concertar y aprobar el Plan de Acción Municipal",
                "Agree on and approve the Municipal Action Plan",
            ),
        ],
        "ejecucion": [
            ("capacitacion", "Capacitación o taller", "Training or workshop"),
            ("mesa_tecnica", "Mesa técnica de trabajo", "Technical working session"),
            (
                "producto",
                "Acompañar la elaboración de un producto",
                "Support the drafting of a product",
            ),
            (
                "seguimiento",
                "Seguimiento de actividades e indicadores",
                "Follow-up of activities and indicators",
            ),
        ],
        "entrega": [
            (
                "revisar_entregable",
                "Revisar el entregable con la alcaldía",
                "Review the deliverable with the mayor's office",
            ),
            (
                "entregar",
                "Entregar el producto (acta de entrega)",
                "Hand over the product (delivery act)",
            ),
            ("encuesta", "Aplicar la encuesta de satisfacción", "Run the satisfaction survey"),
        ],
        "todas": [
            (
                "reunion_alcalde",
                "Reunión con el alcalde o el consejo de gobierno",
                "Meeting with the mayor or the cabinet",
            ),
            (
                "socializacion",
                "Socialización con la comunidad o el Concejo",
                "Presentation to the community or the Council",
            ),
            ("otro", "Otro", "Other"),
        ],
    }
    return [
        (value, es, en, {"etapa": stage})
        for stage, items in by_stage.items()
        for value, es, en in items
    ]


CHOICES = [
    *SI_NO_CHOICES,
    *choices(
        "modalidades",
        [
            ("presencial", "Presencial", "In person"),
            ("virtual", "Virtual", "Online"),
            ("mixta", "Mixta (presencial y virtual)", "Hybrid (in person and online)"),
        ],
    ),
    *choices(
        "lugares",
        [
            ("alcaldia", "Sede de la alcaldía", "Town hall"),
            ("concejo", "Concejo municipal", "Municipal council"),
            ("personeria", "Personería municipal", "Municipal ombudsman's office (Personería)"),
            ("vereda", "Vereda o corregimiento", "Rural district (vereda or corregimiento)"),
            ("institucion_educativa", "Institución educativa", "School"),
            ("salon_comunal", "Salón comunal", "Community hall"),
            (
                "sede_territorial",
                "Sede de la dirección territorial",
                "Office of the territorial directorate",
            ),
            ("virtual", "Virtual", "Online"),
        ],
    ),
    *choices(
        "plataformas",
        [
            (
                "videollamada",
                "Videollamada (Meet, Teams, Zoom…)",
                "Video call (Meet, Teams, Zoom…)",
            ),
            ("telefono", "Llamada telefónica", "Phone call"),
            ("whatsapp", "WhatsApp", "WhatsApp"),
        ],
    ),
    *choices(
        "etapas",
        [
            ("concertacion", "Concertación", "Concertation"),
            ("diagnostico", "Caracterización y diagnóstico", "Characterization and diagnostic"),
            ("plan", "Plan de Acción Municipal", "Municipal Action Plan"),
            ("ejecucion", "Ejecución y seguimiento", "Execution and follow-up"),
            ("entrega", "Entrega del producto", "Delivery of the product"),
        ],
    ),
    *choices("propositos", _propositos()),
    *choices(
        "partes",
        [
            ("equipo", "Equipo de asistencia técnica", "Technical assistance team"),
            ("alcaldia", "Alcaldía", "Mayor's office"),
            ("ambos", "Ambos", "Both"),
            ("otra_entidad", "Otra entidad", "Another entity"),
        ],
    ),
    *choices(
        "tipos_documento",
        [
            ("cc", "Cédula de ciudadanía", "Citizenship card"),
            ("ti", "Tarjeta de identidad", "Identity card (minors)"),
            ("ce", "Cédula de extranjería", "Foreigner ID card"),
            ("ppt", "Permiso por Protección Temporal", "Temporary Protection Permit"),
            ("pasaporte", "Pasaporte", "Passport"),
        ],
    ),
    *choices("sexos", SEXOS),
    *choices("etnias", ETNIAS),
    *choices(
        "victima",
        [
            ("si", "Sí", "Yes"),
            ("no", "No", "No"),
            ("prefiere_no_decir", "Prefiere no decir", "Prefers not to say"),
        ],
    ),
]


def build() -> tuple[dict, list, list]:
    survey = flatten(sesion(), desarrollo(), asistencia())
    return settings(FORM_ID, TITLE, VERSION), survey, CHOICES
