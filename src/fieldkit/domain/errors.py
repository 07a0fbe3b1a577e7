"""Errors that carry a Spanish message id and its parameters, translated where they are shown."""

from __future__ import annotations


class Label(str):
    """A parameter that is itself a Spanish message id (a state name…): translated when shown."""

    __slots__ = ()


class FieldkitError(Exception):
    """A problem the user can act on. `msgid` is Spanish; `params` fill its {placeholders}.

    The domain may not import the translation module, so the message is kept as an id and the
    layer that shows it (CLI, GUI) translates it; `str()` gives the Spanish text.
    """

    exit_code = 2

    def __init__(self, msgid: str, **params: object) -> None:
        self.msgid = msgid
        self.params = params
        super().__init__(self.render())

    def render(self, translate=None) -> str:  # type: ignore[no-untyped-def]
        text = translate(self.msgid) if translate else self.msgid
        params = {k: _show(v, translate) for k, v in self.params.items()}
        try:
            return text.format(**params)
        except (KeyError, IndexError, ValueError):
            return text


class ValidationError(FieldkitError):
    """Input that cannot be accepted: nothing was changed."""


class NotFoundError(FieldkitError):
    """A code or id that does not exist."""


class TransitionError(FieldkitError):
    """A state change the workflow does not allow."""


class AuthorizationError(FieldkitError):
    """The profile's role may not do this (e.g. only coordinators edit catalogs)."""


class ProfileError(FieldkitError):
    """The profile (data directory, database, lock) cannot be used."""


class RestoreError(FieldkitError):
    """A file that cannot be restored as a backup of this profile."""


def _show(value: object, translate) -> object:  # type: ignore[no-untyped-def]
    """Labels are translated; a tuple of labels is shown as a list separated by semicolons."""
    if isinstance(value, tuple):
        return "; ".join(str(_show(v, translate)) for v in value)
    if translate and isinstance(value, Label):
        return translate(value)
    return value
