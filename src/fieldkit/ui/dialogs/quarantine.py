"""Remitentes en cuarentena: bundles from unknown senders, checked but not applied, that a
coordinator accepts (with a role and scope, after comparing the key fingerprint by phone) or
discards. Accepting imports the bundle and shows the same report as any import."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from fieldkit.i18n import _, format_number, ngettext
from fieldkit.services import quarantine, sync
from fieldkit.services.changes import EVERYTHING
from fieldkit.services.profile import ROLE_LABELS
from fieldkit.services.quarantine import Waiting
from fieldkit.ui.dialogs.sync import ImportDialog
from fieldkit.ui.models import Column, RowsModel
from fieldkit.ui.ops import Op
from fieldkit.ui.widgets.common import (
    ErrorLabel,
    current_row,
    fit_columns,
    setup_table,
    stretch_columns,
)
from fieldkit.ui.widgets.scope import ScopeFields

if TYPE_CHECKING:
    from fieldkit.services.profile import Profile
    from fieldkit.services.sync import Imported

SENDER = 1


def enrolment_text(row: Waiting) -> str:
    if row.peer is None:
        return _("Sin inscribir")
    return _("Inscrito como {role}", role=_(ROLE_LABELS.get(row.peer.role, row.peer.role)))


def quarantine_columns() -> list[Column[Waiting]]:
    return [
        Column(_("Paquete"), lambda r: r.bundle.file, tooltip=lambda r: r.bundle.file),
        Column(_("Remitente"), lambda r: r.bundle.sender, tooltip=lambda r: r.bundle.sender),
        Column(
            _("Dispositivo"),
            lambda r: r.bundle.device_id[:8],
            tooltip=lambda r: r.bundle.device_id,
        ),
        Column(_("Huella de la clave"), lambda r: r.bundle.fingerprint),
        Column(
            _("Operaciones"),
            lambda r: format_number(r.bundle.operations),
            lambda r: r.bundle.operations,
            align_right=True,
        ),
        Column(_("Inscripción"), enrolment_text),
    ]


def _codes(text: str) -> list[str]:
    return [c for c in text.split(";") if c]


class QuarantineDialog(QDialog):
    """The waiting bundles; accept the selected one's sender within a scope, or discard it."""

    def __init__(self, profile: Profile, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.profile = profile
        self.report: ImportDialog | None = None
        self.setWindowTitle(_("Remitentes en cuarentena"))
        self.resize(1000, 620)
        intro = QLabel(
            _(
                "Estos paquetes llegaron de equipos que este perfil no tiene inscritos: se "
                "revisaron, pero no se aplicó ningún cambio. Antes de aceptar un remitente, "
                "llame a quien lo envió y compare la huella de la clave que ve aquí con la que "
                "muestra su equipo."
            ),
            self,
        )
        intro.setWordWrap(True)
        self.model: RowsModel[Waiting] = RowsModel(quarantine_columns(), self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        setup_table(self.table, (22, 24, 10, "0000-0000-0000-0000", 10, 22), sort_column=None)
        stretch_columns(self.table, SENDER)
        self.table.setAccessibleName(_("Paquetes en cuarentena"))
        self.empty = QLabel(_("No hay paquetes en cuarentena."), self)
        self.empty.hide()

        self.scope_box = QGroupBox(_("Aceptar al remitente del paquete elegido"), self)
        self.selection = QLabel(self.scope_box)
        self.selection.setWordWrap(True)
        self.scope = ScopeFields(self.scope_box)
        box = QVBoxLayout(self.scope_box)
        box.addWidget(self.selection)
        box.addWidget(self.scope)

        self.error = ErrorLabel(self)
        self.buttons = QDialogButtonBox(self)
        self.accept_button = QPushButton(_("&Aceptar remitente e importar"), self)
        self.accept_button.setDefault(True)
        self.discard_button = QPushButton(_("Descar&tar paquete…"), self)
        self.close_button = QPushButton(_("&Cerrar"), self)
        self.buttons.addButton(self.accept_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.addButton(self.discard_button, QDialogButtonBox.ButtonRole.DestructiveRole)
        self.buttons.addButton(self.close_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.accept_button.clicked.connect(self.accept_selected)
        self.discard_button.clicked.connect(self.discard_selected)
        self.close_button.clicked.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty)
        layout.addWidget(self.scope_box)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.model.modelReset.connect(self._selection_changed)
        self._selection_changed()

    # Data --------------------------------------------------------------------------------

    def reload(self) -> Op[object]:
        return (
            Op(self, quarantine.waiting, self.profile, label=_("Revisando la cuarentena…"))
            .success(self.show_rows)  # type: ignore[arg-type]
            .run()
        )

    def show_rows(self, rows: list[Waiting]) -> None:
        previous = self.selected()
        self.model.set_rows(rows)
        fit_columns(self.table, 260)
        self.empty.setVisible(not rows)
        files = [r.bundle.file for r in self.model.rows]
        if files:
            keep = previous.bundle.file if previous else None
            self.table.selectRow(files.index(keep) if keep in files else 0)
            self.table.setFocus()

    def selected(self) -> Waiting | None:
        return self.model.row_at(current_row(self.table))

    def _selection_changed(self) -> None:
        row = self.selected()
        for widget in (self.scope_box, self.accept_button, self.discard_button):
            widget.setEnabled(row is not None)
        self.error.clear_message()
        if row is None:
            self.selection.setText(_("Elija un paquete de la lista."))
            self.scope.set_scope("field")
            return
        if row.peer is None:
            self.selection.setText(
                _(
                    "«{sender}» (huella {fingerprint}) no está inscrito. Elija con qué rol y "
                    "alcance se acepta; sus cambios fuera de ese alcance se rechazarán.",
                    sender=row.bundle.sender,
                    fingerprint=row.bundle.fingerprint,
                )
            )
            self.scope.set_scope("field")
        else:
            self.selection.setText(
                _(
                    "«{sender}» ya fue aceptado con otro paquete. Se muestran su rol y alcance; "
                    "si los cambia, se guardan los nuevos.",
                    sender=row.bundle.sender,
                )
            )
            self.scope.set_scope(
                row.peer.role, _codes(row.peer.directorates), _codes(row.peer.municipalities)
            )

    # Commands ----------------------------------------------------------------------------

    def accept_selected(self) -> Op[object] | None:
        row = self.selected()
        if row is None:
            return None
        self.error.clear_message()
        return (
            Op(
                self,
                sync.accept_quarantined,
                self.profile,
                row.bundle.file,
                role=self.scope.role_value(),
                directorates=self.scope.directorate_codes(),
                municipalities=self.scope.municipality_codes(),
                label=_("Aceptando al remitente e importando su paquete…"),
                changes=EVERYTHING,  # a new trusted device, and whatever its bundle brought
            )
            .success(self._accepted)  # type: ignore[arg-type]
            .failure(self.error.show_error)
            .run()
        )

    def _accepted(self, result: Imported) -> None:
        self.reload()
        self.report = show_report(self, self.profile, result)

    def discard_selected(self) -> Op[object] | None:
        row = self.selected()
        if row is None:
            return None
        answer = QMessageBox.question(
            self,
            _("Descartar paquete"),
            ngettext(
                "¿Descartar {file}, de «{sender}»? Se borrará de la cuarentena y su {count} "
                "operación no se aplicará. Si hacía falta, el remitente tendrá que enviarlo "
                "de nuevo.",
                "¿Descartar {file}, de «{sender}»? Se borrará de la cuarentena y sus {count} "
                "operaciones no se aplicarán. Si hacían falta, el remitente tendrá que "
                "enviarlo de nuevo.",
                row.bundle.operations,
                file=row.bundle.file,
                sender=row.bundle.sender,
                count=format_number(row.bundle.operations),
            ),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return None
        return (
            Op(
                self,
                quarantine.discard_quarantined,
                self.profile,
                row.bundle.file,
                label=_("Descartando el paquete…"),
            )
            .success(lambda _path: self.reload())
            .failure(self.error.show_error)
            .run()
        )


def show_report(parent: QWidget, profile: Profile, result: Imported) -> ImportDialog:
    """The import's result, in the dialog every import ends with."""
    dialog = ImportDialog(profile, [result.path], [result], parent)
    dialog.imported = True  # a result, not a preview: no «Importar» button
    dialog.show_results([result])
    dialog.open()
    return dialog


def open_quarantine(parent: QWidget, profile: Profile) -> QuarantineDialog:
    dialog = QuarantineDialog(profile, parent)
    dialog.open()
    dialog.reload()
    return dialog
