"""What the profile's role allows on screen: only coordinators edit catalogs (the services refuse too).

Screens disable what the role may not do and say why, so nobody fills a form to be refused;
the services still decide, and a refusal reaches the person as a message (see ops).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QWidget

from fieldkit.i18n import N_, _

if TYPE_CHECKING:
    from fieldkit.services.profile import Profile

COORDINATOR = "coordinator"
CATALOGS_NOTE = N_(
    "Solo los coordinadores modifican los catálogos. El rol de este equipo se elige en "
    "Archivo → Perfil de este equipo…"
)

QUARANTINE_NOTE = N_(
    "Solo un coordinador acepta o descarta remitentes en cuarentena. El rol de este equipo se "
    "elige en Archivo → Perfil de este equipo…"
)


def edits_catalogs(profile: Profile) -> bool:
    return profile.role == COORDINATOR


def gate(items: Iterable[QAction | QWidget], allowed: bool, note: str = CATALOGS_NOTE) -> None:
    """Enable ``items`` when ``allowed``; otherwise disable them with ``note`` as tooltip and status tip."""
    tip = "" if allowed else _(note)
    for item in items:
        item.setEnabled(allowed)
        item.setToolTip(tip)
        item.setStatusTip(tip)
