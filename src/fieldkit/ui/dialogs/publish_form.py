"""Catálogos → Publicar formulario…: a coordinator publishes a new version of an instrument; it
travels to the teams in their next bundles (answers keep the version they were made with)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox, QWidget

from fieldkit.i18n import _
from fieldkit.services import catalog, forms
from fieldkit.services.changes import Changes
from fieldkit.ui.ops import Op

if TYPE_CHECKING:
    from fieldkit.services.profile import Profile


def publish_form(parent: QWidget, profile: Profile) -> Op[object] | None:
    path, _filter = QFileDialog.getOpenFileName(
        parent,
        _("Publicar formulario"),
        "",
        _("Formularios XLSForm (*.xlsx)") + ";;" + _("Todos los archivos (*)"),
    )
    if not path:
        return None
    kinds = list(forms.KIND_LABELS)
    labels = [_(forms.KIND_LABELS[k]) for k in kinds]
    chosen, ok = QInputDialog.getItem(
        parent, _("Publicar formulario"), _("¿Para qué sirve este formulario?"), labels, 0, False
    )
    if not ok:
        return None
    kind = kinds[labels.index(chosen)]
    line: str | None = None
    if kind == forms.MODULE:
        options = catalog.thematic_lines(profile)
        names = [o.name for o in options]
        picked, ok = QInputDialog.getItem(
            parent, _("Publicar formulario"), _("Línea temática del módulo:"), names, 0, False
        )
        if not ok:
            return None
        line = options[names.index(picked)].code

    def done(instrument: forms.Instrument) -> None:
        QMessageBox.information(
            parent,
            _("Formulario publicado"),
            _(
                "Publicado «{title}» ({form}), versión {version}: llegará a los equipos en sus "
                "próximos paquetes.",
                title=instrument.title,
                form=instrument.form_id,
                version=instrument.version,
            ),
        )

    return (
        Op(
            parent,
            forms.publish,
            profile,
            Path(path),
            kind=kind,
            thematic_line=line,
            label=_("Revisando y publicando el formulario…"),
            changes=Changes.of("form"),
        )
        .success(done)  # type: ignore[arg-type]
        .run()
    )
