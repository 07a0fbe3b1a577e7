"""The role and scope a coordinator gives a device: on enrolment and when accepting a sender
from quarantine (the services check the codes and say which are unknown)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QLineEdit, QWidget

from fieldkit.i18n import _
from fieldkit.services.profile import ROLE_LABELS


def split_codes(text: str) -> list[str]:
    return [c for c in (part.strip() for part in text.replace(";", ",").split(",")) if c]


class ScopeFields(QWidget):
    """Rol, Direcciones territoriales and Municipios, as rows of ``form`` (callers may insert
    rows of their own, so labels line up)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.role = QComboBox(self)
        for value, label in ROLE_LABELS.items():
            self.role.addItem(_(label), value)
        self.directorates = QLineEdit(self)
        self.directorates.setPlaceholderText(_("Códigos separados por comas, p. ej. NAR, CAU"))
        self.municipalities = QLineEdit(self)
        self.municipalities.setPlaceholderText(_("Códigos DANE separados por comas (opcional)"))
        self.form = QFormLayout(self)
        self.form.setContentsMargins(0, 0, 0, 0)
        self.form.addRow(_("&Rol:"), self.role)
        self.form.addRow(_("&Direcciones territoriales:"), self.directorates)
        self.form.addRow(_("&Municipios:"), self.municipalities)
        self.note = QLabel(
            _(
                "Sin direcciones territoriales, el equipo podrá cambiar registros de todo el "
                "país; sin municipios, los de todos los municipios de sus direcciones."
            ),
            self,
        )
        self.note.setWordWrap(True)
        self.form.addRow(self.note)
        self.setFocusProxy(self.role)

    def role_value(self) -> str:
        return str(self.role.currentData())

    def directorate_codes(self) -> list[str]:
        return split_codes(self.directorates.text())

    def municipality_codes(self) -> list[str]:
        return split_codes(self.municipalities.text())

    def set_scope(
        self, role: str, directorates: Sequence[str] = (), municipalities: Sequence[str] = ()
    ) -> None:
        self.role.setCurrentIndex(max(self.role.findData(role), 0))
        self.directorates.setText(", ".join(directorates))
        self.municipalities.setText(", ".join(municipalities))
