"""A record's change history: every field set, by whom, on which device, when."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from fieldkit.i18n import _, format_datetime
from fieldkit.services import history
from fieldkit.services.history import Change, describe_field
from fieldkit.ui.models import Column, RowsModel
from fieldkit.ui.ops import Op
from fieldkit.ui.views.conflicts import device_names
from fieldkit.ui.widgets.common import current_row, fit_columns, setup_table, stretch_columns

if TYPE_CHECKING:
    from fieldkit.services.profile import Profile
    from fieldkit.ui.views.assistances import AssistancesView


VALUE = 2
MAX_COLUMN = 280  # px: the value column takes the rest of the width


def load_history(profile: Profile, record_id: str) -> tuple[list[Change], dict[str, str]]:
    return history.record_history(profile, record_id), device_names(profile)


class HistoryDialog(QDialog):
    """The operations on one record, oldest first, with their values as a person reads them."""

    def __init__(
        self,
        title: str,
        changes: Sequence[Change],
        devices: dict[str, str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Historial de cambios: {title}", title=title))
        self.resize(960, 520)
        self.model: RowsModel[Change] = RowsModel(
            [
                Column(
                    _("Fecha"),
                    lambda r: format_datetime(r.at),  # type: ignore[arg-type]
                    lambda r: (r.at, r.seq),
                ),
                Column(_("Campo"), lambda r: describe_field(r.entity, r.field)),
                Column(_("Valor"), lambda r: r.text, tooltip=value_tooltip),
                Column(_("Autor"), lambda r: r.author or "—"),
                Column(
                    _("Equipo"),
                    lambda r: devices.get(r.device) or r.device[:8],
                    tooltip=lambda r: r.device,
                ),
            ],
            self,
        )
        self.table = QTableView(self)
        self.table.setModel(self.model)
        setup_table(self.table, ("00/00/0000 00:00", 20, 30, 16, 20))
        stretch_columns(self.table, VALUE)
        self.table.setAccessibleName(_("Historial de cambios"))
        self.model.set_rows(changes)
        fit_columns(self.table, MAX_COLUMN)
        # A long value (notes, reasons) is cut in its column: the selected one reads whole here.
        self.detail = QLabel(self)
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.detail.setAccessibleName(_("Valor completo"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(_("Cerrar"))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.detail)
        layout.addWidget(buttons)
        self.table.selectionModel().selectionChanged.connect(self._show_selected)
        self._show_selected()

    def _show_selected(self) -> None:
        change = self.model.row_at(current_row(self.table))
        if change is None:
            self.detail.setText(_("Elija un cambio para leer su valor completo."))
            return
        self.detail.setText(
            _(
                "{field}, {when}: {value}",
                field=describe_field(change.entity, change.field),
                when=format_datetime(change.at),  # type: ignore[arg-type]
                value=change.text,
            )
        )


def value_tooltip(change: Change) -> str:
    """The whole value, and what is stored when it reads differently (an id, an ISO date)."""
    stored = "" if change.value is None else str(change.value)
    if not stored or stored == change.text:
        return change.text
    return _("{text}\nGuardado como: {stored}", text=change.text, stored=stored)


def add_history_button(view: AssistancesView) -> QPushButton:
    """«Historial de cambios…» next to the view's buttons, for the selected assistance."""
    button = QPushButton(_("&Historial de cambios…"), view)
    top = view.layout().itemAt(0).layout()  # type: ignore[union-attr]
    assert isinstance(top, QHBoxLayout)
    top.addWidget(button)

    def update() -> None:
        button.setEnabled(view.selected() is not None)

    def open_history() -> Op[object] | None:
        row = view.selected()
        if row is None:
            return None
        parent = view.window()

        def show(data: tuple[list[Change], dict[str, str]]) -> None:
            dialog = HistoryDialog(f"{row.code} — {row.municipality}", data[0], data[1], parent)
            view.last_history_dialog = dialog  # type: ignore[attr-defined]
            dialog.open()

        return (
            Op(view, load_history, view.profile, row.id, label=_("Cargando el historial…"))
            .success(show)  # type: ignore[arg-type]
            .run()
        )

    view.selection_changed.connect(update)
    view.model.modelReset.connect(update)
    button.clicked.connect(open_history)
    view.history_button = button  # type: ignore[attr-defined]
    update()
    return button
