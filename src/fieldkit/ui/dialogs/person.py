"""Add or edit a person of the teams: name, role, directorate, contact, active."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from fieldkit.i18n import _
from fieldkit.services import persons
from fieldkit.services.catalog import DirectorateRow
from fieldkit.services.persons import PERSON_ROLES, PersonRow
from fieldkit.ui.formatting import directorate_label
from fieldkit.ui.ops import Op
from fieldkit.ui.widgets.common import ErrorLabel, save_cancel_buttons

if TYPE_CHECKING:
    from fieldkit.services.profile import Profile


class PersonDialog(QDialog):
    saved = Signal(str)  # person id

    def __init__(
        self,
        profile: Profile,
        directorates: list[DirectorateRow],
        person: PersonRow | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.profile = profile
        self.person = person
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle(_("Nueva persona") if person is None else _("Editar persona"))
        self.setMinimumWidth(460)

        self.name = QLineEdit(self)
        self.role = QComboBox(self)
        for code, label in PERSON_ROLES.items():
            self.role.addItem(_(label), code)
        self.directorate = QComboBox(self)
        self.directorate.addItem(_("Sin dirección territorial"), "")
        for d in directorates:
            self.directorate.addItem(directorate_label(d), d.code)
        self.email = QLineEdit(self)
        self.email.setPlaceholderText(_("nombre@entidad.gov.co"))
        self.phone = QLineEdit(self)
        self.active = QCheckBox(_("&Activa (puede integrar equipos nuevos)"), self)
        self.active.setChecked(True)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(_("&Nombre:"), self.name)
        form.addRow(_("&Rol:"), self.role)
        form.addRow(_("&Dirección territorial:"), self.directorate)
        form.addRow(_("&Correo:"), self.email)
        form.addRow(_("&Teléfono:"), self.phone)
        form.addRow("", self.active)

        self.error = ErrorLabel(self)
        self.buttons = save_cancel_buttons(self, self.save)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

        if person is not None:
            self.name.setText(person.name)
            self.role.setCurrentIndex(max(self.role.findData(person.role), 0))
            index = self.directorate.findData(person.directorate_code)
            if index < 0 and person.directorate_code:
                # A directorate no longer in the catalog stays visible rather than vanish.
                self.directorate.addItem(person.directorate_code, person.directorate_code)
                index = self.directorate.count() - 1
            self.directorate.setCurrentIndex(max(index, 0))
            self.email.setText(person.email)
            self.phone.setText(person.phone)
            self.active.setChecked(person.active)

    def save(self) -> None:
        self.error.clear_message()
        self.buttons.setEnabled(False)
        Op(
            self,
            persons.save_person,
            self.profile,
            name=self.name.text(),
            role=self.role.currentData(),
            person_id=self.person.id if self.person else None,
            directorate_code=self.directorate.currentData() or "",
            email=self.email.text().strip(),
            phone=self.phone.text().strip(),
            active=self.active.isChecked(),
            label=_("Guardando…"),
        ).success(self._done).failure(self.error.show_error).finally_(
            lambda: self.buttons.setEnabled(True)
        ).run()

    def _done(self, result: tuple[str, object]) -> None:
        self.saved.emit(result[0])
        self.accept()
