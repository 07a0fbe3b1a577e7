"""The dialogs of a deliverable: the deliverable itself, its files and photos with captions, the
reviewer's decision with comments per item, the team's answers, and the formal delivery."""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from PySide6.QtCore import QRectF, QSize, Qt, QUrl
from PySide6.QtGui import (
    QColor,
    QDesktopServices,
    QFont,
    QIcon,
    QImage,
    QImageReader,
    QKeySequence,
    QPainter,
    QPainterPath,
    QPixmap,
    QShortcut,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from fieldkit.domain.deliverables import KINDS, RETURNED, DeliverableState
from fieldkit.domain.errors import ValidationError
from fieldkit.i18n import _, format_datetime, format_number, ngettext
from fieldkit.services import deliverables
from fieldkit.services.changes import Changes
from fieldkit.services.deliverables import (
    PHOTO,
    PRODUCT,
    CommentRow,
    DeliverableInput,
    DeliverableRow,
    DeliveryInput,
    FileRow,
    ItemComment,
    ReviewRow,
)
from fieldkit.ui.dialogs.form_parts import (
    ID_ROLE,
    SaveDialog,
    check_item,
    check_list,
    checked_keys,
    fit_rows,
    form_layout,
    hint_label,
    keep_left,
    labelled_row,
    small_button,
    text_box,
)
from fieldkit.ui.ops import Op
from fieldkit.ui.widgets.common import OptionalDateEdit, date_edit, from_qdate, to_qdate

if TYPE_CHECKING:
    from fieldkit.services.assistances import CounterpartRow
    from fieldkit.services.profile import Profile

GENERAL = "general"  # the item of a comment about the whole product
ICON_SIZE = QSize(56, 42)  # a file's picture in the files dialog
PHOTO_FILTER = "*.jpg *.jpeg *.png *.gif *.bmp *.tif *.tiff *.webp *.heic"
BADGE_COLORS = {
    "pdf": "#c62828",
    "doc": "#1565c0",
    "docx": "#1565c0",
    "odt": "#1565c0",
    "xls": "#2e7d32",
    "xlsx": "#2e7d32",
    "ods": "#2e7d32",
    "csv": "#2e7d32",
    "ppt": "#d84315",
    "pptx": "#d84315",
    "odp": "#d84315",
    "zip": "#6d4c41",
}


# How files read -------------------------------------------------------------------------------


def item_label(item: str) -> str:
    """A comment's item as read on screen: «General» for the whole product, else the file or
    the part of the product the reviewer wrote."""
    return _("General") if not item or item == GENERAL else item


def purpose_label(purpose: str) -> str:
    if purpose == PHOTO:
        return _("Foto")
    if purpose == deliverables.SIGNED_ACT:
        return _("Acta firmada")
    return _("Producto")


def size_text(size: int) -> str:
    """«820 KB», «3,4 MB»: a file's size as people read it."""
    if size < 1024:
        return ngettext("{n} byte", "{n} bytes", size)
    if size < 1024 * 1024:
        return _("{size} KB", size=format_number(round(size / 1024)))
    return _("{size} MB", size=format_number(size / (1024 * 1024), 1))


def is_image(name: str, media_type: str = "") -> bool:
    if media_type:
        return media_type.startswith("image/")
    return Path(name).suffix.lower() in {".jpg", ".jpeg", ".png", ".gif", ".bmp", ".webp"}


def thumbnail(path: Path, size: QSize) -> QImage | None:
    """A small picture of an image file, decoded at the size shown (a 12-MP photo never
    decodes whole); None when it does not read. Safe off the GUI thread."""
    reader = QImageReader(str(path))
    reader.setAutoTransform(True)  # photos taken sideways show upright
    full = reader.size()
    if full.isValid():
        full.scale(size, Qt.AspectRatioMode.KeepAspectRatio)
        reader.setScaledSize(full)
    image = reader.read()
    return None if image.isNull() else image


def stored_thumbnails(
    profile: Profile, files: Sequence[FileRow], size: QSize
) -> dict[str, QImage | None]:
    """Thumbnails of the stored images among ``files``, by sha256 (a worker thread); None for
    an image whose bytes are not on this device or do not read."""
    from fieldkit.domain.errors import NotFoundError
    from fieldkit.services import forms

    out: dict[str, QImage | None] = {}
    for row in files:
        if row.sha256 in out or not is_image(row.file_name, row.media_type):
            continue
        try:
            out[row.sha256] = thumbnail(forms.attachment_path(profile, row.id), size)
        except NotFoundError:
            out[row.sha256] = None
    return out


def local_thumbnails(paths: Sequence[Path], size: QSize) -> dict[str, QImage | None]:
    """Thumbnails of images not stored yet, by path (a worker thread)."""
    return {str(p): thumbnail(p, size) for p in paths}


def file_badge(name: str, size: QSize) -> QPixmap:
    """A sheet of paper with the file's extension on a coloured band: what a document looks
    like in the lists (system icons are not there on every platform)."""
    extension = Path(name).suffix.lstrip(".").lower()[:4] or "?"
    pixmap = QPixmap(size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    height = size.height() - 2
    width = height * 0.78
    left = (size.width() - width) / 2
    sheet = QRectF(left, 1, width, height)
    fold = width * 0.28
    path = QPainterPath()
    path.moveTo(sheet.left(), sheet.top())
    path.lineTo(sheet.right() - fold, sheet.top())
    path.lineTo(sheet.right(), sheet.top() + fold)
    path.lineTo(sheet.right(), sheet.bottom())
    path.lineTo(sheet.left(), sheet.bottom())
    path.closeSubpath()
    painter.setPen(QColor("#9aa0a6"))
    painter.setBrush(QColor("#ffffff"))
    painter.drawPath(path)
    band = QRectF(sheet.left() - 3, sheet.top() + height * 0.52, width + 6, height * 0.3)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(BADGE_COLORS.get(extension, "#5f6368")))
    painter.drawRoundedRect(band, 2, 2)
    font = QFont()
    font.setBold(True)
    font.setPixelSize(max(7, int(band.height() * 0.7)))
    painter.setFont(font)
    painter.setPen(QColor("#ffffff"))
    painter.drawText(band, Qt.AlignmentFlag.AlignCenter, extension.upper())
    painter.end()
    return pixmap


def framed(image: QImage, size: QSize) -> QPixmap:
    """A thumbnail centred in a fixed box, so a list's rows line up."""
    pixmap = QPixmap(size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    scaled = image.scaled(
        size, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation
    )
    x = (size.width() - scaled.width()) // 2
    y = (size.height() - scaled.height()) // 2
    painter.drawImage(x, y, scaled)
    painter.setPen(QColor("#dadce0"))
    painter.drawRect(x, y, scaled.width() - 1, scaled.height() - 1)
    painter.end()
    return pixmap


def export_attachment(profile: Profile, attachment_id: str) -> Path:
    """A copy of the stored file under its own name, for the program that opens it."""
    from fieldkit.services import forms

    folder = Path(tempfile.gettempdir()) / "fieldkit-adjuntos" / attachment_id
    return forms.export_attachment(profile, attachment_id, folder)


def open_path(parent: QWidget, path: Path) -> bool:
    """Open a file with the program the system uses for it; say where it is when there is none."""
    if QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
        return True
    from PySide6.QtWidgets import QMessageBox

    QMessageBox.information(
        parent,
        _("Abrir archivo"),
        _(
            "No hay un programa para abrir {name} en este equipo; el archivo está en {folder}.",
            name=path.name,
            folder=str(path.parent),
        ),
    )
    return False


def open_attachment(parent: QWidget, profile: Profile, attachment_id: str) -> Op[Path]:
    """Copy the stored file out (a worker thread) and open it."""
    return (
        Op(parent, export_attachment, profile, attachment_id, label=_("Abriendo el archivo…"))
        .success(lambda path: open_path(parent, path))
        .run()
    )


# Shared pieces --------------------------------------------------------------------------------


def review_heading(review: ReviewRow) -> str:
    """«Envío 2, por Ana María Quiñones el 12/10/2026 10:30»."""
    return _(
        "Envío {n}, por {who} el {date}",
        n=review.number,
        who=review.submitted_by or "—",
        date=format_datetime(review.submitted_at) or "—",
    )


# Files and photos -----------------------------------------------------------------------------


class PendingFile(NamedTuple):
    path: Path
    caption: str
    purpose: str  # product or photo


class FilesTable(QWidget):
    """The deliverable's files and photos, each with a caption: stored ones (with ``profile``)
    and new ones picked from disk, which are stored when the dialog is saved."""

    COLUMNS = 4
    NAME, KIND, SIZE, CAPTION = range(COLUMNS)

    def __init__(
        self,
        profile: Profile | None = None,
        files: Sequence[FileRow] = (),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.profile = profile
        self._stored: dict[str, FileRow] = {}
        self._removed: list[str] = []
        self.table = QTableWidget(0, self.COLUMNS, self)
        self.table.setHorizontalHeaderLabels(
            [_("Archivo"), _("Tipo"), _("Tamaño"), _("Descripción o pie de foto")]
        )
        self.table.setAccessibleName(_("Archivos y fotos del entregable"))
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(ICON_SIZE.height() + 8)
        self.table.setIconSize(ICON_SIZE)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        header = self.table.horizontalHeader()
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setStretchLastSection(True)
        self.table.setColumnWidth(self.NAME, 250)
        self.table.setColumnWidth(self.KIND, 80)
        self.table.setColumnWidth(self.SIZE, 80)
        self.table.setMinimumHeight(ICON_SIZE.height() * 4)
        self.add_button = small_button(
            _("Agregar arc&hivos…"),
            self,
            _("Los documentos del producto: el texto, sus anexos, presentaciones, matrices"),
        )
        self.photos_button = small_button(
            _("Agregar &fotos…"), self, _("Fotos de las sesiones y del producto, con su pie")
        )
        self.open_button = small_button(_("A&brir"), self, _("Abrir el archivo elegido"))
        self.remove_button = small_button(_("&Quitar"), self, _("Quitar el archivo elegido"))
        buttons = QVBoxLayout()
        for button in (self.add_button, self.photos_button, self.open_button, self.remove_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.add_button.clicked.connect(lambda: self.choose_files(PRODUCT))
        self.photos_button.clicked.connect(lambda: self.choose_files(PHOTO))
        self.open_button.clicked.connect(lambda: self.open_selected())
        self.remove_button.clicked.connect(lambda: self.remove_selected())
        self.table.itemSelectionChanged.connect(self._update)
        self.remove_shortcut = QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.table)
        self.remove_shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
        self.remove_shortcut.activated.connect(lambda: self.remove_selected())
        for row in files:
            self._stored[row.id] = row
            self._add_row(row.file_name, row.purpose, row.size, row.caption, ("stored", row.id))
        if files and profile is not None:
            Op(self, stored_thumbnails, profile, list(files), ICON_SIZE * 2, quiet=True).success(
                self._stored_thumbnails
            ).run()
        self._update()

    # Rows ----------------------------------------------------------------------------------

    def _add_row(self, name: str, purpose: str, size: int, caption: str, key: tuple) -> int:  # type: ignore[type-arg]
        row = self.table.rowCount()
        self.table.insertRow(row)
        item = QTableWidgetItem(name)
        item.setData(ID_ROLE, key)
        item.setToolTip(name if key[0] == "stored" else key[1])
        item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
        item.setIcon(QIcon(file_badge(name, ICON_SIZE)) if not is_image(name) else QIcon())
        self.table.setItem(row, self.NAME, item)
        for column, text in ((self.KIND, purpose_label(purpose)), (self.SIZE, size_text(size))):
            cell = QTableWidgetItem(text)
            cell.setFlags(cell.flags() & ~Qt.ItemFlag.ItemIsEditable)
            cell.setData(ID_ROLE, purpose)
            self.table.setItem(row, column, cell)
        self.table.setItem(row, self.CAPTION, QTableWidgetItem(caption))
        return row

    def choose_files(self, purpose: str) -> None:
        if purpose == PHOTO:
            title = _("Fotos del entregable")
            filters = _("Imágenes ({patterns})", patterns=PHOTO_FILTER)
        else:
            title = _("Archivos del producto")
            filters = _("Todos los archivos (*)")
        paths, _filter = QFileDialog.getOpenFileNames(self, title, "", filters)
        self.add_files((Path(p) for p in paths), purpose)

    def add_files(self, paths: Iterable[Path], purpose: str = PRODUCT, caption: str = "") -> None:
        """New files (stored when the dialog saves); photos show their thumbnail at once."""
        images = []
        for path in paths:
            size = path.stat().st_size if path.is_file() else 0
            self._add_row(path.name, purpose, size, caption, ("new", str(path)))
            if is_image(path.name):
                images.append(path)
        if images:
            Op(self, local_thumbnails, images, ICON_SIZE * 2, quiet=True).success(
                self._local_thumbnails
            ).run()
        self._update()

    def _stored_thumbnails(self, images: Mapping[str, QImage | None]) -> None:
        for row in range(self.table.rowCount()):
            kind, key = self._key(row)
            if kind == "stored" and key in self._stored:
                image = images.get(self._stored[key].sha256)
                if image is not None:
                    self.table.item(row, self.NAME).setIcon(QIcon(framed(image, ICON_SIZE)))

    def _local_thumbnails(self, images: Mapping[str, QImage | None]) -> None:
        for row in range(self.table.rowCount()):
            kind, key = self._key(row)
            image = images.get(key) if kind == "new" else None
            if image is not None:
                self.table.item(row, self.NAME).setIcon(QIcon(framed(image, ICON_SIZE)))

    def _key(self, row: int) -> tuple[str, str]:
        return tuple(self.table.item(row, self.NAME).data(ID_ROLE))  # type: ignore[return-value]

    def set_caption(self, row: int, caption: str) -> None:
        self.table.item(row, self.CAPTION).setText(caption)

    def selected_row(self) -> int:
        rows = sorted({i.row() for i in self.table.selectedIndexes()})
        return rows[0] if rows else -1

    def remove_selected(self) -> None:
        row = self.selected_row()
        if row < 0:
            return
        kind, key = self._key(row)
        if kind == "stored":
            self._removed.append(key)
        self.table.removeRow(row)
        self._update()

    def open_selected(self) -> Op[Path] | None:
        row = self.selected_row()
        if row < 0:
            return None
        kind, key = self._key(row)
        if kind == "new":
            open_path(self, Path(key))
            return None
        if self.profile is None:
            return None
        return open_attachment(self, self.profile, key)

    def _update(self) -> None:
        chosen = self.selected_row() >= 0
        self.open_button.setEnabled(chosen)
        self.remove_button.setEnabled(chosen)

    # What changed --------------------------------------------------------------------------

    def names(self) -> list[str]:
        return [self.table.item(r, self.NAME).text() for r in range(self.table.rowCount())]

    def new_files(self) -> list[PendingFile]:
        out = []
        for row in range(self.table.rowCount()):
            kind, key = self._key(row)
            if kind == "new":
                purpose = self.table.item(row, self.KIND).data(ID_ROLE)
                caption = self.table.item(row, self.CAPTION).text().strip()
                out.append(PendingFile(Path(key), caption, purpose))
        return out

    def removed(self) -> list[str]:
        return list(self._removed)

    def captions(self) -> dict[str, str]:
        """Stored files whose caption the person changed."""
        out = {}
        for row in range(self.table.rowCount()):
            kind, key = self._key(row)
            caption = self.table.item(row, self.CAPTION).text().strip()
            if kind == "stored" and caption != self._stored[key].caption:
                out[key] = caption
        return out

    def changed(self) -> bool:
        return bool(self.new_files() or self._removed or self.captions())


def check_readable(files: Sequence[PendingFile]) -> None:
    """Refuse before storing anything when a chosen file is gone or cannot be read."""
    for f in files:
        if not f.path.is_file() or not os.access(f.path, os.R_OK):
            raise ValidationError(
                "No se puede leer el archivo {path}: ¿se movió, se borró o está en una memoria "
                "que ya no está conectada?",
                path=str(f.path),
            )


def save_files(
    profile: Profile,
    deliverable_id: str,
    added: Sequence[PendingFile],
    removed: Sequence[str] = (),
    captions: Mapping[str, str] | None = None,
) -> Changes:
    """Store the new files, drop the removed ones and set the changed captions, all or nothing
    (a worker thread)."""
    check_readable(added)
    changes = Changes()
    with profile.batch():
        for attachment_id in removed:
            changes = changes | deliverables.remove_file(profile, attachment_id)
        for attachment_id, caption in (captions or {}).items():
            changes = changes | deliverables.set_caption(profile, attachment_id, caption)
        for f in added:
            _id, changed = deliverables.add_file(
                profile, deliverable_id, f.path, f.caption, f.purpose
            )
            changes = changes | changed
    return changes


class FilesDialog(SaveDialog):
    """«Archivos y fotos»: add, remove, caption and open the files of a deliverable."""

    def __init__(
        self, profile: Profile, deliverable: DeliverableRow, parent: QWidget | None = None
    ) -> None:
        super().__init__(profile, _("Archivos y fotos del entregable"), parent)
        self.deliverable = deliverable
        self.resize(820, 460)
        heading = QLabel(f"<b>{escape(deliverable.title)}</b>", self)
        heading.setWordWrap(True)
        hint = hint_label(
            _(
                "Los archivos del producto son lo que revisa el experto y se entrega a la "
                "alcaldía; las fotos llevan un pie que sale en el informe. Doble clic en la "
                "descripción para escribirla."
            ),
            self,
        )
        shown = [f for f in deliverable.files if f.purpose != deliverables.SIGNED_ACT]
        self.files = FilesTable(profile, shown, self)
        self._finish(heading, hint, self.files, grow=self.files)

    def save(self) -> Op[Any] | None:
        self.files.table.setCurrentItem(None)  # ends an edit in progress: its text counts
        if not self.files.changed():
            self.accept()
            return None
        return self._run(
            save_files,
            self.profile,
            self.deliverable.id,
            self.files.new_files(),
            self.files.removed(),
            self.files.captions(),
            label=_("Guardando los archivos…"),
        )


# The deliverable ------------------------------------------------------------------------------


class SavedDeliverable(NamedTuple):
    id: str
    changes: Changes
    problems: tuple[str, ...]  # files that could not be stored (the deliverable was saved)


def save_deliverable(
    profile: Profile,
    assistance_id: str,
    deliverable_id: str | None,
    data: DeliverableInput,
    files: Sequence[PendingFile] = (),
) -> SavedDeliverable:
    """Create or update a deliverable, then store its first files (a worker thread)."""
    check_readable(files)
    if deliverable_id is None:
        deliverable_id, changes = deliverables.create(profile, assistance_id, data)
    else:
        changes = deliverables.update(profile, deliverable_id, data)
    problems = []
    for f in files:
        try:
            _id, changed = deliverables.add_file(
                profile, deliverable_id, f.path, f.caption, f.purpose
            )
        except ValidationError as error:  # the deliverable stays; say which file is missing
            problems.append(f"{f.path.name}: {error.render(_)}")
            continue
        changes = changes | changed
    return SavedDeliverable(deliverable_id, changes, tuple(problems))


class DeliverableDialog(SaveDialog):
    """A deliverable: its type, title, description, due date and the plan results it serves;
    a new one may bring its first files and photos."""

    def __init__(
        self,
        profile: Profile,
        assistance_id: str,
        results: Sequence[tuple[str, str]] = (),
        deliverable: DeliverableRow | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            profile,
            _("Nuevo entregable") if deliverable is None else _("Editar entregable"),
            parent,
        )
        self.assistance_id = assistance_id
        self.deliverable = deliverable
        self.resize(760, 660 if deliverable is None else 520)
        self.kind = QComboBox(self)
        for code, label in KINDS.items():
            self.kind.addItem(_(label), code)
        self.title_edit = QLineEdit(self)
        self.title_edit.setPlaceholderText(
            _("Ej.: Proyecto de acuerdo de la política pública de víctimas de Tumaco")
        )
        self.description = text_box(self, 4, _("Qué es el producto, para quién y qué contiene."))
        self.due_on = OptionalDateEdit(_("Con fecha"), self)
        self.results = check_list(self, _("Resultados del plan que atiende"))
        served = set(deliverable.result_ids) if deliverable is not None else set()
        for result_id, label in results:
            check_item(self.results, label, result_id, result_id in served)
        fit_rows(self.results)

        form = form_layout()
        form.addRow(_("&Tipo:"), self.kind)
        form.addRow(_("Tít&ulo:"), self.title_edit)
        form.addRow(_("&Descripción:"), self.description)
        labelled_row(form, _("&Fecha límite:"), keep_left(self.due_on), self.due_on)
        results_label = QLabel(_("&Resultados del plan que atiende:"), self)
        results_label.setBuddy(self.results)
        parts: list[QWidget | QFormLayout] = [form, results_label]
        grow: QWidget | None = self.results
        if results:
            parts.append(self.results)
        else:
            self.results.hide()
            grow = None
            parts.append(
                hint_label(
                    _(
                        "El plan de acción de la asistencia todavía no tiene resultados "
                        "esperados: vincúlelos después, cuando el plan los tenga."
                    ),
                    self,
                )
            )
        self.files: FilesTable | None = None
        if deliverable is None:
            self.files = FilesTable(None, (), self)
            files_label = QLabel(_("Archivos y fotos (puede agregarlos después):"), self)
            parts += [files_label, self.files]
            grow = self.files
        elif deliverable.state is DeliverableState.RETURNED:
            parts.append(
                hint_label(
                    _(
                        "Al guardar, el entregable vuelve a borrador: envíelo otra vez a "
                        "revisión cuando esté corregido."
                    ),
                    self,
                )
            )
        self._finish(*parts, grow=grow)

        if deliverable is not None:
            self.kind.setCurrentIndex(max(self.kind.findData(deliverable.kind), 0))
            self.title_edit.setText(deliverable.title)
            self.description.setPlainText(deliverable.description)
            self.due_on.set_date(deliverable.due_on)
        self.title_edit.setFocus()

    def values(self) -> DeliverableInput:
        return DeliverableInput(
            kind=self.kind.currentData(),
            title=self.title_edit.text(),
            description=self.description.toPlainText(),
            due_on=self.due_on.date(),
            result_ids=tuple(checked_keys(self.results)),
        )

    def save(self) -> Op[Any]:
        files = []
        if self.files is not None:
            self.files.table.setCurrentItem(None)
            files = self.files.new_files()
        return self._run(
            save_deliverable,
            self.profile,
            self.assistance_id,
            self.deliverable.id if self.deliverable is not None else None,
            self.values(),
            files,
            label=_("Guardando el entregable…"),
        )


# Quality review -------------------------------------------------------------------------------


def open_comments(deliverable: DeliverableRow) -> tuple[CommentRow, ...]:
    """The comments of the last return, which the team answers before submitting again."""
    last = deliverable.last_review
    if last is None or last.decision != RETURNED:
        return ()
    return last.items


class SubmitDialog(SaveDialog):
    """«Enviar a revisión»: what goes to the reviewer, and a note for them."""

    def __init__(
        self, profile: Profile, deliverable: DeliverableRow, parent: QWidget | None = None
    ) -> None:
        super().__init__(profile, _("Enviar a revisión de calidad"), parent)
        self.deliverable = deliverable
        self.resize(600, 360)
        heading = QLabel(f"<b>{escape(deliverable.title)}</b>", self)
        heading.setWordWrap(True)
        products = sum(1 for f in deliverable.files if f.purpose == PRODUCT)
        photos = sum(1 for f in deliverable.files if f.purpose == PHOTO)
        lines = [
            ngettext(
                "Se envía {n} archivo del producto", "Se envían {n} archivos del producto", products
            )
            + (" " + ngettext("y {n} foto.", "y {n} fotos.", photos) if photos else ".")
        ]
        comments = open_comments(deliverable)
        if comments:
            addressed = sum(1 for c in comments if c.addressed)
            lines.append(
                ngettext(
                    "{addressed} de {n} comentario del revisor atendido.",
                    "{addressed} de {n} comentarios del revisor atendidos.",
                    len(comments),
                    addressed=addressed,
                )
            )
            if addressed < len(comments):
                lines.append(
                    _(
                        "Quedan comentarios sin atender: explique en la nota por qué, o "
                        "respóndalos antes con «Responder comentarios…»."
                    )
                )
        lines.append(_("Mientras se revisa, el entregable no se modifica."))
        self.summary = hint_label("\n".join(lines), self)
        label = QLabel(_("&Nota para el revisor (opcional):"), self)
        self.note = text_box(
            self, 4, _("Qué cambió desde el envío anterior, qué conviene mirar primero."), grow=True
        )
        label.setBuddy(self.note)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("&Enviar a revisión"))
        self._finish(heading, self.summary, label, self.note, grow=self.note)

    def save(self) -> Op[Any]:
        return self._run(
            deliverables.submit,
            self.profile,
            self.deliverable.id,
            self.note.toPlainText(),
            label=_("Enviando a revisión…"),
        )


class ItemComments(QWidget):
    """The reviewer's comments, one per row: the item (a file of the deliverable, «General», or
    a part of the product typed in) and what to correct."""

    ITEM, COMMENT = 0, 1

    def __init__(self, items: Sequence[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._items = list(items)
        self.table = QTableWidget(0, 2, self)
        self.table.setHorizontalHeaderLabels([_("Ítem"), _("Comentario")])
        self.table.setAccessibleName(_("Comentarios por ítem"))
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.table.horizontalHeader()
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setSectionResizeMode(self.ITEM, QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.table.setColumnWidth(self.ITEM, 230)
        self.row_height = self.table.fontMetrics().lineSpacing() * 3 + 16
        self.table.verticalHeader().setDefaultSectionSize(self.row_height)
        self.table.setMinimumHeight(self.row_height * 3 + 30)
        self.add_button = small_button(
            _("&Agregar comentario"), self, _("Otro comentario, sobre un archivo o una parte")
        )
        self.remove_button = small_button(_("&Quitar comentario"), self)
        buttons = QVBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.add_button.clicked.connect(lambda: self.add_comment())
        self.remove_button.clicked.connect(lambda: self.remove_selected())
        self.table.itemSelectionChanged.connect(self._update)
        self.add_comment()

    def add_comment(self, item: str = GENERAL, text: str = "") -> int:
        row = self.table.rowCount()
        self.table.insertRow(row)
        combo = QComboBox(self.table)
        combo.setEditable(True)
        combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        combo.addItem(_("General"), GENERAL)
        for name in self._items:
            combo.addItem(name, name)
        combo.setToolTip(_("El archivo o la parte del producto (p. ej. «Capítulo 2, página 14»)"))
        index = combo.findData(item)
        if index >= 0:
            combo.setCurrentIndex(index)
        else:
            combo.setEditText(item)
        cell = QWidget(self.table)  # the combo keeps its height at the top of a tall row
        cell_layout = QVBoxLayout(cell)
        cell_layout.setContentsMargins(2, 2, 2, 2)
        cell_layout.addWidget(combo)
        cell_layout.addStretch(1)
        self.table.setCellWidget(row, self.ITEM, cell)
        box = QPlainTextEdit(self.table)
        box.setTabChangesFocus(True)
        box.setFrameShape(QFrame.Shape.NoFrame)
        box.setPlaceholderText(_("Qué debe corregir o completar el equipo en este ítem."))
        box.setPlainText(text)
        self.table.setCellWidget(row, self.COMMENT, box)
        self.table.setCurrentCell(row, self.COMMENT)
        self._update()
        return row

    def set_comment(self, row: int, item: str, text: str) -> None:
        combo = self.combo(row)
        index = combo.findData(item)
        if index >= 0:
            combo.setCurrentIndex(index)
        else:
            combo.setEditText(item)
        self.comment_box(row).setPlainText(text)

    def combo(self, row: int) -> QComboBox:
        combo = self.table.cellWidget(row, self.ITEM).findChild(QComboBox)
        assert combo is not None
        return combo

    def comment_box(self, row: int) -> QPlainTextEdit:
        return self.table.cellWidget(row, self.COMMENT)  # type: ignore[return-value]

    def remove_selected(self) -> None:
        rows = sorted({i.row() for i in self.table.selectedIndexes()}, reverse=True)
        if not rows and self.table.currentRow() >= 0:
            rows = [self.table.currentRow()]
        for row in rows:
            self.table.removeRow(row)
        self._update()

    def _update(self) -> None:
        self.remove_button.setEnabled(self.table.rowCount() > 0)

    def comments(self) -> list[ItemComment]:
        out = []
        for row in range(self.table.rowCount()):
            text = self.combo(row).currentText().strip()
            index = self.combo(row).findText(text)  # a listed item, or one the reviewer typed
            item = (self.combo(row).itemData(index) if index >= 0 else None) or text or GENERAL
            comment = self.comment_box(row).toPlainText().strip()
            if comment:
                out.append(ItemComment(item, comment))
        return out


class ReviewDialog(SaveDialog):
    """The reviewer's decision on the submitted deliverable: approve (with optional comments)
    or return it to the team with general comments and comments per item."""

    def __init__(
        self,
        profile: Profile,
        deliverable: DeliverableRow,
        approve: bool,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            profile,
            _("Aprobar el entregable") if approve else _("Devolver el entregable con comentarios"),
            parent,
        )
        self.deliverable = deliverable
        self.approve = approve
        self.resize(760, 360 if approve else 560)
        heading = QLabel(f"<b>{escape(deliverable.title)}</b>", self)
        heading.setWordWrap(True)
        parts: list[QWidget] = [heading]
        last = deliverable.last_review
        if last is not None:
            sent = review_heading(last)
            if last.note:
                sent += "\n" + _("Nota del equipo: {text}", text=last.note)
            parts.append(hint_label(sent, self))
        label = QLabel(
            _("&Comentarios (opcional):") if approve else _("&Comentarios generales:"), self
        )
        self.comments = text_box(
            self,
            4,
            _("Recomendaciones para la entrega a la alcaldía.")
            if approve
            else _("Lo que vale para todo el producto (opcional si comenta cada ítem)."),
            grow=approve,
        )
        label.setBuddy(self.comments)
        parts += [label, self.comments]
        self.items: ItemComments | None = None
        grow: QWidget = self.comments
        if not approve:
            names = [f.file_name for f in deliverable.files if f.purpose != deliverables.SIGNED_ACT]
            self.items = ItemComments(names, self)
            items_label = QLabel(_("Comentarios por í&tem:"), self)
            items_label.setBuddy(self.items.table)
            parts += [items_label, self.items]
            grow = self.items
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(_("A&probar") if approve else _("&Devolver al equipo"))
        self._finish(*parts, grow=grow)

    def save(self) -> Op[Any]:
        comments = self.comments.toPlainText()
        if self.approve:
            return self._run(
                deliverables.approve,
                self.profile,
                self.deliverable.id,
                comments,
                label=_("Aprobando…"),
            )
        assert self.items is not None
        return self._run(
            deliverables.return_for_changes,
            self.profile,
            self.deliverable.id,
            comments,
            self.items.comments(),
            label=_("Devolviendo…"),
        )


def save_responses(profile: Profile, responses: Sequence[tuple[str, str, bool]]) -> Changes:
    """The team's answers to the reviewer's comments: (comment id, response, addressed)."""
    changes = Changes()
    with profile.batch():
        for comment_id, response, addressed in responses:
            changes = changes | deliverables.address_comment(
                profile, comment_id, response, addressed
            )
    return changes


class RespondDialog(SaveDialog):
    """«Responder comentarios»: for each comment of the last return, whether the team addressed
    it and what it did (the reviewer reads both on the next submission)."""

    def __init__(
        self, profile: Profile, deliverable: DeliverableRow, parent: QWidget | None = None
    ) -> None:
        super().__init__(profile, _("Responder los comentarios del revisor"), parent)
        self.deliverable = deliverable
        self.resize(760, 560)
        heading = QLabel(f"<b>{escape(deliverable.title)}</b>", self)
        heading.setWordWrap(True)
        parts: list[QWidget] = [heading]
        last = deliverable.last_review
        if last is not None:
            text = _(
                "Devuelto por {who} el {date}.",
                who=last.decided_by or "—",
                date=format_datetime(last.decided_at) or "—",
            )
            if last.comments:
                text += "\n" + _("Comentarios generales: {text}", text=last.comments)
            parts.append(hint_label(text, self))
        self.comments = open_comments(deliverable)
        self.checks: list[QCheckBox] = []
        self.responses: list[QPlainTextEdit] = []
        body = QWidget(self)
        column = QVBoxLayout(body)
        column.setContentsMargins(0, 0, 8, 0)
        for number, comment in enumerate(self.comments, start=1):
            frame = QFrame(body)
            frame.setFrameShape(QFrame.Shape.StyledPanel)
            frame.setObjectName("comment")
            frame.setStyleSheet(
                "QFrame#comment { background: #fafafa; border: 1px solid #dadce0;"
                " border-radius: 4px; }"
            )
            said = QLabel(
                f"<b>{number}. {escape(item_label(comment.item))}</b><br>"
                f"{escape(comment.comment).replace(chr(10), '<br>')}",
                frame,
            )
            said.setWordWrap(True)
            said.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            check = QCheckBox(_("Atendido"), frame)
            check.setChecked(comment.addressed)
            response = text_box(frame, 2, _("Qué se corrigió, dónde, o por qué no se hizo."))
            response.setPlainText(comment.response)
            response.setAccessibleName(_("Respuesta al comentario {n}", n=number))
            inner = QVBoxLayout(frame)
            inner.addWidget(said)
            inner.addWidget(check)
            inner.addWidget(response)
            column.addWidget(frame)
            self.checks.append(check)
            self.responses.append(response)
        if not self.comments:
            column.addWidget(hint_label(_("La devolución no tiene comentarios por ítem."), body))
        column.addStretch(1)
        scroll = QScrollArea(self)
        scroll.setWidget(body)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        parts.append(scroll)
        self._finish(*parts, grow=scroll)

    def respond(self, index: int, response: str, addressed: bool = True) -> None:
        self.responses[index].setPlainText(response)
        self.checks[index].setChecked(addressed)

    def changes(self) -> list[tuple[str, str, bool]]:
        out = []
        for comment, check, box in zip(self.comments, self.checks, self.responses, strict=True):
            response, addressed = box.toPlainText().strip(), check.isChecked()
            if response != comment.response or addressed != comment.addressed:
                out.append((comment.id, response, addressed))
        return out

    def save(self) -> Op[Any] | None:
        changes = self.changes()
        if not changes:
            self.accept()
            return None
        return self._run(save_responses, self.profile, changes, label=_("Guardando…"))


# Delivery -------------------------------------------------------------------------------------


class DeliveryDialog(SaveDialog):
    """«Registrar entrega»: when and where the product was handed over, who received it for the
    mayor's office (prefilled from the assistance's counterparts) and who of the team was there."""

    def __init__(
        self,
        profile: Profile,
        deliverable: DeliverableRow,
        counterparts: Sequence[CounterpartRow] = (),
        team: Sequence[str] = (),
        municipality: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(profile, _("Registrar la entrega a la alcaldía"), parent)
        self.deliverable = deliverable
        self.counterparts = list(counterparts)
        self.resize(660, 400)
        heading = QLabel(f"<b>{escape(deliverable.title)}</b>", self)
        heading.setWordWrap(True)
        self.delivered_on = date_edit(self)
        self.delivered_on.setMaximumDate(to_qdate(dt.date.today()))
        self.place = QLineEdit(self)
        self.place.setPlaceholderText(_("Ej.: Despacho del alcalde, Palacio municipal"))
        self.received_by = QComboBox(self)
        self.received_by.setEditable(True)
        self.received_by.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        for person in self.counterparts:
            self.received_by.addItem(person.name, person.position)
            self.received_by.setItemData(
                self.received_by.count() - 1,
                f"{person.name} — {person.position}" if person.position else person.name,
                Qt.ItemDataRole.ToolTipRole,
            )
        self.received_by.lineEdit().setPlaceholderText(_("Nombre de quien recibe"))
        self.position = QLineEdit(self)
        self.position.setPlaceholderText(_("Ej.: Secretaria de Planeación"))
        self.entity = QLineEdit(self)
        self.entity.setText(_("Alcaldía de {name}", name=municipality) if municipality else "")
        self.entity.setPlaceholderText(_("Ej.: Alcaldía de Tumaco"))
        self.team = check_list(self, _("Integrantes del equipo presentes"))
        for name in team:
            check_item(self.team, name, name, True)
        fit_rows(self.team, 3, 8)
        self.other = QLineEdit(self)
        self.other.setPlaceholderText(_("Otra persona del equipo"))
        self.add_member = small_button(_("Agre&gar"), self)
        other_row = QHBoxLayout()
        other_row.addWidget(self.other, 1)
        other_row.addWidget(self.add_member)

        form = form_layout()
        labelled_row(form, _("&Fecha de entrega:"), keep_left(self.delivered_on), self.delivered_on)
        form.addRow(_("&Lugar:"), self.place)
        form.addRow(_("&Recibe:"), self.received_by)
        form.addRow(_("&Cargo:"), self.position)
        form.addRow(_("&Entidad:"), self.entity)
        team_label = QLabel(_("&Integrantes del equipo presentes:"), self)
        team_label.setBuddy(self.team)
        hint = hint_label(
            _(
                "Después de registrar la entrega el entregable ya no se modifica: solo se le "
                "agrega el acta firmada escaneada."
            ),
            self,
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("&Registrar entrega"))
        self._finish(heading, form, team_label, self.team, other_row, hint)

        self._position_from: str | None = None
        self.received_by.currentIndexChanged.connect(self._official_chosen)
        self.add_member.clicked.connect(lambda: self.add_team_member())
        self.other.returnPressed.connect(lambda: self.add_team_member())
        if self.counterparts:
            self.received_by.setCurrentIndex(0)
            self._official_chosen(0)
        else:
            self.received_by.setEditText("")
        self.place.setFocus()

    def _official_chosen(self, index: int) -> None:
        """Choosing a counterpart brings their position, unless the person typed another one."""
        if index < 0:
            return
        position = self.received_by.itemData(index) or ""
        if not self.position.text().strip() or self.position.text() == self._position_from:
            self.position.setText(position)
            self._position_from = position

    def add_team_member(self, name: str | None = None) -> None:
        text = (name if name is not None else self.other.text()).strip()
        if not text:
            return
        existing = [self.team.item(r).data(ID_ROLE) for r in range(self.team.count())]
        if text not in existing:
            check_item(self.team, text, text, True)
        self.other.clear()

    def values(self) -> DeliveryInput:
        return DeliveryInput(
            delivered_on=from_qdate(self.delivered_on.date()),
            place=self.place.text(),
            received_by=self.received_by.currentText(),
            received_position=self.position.text(),
            received_entity=self.entity.text(),
            team_present=tuple(checked_keys(self.team)),
        )

    def save(self) -> Op[Any]:
        return self._run(
            deliverables.deliver,
            self.profile,
            self.deliverable.id,
            self.values(),
            label=_("Registrando la entrega…"),
        )
