"""The conflict queue: two values for one field after an import; keep mine or theirs.

The table lists what collides and the two values; the pane under it shows the selected
conflict whole (values unabridged, who, on which device, when, which one shows now), with the
button that keeps each value next to it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from fieldkit.i18n import _, format_datetime, format_number, ngettext
from fieldkit.services import history
from fieldkit.services.changes import EVERYTHING
from fieldkit.services.history import Change, ConflictRow, describe_field
from fieldkit.ui.models import Column, RowsModel
from fieldkit.ui.ops import Op
from fieldkit.ui.views.base import View
from fieldkit.ui.widgets.common import (
    column_menu,
    current_row,
    fit_columns,
    search_box,
    setup_table,
    stretch_columns,
)

if TYPE_CHECKING:
    from fieldkit.services.profile import Profile

# Model columns; the table shows some, the pane under it all (a right click on the header
# shows the others in the table too).
FIELD, RECORD, MINE, MINE_WHO, MINE_AT, THEIRS, THEIRS_WHO, THEIRS_AT, STATE = range(9)
HIDDEN = (MINE_WHO, MINE_AT, THEIRS_AT)
MAX_COLUMN = 280  # px: the value columns take the rest of the width


def device_names(profile: Profile) -> dict[str, str]:
    """Device id -> name: this device and every enrolled peer (an unknown id shows shortened)."""
    from fieldkit.services.sync import list_peers

    names = {p.device_id: p.name for p in list_peers(profile)}
    names[profile.device_id] = profile.values.get("device_name") or _("este equipo")
    return names


def who(change: Change, devices: dict[str, str]) -> str:
    """«Ana en Portátil Tumaco»: the author and the device of one operation."""
    device = devices.get(change.device) or change.device[:8]
    return _("{author} en {device}", author=change.author or "—", device=device)


def conflict_columns(devices: dict[str, str]) -> list[Column[ConflictRow]]:
    return [
        Column(
            _("Campo"),
            lambda r: describe_field(r.entity, r.field),
            tooltip=lambda r: describe_field(r.entity, r.field),
        ),
        Column(
            _("Registro"),
            lambda r: r.record or r.record_id[:8],
            tooltip=lambda r: f"{r.record}\n{r.record_id}",
        ),
        Column(_("Mi valor"), lambda r: r.mine.text, tooltip=lambda r: r.mine.text),
        Column(_("Autor y equipo (mío)"), lambda r: who(r.mine, devices)),
        Column(
            _("Fecha (mío)"),
            lambda r: format_datetime(r.mine.at),  # type: ignore[arg-type]
            lambda r: r.mine.at,
        ),
        Column(_("Otro valor"), lambda r: r.theirs.text, tooltip=lambda r: r.theirs.text),
        Column(
            _("Autor y equipo (otro)"),
            lambda r: who(r.theirs, devices),
            tooltip=lambda r: who(r.theirs, devices),
        ),
        Column(
            _("Fecha (otro)"),
            lambda r: format_datetime(r.theirs.at),  # type: ignore[arg-type]
            lambda r: r.theirs.at,
        ),
        Column(_("Estado"), lambda r: _("Abierto") if r.open else _("Resuelto")),
    ]


class SideBox(QGroupBox):
    """One of the two values of the selected conflict, whole, and the button that keeps it."""

    def __init__(self, title: str, button_text: str, parent: QWidget | None = None) -> None:
        super().__init__(title, parent)
        self.value = QLabel(self)
        self.value.setWordWrap(True)
        self.value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = self.value.font()
        font.setPointSizeF(font.pointSizeF() * 1.1)
        self.value.setFont(font)
        self.origin = QLabel(self)
        self.origin.setWordWrap(True)
        self.origin.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.button = QPushButton(button_text, self)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.value)
        layout.addWidget(self.origin)
        layout.addStretch(1)
        layout.addLayout(row)

    def show_change(
        self, conflict: ConflictRow, change: Change, devices: dict[str, str], shown: bool
    ) -> None:
        value = change.text
        if change.field != conflict.field or conflict.kind == "deleted":
            value = f"{describe_field(conflict.entity, change.field)}: {value}"
        self.value.setText(value)
        lines = [
            who(change, devices),
            format_datetime(change.at),  # type: ignore[arg-type]
        ]
        if shown:
            lines.append(_("Es el valor que se ve ahora."))
        self.origin.setText("\n".join(lines))

    def clear(self) -> None:
        self.value.setText("—")
        self.origin.setText("")


class ConflictDetails(QWidget):
    """The selected conflict: what collides, then the two values side by side."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = QLabel(self)
        self.title.setWordWrap(True)
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.mine = SideBox(_("Mi valor (este equipo)"), _("Conservar el &mío"), self)
        self.theirs = SideBox(_("Otro valor"), _("Conservar el &otro"), self)
        sides = QGridLayout()
        sides.addWidget(self.mine, 0, 0)
        sides.addWidget(self.theirs, 0, 1)
        sides.setColumnStretch(0, 1)
        sides.setColumnStretch(1, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addLayout(sides)
        self.setAccessibleName(_("Detalle del conflicto"))

    def show_conflict(self, row: ConflictRow | None, devices: dict[str, str]) -> None:
        if row is None:
            self.title.setText(_("Elija un conflicto de la lista para ver sus dos valores."))
            self.mine.clear()
            self.theirs.clear()
            return
        state = _("abierto") if row.open else _("resuelto")
        self.title.setText(
            _(
                "<b>{field}</b> de <b>{record}</b> — conflicto {state}, detectado el {when}. "
                "Elija qué valor conservar; la decisión viajará en el próximo paquete.",
                field=_escape(describe_field(row.entity, row.field)),
                record=_escape(row.record or row.record_id),
                state=state,
                when=format_datetime(row.detected_at),  # type: ignore[arg-type]
            )
        )
        self.title.setToolTip(row.record_id)
        self.mine.show_change(row, row.mine, devices, row.open and row.winner == row.mine.op_id)
        self.theirs.show_change(
            row, row.theirs, devices, row.open and row.winner == row.theirs.op_id
        )


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class ConflictsView(View):
    RELEVANT = tuple(EVERYTHING.entities)

    def __init__(self, profile: Profile, parent: QWidget | None = None) -> None:
        super().__init__(profile, parent)
        self.search = search_box(_("Buscar por campo, registro, valor o autor…"), self)
        self.count = QLabel(self)
        self.show_resolved = QCheckBox(_("Mostrar &resueltos"), self)
        self.devices: dict[str, str] = {}
        self.model: RowsModel[ConflictRow] = RowsModel(conflict_columns(self.devices), self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        setup_table(self.table, (24, 18, 18, 22, "00/00/0000 00:00", 18, 22, "00/00/0000 00:00"))
        stretch_columns(self.table, MINE, THEIRS)
        column_menu(self.table, HIDDEN)
        self.table.setAccessibleName(_("Conflictos"))
        self.details = ConflictDetails(self)
        self.mine_button = self.details.mine.button
        self.theirs_button = self.details.theirs.button

        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.count)
        top.addWidget(self.show_resolved)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.details)

        self.search.textChanged.connect(self.apply_filter)
        self.show_resolved.toggled.connect(self._toggle_resolved)
        self.mine_button.clicked.connect(lambda: self.resolve("mine"))
        self.theirs_button.clicked.connect(lambda: self.resolve("theirs"))
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.model.modelReset.connect(self._update_buttons)
        self._update_buttons()

    include_resolved = False  # read on the worker thread: a plain value, not the check box

    def _toggle_resolved(self, checked: bool) -> None:
        self.include_resolved = checked
        self.reload()

    def load(  # type: ignore[override]
        self, profile: Profile
    ) -> tuple[list[ConflictRow], dict[str, str]]:
        rows = history.list_conflicts(profile, include_resolved=self.include_resolved)
        return rows, device_names(profile)

    def show_data(self, data: tuple[list[ConflictRow], dict[str, str]]) -> None:
        rows, devices = data
        self.devices.clear()
        self.devices.update(devices)  # the columns read this dict
        self.model.set_rows(rows)
        fit_columns(self.table, MAX_COLUMN, once=True)
        self._update_count()

    def apply_filter(self) -> None:
        from fieldkit.domain.text import matches

        query = self.search.text()
        self.model.set_filter(
            lambda rows: [
                r
                for r in rows
                if matches(
                    query,
                    f"{r.entity}.{r.field} {describe_field(r.entity, r.field)}",
                    r.record_id,
                    r.record,
                    r.mine.text,
                    r.theirs.text,
                    r.mine.author,
                    r.theirs.author,
                    who(r.mine, self.devices),
                    who(r.theirs, self.devices),
                )
            ]
        )
        self._update_count()

    def _update_count(self) -> None:
        n = len(self.model.rows)
        self.count.setText(
            ngettext("{count} conflicto", "{count} conflictos", n, count=format_number(n))
        )

    def selected(self) -> ConflictRow | None:
        return self.model.row_at(current_row(self.table))

    def _update_buttons(self) -> None:
        row = self.selected()
        for button in (self.mine_button, self.theirs_button):
            button.setEnabled(row is not None and row.open)
        self.details.show_conflict(row, self.devices)

    def resolve(self, keep: str) -> Op[object] | None:
        row = self.selected()
        if row is None or not row.open:
            return None
        return Op(
            self,
            history.resolve_conflict,
            self.profile,
            row.id,
            keep,
            label=_("Resolviendo el conflicto…"),
        ).run()
