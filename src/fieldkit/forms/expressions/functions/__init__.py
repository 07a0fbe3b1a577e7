"""The function library: XPath 1.0's core functions and ODK's extensions (ODK XForms spec).

Importing this package registers every function in ``FUNCTIONS``; the parser checks names and
argument counts against it and the compiler builds each call with it.
"""

from __future__ import annotations

from fieldkit.forms.expressions.functions import dates, geo, numbers, text
from fieldkit.forms.expressions.functions.registry import (
    FUNCTIONS,
    UNSUPPORTED,
    VOLATILE,
    Compiled,
    Function,
    check_call,
)

__all__ = [
    "FUNCTIONS",
    "UNSUPPORTED",
    "VOLATILE",
    "Compiled",
    "Function",
    "check_call",
    "dates",
    "geo",
    "numbers",
    "text",
]
