"""Sync by bundles from the window: export for the coordinator, import with a preview first."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
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
from fieldkit.ui.widgets.common import fit_columns, setup_table

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
    """The dry run's report per bundle; «Importar» runs the real import and shows its report."""

    def __init__(
        self,
        profile: Profile,
        paths: Sequence[Path],
        results: Sequence[Imported],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.profile = profile
        self.paths = list(paths)
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
                _(
                    "Vista previa: aún no se ha cambiado nada. Revise lo que traen los paquetes "
                    "y pulse «Importar» para aplicarlos."
                )
            )

    def run_import(self) -> Op[object]:
        self.import_button.setEnabled(False)

        def done(result: tuple[list[Imported], object]) -> None:
            self.imported = True
            self.show_results(result[0])

        return (
            Op(
                self,
                sync.import_bundles,
                self.profile,
                self.paths,
                label=_("Importando paquetes…"),
            )
            .success(done)  # type: ignore[arg-type]
            .finally_(lambda: self.import_button.setEnabled(not self.imported))
            .run()
        )


def export_bundle(parent: QWidget, profile: Profile) -> Op[object] | None:
    path, _filter = QFileDialog.getSaveFileName(
        parent, _("Exportar paquete para el coordinador"), "cambios.fkb", bundle_filter()
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
        Op(parent, sync.export, profile, Path(path), label=_("Exportando el paquete…"))
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
