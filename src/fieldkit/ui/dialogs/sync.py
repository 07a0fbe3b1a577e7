"""Sync by bundles from the window: export for the coordinator, import with a preview first."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from fieldkit.i18n import N_, _, format_number, ngettext
from fieldkit.services import sync
from fieldkit.services.sync import Imported
from fieldkit.ui.models import Column, RowsModel
from fieldkit.ui.ops import Op
from fieldkit.ui.widgets.common import fit_columns, fit_height, setup_table

if TYPE_CHECKING:
    from fieldkit.services.profile import Profile

STATUS_LABELS = {
    "dry-run": N_("Listo para importar"),
    "applied": N_("Importado"),
    "quarantined": N_("⚠ En cuarentena: remitente no inscrito"),
    "refused": N_("✖ Rechazado"),
}


def bundle_filter() -> str:
    return _("Paquetes de fieldkit (*.fkb)") + ";;" + _("Todos los archivos (*)")


def status_label(status: str) -> str:
    return _(STATUS_LABELS[status]) if status in STATUS_LABELS else status


def _count(n: int) -> str:
    return format_number(n)


def import_columns() -> list[Column[Imported]]:
    return [
        Column(_("Paquete"), lambda r: Path(r.path).name, tooltip=lambda r: str(r.path)),
        Column(_("Remitente"), lambda r: r.sender),
        Column(_("Estado"), lambda r: status_label(r.status)),
        Column(_("Registros nuevos"), lambda r: _count(r.new_records), align_right=True),
        Column(_("Campos actualizados"), lambda r: _count(r.updated_fields), align_right=True),
        Column(_("Conflictos"), lambda r: _count(r.conflicts), align_right=True),
        Column(_("Ya conocidos"), lambda r: _count(r.duplicates), align_right=True),
        Column(_("Rechazados"), lambda r: _count(len(r.rejected)), align_right=True),
    ]


def import_details(results: Sequence[Imported]) -> str:
    """What needs a reading beyond the numbers: refusals, quarantine and rejected changes."""
    lines: list[str] = []
    for r in results:
        name = Path(r.path).name
        if r.status == "refused":
            reason = r.error.render(_) if r.error is not None else ""
            lines.append(_("{name}: rechazado. {reason}", name=name, reason=reason))
        elif r.status == "quarantined":
            lines.append(
                _(
                    "{name}: viene de «{sender}», un equipo no inscrito; queda en cuarentena y "
                    "no se aplica.",
                    name=name,
                    sender=r.sender,
                )
            )
        for summary, reason in r.rejected:
            lines.append(
                _(
                    "{name}: cambio rechazado {change}: {reason}",
                    name=name,
                    change=summary,
                    reason=reason,
                )
            )
    return "\n".join(lines)


class ImportDialog(QDialog):
    """The dry run's report per bundle; «Importar» runs the real import and shows its report.

    `apply` is the import to run (the sync folder's remembers what it applied); `applied` is
    emitted once it has run."""

    applied = Signal()

    def __init__(
        self,
        profile: Profile,
        paths: Sequence[Path],
        results: Sequence[Imported],
        parent: QWidget | None = None,
        *,
        apply: Callable[..., tuple[list[Imported], object]] = sync.import_bundles,
        intro: str = "",
    ) -> None:
        super().__init__(parent)
        self.profile = profile
        self.paths = list(paths)
        self.apply = apply
        self.preview_intro = intro
        self.imported = False
        self.setWindowTitle(_("Importar paquetes"))
        self.resize(980, 460)
        self.intro = QLabel(self)
        self.intro.setWordWrap(True)
        self.model: RowsModel[Imported] = RowsModel(import_columns(), self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        setup_table(self.table, (22, 24, 30, 10, 10, 10, 10, 10), sort_column=None)
        self.table.setAccessibleName(_("Paquetes"))
        self.details = QPlainTextEdit(self)
        self.details.setReadOnly(True)
        self.details.setAccessibleName(_("Detalles"))
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.import_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.import_button.setText(_("&Importar"))
        self.cancel_button = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button.setText(_("Cancelar"))
        self.buttons.accepted.connect(self.run_import)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.table, 2)
        layout.addWidget(QLabel(_("Detalles:"), self))
        layout.addWidget(self.details, 1)
        layout.addWidget(self.buttons)
        self.show_results(results)

    def show_results(self, results: Sequence[Imported]) -> None:
        self.results = list(results)
        self.model.set_rows(self.results)
        fit_columns(self.table)
        details = import_details(self.results)
        self.details.setPlainText(details or _("Sin observaciones."))
        if self.imported:
            self.setWindowTitle(_("Resultado de la importación"))
            self.intro.setText(_("La importación terminó. Este es el resultado de cada paquete."))
            self.import_button.hide()
            self.cancel_button.setText(_("Cerrar"))
        else:
            usable = any(r.status != "refused" for r in self.results)
            self.import_button.setEnabled(usable)
            self.intro.setText(
                (self.preview_intro + "\n" if self.preview_intro else "")
                + _(
                    "Vista previa: aún no se ha cambiado nada. Revise lo que traen los paquetes "
                    "y pulse «Importar» para aplicarlos."
                )
            )

    def run_import(self) -> Op[object]:
        self.import_button.setEnabled(False)

        def done(result: tuple[list[Imported], object]) -> None:
            self.imported = True
            self.show_results(result[0])
            self.applied.emit()

        return (
            Op(
                self,
                self.apply,
                self.profile,
                self.paths,
                label=_("Importando paquetes…"),
            )
            .success(done)  # type: ignore[arg-type]
            .finally_(lambda: self.import_button.setEnabled(not self.imported))
            .run()
        )


def recipient_label(peer: sync.PeerRow) -> str:
    if peer.relation == "coordinator":
        return _("{name} — mi coordinador", name=peer.name)
    return _("{name} — {role}", name=peer.name, role=role_label(peer.role))


def role_label(role: str) -> str:
    from fieldkit.services.profile import ROLE_LABELS

    return _(ROLE_LABELS[role]) if role in ROLE_LABELS else role


class ExportDialog(QDialog):
    """Whom the bundle is for (the coordinator first, then the devices this one enrolled) and
    whether to send everything this device holds rather than only what the recipient lacks."""

    def __init__(self, peers: Sequence[sync.PeerRow], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Exportar paquete"))
        self.peers = sorted(peers, key=lambda p: (p.relation != "coordinator", p.name.lower()))
        self.recipient = QComboBox(self)
        for peer in self.peers:
            self.recipient.addItem(recipient_label(peer), peer.device_id)
        self.recipient.setAccessibleName(_("Destinatario"))
        self.fingerprint = QLabel(self)
        self.fingerprint.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.everything = QCheckBox(_("Enviar &todo lo que tiene este equipo"), self)
        self.everything.setToolTip(
            _(
                "Normalmente el paquete lleva solo lo que el destinatario aún no tiene. Marque "
                "esta casilla si el destinatario perdió datos o reinstaló fieldkit."
            )
        )
        note = QLabel(
            _(
                "El paquete va firmado por este equipo y cifrado para el destinatario: solo él "
                "puede leerlo."
            ),
            self,
        )
        note.setWordWrap(True)
        form = QFormLayout()
        form.addRow(_("&Destinatario:"), self.recipient)
        form.addRow(_("Huella:"), self.fingerprint)
        form.addRow("", self.everything)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("&Exportar…"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancelar"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(buttons)
        self.recipient.currentIndexChanged.connect(self._show_fingerprint)
        self._show_fingerprint()
        self.resize(560, self.sizeHint().height())
        fit_height(self)

    def _show_fingerprint(self) -> None:
        index = self.recipient.currentIndex()
        self.fingerprint.setText(self.peers[index].fingerprint if index >= 0 else "")

    @property
    def chosen(self) -> sync.PeerRow:
        return self.peers[self.recipient.currentIndex()]


def export_bundle(parent: QWidget, profile: Profile) -> ExportDialog | None:
    """Choose the recipient, then the file; the export runs off the GUI thread."""
    peers = [p for p in sync.list_peers(profile) if p.relation in ("coordinator", "member")]
    if not peers:
        QMessageBox.information(
            parent,
            _("Exportar paquete"),
            _(
                "Este equipo aún no está inscrito con un coordinador ni ha inscrito equipos. Use "
                "Sincronizar → Inscripción primero."
            ),
        )
        return None
    dialog = ExportDialog(peers, parent)
    dialog.accepted.connect(lambda: _export_to_file(parent, profile, dialog))
    parent.last_export_dialog = dialog  # type: ignore[attr-defined]
    dialog.open()
    return dialog


def _export_to_file(parent: QWidget, profile: Profile, dialog: ExportDialog) -> Op[object] | None:
    from fieldkit.services.sync_folder import outgoing_name

    peer = dialog.chosen
    suggested = outgoing_name(
        profile.values.get("device_name") or "", profile.device_id, peer.name, peer.device_id
    )
    path, _filter = QFileDialog.getSaveFileName(
        parent, _("Guardar el paquete para {name}", name=peer.name), suggested, bundle_filter()
    )
    if not path:
        return None
    if not path.lower().endswith(".fkb"):
        path += ".fkb"

    def done(result: sync.Exported) -> None:
        QMessageBox.information(
            parent,
            _("Paquete exportado"),
            ngettext(
                "Se guardó {path} para {recipient} con {count} operación.",
                "Se guardó {path} para {recipient} con {count} operaciones.",
                result.operations,
                path=str(result.path),
                recipient=result.recipient,
                count=format_number(result.operations),
            ),
        )

    return (
        Op(
            parent,
            sync.export,
            profile,
            Path(path),
            for_device=peer.device_id,
            everything=dialog.everything.isChecked(),
            label=_("Exportando el paquete…"),
        )
        .success(done)  # type: ignore[arg-type]
        .run()
    )


def preview_import(parent: QWidget, profile: Profile, paths: Sequence[Path]) -> Op[object]:
    """Dry run first; the preview dialog opens with its report."""

    def show(result: tuple[list[Imported], object]) -> None:
        results = result[0]
        if not results:
            QMessageBox.information(
                parent, _("Importar paquetes"), _("No se encontraron paquetes .fkb.")
            )
            return
        dialog = ImportDialog(profile, paths, results, parent)
        parent.last_import_dialog = dialog  # type: ignore[attr-defined]
        dialog.open()

    return (
        Op(
            parent,
            sync.import_bundles,
            profile,
            list(paths),
            dry_run=True,
            label=_("Revisando los paquetes…"),
        )
        .success(show)  # type: ignore[arg-type]
        .run()
    )


def import_files(parent: QWidget, profile: Profile) -> Op[object] | None:
    paths, _filter = QFileDialog.getOpenFileNames(
        parent, _("Importar paquetes"), "", bundle_filter()
    )
    if not paths:
        return None
    return preview_import(parent, profile, [Path(p) for p in paths])


def import_folder(parent: QWidget, profile: Profile) -> Op[object] | None:
    folder = QFileDialog.getExistingDirectory(parent, _("Importar una carpeta de paquetes"))
    if not folder:
        return None
    return preview_import(parent, profile, [Path(folder)])
