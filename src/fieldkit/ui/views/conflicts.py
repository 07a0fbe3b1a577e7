"""The conflict queue: two values for one field after an import; keep mine or theirs."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QCheckBox,
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
from fieldkit.ui.widgets.common import current_row, fit_columns, search_box, setup_table

if TYPE_CHECKING:
    from fieldkit.services.profile import Profile


def value_text(value: object) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return _("Sí") if value else _("No")
    return str(value)


def device_names(profile: Profile) -> dict[str, str]:
    """Device id -> name: this device and every enrolled peer (an unknown id shows shortened)."""
    from fieldkit.services.sync import list_peers

    names = {p.device_id: p.name for p in list_peers(profile)}
    names[profile.device_id] = profile.values.get("device_name") or _("este equipo")
    return names


def conflict_columns(devices: dict[str, str]) -> list[Column[ConflictRow]]:
    def _side(change: Change) -> str:
        device = devices.get(change.device) or change.device[:8]
        return _("{author} en {device}", author=change.author or "—", device=device)

    return [
        Column(
            _("Campo"),
            lambda r: describe_field(r.entity, r.field),
            tooltip=lambda r: f"{r.entity}.{r.field}",
        ),
        Column(_("Registro"), lambda r: r.record_id[:8], tooltip=lambda r: r.record_id),
        Column(_("Mi valor"), lambda r: value_text(r.mine.value)),
        Column(_("Autor y equipo (mío)"), lambda r: _side(r.mine)),
        Column(
            _("Fecha (mío)"),
            lambda r: format_datetime(r.mine.at),  # type: ignore[arg-type]
            lambda r: r.mine.at,
        ),
        Column(_("Otro valor"), lambda r: value_text(r.theirs.value)),
        Column(_("Autor y equipo (otro)"), lambda r: _side(r.theirs)),
        Column(
            _("Fecha (otro)"),
            lambda r: format_datetime(r.theirs.at),  # type: ignore[arg-type]
            lambda r: r.theirs.at,
        ),
        Column(_("Estado"), lambda r: _("Abierto") if r.open else _("Resuelto")),
    ]


class ConflictsView(View):
    RELEVANT = tuple(EVERYTHING.entities)

    def __init__(self, profile: Profile, parent: QWidget | None = None) -> None:
        super().__init__(profile, parent)
        self.search = search_box(_("Buscar por campo, registro, valor o autor…"), self)
        self.count = QLabel(self)
        self.show_resolved = QCheckBox(_("Mostrar &resueltos"), self)
        self.mine_button = QPushButton(_("Conservar el &mío"), self)
        self.theirs_button = QPushButton(_("Conservar el &otro"), self)
        self.devices: dict[str, str] = {}
        self.model: RowsModel[ConflictRow] = RowsModel(conflict_columns(self.devices), self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        setup_table(self.table, (24, 10, 18, 22, "00/00/0000 00:00", 18, 22, "00/00/0000 00:00"))
        self.table.setAccessibleName(_("Conflictos"))

        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.count)
        top.addWidget(self.show_resolved)
        top.addWidget(self.mine_button)
        top.addWidget(self.theirs_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)

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
        fit_columns(self.table, once=True)
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
                    value_text(r.mine.value),
                    value_text(r.theirs.value),
                    r.mine.author,
                    r.theirs.author,
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
