"""Territorial directorates: which departments each one covers; add, edit, remove, import.

Everyone sees them and may load the example grouping; only coordinators change them.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from fieldkit.i18n import _, format_number
from fieldkit.services import catalog
from fieldkit.services.catalog import CsvImport, DirectorateRow
from fieldkit.services.changes import Changes
from fieldkit.ui.data import DirectoratesData, load_directorates
from fieldkit.ui.models import Column, RowsModel
from fieldkit.ui.ops import PROFILE, Op
from fieldkit.ui.roles import CATALOGS_NOTE, edits_catalogs, gate
from fieldkit.ui.widgets.common import (
    ErrorLabel,
    current_row,
    fit_columns,
    save_cancel_buttons,
    setup_table,
)

if TYPE_CHECKING:
    from fieldkit.services.profile import Profile

CODE_ROLE = Qt.ItemDataRole.UserRole
CSV_FILTER = "CSV (*.csv *.txt);;*"


def example_note() -> str:
    return _(
        "La agrupación de ejemplo NO es oficial: reparte los departamentos en direcciones "
        "territoriales inventadas para probar fieldkit. Cargue la lista oficial de su entidad "
        "con «Importar CSV…» (columnas codigo, nombre, departamentos)."
    )


def import_report(result: CsvImport) -> str:
    return _(
        "Importación terminada: {applied} registros cambiados, {unchanged} sin cambios.",
        applied=format_number(result.applied),
        unchanged=format_number(result.unchanged),
    )


def load_example(parent: QWidget, profile: Profile) -> Op[CsvImport] | None:
    """Ask, then load the shipped EXAMPLE grouping (it replaces example and current groupings)."""
    answer = QMessageBox.question(
        parent,
        _("Cargar agrupación de ejemplo"),
        example_note()
        + "\n\n"
        + _("Las direcciones territoriales actuales se reemplazan. ¿Cargar el ejemplo?"),
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    if answer != QMessageBox.StandardButton.Yes:
        return None
    return (
        Op(
            parent,
            catalog.import_directorates,
            profile,
            None,
            label=_("Cargando la agrupación de ejemplo…"),
            changes=Changes.of("directorate"),
        )
        .success(
            lambda result: QMessageBox.information(parent, _("fieldkit"), import_report(result))
        )
        .run()
    )


def import_csv(parent: QWidget, profile: Profile) -> Op[CsvImport] | None:
    path, _filter = QFileDialog.getOpenFileName(
        parent, _("Importar direcciones territoriales (CSV)"), "", CSV_FILTER
    )
    if not path:
        return None
    return (
        Op(
            parent,
            catalog.import_directorates,
            profile,
            Path(path),
            label=_("Importando direcciones territoriales…"),
            changes=Changes.of("directorate"),
        )
        .success(
            lambda result: QMessageBox.information(parent, _("fieldkit"), import_report(result))
        )
        .run()
    )


class DirectorateEditDialog(QDialog):
    """Code, name and the departments it covers (those of other directorates are marked)."""

    def __init__(
        self,
        profile: Profile,
        data: DirectoratesData,
        row: DirectorateRow | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.profile = profile
        self.row = row
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle(
            _("Nueva dirección territorial")
            if row is None
            else _("Editar dirección territorial {code}", code=row.code)
        )
        self.resize(480, 560)
        self.code = QLineEdit(self)
        self.code.setMaxLength(12)
        self.name = QLineEdit(self)
        self.departments = QListWidget(self)
        owners = {
            dept: d.code
            for d in data.rows
            if row is None or d.code != row.code
            for dept in d.departments
        }
        for option in data.departments:
            owner = owners.get(option.code)
            text = f"{option.name} ({option.code})"
            if owner:
                text += " — " + _("en {code}", code=owner)
            item = QListWidgetItem(text, self.departments)
            item.setData(CODE_ROLE, option.code)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            checked = row is not None and option.code in row.departments
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
        if row is not None:
            self.code.setText(row.code)
            self.code.setReadOnly(True)
            self.name.setText(row.name)

        form = QFormLayout()
        form.addRow(_("&Código:"), self.code)
        form.addRow(_("&Nombre:"), self.name)
        label = QLabel(_("&Departamentos que cubre:"), self)
        label.setBuddy(self.departments)
        self.error = ErrorLabel(self)
        self.buttons = save_cancel_buttons(self, self.save)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(label)
        layout.addWidget(self.departments, 1)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

    def check_department(self, code: str, checked: bool = True) -> None:
        for i in range(self.departments.count()):
            item = self.departments.item(i)
            if item.data(CODE_ROLE) == code:
                item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
                return
        raise LookupError(code)

    def department_codes(self) -> list[str]:
        return [
            self.departments.item(i).data(CODE_ROLE)
            for i in range(self.departments.count())
            if self.departments.item(i).checkState() == Qt.CheckState.Checked
        ]

    def save(self) -> None:
        self.error.clear_message()
        self.buttons.setEnabled(False)
        Op(
            self,
            catalog.save_directorate,
            self.profile,
            self.code.text(),
            self.name.text(),
            self.department_codes(),
            is_example=self.row.is_example if self.row else False,
            label=_("Guardando…"),
        ).success(lambda _changes: self.accept()).failure(self.error.show_error).finally_(
            lambda: self.buttons.setEnabled(True)
        ).run()


class DirectoratesDialog(QDialog):
    RELEVANT = ("directorate",)

    def __init__(self, profile: Profile, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.profile = profile
        self.data = DirectoratesData([], [])
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle(_("Direcciones territoriales"))
        self.resize(860, 560)
        self._names: dict[str, str] = {}
        self.model: RowsModel[DirectorateRow] = RowsModel(
            [
                Column(_("Código"), lambda r: r.code, lambda r: r.code),
                Column(
                    _("Nombre"),
                    lambda r: f"{r.name} {_('(ejemplo)')}" if r.is_example else r.name,
                ),
                Column(
                    _("Departamentos"),
                    self._department_names,
                    tooltip=self._department_names,
                ),
            ],
            self,
        )
        self.table = QTableView(self)
        self.table.setModel(self.model)
        setup_table(self.table, (8, 34, 40))
        self.empty = QLabel(
            _("No hay direcciones territoriales. Importe la lista oficial o cargue el ejemplo."),
            self,
        )
        self.empty.setWordWrap(True)
        self.note = QLabel(example_note(), self)
        self.note.setWordWrap(True)
        self.note.setStyleSheet("color: #7a4b00;")
        self.role_note = QLabel(_(CATALOGS_NOTE), self)
        self.role_note.setWordWrap(True)

        self.add_button = QPushButton(_("&Agregar…"), self)
        self.edit_button = QPushButton(_("&Editar…"), self)
        self.remove_button = QPushButton(_("&Quitar"), self)
        self.import_button = QPushButton(_("&Importar CSV…"), self)
        self.example_button = QPushButton(_("Cargar agrupación de e&jemplo"), self)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(_("&Cerrar"))
        buttons.rejected.connect(self.reject)

        actions = QHBoxLayout()
        for button in (self.add_button, self.edit_button, self.remove_button):
            actions.addWidget(button)
        actions.addStretch(1)
        actions.addWidget(self.import_button)
        actions.addWidget(self.example_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty)
        layout.addLayout(actions)
        layout.addWidget(self.role_note)
        layout.addWidget(self.note)
        layout.addWidget(buttons)

        self.add_button.clicked.connect(lambda: self.edit(None))
        self.edit_button.clicked.connect(self.edit_selected)
        self.remove_button.clicked.connect(self.remove_selected)
        self.import_button.clicked.connect(lambda: import_csv(self, self.profile))
        self.example_button.clicked.connect(lambda: load_example(self, self.profile))
        self.table.activated.connect(self.edit_selected)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.model.modelReset.connect(self._update_buttons)
        self._allowed = edits_catalogs(profile)
        self._update_buttons()
        self.reload()

    def _department_names(self, row: DirectorateRow) -> str:
        return ", ".join(self._names.get(code, code) for code in row.departments)

    def reload(self) -> None:
        Op(self, load_directorates, self.profile, quiet=True).success(self.show_data).run()

    def show_data(self, data: DirectoratesData) -> None:
        self.data = data
        self._names = {o.code: o.name for o in data.departments}
        self.model.set_rows(data.rows)
        fit_columns(self.table, maximum=360)
        self.empty.setVisible(not data.rows)
        self.note.setVisible(not data.rows or any(r.is_example for r in data.rows))

    def on_changes(self, changes: Changes) -> None:
        if changes.touches(PROFILE):
            self._allowed = edits_catalogs(self.profile)
            self._update_buttons()
        if changes.touches(*self.RELEVANT):
            self.reload()

    def _update_buttons(self) -> None:
        buttons = [self.add_button, self.import_button, self.edit_button, self.remove_button]
        gate(buttons, self._allowed)
        self.role_note.setVisible(not self._allowed)
        if self._allowed:
            has = current_row(self.table) >= 0
            self.edit_button.setEnabled(has)
            self.remove_button.setEnabled(has)

    def selected(self) -> DirectorateRow | None:
        return self.model.row_at(current_row(self.table))

    def edit_selected(self) -> DirectorateEditDialog | None:
        row = self.selected()
        # Enter or a double click on a row edits it: only where the button would.
        return self.edit(row) if row and self.edit_button.isEnabled() else None

    def edit(self, row: DirectorateRow | None) -> DirectorateEditDialog:
        dialog = DirectorateEditDialog(self.profile, self.data, row, self)
        dialog.open()
        return dialog

    def remove_selected(self) -> Op[Changes] | None:
        row = self.selected()
        if row is None:
            return None
        answer = QMessageBox.question(
            self,
            _("Quitar dirección territorial"),
            _(
                "¿Quitar la dirección territorial {code} ({name})? Sus departamentos quedan sin "
                "dirección asignada.",
                code=row.code,
                name=row.name,
            ),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return None
        return Op(
            self, catalog.remove_directorate, self.profile, row.code, label=_("Quitando…")
        ).run()
