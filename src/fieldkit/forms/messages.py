"""The Spanish messages of the form engine (load problems, answer errors), translated where shown."""

from __future__ import annotations


def N_(msgid: str) -> str:
    """Mark a Spanish string for translation where it is shown (this package cannot translate)."""
    return msgid


# ------------------------------------------------------------------------------ the whole form

FORM_REFUSED = N_(
    "El formulario «{source}» no se puede usar: tiene {count} problema(s). Corríjalos en la hoja "
    "de cálculo y vuelva a cargarlo:\n{problems}"
)
PROBLEM_AT_ROW = N_("hoja {sheet}, fila {row}: {message}")
PROBLEM_IN_SHEET = N_("hoja {sheet}: {message}")
CANNOT_READ = N_(
    "No se pudo leer el archivo como un formulario XLSForm (.xlsx): {detail}. Compruebe que es "
    "una hoja de cálculo con las hojas survey, choices y settings"
)
NO_SURVEY = N_(
    "El archivo no tiene la hoja «survey» (o está vacía): es la hoja con las preguntas del "
    "formulario"
)
MISSING_COLUMN = N_(
    "falta la columna {columns} en la primera fila de la hoja; la primera fila lleva los "
    "nombres de las columnas"
)
PYXFORM_PROBLEM = N_("pyxform no acepta el formulario: {detail}")

# ------------------------------------------------------------------------------ survey rows

NO_TYPE = N_("la fila tiene nombre o etiqueta pero no tiene tipo (columna type)")
UNKNOWN_TYPE = N_("el tipo «{type}» no existe")
UNKNOWN_TYPE_SUGGEST = N_("el tipo «{type}» no existe; ¿quiso decir «{suggestion}»?")
UNSUPPORTED_TYPE = N_(
    "el tipo «{type}» no está soportado en fieldkit; los tipos soportados son: {supported}"
)
UNSUPPORTED_METADATA = N_(
    "los metadatos «{type}» no están soportados en fieldkit; para guardar la fecha y hora use "
    "una pregunta calculate con once(now())"
)
UNSUPPORTED_SELECT_FROM_FILE = N_(
    "«{type}» no está soportado en fieldkit: las opciones deben estar en la hoja choices"
)
NO_NAME = N_("la pregunta o el grupo no tiene nombre (columna name)")
BAD_NAME = N_(
    "el nombre «{name}» no es válido: debe empezar por una letra o «_» y contener solo letras, "
    "números, «_», «-» o «.», sin espacios"
)
DUPLICATE_NAME = N_(
    "el nombre «{name}» ya se usó en la fila {first_row}; cada pregunta, grupo y repetición "
    "necesita un nombre distinto"
)
DUPLICATE_GENERATED = N_(
    "la pregunta «{select}» tiene or_other y por eso fieldkit crea la pregunta «{name}» "
    "(especifique otro), pero ese nombre ya se usó en la fila {first_row}"
)
END_WITHOUT_BEGIN = N_("«{type}» no cierra ningún «begin {kind}» abierto")
END_MISMATCH = N_("«{type}» cierra el «begin {open_kind}» «{name}» de la fila {open_row}")
NOT_CLOSED = N_("«begin {kind}» «{name}» no tiene su «end {kind}»")
UNKNOWN_LIST = N_(
    "la lista de opciones «{list_name}» no existe en la hoja choices (columna list_name)"
)
UNKNOWN_LIST_SUGGEST = N_(
    "la lista de opciones «{list_name}» no existe en la hoja choices; ¿quiso decir «{suggestion}»?"
)
NO_LIST = N_("«{type}» necesita el nombre de una lista de opciones, como «{type} si_no»")
MISSING_CALCULATION = N_("la pregunta calculate no tiene cálculo (columna calculation)")
UNSUPPORTED_COLUMN = N_("la columna «{column}» no está soportada en fieldkit")
GROUP_COLUMN = N_("la columna «{column}» no se puede usar en un grupo o una repetición")
UNSUPPORTED_REPEAT_COUNT = N_(
    "la columna «{column}» (número fijo de repeticiones) no está soportada en fieldkit; las "
    "filas se agregan y quitan a mano"
)
UNSUPPORTED_TRIGGER = N_(
    "la columna «{column}» (recalcular cuando cambia otra pregunta) no está soportada en "
    "fieldkit; use una pregunta calculate"
)
UNSUPPORTED_MEDIA = N_(
    "las imágenes, audios y videos en las etiquetas (columna «{column}») no están soportados en "
    "fieldkit"
)
UNSUPPORTED_PARAMETER = N_("el parámetro «{parameter}» no está soportado para el tipo «{type}»")
BAD_PARAMETERS = N_(
    "la columna parameters no se entiende: escriba pares nombre=valor separados por espacios"
)
UNSUPPORTED_APPEARANCE = N_("la apariencia «{appearance}» no está soportada en fieldkit")
CHOICE_FILTER_NOT_SELECT = N_(
    "choice_filter solo sirve en preguntas select_one o select_multiple, no en «{type}»"
)
OR_OTHER_WITH_FILTER = N_("or_other no se puede usar junto con choice_filter")
BAD_EXPRESSION = N_("columna «{column}»: {error}")
BARE_NAME = N_(
    "columna «{column}»: «{name}» no es una referencia; para usar la respuesta de la pregunta "
    "escriba ${{{name}}}"
)
UNKNOWN_REFERENCE = N_("columna «{column}»: la pregunta «{name}» no existe en el formulario")
UNKNOWN_REFERENCE_SUGGEST = N_(
    "columna «{column}»: la pregunta «{name}» no existe en el formulario; ¿quiso decir «{suggestion}»?"
)
GROUP_REFERENCE = N_(
    "columna «{column}»: «{name}» es un grupo y no tiene respuesta; refiérase a una de sus preguntas"
)
BAD_TEXT_REFERENCE = N_(
    "columna «{column}»: la referencia «{found}» está mal escrita; se escribe ${{nombre}}, sin "
    "espacios"
)
UNKNOWN_CHOICE_COLUMN = N_(
    "columna «{column}»: la lista «{list_name}» no tiene la columna «{name}» en la hoja choices"
)
POSITION_OUTSIDE_REPEAT = N_(
    "columna «{column}»: position() solo tiene sentido dentro de una repetición (begin repeat)"
)
BAD_DEFAULT = N_("columna «default»: el valor «{value}» no sirve para esta pregunta: {error}")
CYCLE = N_(
    "dependencia circular entre preguntas: {cycle}; cada cálculo o condición debe poder "
    "evaluarse sin depender de sí mismo"
)
SELF_CYCLE = N_(
    "«{name}» depende de sí misma (columna {column}); una condición o cálculo no puede usar su "
    "propia respuesta"
)

# ------------------------------------------------------------------------------ choices sheet

CHOICE_NO_LIST = N_("la opción no tiene lista (columna list_name)")
CHOICE_NO_NAME = N_("la opción de la lista «{list_name}» no tiene nombre (columna name)")
CHOICE_DUPLICATE = N_(
    "la opción «{name}» ya está en la lista «{list_name}» (fila {first_row}); los nombres de una "
    "lista no se pueden repetir"
)
CHOICE_SPACE = N_(
    "la opción «{name}» de la lista «{list_name}» tiene espacios en el nombre, y la usa una "
    "pregunta select_multiple (fila {row}); use «_» en lugar de espacios"
)

# ------------------------------------------------------------------------------ generated texts

OTHER_CHOICE = N_("Otro")
SPECIFY_OTHER = N_("Especifique cuál")

# ------------------------------------------------------------------------------ answers

REQUIRED = N_("Esta pregunta es obligatoria")
CONSTRAINT = N_("La respuesta no cumple la condición del formulario ({constraint})")
NOT_INTEGER = N_("«{value}» no es un número entero")
NOT_DECIMAL = N_("«{value}» no es un número; use punto para los decimales, por ejemplo 12.5")
NOT_DATE = N_("«{value}» no es una fecha; se escribe aaaa-mm-dd, por ejemplo 2024-05-31")
NOT_TIME = N_("«{value}» no es una hora; se escribe hh:mm o hh:mm:ss, por ejemplo 14:30")
NOT_DATETIME = N_(
    "«{value}» no es una fecha y hora; se escribe aaaa-mm-ddThh:mm, por ejemplo 2024-05-31T14:30"
)
NOT_CHOICE = N_("«{value}» no es una de las opciones de la lista «{list_name}»")
NOT_TEXT = N_("«{value}» no es un texto")
NOT_ACKNOWLEDGE = N_("«{value}» no es una confirmación; use OK o déjela en blanco")
GEOPOINT_FORMAT = N_(
    "«{value}» no es una ubicación; se escribe «latitud longitud [altitud precisión]» con "
    "números separados por espacios, por ejemplo «4.60971 -74.08175 2600 5»"
)
GEOPOINT_LATITUDE = N_("la latitud {value} está fuera del rango de -90 a 90")
GEOPOINT_LONGITUDE = N_("la longitud {value} está fuera del rango de -180 a 180")
GEOPOINT_ACCURACY = N_("la precisión {value} no puede ser negativa")
EVALUATION_FAILED = N_("No se pudo evaluar la columna «{column}» del formulario: {error}")
NOT_RELEVANT_DROPPED = N_(
    "La pregunta no aplica con las demás respuestas (su condición relevant es falsa); su "
    "respuesta «{value}» no se guarda"
)
CHOICE_FILTERED_DROPPED = N_(
    "«{value}» no es una opción disponible con las demás respuestas (choice_filter); la "
    "respuesta no se guarda"
)
CALCULATED_IGNORED = N_(
    "«{name}» se calcula con el formulario y no se responde; el valor dado no se usa"
)
UNKNOWN_ANSWER_KEY = N_("«{key}» no es una pregunta de este formulario")
BAD_ANSWER_KEY = N_(
    "«{key}» no es una clave de respuesta válida; se escribe «pregunta» o, dentro de una "
    "repetición, «repeticion[1]/pregunta»"
)
WRONG_REPEAT_PATH = N_(
    "«{key}» no indica las repeticiones de la pregunta «{name}»; se escribe «{expected}»"
)
NOT_ANSWERABLE = N_("«{name}» no es una pregunta que se pueda responder")
NOT_A_REPEAT = N_("«{name}» no es una repetición (begin repeat) del formulario")
NO_SUCH_ROW = N_("La repetición «{name}» no tiene la fila {position}")
BAD_REPEAT_PATH = N_(
    "«{name}» está dentro de {expected} repetición(es); indique la fila de cada una (se dieron {given})"
)
QUESTION_NOT_RELEVANT = N_("La pregunta «{name}» no aplica con las respuestas actuales")
QUESTION_READ_ONLY = N_("La pregunta «{name}» es de solo lectura")
REPEAT_NOT_RELEVANT = N_("La sección «{name}» no aplica con las respuestas actuales")
UNKNOWN_LANGUAGE = N_("El formulario no tiene el idioma «{language}»; tiene: {languages}")

# ------------------------------------------------------------------------------ check summary

SUMMARY_TITLE = N_("Formulario «{title}» ({form_id}), versión {version}")
SUMMARY_TITLE_NO_VERSION = N_(
    "Formulario «{title}» ({form_id}), sin versión (falta settings.version: las respuestas no "
    "sabrán con qué versión se hicieron)"
)
SUMMARY_COUNTS = N_(
    "{questions} preguntas, {notes} notas, {calculations} cálculos, {groups} grupos, "
    "{repeats} repeticiones, {lists} listas de opciones"
)
SUMMARY_LANGUAGES = N_("Idiomas: {languages} (predeterminado: {default})")
SUMMARY_NO_LANGUAGES = N_("Idiomas: sin columnas de idioma (label::Idioma (código))")
