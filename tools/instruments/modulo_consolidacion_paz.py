"""Módulo de diagnóstico de la línea *Consolidación de la paz* (seed of the shipped .xlsx).

Four areas on the shared maturity scale: the transparency and public ethics programme (Ley 2195 de
2022), participatory budgets, the PDET (only for the 170 PDET municipalities) and victims and
reconciliation (Ley 1448 de 2011). The spreadsheet is the source of truth; see ``common.py``.
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
    exists,
    flatten,
    group,
    mq,
    note,
    q,
    score,
    settings,
)

FORM_ID = "modulo_consolidacion_paz"
VERSION = "2026112201"
TITLE = "Módulo de diagnóstico: consolidación de la paz"

ETICA = ["ptep", "codigo_integridad", "conflicto_intereses", "riesgos_corrupcion"]
PRESUPUESTOS = ["pp", "pp_seguimiento"]
PDET = ["pmtr_pdt", "pdet_seguimiento"]
VICTIMAS = ["pat", "ctjt", "mesa_victimas", "consejo_paz"]


def etica() -> list:
    return group(
        "etica",
        "Transparencia y ética pública",
        "Transparency and public ethics",
        [
            note(
                "etica_intro",
                "Programa de Transparencia y Ética Pública (Ley 2195 de 2022), que reemplaza "
                "el Plan Anticorrupción y de Atención al Ciudadano: integridad, conflictos de "
                "intereses, riesgos de corrupción y canales de denuncia.",
                "Transparency and Public Ethics Programme (Law 2195 of 2022), which replaces "
                "the Anti-corruption and Citizen Service Plan: integrity, conflicts of "
                "interest, corruption risks and reporting channels.",
            ),
            mq(
                "ptep",
                "Programa de Transparencia y Ética Pública adoptado y publicado",
                "Transparency and Public Ethics Programme adopted and published",
            ),
            mq(
                "codigo_integridad",
                "Código de integridad del servicio público adoptado y socializado",
                "Public service integrity code adopted and disseminated",
            ),
            mq(
                "conflicto_intereses",
                "Gestión de conflictos de intereses (identificación, declaración y registro)",
                "Management of conflicts of interest (identification, disclosure and register)",
            ),
            mq(
                "riesgos_corrupcion",
                "Mapa de riesgos de corrupción con controles y seguimiento",
                "Corruption risk map with controls and follow-up",
            ),
            q(
                "decimal",
                "pct_ley2013",
                "Servidores obligados que publicaron su declaración de bienes, rentas y "
                "conflictos de intereses (Ley 2013 de 2019) (%)",
                "Officials required to do so who published their declaration of assets, "
                "income and conflicts of interest (Law 2013 of 2019) (%)",
                constraint=PCT,
                constraint_msg=PCT_MSG,
            ),
            q(
                "select_one si_no_ns",
                "canal_denuncias",
                "¿Existe un canal de denuncias de corrupción con reserva de la identidad del "
                "denunciante?",
                "Is there a channel for reporting corruption that protects the whistle-blower's "
                "identity?",
                required=True,
            ),
        ],
    )


def presupuestos() -> list:
    return group(
        "presupuestos",
        "Presupuestos participativos",
        "Participatory budgets",
        [
            note(
                "presupuestos_intro",
                "Presupuestos participativos (Ley 1757 de 2015): la ciudadanía decide sobre "
                "una parte de la inversión.",
                "Participatory budgets (Law 1757 of 2015): citizens decide on part of the "
                "investment budget.",
            ),
            mq(
                "pp",
                "Presupuestos participativos reglamentados por acuerdo o decreto",
                "Participatory budgeting regulated by agreement or decree",
            ),
            q(
                "select_one si_no",
                "pp_ejercicio",
                "¿Se hizo un ejercicio de presupuestos participativos en los últimos dos años?",
                "Was there a participatory budgeting exercise in the last two years?",
                required=True,
            ),
            q(
                "decimal",
                "pp_monto",
                "Monto sometido a decisión ciudadana en el último ejercicio (millones de pesos)",
                "Amount put to citizens' decision in the latest exercise (millions of pesos)",
                relevant="${pp_ejercicio} = 'si'",
                constraint=NON_NEGATIVE,
                constraint_msg=NON_NEGATIVE_MSG,
            ),
            q(
                "integer",
                "pp_participantes",
                "Personas que participaron o votaron en el último ejercicio",
                "People who took part or voted in the latest exercise",
                relevant="${pp_ejercicio} = 'si'",
                constraint=NON_NEGATIVE,
                constraint_msg=NON_NEGATIVE_MSG,
            ),
            mq(
                "pp_seguimiento",
                "Seguimiento ciudadano a la ejecución de los proyectos priorizados",
                "Citizen follow-up of the execution of the prioritized projects",
                relevant=exists("pp"),
            ),
        ],
    )


def pdet() -> list:
    return group(
        "pdet",
        "Programa de Desarrollo con Enfoque Territorial (PDET)",
        "Development Programme with a Territorial Approach (PDET)",
        [
            note(
                "pdet_intro",
                "Programas de Desarrollo con Enfoque Territorial (Decreto Ley 893 de 2017): "
                "170 municipios en 16 subregiones, con iniciativas priorizadas por las "
                "comunidades en los Pactos Municipales (PMTR) y los Planes de Acción para la "
                "Transformación Regional (PATR).",
                "Development Programmes with a Territorial Approach (Decree-Law 893 of 2017): "
                "170 municipalities in 16 subregions, with initiatives prioritized by the "
                "communities in the Municipal Pacts (PMTR) and the Regional Transformation "
                "Action Plans (PATR).",
            ),
            q(
                "select_one si_no",
                "es_pdet",
                "¿El municipio es PDET?",
                "Is the municipality a PDET municipality?",
                required=True,
            ),
            q(
                "select_one subregiones_pdet",
                "subregion",
                "Subregión PDET",
                "PDET subregion",
                required=True,
                relevant="${es_pdet} = 'si'",
                appearance="minimal",
            ),
            mq(
                "pmtr_pdt",
                "Iniciativas del Pacto Municipal (PMTR) y del PATR incorporadas en el plan de "
                "desarrollo y en el presupuesto",
                "Initiatives of the Municipal Pact (PMTR) and the PATR included in the "
                "development plan and the budget",
                relevant="${es_pdet} = 'si'",
            ),
            mq(
                "pdet_seguimiento",
                "Seguimiento a las iniciativas PDET con el Grupo Motor y la Agencia de "
                "Renovación del Territorio",
                "Follow-up of the PDET initiatives with the Grupo Motor and the Territorial "
                "Renewal Agency",
                relevant="${es_pdet} = 'si'",
            ),
            q(
                "integer",
                "iniciativas_pdet",
                "Iniciativas PDET del municipio",
                "PDET initiatives of the municipality",
                relevant="${es_pdet} = 'si'",
                constraint=NON_NEGATIVE,
                constraint_msg=NON_NEGATIVE_MSG,
            ),
            q(
                "integer",
                "iniciativas_ruta",
                "De ellas, iniciativas con ruta de implementación activada",
                "Of those, initiatives with an activated implementation route",
                relevant="${es_pdet} = 'si' and ${iniciativas_pdet} > 0",
                constraint=". >= 0 and . <= ${iniciativas_pdet}",
                constraint_msg=(
                    "No puede superar el número de iniciativas del municipio.",
                    "Cannot exceed the municipality's number of initiatives.",
                ),
            ),
            calc(
                "pct_ruta",
                "if(${iniciativas_ruta} = '' or ${iniciativas_pdet} = '' or "
                "${iniciativas_pdet} = 0, '', "
                "round(100 * ${iniciativas_ruta} div ${iniciativas_pdet}, 1))",
            ),
        ],
    )


def victimas() -> list:
    return group(
        "victimas",
        "Víctimas y reconciliación",
        "Victims and reconciliation",
        [
            note(
                "victimas_intro",
                "Atención y reparación a las víctimas del conflicto armado (Ley 1448 de 2011) y "
                "espacios de reconciliación y convivencia.",
                "Assistance and reparation for victims of the armed conflict (Law 1448 of "
                "2011) and spaces for reconciliation and coexistence.",
            ),
            q(
                "integer",
                "victimas_ruv",
                "Víctimas del conflicto armado ubicadas en el municipio según el Registro Único "
                "de Víctimas",
                "Victims of the armed conflict located in the municipality according to the "
                "Single Victims Register",
                constraint=NON_NEGATIVE,
                constraint_msg=NON_NEGATIVE_MSG,
            ),
            mq(
                "pat",
                "Plan de Acción Territorial (PAT) para víctimas aprobado y con seguimiento",
                "Territorial Action Plan (PAT) for victims approved and followed up",
            ),
            mq(
                "ctjt",
                "Comité Territorial de Justicia Transicional sesionando",
                "Territorial Transitional Justice Committee meeting",
            ),
            mq(
                "mesa_victimas",
                "Mesa municipal de participación efectiva de víctimas instalada y con garantías "
                "para sesionar",
                "Municipal board for the effective participation of victims set up and with "
                "the means to meet",
            ),
            mq(
                "consejo_paz",
                "Consejo Municipal de Paz, Reconciliación, Convivencia y No Estigmatización",
                "Municipal Council for Peace, Reconciliation, Coexistence and Non-Stigmatization",
            ),
            q(
                "select_one si_no_ns",
                "rusicst",
                "¿La alcaldía reportó el RUSICST en el último periodo?",
                "Did the mayor's office submit the RUSICST report for the latest period?",
                required=True,
                hint=(
                    "Reporte Unificado del Sistema de Información, Coordinación y Seguimiento "
                    "Territorial de la política de víctimas.",
                    "Unified report on coordination and follow-up of the victims policy in "
                    "the territory.",
                ),
            ),
        ],
    )


def resumen() -> list:
    pdet_yes = "${es_pdet} = 'si'"
    return group(
        "resumen",
        "Resultados",
        "Results",
        [
            calc("p_etica", score(ETICA)),
            calc("p_presupuestos", score(PRESUPUESTOS)),
            calc("p_pdet", f"if({pdet_yes}, {score(PDET)}, '')"),
            calc("p_victimas", score(VICTIMAS)),
            calc(
                "indice",
                f"if({pdet_yes}, {score(ETICA + PRESUPUESTOS + PDET + VICTIMAS)}, "
                f"{score(ETICA + PRESUPUESTOS + VICTIMAS)})",
            ),
            note(
                "resumen_nota",
                "Transparencia y ética pública: ${p_etica} / 100. Presupuestos participativos: "
                "${p_presupuestos} / 100. PDET: ${p_pdet} / 100 (vacío si no es PDET). Víctimas "
                "y reconciliación: ${p_victimas} / 100. Índice del módulo: ${indice} / 100.",
                "Transparency and public ethics: ${p_etica} / 100. Participatory budgets: "
                "${p_presupuestos} / 100. PDET: ${p_pdet} / 100 (blank if not PDET). Victims "
                "and reconciliation: ${p_victimas} / 100. Module index: ${indice} / 100.",
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
        "subregiones_pdet",
        [
            ("alto_patia", "Alto Patía y Norte del Cauca", "Alto Patía and Northern Cauca"),
            ("arauca", "Arauca", "Arauca"),
            (
                "bajo_cauca",
                "Bajo Cauca y Nordeste Antioqueño",
                "Bajo Cauca and Northeastern Antioquia",
            ),
            ("catatumbo", "Catatumbo", "Catatumbo"),
            ("choco", "Chocó", "Chocó"),
            (
                "caguan",
                "Cuenca del Caguán y Piedemonte Caqueteño",
                "Caguán Basin and Caquetá Foothills",
            ),
            ("macarena", "Macarena – Guaviare", "Macarena – Guaviare"),
            ("montes_maria", "Montes de María", "Montes de María"),
            ("pacifico_medio", "Pacífico Medio", "Middle Pacific"),
            ("pacifico_narinense", "Pacífico y Frontera Nariñense", "Nariño Pacific and Border"),
            ("putumayo", "Putumayo", "Putumayo"),
            (
                "sierra_nevada",
                "Sierra Nevada – Perijá – Zona Bananera",
                "Sierra Nevada – Perijá – Banana Zone",
            ),
            ("sur_bolivar", "Sur de Bolívar", "Southern Bolívar"),
            ("sur_cordoba", "Sur de Córdoba", "Southern Córdoba"),
            ("sur_tolima", "Sur del Tolima", "Southern Tolima"),
            ("uraba", "Urabá Antioqueño", "Urabá (Antioquia)"),
        ],
    ),
]


def build() -> tuple[dict, list, list]:
    survey = flatten(etica(), presupuestos(), pdet(), victimas(), resumen())
    return settings(FORM_ID, TITLE, VERSION), survey, CHOICES
