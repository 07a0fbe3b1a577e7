"""The people who make up the teams: list, search, add and edit."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QTableView, QVBoxLayout, QWidget

from fieldkit.domain.text import matches
from fieldkit.i18n import _, format_number, ngettext
from fieldkit.services.catalog import DirectorateRow
from fieldkit.services.persons import PersonRow
from fieldkit.ui.data import PersonsData, load_persons
from fieldkit.ui.dialogs.person import PersonDialog
from fieldkit.ui.formatting import person_role_label
from fieldkit.ui.models import Column, RowsModel
from fieldkit.ui.views.base import View
from fieldkit.ui.widgets.common import current_row, fit_columns, search_box, setup_table

if TYPE_CHECKING:
    from fieldkit.services.profile import Profile


class PersonsView(View):
    RELEVANT = ("person", "directorate")

    def __init__(self, profile: Profile, parent: QWidget | None = None) -> None:
        super().__init__(profile, parent)
        self.directorates: list[DirectorateRow] = []
        self._directorate_names: dict[str, str] = {}
        self.search = search_box(_("Buscar por nombre, rol, correo o teléfono…"), self)
        self.count = QLabel(self)
        self.new_button = QPushButton(_("&Nueva persona…"), self)
        self.edit_button = QPushButton(_("&Editar…"), self)
        self.model: RowsModel[PersonRow] = RowsModel(
            [
                Column(_("Nombre"), lambda r: r.name),
                Column(_("Rol"), lambda r: person_role_label(r.role)),
                Column(_("Dirección territorial"), self._directorate_text),
                Column(_("Correo"), lambda r: r.email),
                Column(_("Teléfono"), lambda r: r.phone),
                Column(_("Activa"), lambda r: _("Sí") if r.active else _("No")),
            ],
            self,
        )
        self.table = QTableView(self)
        self.table.setModel(self.model)
        setup_table(self.table, (30, 20, 20, 32, 14, 8))
        self.table.setAccessibleName(_("Personas"))

        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.count)
        top.addWidget(self.new_button)
        top.addWidget(self.edit_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)

        self.search.textChanged.connect(self.apply_filter)
        self.new_button.clicked.connect(lambda: self.edit_person(None))
        self.edit_button.clicked.connect(self.edit_selected)
        self.table.activated.connect(self.edit_selected)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.model.modelReset.connect(self._update_buttons)
        self._update_buttons()

    @staticmethod
    def load(profile: Profile) -> PersonsData:
        return load_persons(profile)

    def _directorate_text(self, row: PersonRow) -> str:
        name = self._directorate_names.get(row.directorate_code)
        return f"{row.directorate_code} — {name}" if name else row.directorate_code

    def show_data(self, data: PersonsData) -> None:
        self.directorates = data.directorates
        self._directorate_names = {d.code: d.name for d in data.directorates}
        self.model.set_rows(data.rows)
        fit_columns(self.table, once=True)
        self._update_count()

    def apply_filter(self) -> None:
        query = self.search.text()
        self.model.set_filter(
            lambda rows: [
                r
                for r in rows
                if matches(query, r.name, person_role_label(r.role), r.email, r.phone)
            ]
        )
        self._update_count()

    def _update_count(self) -> None:
        n = len(self.model.rows)
        self.count.setText(
            ngettext("{count} persona", "{count} personas", n, count=format_number(n))
        )

    def _update_buttons(self) -> None:
        self.edit_button.setEnabled(current_row(self.table) >= 0)

    def selected(self) -> PersonRow | None:
        return self.model.row_at(current_row(self.table))

    def edit_selected(self) -> PersonDialog | None:
        person = self.selected()
        return self.edit_person(person) if person else None

    def edit_person(self, person: PersonRow | None) -> PersonDialog:
        dialog = PersonDialog(self.profile, self.directorates, person, self.window())
        dialog.open()
        return dialog
