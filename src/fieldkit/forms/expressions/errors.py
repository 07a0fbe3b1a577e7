"""The one error of the expression language, and its Spanish messages (translated where shown)."""

from __future__ import annotations

from fieldkit.domain.errors import FieldkitError


def N_(msgid: str) -> str:
    """Mark a Spanish string for translation where it is shown (this package cannot translate)."""
    return msgid


# Syntax: found while parsing, so a form with the mistake is refused on load.
EXPECTED_AT_END = N_("Error de sintaxis en la posición {position}: se esperaba «{expected}»")
EXPECTED_FOUND = N_(
    "Error de sintaxis en la posición {position}: se esperaba «{expected}» y se encontró «{found}»"
)
EXPECTED_COMMA_AT_END = N_("Error de sintaxis en la posición {position}: se esperaba «,» o «)»")
EXPECTED_COMMA_FOUND = N_(
    "Error de sintaxis en la posición {position}: se esperaba «,» o «)» y se encontró «{found}»"
)
MISSING_VALUE = N_(
    "Error de sintaxis en la posición {position}: falta un valor (un número, un texto entre "
    "comillas, ${{pregunta}} o una función)"
)
EXPECTED_VALUE = N_(
    "Error de sintaxis en la posición {position}: se esperaba un valor y se encontró «{found}»"
)
EXPECTED_OPERATOR = N_(
    "Error de sintaxis en la posición {position}: se esperaba un operador (and, or, =, !=, <, "
    "<=, >, >=, +, -, *, div, mod) y se encontró «{found}»"
)
UNMATCHED_CLOSE = N_("Error de sintaxis en la posición {position}: este «)» no cierra ningún «(»")
UNTERMINATED_TEXT = N_(
    "Error de sintaxis en la posición {position}: el texto no tiene la comilla de cierre «{quote}»"
)
BAD_REFERENCE = N_(
    "Error de sintaxis en la posición {position}: referencia mal escrita; se escribe "
    "${{nombre}}, con el nombre de una pregunta"
)
INVALID_CHARACTER = N_("Error de sintaxis en la posición {position}: carácter no válido «{found}»")
TOO_DEEP = N_(
    "Error de sintaxis en la posición {position}: la expresión tiene demasiados niveles de "
    "paréntesis o funciones anidadas"
)
PATHS_UNSUPPORTED = N_(
    "Error en la posición {position}: las rutas XPath («{found}») no están soportadas; use "
    "${{nombre}} para referirse a una pregunta"
)
UNKNOWN_FUNCTION = N_("Error en la posición {position}: la función «{name}» no existe")
UNKNOWN_FUNCTION_SUGGEST = N_(
    "Error en la posición {position}: la función «{name}» no existe; ¿quiso decir «{suggestion}»?"
)
UNSUPPORTED_FUNCTION = N_(
    "Error en la posición {position}: la función «{name}» no está soportada en fieldkit"
)
ARITY_NONE = N_(
    "Error en la posición {position}: la función «{name}» no recibe argumentos y se le dieron "
    "{given}"
)
ARITY_EXACT = N_(
    "Error en la posición {position}: la función «{name}» recibe {expected} argumento(s) y se "
    "le dieron {given}"
)
ARITY_AT_LEAST = N_(
    "Error en la posición {position}: la función «{name}» recibe al menos {expected} "
    "argumento(s) y se le dieron {given}"
)
ARITY_BETWEEN = N_(
    "Error en la posición {position}: la función «{name}» recibe de {low} a {high} argumentos "
    "y se le dieron {given}"
)
ARITY_WEIGHTED_CHECKLIST = N_(
    "Error en la posición {position}: «weighted-checklist» recibe el mínimo, el máximo y pares "
    "de valor y peso; se le dieron {given} argumentos"
)
ARITY_INDEXED_REPEAT = N_(
    "Error en la posición {position}: «indexed-repeat» recibe la pregunta y hasta tres pares de "
    "repetición e índice; se le dieron {given} argumentos"
)
NEEDS_REFERENCE = N_(
    "Error en la posición {position}: la función «{name}» necesita una referencia a una "
    "pregunta, como ${{pregunta}}"
)
BAD_REGEX = N_("Error en la posición {position}: la expresión regular «{pattern}» no es válida")

# Evaluation: found while computing a value.
NOT_IN_REPEAT = N_(
    "Error en la posición {position}: «{name}» solo tiene sentido dentro de una repetición"
)
BAD_DIGEST = N_(
    "Error en la posición {position}: «digest» admite los algoritmos MD5, SHA-1, SHA-256, "
    "SHA-384 y SHA-512 con codificación base64 o hex, no «{value}»"
)


class ExpressionError(FieldkitError):
    """An expression that cannot be parsed or evaluated.

    ``position`` is 1-based, counted in characters of ``text`` (the expression as written); the
    message (``str(error)``) is Spanish and names the position, e.g. "Error de sintaxis en la
    posición 7: se esperaba «)»". Callers that know the sheet and row add them around it.
    """

    def __init__(self, msgid: str, *, position: int, text: str = "", **params: object) -> None:
        self.position = position
        self.text = text
        super().__init__(msgid, position=position, **params)
