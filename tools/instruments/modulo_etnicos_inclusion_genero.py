"""Módulo de diagnóstico: asuntos étnicos, inclusión social y enfoque de género (seed).

Three areas, each scored 0–100 on the shared maturity scale: the ethnic approach (ethnic groups
present, relations with ethnic authorities, prior consultation), social inclusion (differential
approach policies, disability) and women's rights and gender equity (policy, office, gender-based
violence response). The spreadsheet is the source of truth; see ``common.py``.
"""

from __future__ import annotations

from .common import (
    MADUREZ_CHOICES,
    NON_NEGATIVE,
    NON_NEGATIVE_MSG,
    NOT_FUTURE,
    NOT_FUTURE_MSG,
    SI_NO_CHOICES,
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
)

FORM_ID = "modulo_etnicos_inclusion_genero"
VERSION = "2026112201"
TITLE = "Módulo de diagnóstico: asuntos étnicos, inclusión social y enfoque de género"

ETNICOS = ["dialogo_etnico", "pdt_etnico", "datos_etnicos"]
INCLUSION = ["politica_discapacidad", "accesibilidad", "enfoque_diferencial"]
GENERO = ["politica_mujer", "ruta_vbg", "consejo_mujeres", "presupuesto_genero", "datos_sexo"]

_ONLY_NONE = {
    "constraint": "not(selected(., 'ninguno') and count-selected(.) > 1)",
    "constraint_msg": (
        "«Ninguno» no puede marcarse junto con otras opciones.",
        "'None' cannot be selected together with other options.",
    ),
}


def etnicos() -> list:
    return group(
        "etnicos",
        "Asuntos étnicos",
        "Ethnic affairs",
        [
            note(
                "etnicos_intro",
                "Enfoque diferencial étnico: pueblos indígenas (Convenio 169 de la OIT, Ley 21 "
                "de 1991), comunidades negras, afrocolombianas, raizales y palenqueras (Ley 70 "
                "de 1993) y pueblo Rrom. Pregunte por las autoridades propias y el "
                "relacionamiento de la alcaldía con ellas.",
                "Ethnic differential approach: indigenous peoples (ILO Convention 169, Law 21 "
                "of 1991), Black, Afro-Colombian, Raizal and Palenquero communities (Law 70 of "
                "1993) and the Rrom people. Ask about their own authorities and how the "
                "mayor's office relates to them.",
            ),
            q(
                "select_multiple grupos_etnicos",
                "grupos",
                "Grupos étnicos con presencia en el municipio",
                "Ethnic groups present in the municipality",
                required=True,
                **_ONLY_NONE,
            ),
            q(
                "integer",
                "resguardos",
                "Resguardos indígenas constituidos en el municipio",
                "Indigenous reserves (resguardos) established in the municipality",
                relevant="selected(${grupos}, 'indigena')",
                constraint=NON_NEGATIVE,
                constraint_msg=NON_NEGATIVE_MSG,
            ),
            q(
                "integer",
                "consejos_comunitarios",
                "Consejos comunitarios de comunidades negras con título colectivo",
                "Black communities' community councils with collective land title",
                relevant="selected(${grupos}, 'negro')",
                constraint=NON_NEGATIVE,
                constraint_msg=NON_NEGATIVE_MSG,
            ),
            mq(
                "dialogo_etnico",
                "Espacio de diálogo y concertación con las autoridades étnicas (cabildos, "
                "consejos comunitarios, kumpañy)",
                "Space for dialogue and agreement with ethnic authorities (cabildos, community "
                "councils, kumpañy)",
                relevant="not(selected(${grupos}, 'ninguno'))",
            ),
            mq(
                "pdt_etnico",
                "Metas y recursos con enfoque étnico en el plan de desarrollo",
                "Targets and funds with an ethnic approach in the development plan",
                relevant="not(selected(${grupos}, 'ninguno'))",
            ),
            mq(
                "datos_etnicos",
                "Registros administrativos con la pertenencia étnica de la población atendida",
                "Administrative records with the ethnic self-recognition of the people served",
            ),
            q(
                "select_one si_no_ns",
                "consulta_previa",
                "¿En los últimos cuatro años alguna medida o proyecto de la alcaldía requirió "
                "consulta previa o se pidió a la Dirección de la Autoridad Nacional de Consulta "
                "Previa determinar si procedía?",
                "In the last four years, did any measure or project of the mayor's office "
                "require prior consultation, or was the national prior consultation authority "
                "asked whether it applied?",
                required=True,
                relevant="not(selected(${grupos}, 'ninguno'))",
            ),
            q(
                "select_one si_no",
                "enlace_etnico",
                "¿Hay una dependencia o un enlace designado para asuntos étnicos?",
                "Is there a unit or a designated liaison for ethnic affairs?",
                required=True,
            ),
        ],
    )


def inclusion() -> list:
    return group(
        "inclusion",
        "Inclusión social",
        "Social inclusion",
        [
            note(
                "inclusion_intro",
                "Inclusión social y enfoque diferencial: políticas para poblaciones sujetas de "
                "especial protección (niñez, juventud, personas mayores, personas con "
                "discapacidad, población LGBTIQ+, habitantes de calle).",
                "Social inclusion and differential approach: policies for groups entitled to "
                "special protection (children, youth, older people, people with disabilities, "
                "LGBTIQ+ people, homeless people).",
            ),
            q(
                "select_multiple politicas_sociales or_other",
                "politicas_sociales",
                "Políticas públicas poblacionales adoptadas por el municipio",
                "Population-specific public policies adopted by the municipality",
                appearance="minimal",
            ),
            mq(
                "politica_discapacidad",
                "Política pública de discapacidad con Comité Municipal de Discapacidad "
                "sesionando (Ley 1145 de 2007, Ley 1618 de 2013)",
                "Disability policy with the municipal disability committee meeting (Law 1145 "
                "of 2007, Law 1618 of 2013)",
            ),
            mq(
                "accesibilidad",
                "Accesibilidad física y de la información en la sede y los canales de atención",
                "Physical and information accessibility in the building and service channels",
            ),
            mq(
                "enfoque_diferencial",
                "Lineamientos para aplicar el enfoque diferencial en los programas y la atención",
                "Guidelines to apply the differential approach in programmes and services",
            ),
            q(
                "integer",
                "personas_discapacidad",
                "Personas con discapacidad registradas o certificadas en el municipio",
                "People with disabilities registered or certified in the municipality",
                constraint=NON_NEGATIVE,
                constraint_msg=NON_NEGATIVE_MSG,
                hint=(
                    "Según el registro de localización y caracterización o la certificación de "
                    "discapacidad del Ministerio de Salud. Deje en blanco si no se conoce.",
                    "From the Ministry of Health's register or disability certification. Leave "
                    "blank if unknown.",
                ),
            ),
            q(
                "select_one si_no_ns",
                "compos",
                "¿El Consejo Municipal de Política Social sesionó en los últimos 12 meses?",
                "Did the municipal Social Policy Council meet in the last 12 months?",
                required=True,
            ),
        ],
    )


def genero() -> list:
    return group(
        "genero",
        "Mujer y equidad de género",
        "Women and gender equity",
        [
            note(
                "genero_intro",
                "Derechos de las mujeres y equidad de género: política pública, instancia "
                "responsable, prevención y atención de las violencias basadas en género "
                "(Ley 1257 de 2008) y participación de las mujeres.",
                "Women's rights and gender equity: public policy, responsible office, "
                "prevention of and response to gender-based violence (Law 1257 of 2008) and "
                "women's participation.",
            ),
            mq(
                "politica_mujer",
                "Política pública de mujer y equidad de género adoptada por acuerdo o decreto",
                "Public policy on women and gender equity adopted by agreement or decree",
            ),
            q(
                "date",
                "politica_mujer_fecha",
                "Fecha de adopción de la política",
                "Date the policy was adopted",
                relevant=exists("politica_mujer"),
                constraint=NOT_FUTURE,
                constraint_msg=NOT_FUTURE_MSG,
            ),
            q(
                "select_one instancia_mujer",
                "instancia_mujer",
                "Instancia de la alcaldía responsable de los asuntos de la mujer",
                "Unit of the mayor's office responsible for women's affairs",
                required=True,
            ),
            mq(
                "ruta_vbg",
                "Ruta de atención integral a mujeres víctimas de violencias, difundida y con "
                "responsables que la activan",
                "Comprehensive response pathway for women victims of violence, publicized and "
                "with officials who activate it",
            ),
            q(
                "select_one comisaria",
                "comisaria",
                "Comisaría de Familia (Ley 2126 de 2021)",
                "Family commissioner's office (Law 2126 of 2021)",
                required=True,
            ),
            q(
                "integer",
                "casos_vbg",
                "Casos de violencia basada en género atendidos en los últimos 12 meses",
                "Gender-based violence cases handled in the last 12 months",
                constraint=NON_NEGATIVE,
                constraint_msg=NON_NEGATIVE_MSG,
                hint=(
                    "Cifra de la Comisaría de Familia o de la Secretaría de Salud; solo el "
                    "número, nunca datos de las víctimas.",
                    "Figure from the family commissioner or the health department; only the "
                    "number, never data about the victims.",
                ),
            ),
            mq(
                "consejo_mujeres",
                "Consejo consultivo o mesa municipal de mujeres sesionando",
                "Women's advisory council or municipal women's board meeting",
            ),
            mq(
                "presupuesto_genero",
                "Recursos de inversión identificados para la equidad de género (trazador "
                "presupuestal)",
                "Investment funds identified for gender equity (budget tracker)",
            ),
            mq(
                "datos_sexo",
                "Registros administrativos desagregados por sexo",
                "Administrative records disaggregated by sex",
            ),
        ],
    )


def resumen() -> list:
    no_groups = "selected(${grupos}, 'ninguno')"
    return group(
        "resumen",
        "Resultados",
        "Results",
        [
            calc("p_etnicos", f"if({no_groups}, '', {score(ETNICOS)})"),
            calc("p_inclusion", score(INCLUSION)),
            calc("p_genero", score(GENERO)),
            calc(
                "indice",
                f"if({no_groups}, {score(INCLUSION + GENERO)}, "
                f"{score(ETNICOS + INCLUSION + GENERO)})",
            ),
            note(
                "resumen_nota",
                "Asuntos étnicos: ${p_etnicos} / 100 (vacío si no hay grupos étnicos). "
                "Inclusión social: ${p_inclusion} / 100. Mujer y equidad de género: ${p_genero} "
                "/ 100. Índice del módulo: ${indice} / 100.",
                "Ethnic affairs: ${p_etnicos} / 100 (blank if there are no ethnic groups). "
                "Social inclusion: ${p_inclusion} / 100. Women and gender equity: ${p_genero} "
                "/ 100. Module index: ${indice} / 100.",
            ),
            q(
                "text",
                "observaciones",
                "Hallazgos y necesidades priorizadas",
                "Findings and prioritized needs",
                required=True,
                appearance="multiline",
            ),
        ],
    )


CHOICES = [
    *MADUREZ_CHOICES,
    *SI_NO_CHOICES,
    *SI_NO_NS_CHOICES,
    *choices(
        "grupos_etnicos",
        [
            ("indigena", "Pueblos indígenas", "Indigenous peoples"),
            (
                "negro",
                "Comunidades negras o afrocolombianas",
                "Black or Afro-Colombian communities",
            ),
            ("raizal", "Pueblo raizal", "Raizal people"),
            ("palenquero", "Comunidad palenquera", "Palenquero community"),
            ("rrom", "Pueblo Rrom (gitano)", "Rrom (Roma) people"),
            ("ninguno", "Ninguno", "None"),
        ],
    ),
    *choices(
        "politicas_sociales",
        [
            (
                "infancia",
                "Primera infancia, infancia y adolescencia",
                "Early childhood, childhood and adolescence",
            ),
            ("juventud", "Juventud", "Youth"),
            ("vejez", "Envejecimiento y vejez", "Ageing and old age"),
            ("discapacidad", "Discapacidad", "Disability"),
            (
                "lgbtiq",
                "Diversidad sexual y de género (LGBTIQ+)",
                "Sexual and gender diversity (LGBTIQ+)",
            ),
            ("familia", "Familia", "Family"),
            ("habitante_calle", "Habitantes de calle", "Homeless people"),
        ],
    ),
    *choices(
        "instancia_mujer",
        [
            ("secretaria", "Secretaría de la Mujer", "Women's department"),
            (
                "oficina",
                "Oficina, programa o enlace de la mujer",
                "Women's office, programme or liaison",
            ),
            ("otra", "Funciones asignadas a otra dependencia", "Duties assigned to another unit"),
            ("no_existe", "No existe", "None"),
        ],
    ),
    *choices(
        "comisaria",
        [
            (
                "completa",
                "Existe, con equipo interdisciplinario completo",
                "Exists, with a complete interdisciplinary team",
            ),
            ("incompleta", "Existe, con equipo incompleto", "Exists, with an incomplete team"),
            ("no_existe", "No existe en el municipio", "Not present in the municipality"),
        ],
    ),
]


def build() -> tuple[dict, list, list]:
    survey = flatten(etnicos(), inclusion(), genero(), resumen())
    return settings(FORM_ID, TITLE, VERSION), survey, CHOICES
