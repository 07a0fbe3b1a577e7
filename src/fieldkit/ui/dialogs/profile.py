"""This device's profile, as ``fieldkit status`` shows it; rename the device, choose its role, and
set what every report carries (organization, logo, paper size)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from PySide6.QtCore import QSize, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication, QImageReader, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from fieldkit.i18n import N_, _, format_datetime, format_number, ngettext
from fieldkit.services.changes import Changes
from fieldkit.services.profile import ENTITY_LABELS, ROLE_LABELS, Status, status
from fieldkit.ui.ops import PROFILE_CHANGED, Op
from fieldkit.ui.widgets.common import ErrorLabel, fit_height

if TYPE_CHECKING:
    from fieldkit.services.profile import Profile
    from fieldkit.services.report_settings import ReportSettings

# What each synced table holds, as a person would call it (the keys of Status.records).
RECORD_COLUMNS = 2
PAPER_LABELS = {
    "letter": N_("Carta (21,6 × 27,9 cm)"),
    "a4": N_("A4 (21 × 29,7 cm)"),
}
LOGO_PREVIEW = QSize(240, 90)  # px: the logo as big as it will look in a report's header


class ProfileInfo(NamedTuple):
    status: Status
    backups_folder: str
    reports: ReportSettings


def load_profile(profile: Profile) -> ProfileInfo:
    from fieldkit.services.report_settings import report_settings

    current = status(profile)  # it waits for the day's backup if one is being written
    return ProfileInfo(current, current.backups_dir, report_settings(profile))


def save_identity(profile: Profile, device_name: str, role: str) -> Changes:
    """Rename the device and set its role, each only if it changed."""
    from fieldkit.services.profile import rename_device, set_role

    if device_name.strip() != (profile.values.get("device_name") or ""):
        rename_device(profile, device_name)
    if role != profile.role:
        set_role(profile, role)
    return PROFILE_CHANGED


def save_reports(
    profile: Profile, organization: str, logo: Path | None, paper: str, *, change_logo: bool
) -> Changes:
    """Save what every report carries; the logo only when the person chose or removed one."""
    from fieldkit.services.report_settings import set_report_settings

    if change_logo:  # an empty path removes the logo
        set_report_settings(profile, organization=organization, logo=logo or "", paper=paper)
    else:
        set_report_settings(profile, organization=organization, paper=paper)
    return PROFILE_CHANGED


def logo_preview(path: Path, size: QSize = LOGO_PREVIEW) -> QPixmap:
    """The image at ``path`` scaled to fit ``size``; a null pixmap when it cannot be read."""
    reader = QImageReader(str(path))
    reader.setAutoTransform(True)  # a photo of a logo taken with a phone keeps its orientation
    original = reader.size()
    if original.isValid() and (
        original.width() > size.width() or original.height() > size.height()
    ):
        reader.setScaledSize(original.scaled(size, Qt.AspectRatioMode.KeepAspectRatio))
    image = reader.read()
    return QPixmap.fromImage(image) if not image.isNull() else QPixmap()


def _organization(text: str) -> str:
    """As the service keeps it: spaces collapsed, so «Alcaldía  de Pasto » is no change."""
    return " ".join(text.split())


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

        general = QWidget(self)
        general_layout = QVBoxLayout(general)
        general_layout.addWidget(device_box)
        general_layout.addWidget(data_box)
        general_layout.addWidget(self.records_box)
        self.tabs = QTabWidget(self)
        self.tabs.addTab(general, _("General"))
        self.tabs.addTab(self._reports_page(), _("Informes"))

        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(buttons)

        for widget in (self.name, self.role, self.copy_button, self.open_button):
            widget.setEnabled(False)  # until the profile is read
        self.name.textChanged.connect(self._update_save)
        self.role.currentIndexChanged.connect(self._update_save)
        self._update_save()
        self.reload()

    def _reports_page(self) -> QWidget:
        page = QWidget(self)
        intro = QLabel(
            _(
                "Lo que llevan los informes en PDF que se preparan en este equipo: el nombre de "
                "la organización y su logo en el encabezado de cada página, y el tamaño del "
                "papel."
            ),
            page,
        )
        intro.setWordWrap(True)
        self.organization = QLineEdit(page)
        self.organization.setMaxLength(160)
        self.organization.setPlaceholderText(_("Escuela Superior de Administración Pública"))
        self.logo_path: Path | None = None  # what the form shows, saved or not
        self.logo_image = QLabel(page)
        self.logo_image.setFixedSize(LOGO_PREVIEW + QSize(12, 12))
        self.logo_image.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.logo_image.setStyleSheet(
            "QLabel { border: 1px solid #c8c8c8; background: #ffffff; color: #5f6368; }"
        )
        self.logo_image.setAccessibleName(_("Logo"))
        self.logo_name = QLabel(page)
        self.logo_name.setWordWrap(True)
        self.logo_name.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.choose_logo_button = QPushButton(_("Elegir &imagen…"), page)
        self.choose_logo_button.setAutoDefault(False)
        self.choose_logo_button.clicked.connect(self.choose_logo)
        self.remove_logo_button = QPushButton(_("&Quitar logo"), page)
        self.remove_logo_button.setAutoDefault(False)
        self.remove_logo_button.clicked.connect(self.remove_logo)
        logo_buttons = QVBoxLayout()
        logo_buttons.addWidget(self.choose_logo_button)
        logo_buttons.addWidget(self.remove_logo_button)
        logo_buttons.addWidget(self.logo_name)
        logo_buttons.addStretch(1)
        logo_row = QHBoxLayout()
        logo_row.addWidget(self.logo_image, 0, Qt.AlignmentFlag.AlignTop)
        logo_row.addLayout(logo_buttons, 1)
        self.paper = QComboBox(page)
        for code, label in PAPER_LABELS.items():
            self.paper.addItem(_(label), code)
        self.reports_error = ErrorLabel(page)
        self.reports_saved = QLabel(page)
        self.reports_save_button = QPushButton(_("Guar&dar"), page)
        self.reports_save_button.setAutoDefault(False)
        self.reports_save_button.clicked.connect(self.save_reports)
        save_row = QHBoxLayout()
        save_row.addWidget(self.reports_error, 3)
        save_row.addStretch(1)
        save_row.addWidget(self.reports_saved, 0, Qt.AlignmentFlag.AlignTop)
        save_row.addWidget(self.reports_save_button, 0, Qt.AlignmentFlag.AlignTop)

        box = QGroupBox(_("Encabezado y papel de los informes"), page)
        form = self._form(box)
        form.addRow(_("&Organización:"), self.organization)
        form.addRow(_("Logo:"), logo_row)
        form.addRow(_("&Tamaño del papel:"), self.paper)
        form.addRow(save_row)
        layout = QVBoxLayout(page)
        layout.addWidget(intro)
        layout.addWidget(box)
        layout.addStretch(1)

        self._report_widgets = (
            self.organization,
            self.choose_logo_button,
            self.remove_logo_button,
            self.paper,
        )
        for widget in self._report_widgets:
            widget.setEnabled(False)  # until the settings are read
        self.organization.textChanged.connect(self._update_reports_save)
        self.organization.returnPressed.connect(self.save_reports)
        self.paper.currentIndexChanged.connect(self._update_reports_save)
        self._show_logo(None)
        return page

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
        if first or not self._reports_dirty():  # never over what the person is typing
            self._show_reports(info.reports)
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

    # Reports ------------------------------------------------------------------------------

    def _show_reports(self, settings: ReportSettings) -> None:
        for widget in self._report_widgets:
            widget.setEnabled(True)
        self.organization.setText(settings.organization)
        self.paper.setCurrentIndex(max(self.paper.findData(settings.paper), 0))
        self._show_logo(settings.logo)  # «Quitar logo» only with one

    def _show_logo(self, path: Path | None) -> None:
        self.logo_path = path
        self.logo_image.clear()
        if path is None:
            self.logo_image.setText(_("Sin logo"))
            self.logo_name.setText(_("Los informes llevarán solo el nombre de la organización."))
        else:
            pixmap = logo_preview(path)
            if pixmap.isNull():
                self.logo_image.setText(_("No se puede mostrar"))
            else:
                self.logo_image.setPixmap(pixmap)
            self.logo_name.setText(path.name)
            self.logo_name.setToolTip(str(path))
        self.remove_logo_button.setEnabled(path is not None and self.info is not None)
        self._update_reports_save()

    def _logo_changed(self) -> bool:
        return self.info is not None and self.logo_path != self.info.reports.logo

    def _reports_dirty(self) -> bool:
        if self.info is None:
            return False
        saved = self.info.reports
        return (
            _organization(self.organization.text()) != saved.organization
            or self.paper.currentData() != saved.paper
            or self._logo_changed()
        )

    def _update_reports_save(self) -> None:
        self.reports_save_button.setEnabled(self._reports_dirty())
        if self._reports_dirty():
            self.reports_saved.clear()

    def choose_logo(self) -> Path | None:
        chosen, _filter = QFileDialog.getOpenFileName(
            self,
            _("Elegir el logo de la organización"),
            str(self.logo_path.parent) if self.logo_path else "",
            _("Imágenes (*.png *.jpg *.jpeg)") + ";;" + _("Todos los archivos (*)"),
        )
        if not chosen:
            return None
        path = Path(chosen)
        self.reports_error.clear_message()
        if logo_preview(path).isNull():
            reason = QImageReader(str(path)).errorString()
            self.reports_error.show_message(
                _(
                    "No se pudo leer la imagen {name} ({reason}). Elija un archivo PNG o JPEG.",
                    name=path.name,
                    reason=reason,
                )
            )
            return None
        self._show_logo(path)
        return path

    def remove_logo(self) -> None:
        self.reports_error.clear_message()
        self._show_logo(None)

    def save_reports(self) -> Op[Changes] | None:
        if not self._reports_dirty():
            return None
        self.reports_error.clear_message()
        self.reports_saved.clear()
        self.reports_save_button.setEnabled(False)

        def saved(_changes: Changes) -> None:  # reread: the service may have copied the logo
            Op(self, load_profile, self.profile, quiet=True).success(self._saved_reports).run()

        return (
            Op(
                self,
                save_reports,
                self.profile,
                _organization(self.organization.text()),
                self.logo_path,
                self.paper.currentData(),
                change_logo=self._logo_changed(),
                label=_("Guardando…"),
            )
            .success(saved)
            .failure(self.reports_error.show_error)
            .finally_(self._update_reports_save)
            .run()
        )

    def _saved_reports(self, info: ProfileInfo) -> None:
        self.info = info
        self._show_reports(info.reports)
        self.reports_saved.setText(_("Cambios guardados."))

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
