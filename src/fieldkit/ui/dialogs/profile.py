"""This device's profile, as ``fieldkit status`` shows it; rename the device and choose its role."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, NamedTuple

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from fieldkit.i18n import _, format_datetime, format_number, ngettext
from fieldkit.services.changes import Changes
from fieldkit.services.profile import ENTITY_LABELS, ROLE_LABELS, Status, status
from fieldkit.ui.ops import PROFILE_CHANGED, Op
from fieldkit.ui.widgets.common import ErrorLabel, fit_height

if TYPE_CHECKING:
    from fieldkit.services.profile import Profile

# What each synced table holds, as a person would call it (the keys of Status.records).
RECORD_COLUMNS = 2


class ProfileInfo(NamedTuple):
    status: Status
    backups_folder: str


def load_profile(profile: Profile) -> ProfileInfo:
    current = status(profile)  # it waits for the day's backup if one is being written
    return ProfileInfo(current, current.backups_dir)


def save_identity(profile: Profile, device_name: str, role: str) -> Changes:
    """Rename the device and set its role, each only if it changed."""
    from fieldkit.services.profile import rename_device, set_role

    if device_name.strip() != (profile.values.get("device_name") or ""):
        rename_device(profile, device_name)
    if role != profile.role:
        set_role(profile, role)
    return PROFILE_CHANGED


def _value(parent: QWidget) -> QLabel:
    label = QLabel("…", parent)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setWordWrap(True)
    return label


def _created(text: str) -> str:
    try:
        return format_datetime(dt.datetime.fromisoformat(text))
    except ValueError:
        return text


class ProfileDialog(QDialog):
    def __init__(self, profile: Profile, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.profile = profile
        self.info: ProfileInfo | None = None
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle(_("Perfil de este equipo"))
        self.setMinimumWidth(640)

        # This device --------------------------------------------------------------------
        self.name = QLineEdit(self)
        self.name.setMaxLength(80)
        self.role = QComboBox(self)
        for code, label in ROLE_LABELS.items():
            self.role.addItem(_(label), code)
        self.role_note = QLabel(
            _(
                "Por ahora el rol se elige aquí. En una versión próxima lo asignará el "
                "coordinador al inscribir este equipo. Solo los coordinadores modifican los "
                "catálogos."
            ),
            self,
        )
        self.role_note.setWordWrap(True)
        # A wrapped label asks for a narrow, tall box; the form row would keep that height.
        self.role_note.setMinimumWidth(self.fontMetrics().averageCharWidth() * 60)
        self.device_id = _value(self)
        self.user = _value(self)
        self.created = _value(self)
        self.error = ErrorLabel(self)
        self.saved = QLabel(self)
        self.save_button = QPushButton(_("&Guardar cambios"), self)
        self.save_button.setDefault(True)  # Enter in the name saves; it never closes the dialog
        self.save_button.clicked.connect(self.save)
        save_row = QHBoxLayout()
        save_row.addWidget(self.error, 3)
        save_row.addStretch(1)
        save_row.addWidget(self.saved, 0, Qt.AlignmentFlag.AlignTop)
        save_row.addWidget(self.save_button, 0, Qt.AlignmentFlag.AlignTop)

        device_box = QGroupBox(_("Este equipo"), self)
        form = self._form(device_box)
        form.addRow(_("&Nombre del equipo:"), self.name)
        form.addRow(_("&Rol:"), self.role)
        form.addRow("", self.role_note)
        form.addRow(_("Identificador:"), self.device_id)
        form.addRow(_("Usuario:"), self.user)
        form.addRow(_("Creado:"), self.created)
        form.addRow(save_row)

        # Where the data is ----------------------------------------------------------------
        self.data_dir = _value(self)
        self.copy_button = QPushButton(_("Co&piar ruta"), self)
        self.copy_button.clicked.connect(self.copy_path)
        self.open_button = QPushButton(_("&Abrir carpeta"), self)
        self.open_button.clicked.connect(self.open_folder)
        self.feedback = QLabel(self)
        folder_buttons = QHBoxLayout()
        folder_buttons.addWidget(self.copy_button)
        folder_buttons.addWidget(self.open_button)
        folder_buttons.addWidget(self.feedback, 1)
        self.database = _value(self)
        self.backups = _value(self)
        self.operations = _value(self)
        data_box = QGroupBox(_("Datos en este equipo"), self)
        form = self._form(data_box)
        form.addRow(_("Carpeta de datos:"), self.data_dir)
        form.addRow("", folder_buttons)
        form.addRow(_("Base de datos:"), self.database)
        form.addRow(_("Copias de seguridad:"), self.backups)
        form.addRow(_("Operaciones registradas:"), self.operations)

        # Records ----------------------------------------------------------------------------
        self.records_box = QGroupBox(_("Registros"), self)
        self.records_grid = QGridLayout(self.records_box)
        self.records_grid.setHorizontalSpacing(12)
        self.record_counts: dict[str, QLabel] = {}
        self._show_records(dict.fromkeys(ENTITY_LABELS, 0), placeholder="…")

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close = buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setText(_("&Cerrar"))
        close.setAutoDefault(False)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(device_box)
        layout.addWidget(data_box)
        layout.addWidget(self.records_box)
        layout.addWidget(buttons)

        for widget in (self.name, self.role, self.copy_button, self.open_button):
            widget.setEnabled(False)  # until the profile is read
        self.name.textChanged.connect(self._update_save)
        self.role.currentIndexChanged.connect(self._update_save)
        self._update_save()
        self.reload()

    def _form(self, box: QGroupBox) -> QFormLayout:
        form = QFormLayout(box)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        return form

    # Reading ------------------------------------------------------------------------------

    def reload(self) -> None:
        Op(self, load_profile, self.profile, quiet=True).success(self.show_data).run()

    def on_changes(self, changes: Changes) -> None:
        self.reload()  # any change moves a count; a rename or role change is ours to show

    def show_data(self, info: ProfileInfo) -> None:
        first = self.info is None
        self.info = info
        s = info.status
        self.name.setText(s.device_name)
        self.role.setCurrentIndex(max(self.role.findData(s.role), 0))
        self.device_id.setText(s.device_id)
        self.user.setText(s.user_name or "—")
        self.created.setText(_created(s.created_at) if s.created_at else "—")
        self.data_dir.setText(s.data_dir)
        self.database.setText(s.database)
        if s.backups:
            self.backups.setText(
                ngettext(
                    "{count} copia en {folder}",
                    "{count} copias en {folder}",
                    s.backups,
                    count=format_number(s.backups),
                    folder=info.backups_folder,
                )
            )
        else:
            self.backups.setText(
                _(
                    "Ninguna todavía en {folder} (Archivo → Copia de seguridad ahora)",
                    folder=info.backups_folder,
                )
            )
        self.operations.setText(format_number(s.operations))
        self._show_records(s.records)
        for widget in (self.name, self.role, self.copy_button, self.open_button):
            widget.setEnabled(True)
        self._update_save()
        if first:
            fit_height(self)  # once: the paths are in; later the size the person chose stays

    def _show_records(self, records: dict[str, int], placeholder: str = "") -> None:
        for position, (entity, count) in enumerate(records.items()):
            label = self.record_counts.get(entity)
            if label is None:
                row, column = divmod(position, RECORD_COLUMNS)
                name = QLabel(_(ENTITY_LABELS.get(entity, entity)) + ":", self.records_box)
                label = QLabel(self.records_box)
                label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
                self.records_grid.addWidget(name, row, column * 3)
                self.records_grid.addWidget(label, row, column * 3 + 1)
                self.record_counts[entity] = label
            label.setText(placeholder or format_number(count))
        for column in range(RECORD_COLUMNS):
            self.records_grid.setColumnStretch(column * 3 + 2, 1)  # space between the pairs

    # Identity -----------------------------------------------------------------------------

    def _dirty(self) -> bool:
        if self.info is None:
            return False
        s = self.info.status
        return self.name.text().strip() != s.device_name or self.role.currentData() != s.role

    def _update_save(self) -> None:
        self.save_button.setEnabled(self._dirty())

    def save(self) -> Op[Changes] | None:
        if not self._dirty():
            return None
        self.error.clear_message()
        self.saved.clear()
        self.save_button.setEnabled(False)
        return (
            Op(
                self,
                save_identity,
                self.profile,
                self.name.text(),
                self.role.currentData(),
                label=_("Guardando…"),
            )
            .success(lambda _changes: self.saved.setText(_("Cambios guardados.")))
            .failure(self.error.show_error)
            .finally_(self._update_save)
            .run()
        )

    # The data folder ----------------------------------------------------------------------

    def folder(self) -> str:
        return self.info.status.data_dir if self.info else str(self.profile.data_dir)

    def copy_path(self) -> None:
        QGuiApplication.clipboard().setText(self.folder())
        self.feedback.setText(_("Ruta copiada."))

    def open_folder(self) -> None:
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(self.folder())):
            QGuiApplication.clipboard().setText(self.folder())
            QMessageBox.warning(
                self,
                _("fieldkit"),
                _(
                    "No se pudo abrir la carpeta {path}. Ábrala desde el explorador de archivos: "
                    "la ruta quedó copiada.",
                    path=self.folder(),
                ),
            )
