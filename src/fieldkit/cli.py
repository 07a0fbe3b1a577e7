"""`fieldkit`: opens the GUI without a command; subcommands are the scripting contract (DESIGN §10)."""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import math
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from fieldkit import __version__
from fieldkit.domain.errors import FieldkitError, NotFoundError, ValidationError
from fieldkit.domain.progress import ActivityState
from fieldkit.i18n import (
    N_,
    _,
    format_date,
    format_datetime,
    format_number,
    ngettext,
    parse_date,
    set_language,
)


def _date(text: str) -> dt.date:
    try:
        return parse_date(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="fieldkit",
        description=_("Asistencia técnica territorial sin conexión. Sin comando, abre la ventana."),
    )
    parser.add_argument(
        "--data-dir", type=Path, help=_("carpeta del perfil (por defecto, la del usuario)")
    )
    parser.add_argument("--lang", choices=["es", "en"], help=_("idioma de los mensajes"))
    parser.add_argument("--version", action="version", version=f"fieldkit {__version__}")
    sub = parser.add_subparsers(dest="command", metavar=_("COMANDO"))

    p = sub.add_parser("init", help=_("crear o renombrar el perfil de este equipo"))
    p.add_argument("--device-name", required=True, help=_("nombre de este equipo"))
    p.add_argument("--role", choices=["field", "reviewer", "coordinator"])
    p.set_defaults(func=cmd_init)

    p = sub.add_parser("status", help=_("perfil: dispositivo, rol y conteos"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_status)

    p = sub.add_parser("demo", help=_("llenar el perfil con datos de demostración"))
    p.add_argument("--scale", choices=["small", "national"], default="small")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument(
        "--edits", type=int, help=_("simular N cambios de campo sobre los registros existentes")
    )
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("dump", help=_("JSON canónico de todos los registros"))
    p.add_argument("-o", "--output", type=Path)
    p.set_defaults(func=cmd_dump)

    p = sub.add_parser("backup", help=_("copia de seguridad ahora"))
    p.add_argument("--list", action="store_true", help=_("listar las copias existentes"))
    p.set_defaults(func=cmd_backup)

    p = sub.add_parser("restore", help=_("restaurar una copia de seguridad de este perfil"))
    p.add_argument("file", type=Path)
    p.set_defaults(func=cmd_restore)

    p = sub.add_parser("municipalities", aliases=["municipios"], help=_("buscar municipios"))
    p.add_argument("query", nargs="*")
    p.add_argument("--department", help=_("código de departamento"))
    p.add_argument("--subregion", help=_("subregión PDET"))
    p.add_argument("--pdet", action="store_true", help=_("solo municipios PDET"))
    p.add_argument("--category")
    p.add_argument("--directorate")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_municipalities)

    p = sub.add_parser("municipality", aliases=["municipio"], help=_("ficha de un municipio"))
    p.add_argument("code")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_municipality)

    a = sub.add_parser("assistance", aliases=["asistencia"], help=_("asistencias técnicas"))
    asub = a.add_subparsers(dest="action", required=True, metavar=_("ACCIÓN"))
    p = asub.add_parser("new", help=_("registrar una asistencia"))
    _assistance_fields(p, required=True)
    p.set_defaults(func=cmd_assistance_new)
    p = asub.add_parser("edit", help=_("editar una asistencia"))
    p.add_argument("code")
    _assistance_fields(p, required=False)
    p.set_defaults(func=cmd_assistance_edit)
    p = asub.add_parser("list", help=_("listar asistencias"))
    p.add_argument("query", nargs="*")
    p.add_argument("--state")
    p.add_argument("--line")
    p.add_argument("--directorate")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_assistance_list)
    p = asub.add_parser("show", help=_("ver una asistencia con su historial"))
    p.add_argument("code")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_assistance_show)
    p = asub.add_parser("move", help=_("cambiar el estado de una asistencia"))
    p.add_argument("code")
    p.add_argument(
        "state", help="concerted, diagnosed, planned, in_execution, delivered, closed, cancelled"
    )
    p.add_argument("--reason", help=_("motivo (obligatorio para cancelar)"))
    p.set_defaults(func=cmd_assistance_move)

    pe = sub.add_parser("person", aliases=["persona"], help=_("personas de los equipos"))
    psub = pe.add_subparsers(dest="action", required=True, metavar=_("ACCIÓN"))
    p = psub.add_parser("add", help=_("agregar una persona"))
    p.add_argument("--name", required=True)
    p.add_argument(
        "--role",
        required=True,
        choices=["field_professional", "student", "reviewer", "coordinator"],
    )
    p.add_argument("--directorate", default="")
    p.add_argument("--email", default="")
    p.add_argument("--phone", default="")
    p.set_defaults(func=cmd_person_add)
    p = psub.add_parser("list", help=_("listar personas"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_person_list)

    e = sub.add_parser(
        "enrol", aliases=["inscribir"], help=_("inscribir este equipo con su coordinador")
    )
    esub = e.add_subparsers(dest="action", required=True, metavar=_("ACCIÓN"))
    p = esub.add_parser("request", help=_("crear la solicitud de inscripción (equipo)"))
    p.add_argument("-o", "--output", type=Path, required=True)
    p.set_defaults(func=cmd_enrol_request)
    p = esub.add_parser("accept", help=_("aceptar una solicitud y responderla (coordinador)"))
    p.add_argument("request", type=Path)
    p.add_argument("-o", "--output", type=Path, required=True)
    _scope_options(p, default_role=None)
    p.set_defaults(func=cmd_enrol_accept)
    p = esub.add_parser("complete", help=_("completar la inscripción con la respuesta (equipo)"))
    p.add_argument("response", type=Path)
    p.set_defaults(func=cmd_enrol_complete)

    p = sub.add_parser(
        "export", aliases=["exportar"], help=_("paquete con lo que el destinatario no tiene")
    )
    p.add_argument("output", type=Path)
    p.add_argument("--for", dest="for_device", help=_("identificador del equipo destinatario"))
    p.add_argument(
        "--all",
        dest="everything",
        action="store_true",
        help=_(
            "todo lo que tiene este equipo, no solo lo que le falta al destinatario "
            "(tras una restauración o una reinstalación)"
        ),
    )
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("forms", aliases=["formularios"], help=_("instrumentos XLSForm"))
    fsub = p.add_subparsers(dest="action", required=True, metavar=_("ACCIÓN"))
    p = fsub.add_parser("eval", help=_("el valor de una expresión (para depurar un formulario)"))
    p.add_argument("expression", metavar=_("EXPRESIÓN"))
    p.add_argument("--answers", type=Path, help=_('respuestas en JSON: {"pregunta": valor, …}'))
    p.set_defaults(func=cmd_forms_eval)
    p = fsub.add_parser("check", help=_("revisar un XLSForm: resumen o cada problema con su fila"))
    p.add_argument("file", type=Path, metavar=_("ARCHIVO.xlsx"))
    p.set_defaults(func=cmd_forms_check)
    p = fsub.add_parser(
        "validate", help=_("validar respuestas (JSON) contra un XLSForm; sale con 1 si no valen")
    )
    p.add_argument("file", type=Path, metavar=_("ARCHIVO.xlsx"))
    p.add_argument("answers", type=Path, metavar=_("RESPUESTAS.json"))
    p.set_defaults(func=cmd_forms_validate)
    p = fsub.add_parser("list", help=_("los formularios de este equipo (versión más reciente)"))
    p.set_defaults(func=cmd_forms_list)
    p = fsub.add_parser(
        "publish", help=_("publicar una versión de un formulario para los equipos (coordinador)")
    )
    p.add_argument("file", type=Path, metavar=_("ARCHIVO.xlsx"))
    p.add_argument("--kind", required=True, choices=["diagnostic", "module", "visit", "survey"])
    p.add_argument("--line", help=_("código de la línea temática de un módulo"))
    p.set_defaults(func=cmd_forms_publish)

    p = sub.add_parser(
        "sync",
        aliases=["sincronizar"],
        help=_("recoger y dejar paquetes en la carpeta de sincronización"),
    )
    p.add_argument("--folder", type=Path, help=_("otra carpeta, solo esta vez"))
    p.add_argument(
        "--dry-run", action="store_true", help=_("mostrar qué pasaría, sin cambiar nada")
    )
    p.add_argument(
        "--set-folder", type=Path, metavar=_("CARPETA"), help=_("guardar la carpeta de este perfil")
    )
    p.add_argument(
        "--no-on-start",
        action="store_true",
        help=_("con --set-folder: no sincronizar al abrir la ventana"),
    )
    p.add_argument("--unset-folder", action="store_true", help=_("olvidar la carpeta"))
    p.set_defaults(func=cmd_sync)

    p = sub.add_parser(
        "import", aliases=["importar"], help=_("importar paquetes o carpetas de paquetes")
    )
    p.add_argument("bundles", type=Path, nargs="+")
    p.add_argument(
        "--dry-run", action="store_true", help=_("mostrar qué pasaría, sin cambiar nada")
    )
    p.set_defaults(func=cmd_import)

    p = sub.add_parser(
        "quarantine", aliases=["cuarentena"], help=_("paquetes de remitentes no inscritos")
    )
    p.add_argument("action", nargs="?", choices=["list", "accept"], default="list")
    p.add_argument("file", nargs="?", help=_("paquete en cuarentena que se acepta"))
    _scope_options(p, default_role="field")
    p.set_defaults(func=cmd_quarantine)

    p = sub.add_parser("peers", aliases=["equipos"], help=_("equipos de confianza de este perfil"))
    p.set_defaults(func=cmd_peers)

    p = sub.add_parser("conflicts", aliases=["conflictos"], help=_("cola de conflictos"))
    p.add_argument("action", nargs="?", choices=["list", "resolve"], default="list")
    p.add_argument("id", nargs="?", help=_("conflicto a resolver (basta el comienzo del id)"))
    p.add_argument("--keep", choices=["mine", "theirs"], help=_("valor que se conserva"))
    p.add_argument("--all", action="store_true", help=_("incluir los ya resueltos"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_conflicts)

    p = sub.add_parser("history", aliases=["historial"], help=_("quién cambió qué, cuándo y dónde"))
    p.add_argument("record", help=_("código de asistencia o id de cualquier registro"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_history)

    p = sub.add_parser(
        "progress",
        aliases=["avance"],
        help=_("avance de los planes de acción: resultados logrados y actividades completadas"),
    )
    p.add_argument(
        "code", nargs="?", metavar=_("CÓDIGO"), help=_("código de una asistencia (todas si falta)")
    )
    p.add_argument(
        "--directorate",
        metavar=_("CÓDIGO"),
        help=_("solo las asistencias de esta dirección territorial"),
    )
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_progress)

    p = sub.add_parser(
        "overdue", aliases=["vencidas"], help=_("actividades vencidas de todas las asistencias")
    )
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_overdue)

    pl = sub.add_parser("plan", help=_("plan de acción municipal de una asistencia"))
    plsub = pl.add_subparsers(dest="action", required=True, metavar=_("ACCIÓN"))
    p = plsub.add_parser(
        "show", help=_("ver el plan: resultados (1, 2…), actividades (1.1, 1.2…) y versiones")
    )
    _plan_code(p)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_plan_show)
    _plan_writing_parsers(plsub)
    p = plsub.add_parser("submit", help=_("enviar el plan a revisión"))
    _plan_code(p)
    p.set_defaults(func=cmd_plan_submit)
    p = plsub.add_parser("approve", help=_("aprobar el plan enviado (revisor o coordinador)"))
    _plan_code(p)
    p.add_argument(
        "--comments", default="", metavar=_("TEXTO"), help=_("comentarios para el equipo")
    )
    p.set_defaults(func=cmd_plan_approve)
    p = plsub.add_parser(
        "return", help=_("devolver el plan al equipo con comentarios (revisor o coordinador)")
    )
    _plan_code(p)
    p.add_argument(
        "--comments", required=True, metavar=_("TEXTO"), help=_("qué debe corregir el equipo")
    )
    p.set_defaults(func=cmd_plan_return)
    p = plsub.add_parser(
        "new-version", help=_("abrir una nueva versión de un plan aprobado que debe cambiar")
    )
    _plan_code(p)
    p.set_defaults(func=cmd_plan_new_version)
    p = plsub.add_parser(
        "progress", help=_("registrar el avance de una actividad en una fecha, con evidencias")
    )
    _plan_code(p)
    p.add_argument(
        "activity",
        metavar=_("ACTIVIDAD"),
        help=_("número de la actividad en «plan show», p. ej. 2.1"),
    )
    p.add_argument("percent", metavar=_("PORCENTAJE"), help=_("avance de 0 a 100"))
    p.add_argument(
        "--state",
        choices=[s.value for s in ActivityState],
        help=_("estado de la actividad (por defecto, según el porcentaje)"),
    )
    _follow_up_options(p)
    p.set_defaults(func=cmd_plan_progress)
    p = plsub.add_parser(
        "measure", help=_("registrar el valor medido del indicador de un resultado en una fecha")
    )
    _plan_code(p)
    p.add_argument(
        "result", metavar=_("RESULTADO"), help=_("número del resultado en «plan show», p. ej. 2")
    )
    p.add_argument("value", metavar=_("VALOR"), help=_("valor medido del indicador"))
    p.add_argument(
        "--verification", default="", metavar=_("TEXTO"), help=_("medio de verificación")
    )
    _follow_up_options(p)
    p.set_defaults(func=cmd_plan_measure)

    _deliverable_parsers(sub)

    c = sub.add_parser("catalog", aliases=["catalogo"], help=_("catálogos editables"))
    csub = c.add_subparsers(dest="action", required=True, metavar=_("ACCIÓN"))
    p = csub.add_parser("import", help=_("importar un catálogo desde CSV"))
    p.add_argument("kind", choices=["directorates", "categories"])
    p.add_argument("file", type=Path)
    p.set_defaults(func=cmd_catalog_import)
    p = csub.add_parser(
        "example-directorates", help=_("cargar la agrupación de EJEMPLO de direcciones")
    )
    p.set_defaults(func=cmd_catalog_example)
    p = csub.add_parser("directorates", help=_("listar direcciones territoriales"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_catalog_directorates)
    p = csub.add_parser("lines", help=_("listar líneas temáticas"))
    p.set_defaults(func=cmd_catalog_lines)

    r = sub.add_parser("report", aliases=["informe"], help=_("informes en PDF"))
    rsub = r.add_subparsers(dest="action", required=True, metavar=_("INFORME"))
    for kind, aliases, what, key_help in (
        ("delivery", ["acta"], _("acta de entrega"), _("código de la asistencia")),
        (
            "assistance",
            ["asistencia"],
            _("informe de asistencia técnica"),
            _("código de la asistencia"),
        ),
        ("municipality", ["municipio", "ficha"], _("ficha municipal"), _("código DIVIPOLA")),
        (
            "monitoring",
            ["seguimiento"],
            _("informe de seguimiento de una dirección territorial"),
            _("código de la dirección"),
        ),
    ):
        p = rsub.add_parser(kind, aliases=aliases, help=what)
        p.add_argument("key", metavar=_("CÓDIGO"), help=key_help)
        p.add_argument(
            "-o",
            "--output",
            type=Path,
            metavar=_("ARCHIVO"),
            help=_("el PDF (por defecto, un nombre a partir del código en la carpeta actual)"),
        )
        p.add_argument(
            "--paper",
            choices=["letter", "a4", "carta"],
            help=_("tamaño del papel (por defecto, el del perfil)"),
        )
        if kind == "delivery":
            p.add_argument(
                "--deliverable",
                action="append",
                default=[],
                metavar="N",
                help=_(
                    "número del entregable en el acta (repetible; por defecto, los aprobados por entregar o la última entrega)"
                ),
            )
        p.set_defaults(func=cmd_report, kind=kind)
    p = rsub.add_parser(
        "settings", aliases=["ajustes"], help=_("organización, logo y papel de los informes")
    )
    p.add_argument(
        "--organization", metavar=_("NOMBRE"), help=_("nombre de la organización (vacío lo quita)")
    )
    p.add_argument("--logo", metavar=_("IMAGEN"), help=_("imagen del logo (vacío lo quita)"))
    p.add_argument("--paper", choices=["letter", "a4", "carta"], help=_("tamaño del papel"))
    p.set_defaults(func=cmd_report_settings)

    p = sub.add_parser(
        "workbook", aliases=["libro"], help=_("libro de seguimiento en Excel (.xlsx)")
    )
    p.add_argument("-o", "--output", type=Path, required=True, metavar=_("ARCHIVO"))
    p.add_argument(
        "--pseudonymize",
        "--seudonimizar",
        action="store_true",
        help=_("sin nombres ni documentos de los asistentes (para compartir)"),
    )
    p.set_defaults(func=cmd_workbook)

    ind = sub.add_parser(
        "indicators", aliases=["indicadores"], help=_("indicadores municipales (MDM, IDF, IPM…)")
    )
    isub = ind.add_subparsers(dest="action", required=True, metavar=_("ACCIÓN"))
    p = isub.add_parser(
        "import",
        help=_("importar valores de una hoja de cálculo del DNP o el DANE (coordinador)"),
        description=_(
            "Lee la hoja, detecta la fila de títulos y propone las columnas; las opciones "
            "corrigen lo que se detectó. Las filas que no se pueden usar se listan con su motivo."
        ),
    )
    p.add_argument("file", type=Path, metavar=_("ARCHIVO"))
    p.add_argument("--sheet", metavar=_("HOJA"), help=_("la hoja (por defecto, la primera útil)"))
    p.add_argument("--header-row", type=int, metavar="N", help=_("fila de los títulos (1, 2…)"))
    p.add_argument(
        "--code-column", metavar=_("COLUMNA"), help=_("columna del código DIVIPOLA (A, B…)")
    )
    p.add_argument("--value-column", metavar=_("COLUMNA"), help=_("columna del valor"))
    years = p.add_mutually_exclusive_group()
    years.add_argument("--year-column", metavar=_("COLUMNA"), help=_("columna del año"))
    years.add_argument("--year", type=int, metavar=_("AÑO"), help=_("un año para todas las filas"))
    p.add_argument("--indicator", metavar=_("NOMBRE"), help=_("MDM, IDF, IPM…"))
    p.add_argument("--source", metavar=_("TEXTO"), help=_("fuente de los datos"))
    p.add_argument("--dry-run", action="store_true", help=_("mostrar qué pasaría, sin escribir"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_indicators_import)
    return parser


def _assistance_fields(p: argparse.ArgumentParser, *, required: bool) -> None:
    p.add_argument("--municipality", required=required, help=_("código DIVIPOLA, p. ej. 52835"))
    p.add_argument(
        "--line", required=required, help=_("código de línea temática (ver «catalog lines»)")
    )
    p.add_argument(
        "--team",
        action="append",
        default=None,
        help=_("id o nombre de una persona (repetible; la primera lidera)"),
    )
    p.add_argument(
        "--counterpart",
        action="append",
        default=None,
        help=_("funcionario de contraparte «Nombre|Cargo|correo|teléfono» (repetible)"),
    )
    p.add_argument("--requested", type=_date, help=_("fecha de solicitud dd/mm/aaaa"))
    p.add_argument("--start", type=_date, help=_("fecha de inicio dd/mm/aaaa"))
    p.add_argument("--end", type=_date, help=_("fecha de finalización dd/mm/aaaa"))
    p.add_argument("--notes")


def _plan_code(p: argparse.ArgumentParser) -> None:
    p.add_argument("code", metavar=_("CÓDIGO"), help=_("código de la asistencia"))


def _choice(aliases: dict[str, Any]) -> Callable[[str], Any]:
    """An argparse type reading a choice by its code or its Spanish alias (any case)."""

    def parse(text: str) -> Any:
        try:
            return aliases[text.strip().casefold()]
        except KeyError:
            raise argparse.ArgumentTypeError(
                _(
                    "«{value}» no es una opción válida: use {options}.",
                    value=text,
                    options=", ".join(aliases),
                )
            ) from None

    return parse


def _date_or_blank(text: str) -> dt.date | None:
    """A date dd/mm/aaaa; an empty text («») clears the date."""
    return _date(text) if text.strip() else None


INDICATOR_TYPES = {
    "product": "product", "producto": "product",
    "result": "result", "resultado": "result",
    "impact": "impact", "impacto": "impact",
}  # fmt: skip
DIRECTIONS = {
    "increase": "increase", "aumentar": "increase",
    "decrease": "decrease", "disminuir": "decrease",
}  # fmt: skip
RESPONSIBLE_CHOICES = {
    "team": "team", "equipo": "team",
    "municipality": "municipality", "alcaldia": "municipality", "alcaldía": "municipality",
}  # fmt: skip
MOVES = {"up": -1, "subir": -1, "down": 1, "bajar": 1}
PRIORITY_LABELS = {1: N_("Alta"), 2: N_("Media"), 3: N_("Baja")}
PRIORITIES = {"1": 1, "alta": 1, "2": 2, "media": 2, "3": 3, "baja": 3}
ONLY_GIVEN = N_('Solo cambia lo que se indique; un texto vacío ("") borra un dato opcional.')


def _plan_texts(p: argparse.ArgumentParser) -> None:
    p.add_argument("--problem", default=argparse.SUPPRESS, metavar=_("TEXTO"), help=_("problema"))
    p.add_argument(
        "--objective", default=argparse.SUPPRESS, metavar=_("TEXTO"), help=_("objetivo general")
    )
    p.add_argument(
        "--alternative",
        default=argparse.SUPPRESS,
        metavar=_("TEXTO"),
        help=_("alternativa de solución"),
    )


def _result_options(p: argparse.ArgumentParser, *, required: bool) -> None:
    """The fields of a result; absent options are absent from the namespace (only given change)."""
    keep = argparse.SUPPRESS
    p.add_argument(
        "--statement",
        required=required,
        default=keep,
        metavar=_("TEXTO"),
        help=_("enunciado del resultado esperado"),
    )
    p.add_argument(
        "--indicator",
        dest="indicator_name",
        default=keep,
        metavar=_("NOMBRE"),
        help=_("nombre del indicador"),
    )
    p.add_argument(
        "--type",
        dest="indicator_type",
        type=_choice(INDICATOR_TYPES),
        default=keep,
        metavar=_("TIPO"),
        help=_("tipo de indicador: product (producto), result (resultado) o impact (impacto)"),
    )
    p.add_argument(
        "--unit", default=keep, metavar=_("UNIDAD"), help=_("unidad de medida, p. ej. personas")
    )
    p.add_argument("--baseline", default=keep, metavar=_("NÚMERO"), help=_("línea base"))
    p.add_argument("--target", default=keep, metavar=_("NÚMERO"), help=_("meta"))
    p.add_argument(
        "--direction",
        type=_choice(DIRECTIONS),
        default=keep,
        metavar=_("SENTIDO"),
        help=_("sentido del indicador: increase (aumentar) o decrease (disminuir)"),
    )
    p.add_argument(
        "--verification", default=keep, metavar=_("TEXTO"), help=_("medio de verificación")
    )
    p.add_argument(
        "--due",
        dest="due_on",
        type=_date_or_blank,
        default=keep,
        metavar=_("FECHA"),
        help=_("fecha esperada dd/mm/aaaa"),
    )


def _activity_options(p: argparse.ArgumentParser, *, required: bool) -> None:
    keep = argparse.SUPPRESS
    p.add_argument(
        "--description",
        required=required,
        default=keep,
        metavar=_("TEXTO"),
        help=_("descripción de la actividad"),
    )
    p.add_argument(
        "--responsible",
        type=_choice(RESPONSIBLE_CHOICES),
        default=keep,
        metavar=_("RESPONSABLE"),
        help=_("quién responde: team (equipo, por defecto) o municipality (alcaldía)"),
    )
    p.add_argument(
        "--official",
        dest="responsible_name",
        default=keep,
        metavar=_("NOMBRE"),
        help=_(
            "nombre del funcionario de la alcaldía responsable "
            "(o del integrante del equipo, opcional)"
        ),
    )
    p.add_argument(
        "--start",
        dest="start_on",
        type=_date_or_blank,
        default=keep,
        metavar=_("FECHA"),
        help=_("fecha de inicio dd/mm/aaaa"),
    )
    p.add_argument(
        "--end",
        dest="end_on",
        type=_date_or_blank,
        default=keep,
        metavar=_("FECHA"),
        help=_("fecha de finalización dd/mm/aaaa"),
    )


def _result_number(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "result", metavar=_("RESULTADO"), help=_("número del resultado en «plan show», p. ej. 2")
    )


def _activity_number(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "activity",
        metavar=_("ACTIVIDAD"),
        help=_("número de la actividad en «plan show», p. ej. 2.1"),
    )


def _plan_writing_parsers(plsub: Any) -> None:
    """`plan new|edit|add-result|…`: a whole plan written from the command line."""
    p = plsub.add_parser("new", help=_("crear el plan de acción de una asistencia, en borrador"))
    _plan_code(p)
    _plan_texts(p)
    p.set_defaults(func=cmd_plan_new)
    p = plsub.add_parser(
        "edit",
        help=_("cambiar el problema, el objetivo o la alternativa del plan"),
        description=_(ONLY_GIVEN),
    )
    _plan_code(p)
    _plan_texts(p)
    p.set_defaults(func=cmd_plan_edit)

    p = plsub.add_parser("add-result", help=_("agregar un resultado esperado con su indicador"))
    _plan_code(p)
    _result_options(p, required=True)
    p.set_defaults(func=cmd_plan_add_result)
    p = plsub.add_parser(
        "edit-result", help=_("editar un resultado y su indicador"), description=_(ONLY_GIVEN)
    )
    _plan_code(p)
    _result_number(p)
    _result_options(p, required=False)
    p.set_defaults(func=cmd_plan_edit_result)

    p = plsub.add_parser("add-activity", help=_("agregar una actividad a un resultado"))
    _plan_code(p)
    _result_number(p)
    _activity_options(p, required=True)
    p.set_defaults(func=cmd_plan_add_activity)
    p = plsub.add_parser(
        "edit-activity",
        help=_("editar una actividad o pasarla a otro resultado"),
        description=_(ONLY_GIVEN),
    )
    _plan_code(p)
    _activity_number(p)
    _activity_options(p, required=False)
    p.add_argument(
        "--result",
        dest="to_result",
        default=argparse.SUPPRESS,
        metavar=_("RESULTADO"),
        help=_("pasar la actividad al final de otro resultado (su número)"),
    )
    p.set_defaults(func=cmd_plan_edit_activity)

    number_help = _("número de un resultado (2) o de una actividad (2.1) en «plan show»")
    p = plsub.add_parser(
        "remove", help=_("eliminar un resultado (con sus actividades) o una actividad")
    )
    _plan_code(p)
    p.add_argument("number", metavar=_("NÚMERO"), help=number_help)
    p.add_argument("--yes", action="store_true", help=_("eliminar sin preguntar"))
    p.set_defaults(func=cmd_plan_remove)
    p = plsub.add_parser("move", help=_("subir o bajar un resultado o una actividad"))
    _plan_code(p)
    p.add_argument("number", metavar=_("NÚMERO"), help=number_help)
    p.add_argument(
        "direction",
        type=_choice(MOVES),
        metavar=_("SENTIDO"),
        help=_("up (subir) o down (bajar)"),
    )
    p.set_defaults(func=cmd_plan_move)

    p = plsub.add_parser("findings", help=_("listar los hallazgos del diagnóstico (H1, H2…)"))
    _plan_code(p)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_plan_findings)
    p = plsub.add_parser("finding-add", help=_("registrar un hallazgo del diagnóstico"))
    _plan_code(p)
    p.add_argument("--statement", required=True, metavar=_("TEXTO"), help=_("el hallazgo"))
    p.add_argument("--area", default="", metavar=_("ÁREA"), help=_("área del diagnóstico"))
    p.add_argument(
        "--priority",
        type=_choice(PRIORITIES),
        metavar=_("PRIORIDAD"),
        help=_("1 (alta), 2 (media) o 3 (baja)"),
    )
    p.set_defaults(func=cmd_plan_finding_add)
    p = plsub.add_parser(
        "finding-suggest",
        help=_("hallazgos que sugiere el diagnóstico: áreas con puntaje bajo y sus hallazgos"),
    )
    _plan_code(p)
    p.add_argument("--add", action="store_true", help=_("registrar las sugerencias"))
    p.set_defaults(func=cmd_plan_finding_suggest)
    p = plsub.add_parser(
        "finding-link", help=_("decir qué resultado atiende un hallazgo (o quitarlo)")
    )
    _plan_code(p)
    p.add_argument(
        "finding",
        metavar=_("HALLAZGO"),
        help=_("número del hallazgo en «plan findings», p. ej. H1"),
    )
    _result_number(p)
    p.add_argument("--unlink", action="store_true", help=_("quitar el vínculo"))
    p.set_defaults(func=cmd_plan_finding_link)

    p = plsub.add_parser(
        "visits", help=_("listar las visitas de la bitácora y las actividades que avanzaron")
    )
    _plan_code(p)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_plan_visits)
    p = plsub.add_parser(
        "link-visit", help=_("vincular una visita de la bitácora a la actividad que avanzó")
    )
    _plan_code(p)
    _activity_number(p)
    p.add_argument(
        "visit", metavar=_("VISITA"), help=_("número de la visita en «plan visits», p. ej. 1")
    )
    p.add_argument("--unlink", action="store_true", help=_("quitar el vínculo"))
    p.set_defaults(func=cmd_plan_link_visit)


DELIVERABLE_KINDS = {
    "policy_draft": "policy_draft", "politica": "policy_draft", "política": "policy_draft",
    "procedure_manual": "procedure_manual", "manual": "procedure_manual",
    "programme": "programme", "programa": "programme",
    "guide": "guide", "guia": "guide", "guía": "guide",
    "training": "training", "capacitacion": "training", "capacitación": "training",
    "toolkit": "toolkit", "herramientas": "toolkit",
    "plan": "plan",
    "other": "other", "otro": "other",
}  # fmt: skip


def _deliverable_number(p: argparse.ArgumentParser) -> None:
    _plan_code(p)
    p.add_argument(
        "number",
        metavar=_("NÚMERO"),
        help=_("número del entregable en «deliverable list», p. ej. 1"),
    )


def _deliverable_options(p: argparse.ArgumentParser, *, required: bool) -> None:
    """A deliverable's fields; absent options are absent from the namespace (only given change)."""
    keep = argparse.SUPPRESS
    p.add_argument(
        "--kind",
        required=required,
        type=_choice(DELIVERABLE_KINDS),
        default=keep,
        metavar=_("TIPO"),
        help=_(
            "tipo: policy_draft (política o acuerdo), procedure_manual (manual), "
            "programme (programa), guide (guía), training (capacitación), "
            "toolkit (caja de herramientas), plan u other (otro)"
        ),
    )
    p.add_argument(
        "--title", required=required, default=keep, metavar=_("TÍTULO"), help=_("título")
    )
    p.add_argument("--description", default=keep, metavar=_("TEXTO"), help=_("descripción"))
    p.add_argument(
        "--due",
        dest="due_on",
        type=_date_or_blank,
        default=keep,
        metavar=_("FECHA"),
        help=_("fecha esperada de entrega dd/mm/aaaa"),
    )
    results = p.add_mutually_exclusive_group()
    results.add_argument(
        "--result",
        dest="results",
        nargs="+",
        action="extend",
        default=keep,
        metavar=_("RESULTADO"),
        help=_("números de los resultados del plan a los que sirve (ver «plan show»)"),
    )
    if not required:
        results.add_argument(
            "--no-results",
            dest="results",
            action="store_const",
            const=[],
            default=keep,
            help=_("quitar los vínculos con los resultados del plan"),
        )


def _deliverable_parsers(sub: Any) -> None:
    """`deliverable list|show|new|edit|add-file|submit|approve|return|respond|deliver|survey`."""
    d = sub.add_parser(
        "deliverable",
        aliases=["entregable"],
        help=_("entregables de una asistencia: revisión de calidad, entrega y encuesta"),
    )
    dsub = d.add_subparsers(dest="action", required=True, metavar=_("ACCIÓN"))
    p = dsub.add_parser(
        "list", help=_("listar los entregables (1, 2…) con su estado y su fecha de entrega")
    )
    _plan_code(p)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_deliverable_list)
    p = dsub.add_parser(
        "show", help=_("ver un entregable: archivos, revisiones con sus comentarios, entrega")
    )
    _deliverable_number(p)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_deliverable_show)
    p = dsub.add_parser("new", help=_("registrar un entregable, en borrador"))
    _plan_code(p)
    _deliverable_options(p, required=True)
    p.set_defaults(func=cmd_deliverable_new)
    p = dsub.add_parser(
        "edit",
        help=_("editar un entregable en borrador o devuelto"),
        description=_(ONLY_GIVEN),
    )
    _deliverable_number(p)
    _deliverable_options(p, required=False)
    p.set_defaults(func=cmd_deliverable_edit)
    p = dsub.add_parser(
        "add-file",
        help=_("adjuntar un archivo del producto, una foto o el acta firmada escaneada"),
    )
    _deliverable_number(p)
    p.add_argument("file", type=Path, metavar=_("ARCHIVO"), help=_("el archivo a adjuntar"))
    p.add_argument("--caption", default="", metavar=_("TEXTO"), help=_("leyenda"))
    purpose = p.add_mutually_exclusive_group()
    purpose.add_argument(
        "--photo",
        dest="purpose",
        action="store_const",
        const="photo",
        help=_("es una foto (con su leyenda) y no un archivo del producto"),
    )
    purpose.add_argument(
        "--signed-act",
        dest="purpose",
        action="store_const",
        const="signed_act",
        help=_("es el acta de entrega firmada, escaneada (solo después de la entrega)"),
    )
    p.set_defaults(func=cmd_deliverable_add_file, purpose="product")
    p = dsub.add_parser("submit", help=_("enviar el entregable a revisión de calidad"))
    _deliverable_number(p)
    p.add_argument("--note", default="", metavar=_("TEXTO"), help=_("nota para el revisor"))
    p.set_defaults(func=cmd_deliverable_submit)
    p = dsub.add_parser(
        "approve", help=_("aprobar el entregable en revisión (revisor o coordinador)")
    )
    _deliverable_number(p)
    p.add_argument(
        "--comments", default="", metavar=_("TEXTO"), help=_("comentarios para el equipo")
    )
    p.set_defaults(func=cmd_deliverable_approve)
    p = dsub.add_parser(
        "return",
        help=_(
            "devolver el entregable con comentarios generales y por ítem (revisor o coordinador)"
        ),
    )
    _deliverable_number(p)
    p.add_argument(
        "--comments", default="", metavar=_("TEXTO"), help=_("comentario general para el equipo")
    )
    p.add_argument(
        "--item",
        dest="items",
        action="append",
        default=[],
        metavar=_("ÍTEM=COMENTARIO"),
        help=_(
            "comentario sobre un ítem (un archivo, un capítulo), p. ej. «manual.pdf=Falta la "
            "firma» (repetible)"
        ),
    )
    p.set_defaults(func=cmd_deliverable_return)
    p = dsub.add_parser(
        "respond", help=_("responder un comentario del revisor: qué hizo el equipo")
    )
    _deliverable_number(p)
    p.add_argument(
        "comment",
        metavar=_("COMENTARIO"),
        help=_("número del comentario en «deliverable show», p. ej. 1.2 (envío 1, comentario 2)"),
    )
    p.add_argument("--response", required=True, metavar=_("TEXTO"), help=_("la respuesta"))
    p.set_defaults(func=cmd_deliverable_respond)
    p = dsub.add_parser(
        "deliver", help=_("registrar la entrega formal de un entregable aprobado (el equipo)")
    )
    _deliverable_number(p)
    p.add_argument(
        "--date", required=True, type=_date, metavar=_("FECHA"), help=_("fecha dd/mm/aaaa")
    )
    p.add_argument("--place", required=True, metavar=_("LUGAR"), help=_("lugar de la entrega"))
    p.add_argument(
        "--received-by",
        required=True,
        metavar=_("NOMBRE"),
        help=_("nombre del funcionario que recibe"),
    )
    p.add_argument("--position", required=True, metavar=_("CARGO"), help=_("cargo de quien recibe"))
    p.add_argument(
        "--entity", required=True, metavar=_("ENTIDAD"), help=_("entidad de quien recibe")
    )
    p.add_argument(
        "--team",
        required=True,
        nargs="+",
        action="extend",
        metavar=_("NOMBRE"),
        help=_("integrantes del equipo presentes (uno o varios)"),
    )
    p.set_defaults(func=cmd_deliverable_deliver)
    p = dsub.add_parser(
        "survey", help=_("iniciar la encuesta de satisfacción de un entregable ya entregado")
    )
    _deliverable_number(p)
    p.set_defaults(func=cmd_deliverable_survey)


def _follow_up_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--date",
        type=_date,
        metavar=_("FECHA"),
        help=_("fecha del seguimiento dd/mm/aaaa (hoy si falta)"),
    )
    p.add_argument("--note", default="", metavar=_("TEXTO"), help=_("nota del seguimiento"))
    p.add_argument(
        "--evidence",
        type=Path,
        nargs="+",
        action="extend",
        default=[],
        metavar=_("ARCHIVO"),
        help=_("archivos de evidencia (uno o varios)"),
    )


def _scope_options(p: argparse.ArgumentParser, *, default_role: str | None) -> None:
    """The role and scope a coordinator gives (enrolment, quarantine acceptance)."""
    p.add_argument("--role", choices=["field", "reviewer", "coordinator"], default=default_role)
    p.add_argument(
        "--directorate",
        action="append",
        default=[],
        help=_("código de dirección territorial (repetible)"),
    )
    p.add_argument("--municipalities", default="", help=_("códigos DIVIPOLA separados por comas"))


def _codes(text: str) -> list[str]:
    return [c.strip() for c in text.split(",") if c.strip()]


def _open(args: argparse.Namespace, **kwargs: Any):  # type: ignore[no-untyped-def]
    from fieldkit.services.profile import Profile

    return Profile(args.data_dir, **kwargs)


def _print_json(data: object) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True, default=str))


def cmd_init(args: argparse.Namespace) -> int:
    from fieldkit.services.profile import status

    with _open(args, device_name=args.device_name, role=args.role) as profile:
        s = status(profile)
    print(
        _(
            "Perfil listo en {path}: {name} ({role}), dispositivo {id}.",
            path=s.data_dir,
            name=s.device_name,
            role=s.role,
            id=s.device_id,
        )
    )
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    from fieldkit.services.profile import ENTITY_LABELS, ROLE_LABELS, status

    with _open(args) as profile:
        s = status(profile)
    if args.json:
        _print_json(s.as_json())
        return 0
    print(_("Perfil:        {path}", path=s.data_dir))
    print(_("Dispositivo:   {name} ({id})", name=s.device_name, id=s.device_id))
    print(_("Rol:           {role}", role=_(ROLE_LABELS.get(s.role, s.role))))
    print(_("Usuario:       {user}", user=s.user_name))
    print(_("Operaciones:   {n}", n=s.operations))
    print(_("Copias:        {n} en {folder}", n=s.backups, folder=s.backups_dir))
    print(_("Registros:"))
    for name, count in s.records.items():
        print(f"  {_(ENTITY_LABELS.get(name, name)):<26} {count:>7}")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from fieldkit.services import demo

    def progress(done: int, total: int, text: str) -> None:
        if sys.stderr.isatty():
            print(f"\r{done}/{total} {text}".ljust(70), end="", file=sys.stderr, flush=True)

    with _open(args) as profile:
        if args.edits is not None:
            edits = demo.simulate_edits(profile, args.edits, seed=args.seed, progress=progress)
            print(str(edits))
            return 0
        summary = demo.generate(profile, scale=args.scale, seed=args.seed, progress=progress)
    if sys.stderr.isatty():
        print(file=sys.stderr)
    print(_("Datos de demostración creados: {summary}", summary=summary))
    return 0


def cmd_dump(args: argparse.Namespace) -> int:
    from fieldkit.services.profile import dump

    with _open(args) as profile:
        text = dump(profile)
    if args.output:
        args.output.write_text(text + "\n", encoding="utf-8")
    else:
        sys.stdout.write(text + "\n")
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    from fieldkit.services.profile import backup, list_backups

    with _open(args) as profile:
        if args.list:
            for path in list_backups(profile):
                print(path)
            return 0
        path = backup(profile)
    print(_("Copia de seguridad guardada en {path}", path=path))
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from fieldkit.services.profile import restore

    with _open(args) as profile:
        safety = restore(profile, args.file)
    print(
        _(
            "Restaurado desde {file}. Los datos anteriores quedaron en {safety}",
            file=args.file,
            safety=safety,
        )
    )
    return 0


def cmd_municipalities(args: argparse.Namespace) -> int:
    from fieldkit.services import catalog

    with _open(args) as profile:
        rows = catalog.filter_municipalities(
            catalog.list_municipalities(profile),
            " ".join(args.query),
            department=args.department,
            subregion=args.subregion,
            category=args.category,
            directorate=args.directorate,
            pdet_only=args.pdet,
        )
    if args.json:
        _print_json([{k: v for k, v in r._asdict().items() if k != "key"} for r in rows])
        return 0
    for r in rows:
        print(f"{r.code}  {r.name:<36} {r.department:<24} {r.pdet_subregion}")
    print(_("{n} municipios", n=len(rows)), file=sys.stderr)
    return 0


def cmd_municipality(args: argparse.Namespace) -> int:
    from fieldkit.services import catalog

    with _open(args) as profile:
        sheet = catalog.municipality_sheet(profile, args.code)
    m = sheet.municipality
    if args.json:
        _print_json(
            {
                "municipality": {k: v for k, v in m._asdict().items() if k != "key"},
                "indicators": [i._asdict() for i in sheet.indicators],
                "assistances": [
                    {k: v for k, v in a._asdict().items() if k != "key"} for a in sheet.assistances
                ],
            }
        )
        return 0
    print(f"{m.name} ({m.department}) — DIVIPOLA {m.code}")
    print(_("Tipo: {kind}", kind=_(catalog.KIND_LABELS.get(m.kind, m.kind))))
    print(_("Subregión PDET: {value}", value=m.pdet_subregion or _("no es PDET")))
    print(_("Categoría: {value}", value=m.category or _("sin dato")))
    print(_("Dirección territorial: {value}", value=m.directorate_name or _("sin asignar")))
    print(_("Ubicación: {lat}, {lon}", lat=m.latitude, lon=m.longitude))
    print(_("Indicadores: {n}", n=len(sheet.indicators)))
    for i in sheet.indicators:
        value = format_number(i.value) if i.value is not None else "—"
        print(
            f"  {i.indicator} {i.year}: {value} ({i.source})"
            if i.source
            else f"  {i.indicator} {i.year}: {value}"
        )
    print(_("Asistencias: {n}", n=len(sheet.assistances)))
    for a in sheet.assistances:
        print(f"  {a.code}  {a.thematic_line}  {_(a.state_label)}")  # type: ignore[attr-defined]
    return 0


def _resolve_team(profile: Any, names: Sequence[str]) -> list[str]:
    from fieldkit.domain.text import fold
    from fieldkit.services import persons

    people = persons.list_persons(profile)
    ids = []
    for item in names:
        match = [p for p in people if p.id == item or fold(p.name) == fold(item)]
        if len(match) != 1:
            raise ValidationError(
                "No se encontró a una sola persona «{name}». Use «fieldkit person list».", name=item
            )
        ids.append(match[0].id)
    return ids


def _counterparts(items: Sequence[str]) -> list[Any]:
    from fieldkit.services.assistances import CounterpartInput

    out = []
    for item in items:
        parts = [*item.split("|"), "", "", ""][:4]
        out.append(CounterpartInput(*[p.strip() for p in parts]))
    return out


def cmd_assistance_new(args: argparse.Namespace) -> int:
    from fieldkit.services import assistances

    with _open(args) as profile:
        data = assistances.AssistanceInput(
            municipality_code=args.municipality,
            thematic_line_code=args.line.upper(),
            team=_resolve_team(profile, args.team or []),
            counterparts=_counterparts(args.counterpart or []),
            requested_on=args.requested,
            start_on=args.start,
            end_on=args.end,
            notes=args.notes or "",
        )
        code, _changes = assistances.create_assistance(profile, data)
    print(code)
    return 0


def cmd_assistance_edit(args: argparse.Namespace) -> int:
    from fieldkit.services import assistances
    from fieldkit.services.assistances import CounterpartInput

    with _open(args) as profile:
        d = assistances.get_assistance(profile, args.code)
        data = assistances.AssistanceInput(
            municipality_code=args.municipality or d.row.municipality_code,
            thematic_line_code=(args.line or d.row.thematic_line_code).upper(),
            team=_resolve_team(profile, args.team)
            if args.team is not None
            else [m.person_id for m in d.team],
            counterparts=_counterparts(args.counterpart)
            if args.counterpart is not None
            else [
                CounterpartInput(c.name, c.position, c.email, c.phone, c.id) for c in d.counterparts
            ],
            requested_on=args.requested or d.row.requested_on,
            start_on=args.start or d.row.start_on,
            end_on=args.end or d.row.end_on,
            notes=args.notes if args.notes is not None else d.notes,
        )
        assistances.update_assistance(profile, args.code, data)
    print(_("Asistencia {code} actualizada.", code=d.row.code))
    return 0


def cmd_assistance_list(args: argparse.Namespace) -> int:
    from fieldkit.services import assistances

    with _open(args) as profile:
        rows = assistances.filter_assistances(
            assistances.list_assistances(profile),
            " ".join(args.query),
            state=args.state,
            thematic_line=args.line,
            directorate=args.directorate,
        )
    if args.json:
        _print_json([{k: v for k, v in r._asdict().items() if k != "key"} for r in rows])
        return 0
    for r in rows:
        print(
            f"{r.code:<18} {r.municipality:<26} {r.thematic_line_code:<13} {_(r.state_label):<14} {format_date(r.start_on):<10} {r.team}"
        )
    print(ngettext("{n} asistencia", "{n} asistencias", len(rows), n=len(rows)), file=sys.stderr)
    return 0


def cmd_assistance_show(args: argparse.Namespace) -> int:
    from fieldkit.domain.states import STATE_LABELS, AssistanceState
    from fieldkit.services import assistances

    with _open(args) as profile:
        d = assistances.get_assistance(profile, args.code)
    if args.json:
        _print_json(
            {
                "assistance": {k: v for k, v in d.row._asdict().items() if k != "key"},
                "notes": d.notes,
                "cancel_reason": d.cancel_reason,
                "team": [m._asdict() for m in d.team],
                "counterparts": [c._asdict() for c in d.counterparts],
                "history": [h._asdict() for h in d.history],
                "next_states": d.next_states,
            }
        )
        return 0
    r = d.row
    print(f"{r.code} — {r.municipality} ({r.department}), {r.thematic_line}")
    print(_("Estado: {state}", state=_(r.state_label)))
    print(
        _(
            "Fechas: solicitud {req}, inicio {start}, fin {end}",
            req=format_date(r.requested_on),
            start=format_date(r.start_on),
            end=format_date(r.end_on),
        )
    )
    print(_("Equipo: {team}", team=r.team or "—"))
    for c in d.counterparts:
        print(f"  {_('Contraparte')}: {c.name}, {c.position} {c.email} {c.phone}".rstrip())
    if d.notes:
        print(_("Notas: {notes}", notes=d.notes))
    print(_("Historial:"))
    for h in d.history:
        src = _(STATE_LABELS[AssistanceState(h.from_state)]) if h.from_state else "—"
        dst = _(STATE_LABELS[AssistanceState(h.to_state)])
        reason = f" ({h.reason})" if h.reason else ""
        print(f"  {format_datetime(h.changed_at)}  {src} → {dst}  {h.changed_by}{reason}")
    return 0


def cmd_assistance_move(args: argparse.Namespace) -> int:
    from fieldkit.domain.states import STATE_LABELS, AssistanceState
    from fieldkit.services import assistances

    with _open(args) as profile:
        assistances.transition(profile, args.code, args.state, args.reason)
    print(
        _(
            "Asistencia {code}: ahora «{state}».",
            code=args.code.upper(),
            state=_(STATE_LABELS[AssistanceState(args.state)]),
        )
    )
    return 0


def cmd_person_add(args: argparse.Namespace) -> int:
    from fieldkit.services import persons

    with _open(args) as profile:
        pid, _changes = persons.save_person(
            profile,
            name=args.name,
            role=args.role,
            directorate_code=args.directorate,
            email=args.email,
            phone=args.phone,
        )
    print(pid)
    return 0


def cmd_person_list(args: argparse.Namespace) -> int:
    from fieldkit.services import persons

    with _open(args) as profile:
        rows = persons.list_persons(profile)
    if args.json:
        _print_json([r._asdict() for r in rows])
        return 0
    for r in rows:
        print(
            f"{r.id}  {r.name:<34} {_(persons.PERSON_ROLES.get(r.role, r.role)):<22} {r.directorate_code}"
        )
    return 0


def cmd_enrol_request(args: argparse.Namespace) -> int:
    from fieldkit.services import sync

    with _open(args) as profile:
        sync.enrol_request(profile, args.output)
        print(
            _(
                "Solicitud guardada en {path}. Huella de este equipo: {fp}",
                path=args.output,
                fp=sync.fingerprint(profile),
            )
        )
    return 0


def cmd_enrol_accept(args: argparse.Namespace) -> int:
    from fieldkit.services import sync

    with _open(args) as profile:
        done = sync.enrol_accept(
            profile,
            args.request,
            args.output,
            role=args.role,
            directorates=args.directorate,
            municipalities=_codes(args.municipalities),
        )
    print(
        _(
            "Inscrito «{name}» ({role}), huella {fp}. Respuesta en {path}.",
            name=done.name,
            role=done.role,
            fp=done.fingerprint,
            path=args.output,
        )
    )
    return 0


def cmd_enrol_complete(args: argparse.Namespace) -> int:
    from fieldkit.services import sync

    with _open(args) as profile:
        done = sync.enrol_complete(profile, args.response)
    print(
        _(
            "Inscrito con «{name}», huella {fp}: confírmela con su coordinador.",
            name=done.name,
            fp=done.fingerprint,
        )
    )
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from fieldkit.services import sync

    with _open(args) as profile:
        done = sync.export(
            profile, args.output, for_device=args.for_device, everything=args.everything
        )
    print(
        _(
            "Paquete para «{name}»: {n} operaciones, cifrado, en {path}.",
            name=done.recipient,
            n=done.operations,
            path=done.path,
        )
    )
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from fieldkit.services import sync

    with _open(args) as profile:
        results, _changes = sync.import_bundles(profile, args.bundles, dry_run=args.dry_run)
    _print_import(results)
    return 2 if any(r.status == "refused" for r in results) else 0


def _print_import(results: Sequence[Any]) -> None:
    """Per bundle: its status and sender, then what it brought or why it was refused."""
    labels = {
        "applied": _("aplicado"),
        "dry-run": _("simulación: no se cambió nada"),
        "quarantined": _("en cuarentena: remitente no inscrito"),
        "refused": _("rechazado"),
    }
    for r in results:
        print(f"{r.path.name}: {labels[r.status]} — {r.sender}")
        if r.error is not None:
            print(f"  {r.error.render(_)}")
            continue
        print(
            "  "
            + _(
                "{received} operaciones: {new} registros nuevos, {updated} campos actualizados, "
                "{conflicts} conflictos, {duplicates} ya conocidas, {rejected} rechazadas",
                received=r.received,
                new=r.new_records,
                updated=r.updated_fields,
                conflicts=r.conflicts,
                duplicates=r.duplicates,
                rejected=len(r.rejected),
            )
        )
        for what, reason in r.rejected[:20]:
            print(f"    {what}: {reason}")


def _answers_file(path: Path) -> dict[str, Any]:
    try:
        answers = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ValidationError(
            "No se pudieron leer las respuestas de {path}: {error}", path=str(path), error=str(exc)
        ) from exc
    if not isinstance(answers, dict):
        raise ValidationError(
            '{path} debe contener un objeto JSON: {{"pregunta": valor, …}}.', path=str(path)
        )
    return answers


def cmd_forms_eval(args: argparse.Namespace) -> int:
    """No profile needed: a methodologist tries an expression against answers in a file."""
    from fieldkit.forms.expressions import evaluate_text, format_value

    answers = _answers_file(args.answers) if args.answers is not None else None
    print(format_value(evaluate_text(args.expression, answers)))
    return 0


def cmd_forms_check(args: argparse.Namespace) -> int:
    """A summary of a good form; every problem of a broken one with sheet and row (exit 2)."""
    from fieldkit.forms import check_form

    print("\n".join(check_form(args.file).lines(_)))  # FormError: exit 2 with every problem
    return 0


def cmd_forms_list(args: argparse.Namespace) -> int:
    from fieldkit.services import forms

    with _open(args) as profile:
        for i in forms.instruments(profile):
            source = _("publicado") if i.source == "published" else _("incluido")
            line = f" [{i.thematic_line_code}]" if i.thematic_line_code else ""
            print(f"{i.form_id:<38} {i.version:<12} {i.kind:<11}{line} {i.title} ({source})")
    return 0


def cmd_forms_publish(args: argparse.Namespace) -> int:
    from fieldkit.services import forms

    with _open(args) as profile:
        done = forms.publish(profile, args.file, kind=args.kind, thematic_line=args.line)
    print(
        _(
            "Publicado «{title}» ({form}), versión {version}: llegará a los equipos en sus "
            "próximos paquetes.",
            title=done.title,
            form=done.form_id,
            version=done.version,
        )
    )
    return 0


def cmd_forms_validate(args: argparse.Namespace) -> int:
    """Errors per answer as JSON; exit 1 when the answers are not valid."""
    from fieldkit.forms import validate_answers

    errors = validate_answers(args.file, _answers_file(args.answers), translate=_)
    print(json.dumps(errors, ensure_ascii=False, indent=2, sort_keys=True))
    return 1 if errors else 0


def cmd_sync(args: argparse.Namespace) -> int:
    from fieldkit.services import sync_folder

    with _open(args) as profile:
        if args.unset_folder:
            sync_folder.set_folder(profile, None)
            print(_("Carpeta de sincronización olvidada."))
            return 0
        if args.set_folder is not None:
            chosen = sync_folder.set_folder(profile, args.set_folder, on_start=not args.no_on_start)
            print(_("Carpeta de sincronización: {folder}", folder=chosen.folder))
            return 0
        done, _changes = sync_folder.sync(profile, args.folder, dry_run=args.dry_run)
    print(_("Carpeta de sincronización: {folder}", folder=done.folder))
    print(
        "  "
        + _(
            "{new} paquetes nuevos para este equipo, {already} ya importados, "
            "{others} para otros equipos.",
            new=len(done.imported),
            already=done.already,
            others=done.others,
        )
    )
    _print_import(done.imported)
    for sent in done.written:
        print(
            _(
                "Enviado a «{name}»: {n} operaciones, cifrado, en {path}.",
                name=sent.recipient,
                n=sent.operations,
                path=sent.path.name,
            )
        )
    if done.removed:
        print(_("{n} paquetes anteriores retirados: su destinatario ya los tiene.", n=done.removed))
    return 2 if any(r.status == "refused" for r in done.imported) else 0


def cmd_quarantine(args: argparse.Namespace) -> int:
    from fieldkit.services import sync

    with _open(args) as profile:
        if args.action == "accept":
            if not args.file:
                raise ValidationError(
                    "Indique el paquete: fieldkit quarantine accept ARCHIVO.fkb --role field --directorate COD"
                )
            result = sync.accept_quarantined(
                profile,
                args.file,
                role=args.role,
                directorates=args.directorate,
                municipalities=_codes(args.municipalities),
            )
            print(
                _(
                    "Remitente «{name}» aceptado; paquete importado: {n} operaciones, {rejected} rechazadas.",
                    name=result.sender,
                    n=result.received,
                    rejected=len(result.rejected),
                )
            )
            return 0
        for q in sync.list_quarantine(profile):
            print(f"{q.file}  {q.sender}  {q.device_id}  {q.fingerprint}  {q.operations}")
    return 0


def cmd_peers(args: argparse.Namespace) -> int:
    from fieldkit.services import sync

    with _open(args) as profile:
        for p in sync.list_peers(profile):
            print(
                f"{p.device_id}  {p.name:<28} {p.relation:<12} {p.role:<12} {p.fingerprint}  {p.directorates} {p.municipalities}".rstrip()
            )
    return 0


def cmd_conflicts(args: argparse.Namespace) -> int:
    from fieldkit.services import history

    with _open(args) as profile:
        if args.action == "resolve":
            if not args.id or not args.keep:
                raise ValidationError(
                    "Indique el conflicto y qué valor conservar: "
                    "fieldkit conflicts resolve ID --keep mine|theirs"
                )
            history.resolve_conflict(profile, args.id, args.keep)
            print(_("Conflicto resuelto: la decisión viajará en el próximo paquete."))
            return 0
        rows = history.list_conflicts(profile, include_resolved=args.all)
    if args.json:
        _print_json(
            [{**c._asdict(), "mine": c.mine._asdict(), "theirs": c.theirs._asdict()} for c in rows]
        )
        return 0
    for c in rows:
        state = _("abierto") if c.open else _("resuelto")
        what = history.describe_field(c.entity, c.field)
        print(f"{c.id[:8]}  {what}  {c.record or c.record_id} ({c.record_id[:8]})  [{state}]")
        for label, side in ((_("mío"), c.mine), (_("otro"), c.theirs)):
            print(
                f"    {label:<5} {side.text or repr(side.value)}  {side.author} @ {side.device[:8]}"
                f"  {format_datetime(side.at)}"
            )
    print(_("{n} conflictos", n=len(rows)), file=sys.stderr)
    return 0


def cmd_history(args: argparse.Namespace) -> int:
    from fieldkit.services import assistances, history

    with _open(args) as profile:
        key = args.record
        with contextlib.suppress(FieldkitError):  # not an assistance code: any record id
            key = assistances.get_assistance(profile, key).row.id
        changes = history.record_history(profile, key)
    if args.json:
        _print_json([c._asdict() for c in changes])
        return 0
    for c in changes:
        print(
            f"{format_datetime(c.at)}  {history.describe_field(c.entity, c.field)} = "
            f"{c.text or repr(c.value)}  {c.author} @ {c.device[:8]} #{c.seq}"
        )
    return 0


# Plans and progress (issue 5) -----------------------------------------------------------------


def _floor_percent(value: float | None) -> str:
    """Percents are rounded down, as the warning is: 29,6 % never reads as the 30 % threshold."""
    return f"{math.floor(value)} %" if value is not None else "—"


def _progress_line(p: Any) -> str:
    """Results achieved first, then activities completed: never activities alone."""
    if p.results_total:
        results = _(
            "resultados logrados {percent} ({measured} de {total} medidos)",
            percent=_floor_percent(p.results_percent),
            measured=p.results_measured,
            total=p.results_total,
        )
    else:
        results = _("resultados logrados: sin resultados")
    if p.activities_total:
        activities = _(
            "actividades completadas {percent} ({complete} de {total})",
            percent=_floor_percent(p.activities_percent),
            complete=p.activities_complete,
            total=p.activities_total,
        )
    else:
        activities = _("actividades completadas: sin actividades")
    overdue = ngettext("{n} actividad vencida", "{n} actividades vencidas", p.overdue)
    return f"{results} · {activities} · {overdue}"


def _warning_text(p: Any) -> str | None:
    from fieldkit.domain.progress import warning_reasons

    reasons = warning_reasons(p)
    if reasons is None:
        return None
    msgid, params = reasons
    return _(msgid, **params)


def _progress_json(row: Any, found: Any) -> dict[str, object]:
    """One assistance's figures for `progress --json`: numbers as numbers, null when unknown."""
    p = found.progress if found is not None else None
    return {
        "code": row.code,
        "municipality": row.municipality,
        "thematic_line": row.thematic_line,
        "plan_state": found.plan_state.value if found is not None and found.plan_state else None,
        "results_percent": p.results_percent if p else None,
        "activities_percent": p.activities_percent if p else None,
        "activities_total": p.activities_total if p else 0,
        "activities_complete": p.activities_complete if p else 0,
        "results_total": p.results_total if p else 0,
        "results_measured": p.results_measured if p else 0,
        "overdue": p.overdue if p else 0,
        "warning": p.warning if p else False,
        "warning_text": _warning_text(p) if p else None,
    }


def cmd_progress(args: argparse.Namespace) -> int:
    from fieldkit.domain.plans import PLAN_STATE_LABELS
    from fieldkit.services import assistances, plans

    with _open(args) as profile:
        if args.code:
            found = assistances.get_assistance(profile, args.code)  # unknown code: exit 2
            rows = assistances.list_assistances(profile, assistance_id=found.row.id)
        else:
            rows = assistances.list_assistances(profile)
        rows = assistances.filter_assistances(rows, directorate=args.directorate)
        figures = plans.progress_by_assistance(profile)
    if args.json:
        _print_json([_progress_json(r, figures.get(r.id)) for r in rows])
        return 0
    for r in rows:
        found = figures.get(r.id)
        if found is None:
            print(f"{r.code}  {r.municipality} · {r.thematic_line} · {_('sin plan')}")
            continue
        state = _(PLAN_STATE_LABELS[found.plan_state]) if found.plan_state else "—"
        print(f"{r.code}  {r.municipality} · {r.thematic_line} · {state}")
        print(f"    {_progress_line(found.progress)}")
        warning = _warning_text(found.progress)
        if warning:
            print("    " + _("ALERTA: {text}", text=warning))
    print(ngettext("{n} asistencia", "{n} asistencias", len(rows), n=len(rows)), file=sys.stderr)
    return 0


class _Numbered:
    """The numbers `plan show` gives: results 1, 2…; activities 1.1, 1.2, 2.1…; activities whose
    result was removed on another laptop, 0.1, 0.2…; findings H1, H2…"""

    def __init__(self, view: Any) -> None:
        self.results: list[tuple[str, Any]] = []
        self.activities: dict[str, Any] = {}
        self.activity_numbers: dict[str, str] = {}
        self.result_numbers: dict[str, str] = {}
        position = 0
        for r in view.results:
            if r.id:
                position += 1
                number = str(position)
                self.result_numbers[r.id] = number
            else:
                number = "0"
            self.results.append((number, r))
            for index, a in enumerate(r.activities, start=1):
                self.activities[f"{number}.{index}"] = a
                self.activity_numbers[a.id] = f"{number}.{index}"
        self.findings = {f.id: f"H{i}" for i, f in enumerate(view.findings, start=1)}

    def result(self, code: str, number: str) -> Any:
        for shown, r in self.results:
            if r.id and shown == number.strip():
                return r
        raise ValidationError(
            "El plan de {code} no tiene el resultado {number}. "
            "Vea los números con «fieldkit plan show {code}».",
            code=code,
            number=number,
        )

    def activity(self, code: str, number: str) -> Any:
        parts = number.strip().split(".")
        key = ".".join(str(int(p)) for p in parts) if all(p.isdigit() for p in parts) else ""
        found = self.activities.get(key) if len(parts) == 2 else None
        if found is None:
            raise ValidationError(
                "El plan de {code} no tiene la actividad {number}: se escribe resultado.actividad, "
                "p. ej. 2.1. Vea los números con «fieldkit plan show {code}».",
                code=code,
                number=number,
            )
        return found


def _plan_of(profile: Any, code: str) -> tuple[Any, Any]:
    """The assistance row and its plan view; exit 2 when the code is unknown or has no plan."""
    from fieldkit.services import assistances, plans

    row = assistances.get_assistance(profile, code).row
    view = plans.get_plan(profile, row.id)
    if view is None:
        raise NotFoundError(
            "La asistencia {code} no tiene plan de acción: créelo con «fieldkit plan new {code}» "
            "o en la ventana.",
            code=row.code,
        )
    return row, view


def _plain(value: object) -> object:
    """Read models as JSON: named tuples become objects, tuples lists."""
    if isinstance(value, tuple) and hasattr(value, "_asdict"):
        return {k: _plain(v) for k, v in value._asdict().items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def _plan_json(row: Any, view: Any, numbers: _Numbered) -> dict[str, object]:
    from fieldkit.services.plans import decision_text

    results = []
    for number, r in numbers.results:
        result = _plain(r)
        assert isinstance(result, dict)
        result["number"] = number
        result["achievement_percent"] = r.achievement * 100 if r.achievement is not None else None
        result["findings"] = [{"id": f, "number": numbers.findings.get(f)} for f in r.findings]
        result["activities"] = [
            {
                **_plain(a),  # type: ignore[dict-item]
                "number": numbers.activity_numbers[a.id],
                "responsible_label": _(a.responsible_label),
            }
            for a in r.activities
        ]
        results.append(result)
    return {
        "code": row.code,
        "assistance_id": view.assistance_id,
        "plan_id": view.id,
        "version": view.version,
        "state": view.state.value,
        "state_label": _(view.state_label),
        "editable": view.editable,
        "problem": view.problem,
        "objective": view.objective,
        "alternative": view.alternative,
        "progress": {**view.progress._asdict(), "warning_text": _warning_text(view.progress)},
        "results": results,
        "versions": [{**v._asdict(), "decision_label": _(decision_text(v))} for v in view.versions],
        "findings": [
            {**f._asdict(), "number": numbers.findings[f.id], "results": list(f.results)}
            for f in view.findings
        ],
    }


def _number(value: float | None) -> str:
    return format_number(value) if value is not None else "—"


def _dates(start: dt.date | None, end: dt.date | None) -> str:
    if start and end:
        return f"{format_date(start)} – {format_date(end)}"
    if end:
        return _("hasta el {date}", date=format_date(end))
    if start:
        return _("desde el {date}", date=format_date(start))
    return _("sin fechas")


def _print_plan(row: Any, view: Any, numbers: _Numbered) -> None:
    from fieldkit.domain.progress import (
        ACTIVITY_STATE_LABELS,
        DIRECTION_LABELS,
        INDICATOR_TYPE_LABELS,
        ActivityState,
        Direction,
        IndicatorType,
    )
    from fieldkit.services.plans import decision_text

    def label(labels: dict[Any, str], kind: Any, value: str | None) -> str:
        try:
            return _(labels[kind(value)])
        except ValueError:
            return value or "—"

    print(
        _(
            "Plan de acción de {code} — {municipality}, {line}",
            code=row.code,
            municipality=row.municipality,
            line=row.thematic_line,
        )
    )
    print(_("Estado: {state} · versión {version}", state=_(view.state_label), version=view.version))
    print(_("Problema: {text}", text=view.problem or "—"))
    print(_("Objetivo general: {text}", text=view.objective or "—"))
    print(_("Alternativa de solución: {text}", text=view.alternative or "—"))
    print(_("Avance: {figures}", figures=_progress_line(view.progress)))
    warning = _warning_text(view.progress)
    if warning:
        print(_("ALERTA: {text}", text=warning))
    for number, r in numbers.results:
        print()
        if not r.id:
            print(_("Actividades sin resultado (su resultado se eliminó en otro equipo):"))
        else:
            print(_("Resultado {number}: {statement}", number=number, statement=r.statement))
            print(
                "    "
                + _(
                    "Indicador: {name} ({kind}), {unit}; línea base {baseline} → meta {target} "
                    "({direction}); fecha esperada {due}",
                    name=r.indicator_name or "—",
                    kind=label(INDICATOR_TYPE_LABELS, IndicatorType, r.indicator_type),
                    unit=r.unit or _("sin unidad"),
                    baseline=_number(r.baseline),
                    target=_number(r.target),
                    direction=label(DIRECTION_LABELS, Direction, r.direction),
                    due=format_date(r.due_on) or "—",
                )
            )
            if r.verification:
                print("    " + _("Medio de verificación: {text}", text=r.verification))
            if r.measured is not None:
                print(
                    "    "
                    + _(
                        "Medido: {value} el {date} · logro {percent}",
                        value=f"{_number(r.measured)} {r.unit}".strip(),
                        date=format_date(r.measured_on),
                        percent=_floor_percent(
                            r.achievement * 100 if r.achievement is not None else None
                        ),
                    )
                )
            else:
                print("    " + _("Sin medición del indicador."))
            if r.findings:
                shown = ", ".join(numbers.findings.get(f, f[:8]) for f in r.findings)
                print("    " + _("Atiende los hallazgos: {findings}", findings=shown))
        for a in r.activities:
            print(
                "    "
                + _(
                    "Actividad {number}: {description}",
                    number=numbers.activity_numbers[a.id],
                    description=a.description,
                )
            )
            who = _(a.responsible_label)
            if a.responsible_name:
                who = f"{who} ({a.responsible_name})"
            state = label(ACTIVITY_STATE_LABELS, ActivityState, a.state) if a.state else ""
            figures = _(
                "responsable: {who} · {dates} · avance {percent}",
                who=who,
                dates=_dates(a.start_on, a.end_on),
                percent=_floor_percent(a.percent),
            )
            if state:
                figures += f" ({state})"
            if a.overdue:
                figures += " · " + _("VENCIDA")
            print(f"        {figures}")
    if view.findings:
        print()
        print(_("Hallazgos del diagnóstico:"))
        for f in view.findings:
            print(f"    {numbers.findings[f.id]}: {f.statement}")
    print()
    if not view.versions:
        print(_("Versiones: ninguna enviada a revisión."))
    else:
        print(_("Versiones:"))
    for v in view.versions:
        line = _(
            "Versión {version} (envío {number}): enviada el {at} por {who} — {decision}",
            version=v.version,
            number=v.number,
            at=format_datetime(v.submitted_at) or "—",
            who=v.submitted_by or "—",
            decision=_(decision_text(v)),
        )
        if v.decided_at is not None:
            line += " " + _(
                "el {at} por {who}", at=format_datetime(v.decided_at), who=v.decided_by or "—"
            )
        print(f"    {line}")
        if v.comments:
            print("        " + _("Comentarios: {text}", text=v.comments))


def cmd_plan_show(args: argparse.Namespace) -> int:
    with _open(args) as profile:
        row, view = _plan_of(profile, args.code)
    numbers = _Numbered(view)
    if args.json:
        _print_json(_plan_json(row, view, numbers))
        return 0
    _print_plan(row, view, numbers)
    return 0


def cmd_plan_submit(args: argparse.Namespace) -> int:
    from fieldkit.services import plans

    with _open(args) as profile:
        row, view = _plan_of(profile, args.code)
        plans.submit(profile, view.id)
        _row, view = _plan_of(profile, row.id)
    last = view.last_version
    print(
        _(
            "Plan de {code} enviado a revisión (versión {version}, envío {number}).",
            code=row.code,
            version=view.version,
            number=last.number if last else 1,
        )
    )
    return 0


def cmd_plan_approve(args: argparse.Namespace) -> int:
    from fieldkit.services import plans

    with _open(args) as profile:
        row, view = _plan_of(profile, args.code)
        plans.approve(profile, view.id, args.comments)
    print(_("Plan de {code} aprobado (versión {version}).", code=row.code, version=view.version))
    return 0


def cmd_plan_return(args: argparse.Namespace) -> int:
    from fieldkit.services import plans

    with _open(args) as profile:
        row, view = _plan_of(profile, args.code)
        plans.return_plan(profile, view.id, args.comments)
    print(
        _(
            "Plan de {code} devuelto al equipo con comentarios: vuelve a borrador.",
            code=row.code,
        )
    )
    return 0


def cmd_plan_new_version(args: argparse.Namespace) -> int:
    from fieldkit.services import plans

    with _open(args) as profile:
        row, view = _plan_of(profile, args.code)
        plans.new_version(profile, view.id)
    print(
        _(
            "Plan de {code}: versión {version} en borrador; la versión {previous} aprobada "
            "sigue disponible.",
            code=row.code,
            version=view.version + 1,
            previous=view.version,
        )
    )
    return 0


def cmd_plan_progress(args: argparse.Namespace) -> int:
    from fieldkit.services import plans

    with _open(args) as profile:
        row, view = _plan_of(profile, args.code)
        activity = _Numbered(view).activity(row.code, args.activity)
        recorded_on = args.date or dt.date.today()
        follow_up_id, _changes = plans.record_activity_progress(
            profile,
            activity.id,
            recorded_on,
            args.percent,  # the service reads «85,5» as well as «85.5»
            state=args.state,
            note=args.note,
            evidence=args.evidence,
        )
        _row, view = _plan_of(profile, row.id)
    numbers = _Numbered(view)
    number = numbers.activity_numbers[activity.id]
    recorded = next(f for f in numbers.activities[number].follow_ups if f.id == follow_up_id)
    print(
        _(
            "Actividad {number} de {code}: avance {percent} el {date}, {n} evidencias.",
            number=number,
            code=row.code,
            percent=_floor_percent(recorded.progress),
            date=format_date(recorded_on),
            n=len(recorded.evidence),
        )
    )
    _print_plan_figures(view.progress)
    return 0


def _print_plan_figures(p: Any) -> None:
    print(_("Avance del plan: {figures}", figures=_progress_line(p)))
    warning = _warning_text(p)
    if warning:
        print(_("ALERTA: {text}", text=warning))


def cmd_plan_measure(args: argparse.Namespace) -> int:
    from fieldkit.domain.progress import result_achievement
    from fieldkit.services import plans

    with _open(args) as profile:
        row, view = _plan_of(profile, args.code)
        result = _Numbered(view).result(row.code, args.result)
        recorded_on = args.date or dt.date.today()
        follow_up_id, _changes = plans.record_measurement(
            profile,
            result.id,
            recorded_on,
            args.value,  # the service reads «20,5» as well as «20.5»
            verification=args.verification,
            note=args.note,
            evidence=args.evidence,
        )
        _row, view = _plan_of(profile, row.id)
    numbers = _Numbered(view)
    number = numbers.result_numbers[result.id]
    after = numbers.result(row.code, number)
    recorded = next(f for f in after.follow_ups if f.id == follow_up_id)
    achievement = result_achievement(after.baseline, after.target, recorded.value, after.direction)
    print(
        _(
            "Resultado {number} de {code}: valor medido {value} el {date} (logro {percent}), "
            "{n} evidencias.",
            number=number,
            code=row.code,
            value=_number(recorded.value),
            date=format_date(recorded_on),
            percent=_floor_percent(achievement * 100 if achievement is not None else None),
            n=len(recorded.evidence),
        )
    )
    _print_plan_figures(view.progress)
    return 0


# Writing the plan from the command line ------------------------------------------------------


def _given(args: argparse.Namespace, fields: Sequence[str]) -> dict[str, Any]:
    """The options the person gave (the others are absent: argparse.SUPPRESS)."""
    return {name: getattr(args, name) for name in fields if hasattr(args, name)}


def _nothing_to_change(args: argparse.Namespace) -> ValidationError:
    return ValidationError(
        "Nada que cambiar: indique al menos una opción (vea «fieldkit plan {action} -h»).",
        action=args.action,
    )


def cmd_plan_new(args: argparse.Namespace) -> int:
    from fieldkit.services import assistances, plans

    with _open(args) as profile:
        row = assistances.get_assistance(profile, args.code).row
        plans.create_plan(profile, row.id, plans.PlanInput(**_given(args, plans.PlanInput._fields)))
    print(_("Plan de acción de {code} creado en borrador (versión 1).", code=row.code))
    print(
        _(
            "Agregue sus resultados con «fieldkit plan add-result {code} --statement …».",
            code=row.code,
        )
    )
    return 0


def cmd_plan_edit(args: argparse.Namespace) -> int:
    from fieldkit.services import plans

    given = _given(args, plans.PlanInput._fields)
    if not given:
        raise _nothing_to_change(args)
    with _open(args) as profile:
        row, view = _plan_of(profile, args.code)
        data = plans.PlanInput(view.problem, view.objective, view.alternative)._replace(**given)
        plans.update_plan(profile, view.id, data)
    print(_("Plan de {code} actualizado.", code=row.code))
    return 0


def cmd_plan_add_result(args: argparse.Namespace) -> int:
    from fieldkit.services import plans

    given = _given(args, plans.ResultInput._fields)  # numbers as typed: «20,5» is read too
    with _open(args) as profile:
        row, view = _plan_of(profile, args.code)
        result_id, _changes = plans.add_result(profile, view.id, plans.ResultInput(**given))
        _row, view = _plan_of(profile, row.id)
    print(
        _(
            "Resultado {number} agregado al plan de {code}: {statement}",
            number=_Numbered(view).result_numbers[result_id],
            code=row.code,
            statement=given["statement"].strip(),
        )
    )
    return 0


def cmd_plan_edit_result(args: argparse.Namespace) -> int:
    from fieldkit.services import plans

    given = _given(args, plans.ResultInput._fields)
    with _open(args) as profile:
        row, view = _plan_of(profile, args.code)
        numbers = _Numbered(view)
        r = numbers.result(row.code, args.result)
        if not given:
            raise _nothing_to_change(args)
        current = plans.ResultInput(
            r.statement,
            r.indicator_name,
            r.indicator_type,
            r.unit,
            r.baseline,
            r.target,
            r.direction,
            r.verification,
            r.due_on,
        )
        plans.update_result(profile, r.id, current._replace(**given))
    print(
        _(
            "Resultado {number} de {code} actualizado.",
            number=numbers.result_numbers[r.id],
            code=row.code,
        )
    )
    return 0


ACTIVITY_FIELDS = ("description", "responsible", "responsible_name", "start_on", "end_on")


def cmd_plan_add_activity(args: argparse.Namespace) -> int:
    from fieldkit.services import plans

    given = _given(args, ACTIVITY_FIELDS)
    with _open(args) as profile:
        row, view = _plan_of(profile, args.code)
        result = _Numbered(view).result(row.code, args.result)
        activity_id, _changes = plans.add_activity(
            profile, view.id, plans.ActivityInput(result_id=result.id, **given)
        )
        _row, view = _plan_of(profile, row.id)
    print(
        _(
            "Actividad {number} agregada al plan de {code}: {description}",
            number=_Numbered(view).activity_numbers[activity_id],
            code=row.code,
            description=given["description"].strip(),
        )
    )
    return 0


def cmd_plan_edit_activity(args: argparse.Namespace) -> int:
    from fieldkit.services import plans

    given = _given(args, ACTIVITY_FIELDS)
    with _open(args) as profile:
        row, view = _plan_of(profile, args.code)
        numbers = _Numbered(view)
        a = numbers.activity(row.code, args.activity)
        if hasattr(args, "to_result"):
            given["result_id"] = numbers.result(row.code, args.to_result).id
        if not given:
            raise _nothing_to_change(args)
        current = plans.ActivityInput(
            a.description, a.result_id, a.responsible, a.responsible_name, a.start_on, a.end_on
        )
        plans.update_activity(profile, a.id, current._replace(**given))
        _row, view = _plan_of(profile, row.id)
    before = numbers.activity_numbers[a.id]
    after = _Numbered(view).activity_numbers[a.id]
    if after == before:
        print(_("Actividad {number} de {code} actualizada.", number=before, code=row.code))
    else:
        print(
            _(
                "Actividad {number} de {code} actualizada: ahora es la {new}.",
                number=before,
                code=row.code,
                new=after,
            )
        )
    return 0


def _confirm(question: str, yes: bool) -> bool:
    """--yes, or the person's answer in a terminal; without a terminal, refuse (exit 2)."""
    if yes:
        return True
    if not sys.stdin.isatty():
        raise ValidationError(
            "{question} No hay una terminal para preguntarlo: agregue --yes para confirmar.",
            question=question,
        )
    print(f"{question} {_('[s/N]')} ", end="", file=sys.stderr, flush=True)
    answer = sys.stdin.readline().strip().casefold()
    return answer in {"s", "si", "sí", "y", "yes"}


def _result_or_activity(numbers: _Numbered, code: str, number: str) -> tuple[bool, Any, str]:
    """(is an activity, its row, its number as `plan show` writes it) for «2» or «2.1»."""
    if "." in number:
        activity = numbers.activity(code, number)
        return True, activity, numbers.activity_numbers[activity.id]
    result = numbers.result(code, number)
    return False, result, numbers.result_numbers[result.id]


def cmd_plan_remove(args: argparse.Namespace) -> int:
    from fieldkit.domain.plans import check_edit
    from fieldkit.services import plans

    with _open(args) as profile:
        row, view = _plan_of(profile, args.code)
    is_activity, item, number = _result_or_activity(_Numbered(view), row.code, args.number)
    n = 0 if is_activity else len(item.activities)
    if is_activity:
        question = _(
            "¿Eliminar la actividad {number} «{text}»?", number=number, text=item.description
        )
    elif n:
        question = ngettext(
            "¿Eliminar el resultado {number} «{text}» con su actividad?",
            "¿Eliminar el resultado {number} «{text}» con sus {n} actividades?",
            n,
            number=number,
            text=item.statement,
        )
    else:
        question = _(
            "¿Eliminar el resultado {number} «{text}»?", number=number, text=item.statement
        )
    check_edit(view.state)  # before asking: a plan sent to review is not edited
    if not _confirm(question, args.yes):
        print(_("No se eliminó nada."), file=sys.stderr)
        return 0
    with _open(args) as profile:
        if is_activity:
            plans.remove_activity(profile, item.id)
        else:
            plans.remove_result(profile, item.id)
    if is_activity:
        print(_("Actividad {number} de {code} eliminada.", number=number, code=row.code))
    elif n:
        print(
            ngettext(
                "Resultado {number} de {code} eliminado con su actividad.",
                "Resultado {number} de {code} eliminado con sus {n} actividades.",
                n,
                number=number,
                code=row.code,
            )
        )
    else:
        print(_("Resultado {number} de {code} eliminado.", number=number, code=row.code))
    print(
        _(
            "Desde la línea de comandos no se deshace; lo que tenía queda en su historial: "
            "«fieldkit history {id}». Los números que seguían cambiaron: "
            "vea «fieldkit plan show {code}».",
            id=item.id,
            code=row.code,
        )
    )
    return 0


def cmd_plan_move(args: argparse.Namespace) -> int:
    from fieldkit.services import plans

    delta: int = args.direction
    with _open(args) as profile:
        row, view = _plan_of(profile, args.code)
        numbers = _Numbered(view)
        is_activity, item, number = _result_or_activity(numbers, row.code, args.number)
        if is_activity:
            siblings = [a.id for a in view.activities if a.result_id == item.result_id]
        else:
            siblings = [r.id for _n, r in numbers.results if r.id]
        index = siblings.index(item.id)
        if 0 <= index + delta < len(siblings):
            if is_activity:
                plans.move_activity(profile, item.id, delta)
            else:
                plans.move_result(profile, item.id, delta)
            _row, view = _plan_of(profile, row.id)
    after = _Numbered(view)
    if is_activity:
        new = after.activity_numbers[item.id]
        if new == number:
            text = (
                N_("Nada cambió: la actividad {number} ya es la primera de su resultado.")
                if delta < 0
                else N_("Nada cambió: la actividad {number} ya es la última de su resultado.")
            )
            print(_(text, number=number))
        else:
            print(
                _(
                    "Actividad {number} de {code} movida: ahora es la {new}.",
                    number=number,
                    code=row.code,
                    new=new,
                )
            )
        return 0
    new = after.result_numbers[item.id]
    if new == number:
        text = (
            N_("Nada cambió: el resultado {number} ya es el primero.")
            if delta < 0
            else N_("Nada cambió: el resultado {number} ya es el último.")
        )
        print(_(text, number=number))
    else:
        print(
            _(
                "Resultado {number} de {code} movido: ahora es el {new}.",
                number=number,
                code=row.code,
                new=new,
            )
        )
    return 0


def _finding(code: str, findings: Sequence[Any], number: str) -> Any:
    """A finding by the number `plan findings` gives it: H1, H2… (or 1, 2…)."""
    text = number.strip().upper().removeprefix("H")
    if text.isdigit() and 1 <= int(text) <= len(findings):
        return findings[int(text) - 1]
    raise ValidationError(
        "La asistencia {code} no tiene el hallazgo {number}. "
        "Vea los números con «fieldkit plan findings {code}».",
        code=code,
        number=number,
    )


def _priority(value: int | None) -> str:
    return _(PRIORITY_LABELS[value]) if value in PRIORITY_LABELS else "—"


def cmd_plan_findings(args: argparse.Namespace) -> int:
    from fieldkit.services import assistances, plans

    with _open(args) as profile:
        row = assistances.get_assistance(profile, args.code).row
        rows = plans.findings(profile, row.id)
        view = plans.get_plan(profile, row.id)
    result_numbers = _Numbered(view).result_numbers if view is not None else {}
    if args.json:
        _print_json(
            [
                {
                    **f._asdict(),
                    "number": f"H{i}",
                    "results": list(f.results),
                    "result_numbers": sorted(
                        (result_numbers[r] for r in f.results if r in result_numbers), key=int
                    ),
                    "priority_label": _priority(f.priority) if f.priority else None,
                }
                for i, f in enumerate(rows, start=1)
            ]
        )
        return 0
    if not rows:
        print(_("La asistencia {code} no tiene hallazgos registrados.", code=row.code))
        print(
            _(
                "Vea los que sugiere el diagnóstico con «fieldkit plan finding-suggest {code}».",
                code=row.code,
            )
        )
        return 0
    for i, f in enumerate(rows, start=1):
        print(f"H{i}: {f.statement}")
        details = [_("prioridad {label}", label=_priority(f.priority))]
        if f.area:
            details.append(_("área: {area}", area=f.area))
        shown = sorted((result_numbers[r] for r in f.results if r in result_numbers), key=int)
        if shown:
            details.append(_("lo atienden los resultados {numbers}", numbers=", ".join(shown)))
        else:
            details.append(_("ningún resultado lo atiende"))
        print("    " + " · ".join(details))
    return 0


def cmd_plan_finding_add(args: argparse.Namespace) -> int:
    from fieldkit.services import assistances, plans

    with _open(args) as profile:
        row = assistances.get_assistance(profile, args.code).row
        finding_id, _changes = plans.add_finding(
            profile, row.id, args.statement, args.area, args.priority
        )
        ids = [f.id for f in plans.findings(profile, row.id)]
    print(
        _(
            "Hallazgo H{number} registrado en {code}: {statement}",
            number=ids.index(finding_id) + 1,
            code=row.code,
            statement=args.statement.strip(),
        )
    )
    return 0


def cmd_plan_finding_suggest(args: argparse.Namespace) -> int:
    from fieldkit.services import assistances, plans

    with _open(args) as profile:
        row = assistances.get_assistance(profile, args.code).row
        suggested = plans.suggest_findings(profile, row.id)
        added = []
        if args.add:
            for s in suggested:
                finding_id, _changes = plans.add_finding(
                    profile, row.id, s.statement, s.area, s.priority, s.submission_id
                )
                added.append(finding_id)
            ids = [f.id for f in plans.findings(profile, row.id)]
    if not suggested:
        print(_("El diagnóstico de {code} no sugiere hallazgos nuevos.", code=row.code))
        return 0
    if args.add:
        print(
            ngettext(
                "{n} hallazgo registrado en {code}:",
                "{n} hallazgos registrados en {code}:",
                len(added),
                code=row.code,
            )
        )
        for finding_id, s in zip(added, suggested, strict=True):
            print(f"    H{ids.index(finding_id) + 1}: {s.statement}")
        return 0
    print(_("Hallazgos que sugiere el diagnóstico de {code}:", code=row.code))
    for s in suggested:
        line = f"    - {s.statement} ({_('prioridad {label}', label=_priority(s.priority))})"
        print(line)
    print(_("Para registrarlos: «fieldkit plan finding-suggest {code} --add».", code=row.code))
    return 0


def cmd_plan_finding_link(args: argparse.Namespace) -> int:
    from fieldkit.services import plans

    with _open(args) as profile:
        row, view = _plan_of(profile, args.code)
        finding = _finding(row.code, view.findings, args.finding)
        numbers = _Numbered(view)
        result = numbers.result(row.code, args.result)
        plans.link_finding(profile, finding.id, result.id, linked=not args.unlink)
    params = {
        "finding": f"H{view.findings.index(finding) + 1}",
        "number": numbers.result_numbers[result.id],
        "code": row.code,
    }
    if args.unlink:
        print(_("El resultado {number} de {code} ya no atiende el hallazgo {finding}.", **params))
    else:
        print(_("El resultado {number} de {code} atiende el hallazgo {finding}.", **params))
    return 0


def _numbered_visits(profile: Any, assistance_id: str) -> list[tuple[str, Any]]:
    """The visit log, oldest first, numbered 1, 2… (a new visit takes the next number)."""
    from fieldkit.services import forms

    ordered = sorted(forms.visits(profile, assistance_id), key=lambda v: v.date or "")
    return [(str(i), v) for i, v in enumerate(ordered, start=1)]


def _visit_date(value: str | None) -> str:
    if not value:
        return _("sin fecha")
    try:
        return format_date(parse_date(value))
    except ValueError:
        return value


def _visit(code: str, visits: Sequence[tuple[str, Any]], number: str) -> tuple[str, Any]:
    wanted = number.strip()
    for shown, v in visits:
        if wanted in (shown, v.submission_id):
            return shown, v
    raise ValidationError(
        "La asistencia {code} no tiene la visita {number}. "
        "Vea los números con «fieldkit plan visits {code}».",
        code=code,
        number=number,
    )


def cmd_plan_visits(args: argparse.Namespace) -> int:
    from fieldkit.services import assistances, forms, plans

    with _open(args) as profile:
        row = assistances.get_assistance(profile, args.code).row
        visits = _numbered_visits(profile, row.id)
        view = plans.get_plan(profile, row.id)
    linked: dict[str, list[str]] = {}
    if view is not None:
        numbers = _Numbered(view)
        for a in view.activities:
            for visit_id in a.visits:
                linked.setdefault(visit_id, []).append(numbers.activity_numbers[a.id])
    if args.json:
        _print_json(
            [
                {
                    "number": number,
                    "submission_id": v.submission_id,
                    "date": v.date,
                    "place": v.place,
                    "purpose": v.purpose,
                    "status": v.status,
                    "attendance": v.attendance.total,
                    "activities": linked.get(v.submission_id, []),
                }
                for number, v in visits
            ]
        )
        return 0
    if not visits:
        print(_("La asistencia {code} no tiene visitas en la bitácora.", code=row.code))
        return 0
    for number, v in visits:
        status = _(forms.STATUS_LABELS.get(v.status, v.status))
        print(f"{number}  {_visit_date(v.date)} · {v.place or '—'} · {status}")
        if v.purpose:
            print("    " + _("Propósito: {text}", text=v.purpose))
        shown = linked.get(v.submission_id)
        if shown:
            print("    " + _("Actividades que avanzó: {numbers}", numbers=", ".join(shown)))
        else:
            print("    " + _("Sin actividades vinculadas."))
    return 0


def cmd_plan_link_visit(args: argparse.Namespace) -> int:
    from fieldkit.services import plans

    with _open(args) as profile:
        row, view = _plan_of(profile, args.code)
        numbers = _Numbered(view)
        activity = numbers.activity(row.code, args.activity)
        number, visit = _visit(row.code, _numbered_visits(profile, row.id), args.visit)
        plans.link_visit(profile, activity.id, visit.submission_id, linked=not args.unlink)
    params = {
        "visit": number,
        "date": _visit_date(visit.date),
        "activity": numbers.activity_numbers[activity.id],
        "code": row.code,
    }
    if args.unlink:
        print(
            _(
                "Visita {visit} ({date}) desvinculada de la actividad {activity} de {code}.",
                **params,
            )
        )
    else:
        print(_("Visita {visit} ({date}) vinculada a la actividad {activity} de {code}.", **params))
    return 0


def cmd_overdue(args: argparse.Namespace) -> int:
    from fieldkit.services import assistances, plans

    with _open(args) as profile:
        rows = plans.overdue(profile)
        by_id = {r.id: r for r in assistances.list_assistances(profile)}
        numbers: dict[str, str] = {}
        for assistance_id in dict.fromkeys(r.assistance_id for r in rows):
            view = plans.get_plan(profile, assistance_id)
            if view is not None:
                numbers.update(_Numbered(view).activity_numbers)
    out = []
    for r in rows:
        found = by_id.get(r.assistance_id)
        out.append(
            {
                "code": found.code if found else r.assistance_id,
                "municipality": found.municipality if found else "",
                "number": numbers.get(r.activity_id),
                "activity_id": r.activity_id,
                "description": r.description,
                "result": r.result,
                "responsible": r.responsible,
                "responsible_name": r.responsible_name,
                "end_on": r.end_on.isoformat(),
                "days_late": r.days_late,
                "percent": r.percent,
            }
        )
    if args.json:
        _print_json(out)
        return 0
    from fieldkit.domain.plans import RESPONSIBLES

    for item, r in zip(out, rows, strict=True):
        print(f"{item['code']}  {item['municipality']} · {item['number'] or '—'}  {r.description}")
        who = _(RESPONSIBLES.get(r.responsible, r.responsible))
        if r.responsible_name:
            who = f"{who} ({r.responsible_name})"
        print(
            "    "
            + ngettext(
                "terminaba el {end} · {n} día de retraso · avance {percent} · responsable: {who}",
                "terminaba el {end} · {n} días de retraso · avance {percent} · responsable: {who}",
                r.days_late,
                end=format_date(r.end_on),
                percent=_floor_percent(r.percent),
                who=who,
            )
        )
    print(ngettext("{n} actividad vencida", "{n} actividades vencidas", len(rows)), file=sys.stderr)
    return 0


# Deliverables (issue 6) ------------------------------------------------------------------------


def _numbered_deliverables(profile: Any, code: str) -> tuple[Any, list[tuple[str, Any]]]:
    """The assistance row and its deliverables numbered 1, 2… in the team's order."""
    from fieldkit.services import assistances, deliverables

    row = assistances.get_assistance(profile, code).row
    rows = deliverables.list_for(profile, row.id)
    return row, [(str(i), d) for i, d in enumerate(rows, start=1)]


def _deliverable_of(profile: Any, code: str, number: str) -> tuple[Any, str, Any]:
    """(assistance row, number, deliverable row) for «1» (or a deliverable's id); exit 2 if none."""
    row, numbered = _numbered_deliverables(profile, code)
    wanted = number.strip()
    for shown, d in numbered:
        if wanted in (shown, d.id):
            return row, shown, d
    raise ValidationError(
        "La asistencia {code} no tiene el entregable {number}. "
        "Vea los números con «fieldkit deliverable list {code}».",
        code=row.code,
        number=number,
    )


def _result_numbers(profile: Any, assistance_id: str) -> dict[str, str]:
    """Plan results by id → their number in `plan show` (empty without a plan)."""
    from fieldkit.services import plans

    view = plans.get_plan(profile, assistance_id)
    return _Numbered(view).result_numbers if view is not None else {}


def _served(result_ids: Sequence[str], numbers: dict[str, str]) -> list[str]:
    return sorted((numbers[r] for r in result_ids if r in numbers), key=int)


def _file_size(size: int) -> str:
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{format_number(size / 1024, 1)} kB"
    return f"{format_number(size / 1024 / 1024, 1)} MB"


def _on_time_text(d: Any) -> str:
    if d.on_time is None:
        return ""
    return _("a tiempo") if d.on_time else _("con retraso")


def _decision_label(decision: str | None) -> str:
    from fieldkit.domain.deliverables import STATE_LABELS, DeliverableState

    try:
        return _(STATE_LABELS[DeliverableState(decision or "submitted")])
    except ValueError:
        return decision or "—"


def _comment_numbers(d: Any) -> dict[str, Any]:
    """A reviewer's comments numbered «envío.comentario»: 1.1, 1.2, 2.1…"""
    return {
        f"{review.number}.{i}": c
        for review in d.reviews
        for i, c in enumerate(review.items, start=1)
    }


def _comment_of(code: str, number: str, d: Any, text: str) -> tuple[str, Any]:
    """A comment by «1.2» or, for the last review with comments, by «2»."""
    numbered = _comment_numbers(d)
    wanted = text.strip()
    if wanted.isdigit():
        with_items = [r for r in d.reviews if r.items]
        if with_items:
            wanted = f"{with_items[-1].number}.{int(wanted)}"
    if wanted in numbered:
        return wanted, numbered[wanted]
    raise ValidationError(
        "El entregable {number} de {code} no tiene el comentario {comment}: se escribe "
        "envío.comentario, p. ej. 1.2. Vea los números con «fieldkit deliverable show {code} "
        "{number}».",
        code=code,
        number=number,
        comment=text,
    )


def _deliverable_json(number: str, d: Any, results: dict[str, str]) -> dict[str, object]:
    from fieldkit.services.deliverables import PURPOSE_LABELS

    data = _plain(d)
    assert isinstance(data, dict)
    data.update(
        number=number,
        state=d.state.value,
        state_label=_(d.state_label),
        kind_label=_(d.kind_label),
        editable=d.editable,
        on_time=d.on_time,
        result_numbers=_served(d.result_ids, results),
        signed_act=_plain(d.signed_act),
        files=[
            {**f._asdict(), "purpose_label": _(PURPOSE_LABELS.get(f.purpose, f.purpose))}
            for f in d.files
        ],
        reviews=[
            {
                **r._asdict(),
                "decision_label": _decision_label(r.decision),
                "items": [
                    {**c._asdict(), "number": f"{r.number}.{i}"}
                    for i, c in enumerate(r.items, start=1)
                ],
            }
            for r in d.reviews
        ],
    )
    return data


def cmd_deliverable_list(args: argparse.Namespace) -> int:
    with _open(args) as profile:
        row, numbered = _numbered_deliverables(profile, args.code)
        results = _result_numbers(profile, row.id)
    if args.json:
        _print_json([_deliverable_json(n, d, results) for n, d in numbered])
        return 0
    if not numbered:
        print(_("La asistencia {code} no tiene entregables.", code=row.code))
        print(
            _(
                "Registre uno con «fieldkit deliverable new {code} --kind … --title …».",
                code=row.code,
            )
        )
        return 0
    for n, d in numbered:
        print(f"{n}  {d.title}")
        details = [_(d.kind_label), _(d.state_label)]
        if d.due_on:
            details.append(_("fecha esperada {date}", date=format_date(d.due_on)))
        else:
            details.append(_("sin fecha esperada"))
        if d.delivered_on:
            delivered = _("entregado el {date}", date=format_date(d.delivered_on))
            if d.on_time is not None:
                delivered += f" ({_on_time_text(d)})"
            details.append(delivered)
        print("    " + " · ".join(details))
    print(ngettext("{n} entregable", "{n} entregables", len(numbered)), file=sys.stderr)
    return 0


def cmd_deliverable_show(args: argparse.Namespace) -> int:
    from fieldkit.services import forms

    with _open(args) as profile:
        row, number, d = _deliverable_of(profile, args.code, args.number)
        results = _result_numbers(profile, row.id)
        survey = forms.get_submission(profile, d.survey_id) if d.survey_id else None
    if args.json:
        data = _deliverable_json(number, d, results)
        data["code"] = row.code
        data["survey"] = _plain(survey)
        _print_json(data)
        return 0
    _print_deliverable(row, number, d, results, survey)
    return 0


def _print_deliverable(row: Any, number: str, d: Any, results: dict[str, str], survey: Any) -> None:
    from fieldkit.services import forms
    from fieldkit.services.deliverables import PURPOSE_LABELS

    print(_("Entregable {number} de {code}: {title}", number=number, code=row.code, title=d.title))
    print(_("Tipo: {kind}", kind=_(d.kind_label)))
    print(_("Estado: {state}", state=_(d.state_label)))
    if d.description:
        print(_("Descripción: {text}", text=d.description))
    print(_("Fecha esperada: {date}", date=format_date(d.due_on) or "—"))
    served = _served(d.result_ids, results)
    if served:
        print(_("Sirve a los resultados del plan: {numbers}", numbers=", ".join(served)))
    print()
    if not d.files:
        print(_("Archivos: ninguno."))
    else:
        print(_("Archivos:"))
    for f in d.files:
        line = _(
            "{name} ({purpose}, {size})",
            name=f.file_name,
            purpose=_(PURPOSE_LABELS.get(f.purpose, f.purpose)),
            size=_file_size(f.size),
        )
        if f.caption:
            line += f" — {f.caption}"
        print(f"    {line}")
    print()
    if not d.reviews:
        print(_("Revisión de calidad: no se ha enviado."))
    else:
        print(_("Revisión de calidad:"))
    for r in d.reviews:
        line = _(
            "Envío {number}: enviado el {at} por {who} — {decision}",
            number=r.number,
            at=format_datetime(r.submitted_at) or "—",
            who=r.submitted_by or "—",
            decision=_decision_label(r.decision),
        )
        if r.decided_at is not None:
            line += " " + _(
                "el {at} por {who}", at=format_datetime(r.decided_at), who=r.decided_by or "—"
            )
        print(f"    {line}")
        if r.note:
            print("        " + _("Nota del equipo: {text}", text=r.note))
        if r.comments:
            print("        " + _("Comentarios: {text}", text=r.comments))
        for i, c in enumerate(r.items, start=1):
            print(f"        {r.number}.{i} [{c.item}] {c.comment}")
            if c.response:
                state = _("atendido") if c.addressed else _("pendiente")
                print(
                    "            " + _("Respuesta ({state}): {text}", state=state, text=c.response)
                )
            else:
                print("            " + _("Sin respuesta del equipo."))
    print()
    if d.delivered_on is None:
        print(_("Entrega: sin registrar."))
    else:
        when = format_date(d.delivered_on)
        if d.on_time is not None:
            when += f" ({_on_time_text(d)})"
        print(_("Entrega: {date} en {place}", date=when, place=d.delivery_place or "—"))
        print(
            "    "
            + _(
                "Recibió: {name}, {position}, {entity}",
                name=d.received_by or "—",
                position=d.received_position or "—",
                entity=d.received_entity or "—",
            )
        )
        print("    " + _("Equipo presente: {names}", names=", ".join(d.team_present) or "—"))
        if d.delivered_by:
            print("    " + _("Registrada por: {who}", who=d.delivered_by))
        act = d.signed_act
        if act is not None:
            print("    " + _("Acta firmada: {name}", name=act.file_name))
        else:
            print("    " + _("Acta firmada: sin adjuntar."))
        if survey is not None:
            print(
                _(
                    "Encuesta de satisfacción: {id} ({status})",
                    id=survey.id,
                    status=_(forms.STATUS_LABELS.get(survey.status, survey.status)),
                )
            )
        else:
            print(_("Encuesta de satisfacción: sin iniciar."))


DELIVERABLE_FIELDS = ("kind", "title", "description", "due_on")


def _deliverable_input(args: argparse.Namespace, profile: Any, row: Any, current: Any) -> Any:
    """The deliverable's fields with the options given; result numbers read on the plan."""
    given = _given(args, DELIVERABLE_FIELDS)
    if hasattr(args, "results"):
        if args.results:
            _row, view = _plan_of(profile, row.id)
            numbers = _Numbered(view)
            given["result_ids"] = [numbers.result(row.code, n).id for n in args.results]
        else:
            given["result_ids"] = []
    return current._replace(**given)


def cmd_deliverable_new(args: argparse.Namespace) -> int:
    from fieldkit.services import deliverables

    with _open(args) as profile:
        row, _numbered = _numbered_deliverables(profile, args.code)
        data = _deliverable_input(
            args, profile, row, deliverables.DeliverableInput(args.kind, args.title)
        )
        deliverable_id, _changes = deliverables.create(profile, row.id, data)
        _row, numbered = _numbered_deliverables(profile, row.id)
    number = next(n for n, d in numbered if d.id == deliverable_id)
    print(
        _(
            "Entregable {number} registrado en {code}, en borrador: {title}",
            number=number,
            code=row.code,
            title=args.title.strip(),
        )
    )
    print(
        _(
            "Adjunte el producto con «fieldkit deliverable add-file {code} {number} ARCHIVO».",
            code=row.code,
            number=number,
        )
    )
    return 0


def cmd_deliverable_edit(args: argparse.Namespace) -> int:
    from fieldkit.services import deliverables

    if not _given(args, DELIVERABLE_FIELDS) and not hasattr(args, "results"):
        raise ValidationError(
            "Nada que cambiar: indique al menos una opción (vea «fieldkit deliverable edit -h»)."
        )
    with _open(args) as profile:
        row, number, d = _deliverable_of(profile, args.code, args.number)
        current = deliverables.DeliverableInput(
            d.kind, d.title, d.description, d.due_on, d.result_ids
        )
        deliverables.update(profile, d.id, _deliverable_input(args, profile, row, current))
        after = deliverables.get(profile, d.id)
    print(
        _(
            "Entregable {number} de {code} actualizado ({state}).",
            number=number,
            code=row.code,
            state=_(after.state_label),
        )
    )
    return 0


def cmd_deliverable_add_file(args: argparse.Namespace) -> int:
    from fieldkit.services import deliverables
    from fieldkit.services.deliverables import PURPOSE_LABELS

    with _open(args) as profile:
        row, number, d = _deliverable_of(profile, args.code, args.number)
        deliverables.add_file(profile, d.id, args.file, args.caption, args.purpose)
    print(
        _(
            "«{name}» adjuntado al entregable {number} de {code} ({purpose}).",
            name=args.file.name,
            number=number,
            code=row.code,
            purpose=_(PURPOSE_LABELS[args.purpose]),
        )
    )
    return 0


def cmd_deliverable_submit(args: argparse.Namespace) -> int:
    from fieldkit.services import deliverables

    with _open(args) as profile:
        row, number, d = _deliverable_of(profile, args.code, args.number)
        deliverables.submit(profile, d.id, args.note)
        after = deliverables.get(profile, d.id)
    print(
        _(
            "Entregable {number} de {code} enviado a revisión de calidad (envío {review}).",
            number=number,
            code=row.code,
            review=after.last_review.number if after.last_review else 1,
        )
    )
    return 0


def cmd_deliverable_approve(args: argparse.Namespace) -> int:
    from fieldkit.services import deliverables

    with _open(args) as profile:
        row, number, d = _deliverable_of(profile, args.code, args.number)
        deliverables.approve(profile, d.id, args.comments)
    print(_("Entregable {number} de {code} aprobado.", number=number, code=row.code))
    print(
        _(
            "El equipo registra su entrega con «fieldkit deliverable deliver {code} {number} …».",
            code=row.code,
            number=number,
        )
    )
    return 0


def _item_comments(items: Sequence[str]) -> list[Any]:
    from fieldkit.services.deliverables import ItemComment

    out = []
    for text in items:
        item, sep, comment = text.partition("=")
        if not sep or not comment.strip():
            raise ValidationError(
                "Escriba cada comentario por ítem como «ÍTEM=COMENTARIO», "
                "p. ej. «manual.pdf=Falta la firma»; recibido: «{text}».",
                text=text,
            )
        out.append(ItemComment(item.strip() or "general", comment.strip()))
    return out


def cmd_deliverable_return(args: argparse.Namespace) -> int:
    from fieldkit.services import deliverables

    items = _item_comments(args.items)
    with _open(args) as profile:
        row, number, d = _deliverable_of(profile, args.code, args.number)
        deliverables.return_for_changes(profile, d.id, args.comments, items)
    print(
        ngettext(
            "Entregable {number} de {code} devuelto al equipo con {n} comentario por ítem.",
            "Entregable {number} de {code} devuelto al equipo con {n} comentarios por ítem.",
            len(items),
            number=number,
            code=row.code,
        )
    )
    return 0


def cmd_deliverable_respond(args: argparse.Namespace) -> int:
    from fieldkit.services import deliverables

    with _open(args) as profile:
        row, number, d = _deliverable_of(profile, args.code, args.number)
        shown, comment = _comment_of(row.code, number, d, args.comment)
        deliverables.address_comment(profile, comment.id, args.response)
    print(
        _(
            "Comentario {comment} del entregable {number} de {code} respondido y atendido.",
            comment=shown,
            number=number,
            code=row.code,
        )
    )
    return 0


def cmd_deliverable_deliver(args: argparse.Namespace) -> int:
    from fieldkit.services import deliverables

    with _open(args) as profile:
        row, number, d = _deliverable_of(profile, args.code, args.number)
        deliverables.deliver(
            profile,
            d.id,
            deliverables.DeliveryInput(
                args.date, args.place, args.received_by, args.position, args.entity, args.team
            ),
        )
        after = deliverables.get(profile, d.id)
    when = format_date(after.delivered_on)
    if after.on_time is not None:
        when += f" ({_on_time_text(after)})"
    print(
        _(
            "Entregable {number} de {code} entregado el {date} a {name}.",
            number=number,
            code=row.code,
            date=when,
            name=after.received_by,
        )
    )
    print(
        _(
            "Adjunte el acta firmada escaneada con «fieldkit deliverable add-file {code} {number} "
            "ARCHIVO --signed-act» y haga la encuesta con «fieldkit deliverable survey {code} "
            "{number}».",
            code=row.code,
            number=number,
        )
    )
    return 0


def cmd_deliverable_survey(args: argparse.Namespace) -> int:
    from fieldkit.services import deliverables

    with _open(args) as profile:
        row, number, d = _deliverable_of(profile, args.code, args.number)
        survey_id, changes = deliverables.start_survey(profile, d.id)
    text = (
        N_("Encuesta de satisfacción del entregable {number} de {code} iniciada: {id}")
        if changes.entities
        else N_("Encuesta de satisfacción del entregable {number} de {code} (ya iniciada): {id}")
    )
    print(_(text, number=number, code=row.code, id=survey_id))
    print(
        _(
            "Para diligenciarla, abra fieldkit sin comando, la asistencia {code} y su pestaña "
            "«Diagnóstico y visitas».",
            code=row.code,
        )
    )
    return 0


def cmd_catalog_import(args: argparse.Namespace) -> int:
    from fieldkit.services import catalog

    with _open(args) as profile:
        if args.kind == "directorates":
            report = catalog.import_directorates(profile, args.file)
        else:
            report = catalog.import_categories(profile, args.file)
    print(
        _(
            "Importado: {applied} cambios, {unchanged} sin cambios.",
            applied=report.applied,
            unchanged=report.unchanged,
        )
    )
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from fieldkit.services import reports

    with _open(args) as profile:
        chosen: list[str] = []
        if args.kind == "delivery":
            chosen = [_deliverable_of(profile, args.key, n)[2].id for n in args.deliverable]
        out = args.output or Path(reports.default_name(profile, args.kind, args.key))
        result = reports.build(
            profile, args.kind, args.key, out, deliverables=chosen, paper=args.paper
        )
    print(
        ngettext(
            "{what}: {path} ({n} página).",
            "{what}: {path} ({n} páginas).",
            result.pages,
            what=_(reports.KIND_LABELS[args.kind]),
            path=str(result.path),
            n=result.pages,
        )
    )
    for warning in result.warnings:
        print(_("Aviso: {warning}", warning=warning), file=sys.stderr)
    return 0


def cmd_workbook(args: argparse.Namespace) -> int:
    from fieldkit.services import workbook

    out = args.output if args.output.suffix.lower() == ".xlsx" else args.output.with_suffix(".xlsx")
    with _open(args) as profile:
        result = workbook.export_workbook(profile, out, pseudonymize=args.pseudonymize)
    print(_("Libro de seguimiento: {path}", path=str(result.path)))
    for title, rows in result.sheets.items():
        print(f"  {title:<16} {format_number(rows):>9}")
    return 0


def cmd_report_settings(args: argparse.Namespace) -> int:
    from fieldkit.services.report_settings import report_settings, set_report_settings

    with _open(args) as profile:
        if args.organization is not None or args.logo is not None or args.paper is not None:
            set_report_settings(
                profile, organization=args.organization, logo=args.logo, paper=args.paper
            )
        settings = report_settings(profile)
    print(_("Organización: {name}", name=settings.organization or _("sin nombre")))
    print(_("Logo: {path}", path=str(settings.logo) if settings.logo else _("sin logo")))
    print(_("Papel: {paper}", paper=_("Carta") if settings.paper == "letter" else "A4"))
    return 0


def cmd_indicators_import(args: argparse.Namespace) -> int:
    from fieldkit.domain.errors import ValidationError
    from fieldkit.services import indicators

    sheets = indicators.inspect(args.file)
    if args.sheet:
        chosen = [s for s in sheets if s.name == args.sheet]
        if not chosen:
            raise ValidationError(
                "No hay una hoja «{sheet}» en {file}. Hojas: {sheets}.",
                sheet=args.sheet,
                file=args.file.name,
                sheets=", ".join(s.name for s in sheets),
            )
        info = chosen[0]
    else:
        useful = [s for s in sheets if s.guess is not None]
        info = useful[0] if useful else sheets[0]
    mapping = info.guess or indicators.Mapping(info.name, 0, None, 1, "")
    changes: dict[str, object] = {}
    if args.header_row is not None:
        changes["header_row"] = args.header_row
    if args.code_column:
        changes["code_column"] = indicators.column_index(args.code_column)
    if args.value_column:
        changes["value_column"] = indicators.column_index(args.value_column)
    if args.year_column:
        changes["year_column"] = indicators.column_index(args.year_column)
    if args.year is not None:
        changes["year_column"], changes["year"] = None, args.year
    if args.indicator:
        changes["indicator"] = args.indicator.strip()
    if args.source:
        changes["source"] = args.source.strip()
    mapping = mapping._replace(**changes)
    if not mapping.indicator:
        raise ValidationError("Diga qué indicador es con --indicator (MDM, IDF, IPM…).")
    with _open(args) as profile:
        if args.dry_run:
            result = indicators.preview(profile, args.file, mapping)
        else:
            result, _changes = indicators.import_indicators(profile, args.file, mapping)
    if args.json:
        _print_json(
            {
                "mapping": mapping._asdict(),
                "new": result.new,
                "changed": result.changed,
                "unchanged": result.unchanged,
                "problems": [p._asdict() for p in result.problems],
                "dry_run": args.dry_run,
            }
        )
        return 0
    print(
        _(
            "Hoja «{sheet}»: código en {code}, valor en {value}, {year}; indicador {indicator}.",
            sheet=mapping.sheet,
            code=indicators.column_letter(mapping.code_column),
            value=indicators.column_letter(mapping.value_column),
            year=(
                _("año en {column}", column=indicators.column_letter(mapping.year_column))
                if mapping.year_column is not None
                else _("año {year}", year=mapping.year)
            ),
            indicator=mapping.indicator,
        )
    )
    print((_("Simulación: ") if args.dry_run else "") + result.summary() + ".")
    for problem in result.problems:
        print(_("  fila {row}: {reason}", row=problem.row, reason=problem.reason))
    return 0


def cmd_catalog_example(args: argparse.Namespace) -> int:
    from fieldkit.services import catalog

    with _open(args) as profile:
        report = catalog.import_directorates(profile)
    print(
        _(
            "Agrupación de EJEMPLO cargada ({n} direcciones). No es oficial: reemplácela con la lista vigente.",
            n=report.applied + report.unchanged,
        )
    )
    return 0


def cmd_catalog_directorates(args: argparse.Namespace) -> int:
    from fieldkit.services import catalog

    with _open(args) as profile:
        rows = catalog.directorates(profile)
    if args.json:
        _print_json([r._asdict() for r in rows])
        return 0
    for r in rows:
        mark = f" ({_('ejemplo')})" if r.is_example else ""
        print(f"{r.code:<6} {r.name}{mark}: {', '.join(r.departments)}")
    return 0


def cmd_catalog_lines(args: argparse.Namespace) -> int:
    from fieldkit.services import catalog

    with _open(args) as profile:
        for line in catalog.thematic_lines(profile, active_only=False):
            print(f"{line.code:<14} {line.name}")
    return 0


def choose_language(argv: Sequence[str] | None) -> None:
    """--lang, else FIELDKIT_LANG, else the language chosen in the window, else Spanish.

    Decided before the parser is built, because its help texts are translated when built.
    """
    pre = argparse.ArgumentParser(add_help=False)
    pre.add_argument("--lang", choices=["es", "en"])
    known, _rest = pre.parse_known_args(argv)
    if known.lang:
        set_language(known.lang)
    elif not os.environ.get("FIELDKIT_LANG"):
        from fieldkit.settings import preferred_language

        chosen = preferred_language()
        if chosen in ("es", "en"):
            set_language(chosen)


def main(argv: Sequence[str] | None = None) -> int:
    choose_language(argv)
    parser = build_parser()
    args = parser.parse_args(argv)
    func: Callable[[argparse.Namespace], int] | None = getattr(args, "func", None)
    try:
        if func is None:
            from fieldkit.ui.app import run_gui

            return run_gui(args.data_dir)
        return func(args)
    except FieldkitError as exc:
        print(_("error: {message}", message=exc.render(_)), file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader of our output went away (`fieldkit dump | head`): not an error of ours.
        # Point stdout at devnull so the interpreter's final flush does not fail again.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 141
