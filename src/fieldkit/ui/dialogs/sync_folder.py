"""The sync folder from the window: choose it, and «Sincronizar ahora» (also when fieldkit opens).

Syncing shows what came in before applying it — the same preview as «Importar paquetes» —, then
drops for every peer what it lacks. When fieldkit opens, a folder that is not there (a USB stick
left at home) is said in the status bar, not in a message box that blocks the start.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from fieldkit.domain.errors import FieldkitError
from fieldkit.i18n import _, format_number, ngettext
from fieldkit.services import sync_folder
from fieldkit.ui.dialogs.sync import ImportDialog
from fieldkit.ui.ops import Op
from fieldkit.ui.widgets.common import ErrorLabel, fit_height, save_cancel_buttons

if TYPE_CHECKING:
    from fieldkit.services.profile import Profile
    from fieldkit.services.sync import Exported


class SyncFolderDialog(QDialog):
    """Where this profile drops and picks up bundles, and whether to sync when fieldkit opens."""

    def __init__(self, profile: Profile, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.profile = profile
        self.setWindowTitle(_("Carpeta de sincronización"))
        current = sync_folder.settings(profile)
        intro = QLabel(
            _(
                "Una carpeta compartida con el coordinador o los equipos: una unidad de red, una "
                "memoria USB o una carpeta que sincroniza un servicio en la nube. fieldkit deja "
                "allí un paquete para cada destinatario con lo que le falta, y recoge los "
                "paquetes dirigidos a este equipo."
            ),
            self,
        )
        intro.setWordWrap(True)
        self.path = QLineEdit(str(current.folder or ""), self)
        self.path.setAccessibleName(_("Carpeta"))
        self.path.setPlaceholderText(_("Sin carpeta: la sincronización se hace a mano"))
        self.path.textChanged.connect(lambda _text: self.error.clear_message())
        browse = QPushButton(_("E&xaminar…"), self)
        browse.clicked.connect(self.browse)
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        self.on_start = QCheckBox(_("Sincronizar al &abrir fieldkit"), self)
        self.on_start.setChecked(current.on_start)
        self.error = ErrorLabel(self)
        label = QLabel(_("&Carpeta:"), self)
        label.setBuddy(self.path)  # a layout cannot be a buddy: Alt+C goes to the path
        form = QFormLayout()
        form.addRow(label, row)
        form.addRow("", self.on_start)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(save_cancel_buttons(self, self.save))
        self.resize(620, self.sizeHint().height())
        fit_height(self)

    def browse(self) -> None:
        folder = QFileDialog.getExistingDirectory(
            self, _("Carpeta de sincronización"), self.path.text()
        )
        if folder:
            self.path.setText(folder)

    def save(self) -> bool:
        text = self.path.text().strip()
        try:
            sync_folder.set_folder(
                self.profile, Path(text) if text else None, on_start=self.on_start.isChecked()
            )
        except FieldkitError as exc:
            self.error.show_error(exc)
            fit_height(self)  # the message may take several lines
            return False
        self.accept()
        return True


def summary(written: Sequence[Exported], preview: sync_folder.Preview | None) -> str:
    """What syncing did, in a sentence or two: sent to whom, whether anything came in."""
    parts = [
        ngettext(
            "Enviado a {name}: {n} cambio.",
            "Enviado a {name}: {n} cambios.",
            sent.operations,
            name=sent.recipient,
            n=format_number(sent.operations),
        )
        for sent in written
    ] or [_("Nada que enviar: cada destinatario tiene lo de este equipo.")]
    if preview is not None and not preview.paths:
        parts.append(_("No hay paquetes nuevos para este equipo."))
    return " ".join(parts)


def send(parent: QWidget, profile: Profile, preview: sync_folder.Preview | None) -> Op[object]:
    """Drop what each peer lacks; say so in the status bar."""

    def done(result: tuple[list[Exported], int]) -> None:
        parent.last_sync_summary = summary(result[0], preview)  # type: ignore[attr-defined]
        _status(parent, _("Sincronización: {text}", text=parent.last_sync_summary))  # type: ignore[attr-defined]

    return (
        Op(parent, sync_folder.send, profile, label=_("Dejando paquetes en la carpeta…"))
        .success(done)  # type: ignore[arg-type]
        .run()
    )


def sync_now(parent: QWidget, profile: Profile, *, quiet: bool = False) -> Op[object] | None:
    """Look in the folder; if something came for this device, show the preview and import on
    «Importar»; then (or straight away) drop what each peer lacks. `quiet`: at start, problems
    go to the status bar."""
    if sync_folder.settings(profile).folder is None:
        if quiet:
            return None
        answer = QMessageBox.question(
            parent,
            _("Sincronizar"),
            _("Aún no hay carpeta de sincronización. ¿Elegirla ahora?"),
        )
        if answer == QMessageBox.StandardButton.Yes:
            dialog = SyncFolderDialog(profile, parent)
            parent.last_sync_folder_dialog = dialog  # type: ignore[attr-defined]
            dialog.accepted.connect(lambda: sync_now(parent, profile))
            dialog.open()
        return None

    def looked(preview: sync_folder.Preview) -> None:
        if not preview.paths:
            send(parent, profile, preview)
            return
        dialog = ImportDialog(
            profile,
            preview.paths,
            preview.results,
            parent,
            apply=sync_folder.apply,
            intro=ngettext(
                "En la carpeta de sincronización hay {n} paquete nuevo para este equipo.",
                "En la carpeta de sincronización hay {n} paquetes nuevos para este equipo.",
                len(preview.paths),
                n=len(preview.paths),
            ),
        )
        dialog.applied.connect(lambda: send(parent, profile, preview))
        dialog.rejected.connect(lambda: None if dialog.imported else send(parent, profile, preview))
        parent.last_import_dialog = dialog  # type: ignore[attr-defined]
        dialog.open()

    def failed(error: BaseException) -> bool:
        if quiet and isinstance(error, FieldkitError):
            _status(parent, error.render(_))
            return True  # handled: no message box at start
        return False

    return (
        Op(parent, sync_folder.preview, profile, label=_("Buscando paquetes en la carpeta…"))
        .success(looked)  # type: ignore[arg-type]
        .failure(failed)
        .run()
    )


def _status(parent: QWidget, text: str) -> None:
    bar = getattr(parent, "statusBar", None)
    if callable(bar):
        bar().showMessage(text, 15_000)
