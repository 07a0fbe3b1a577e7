"""Actividades vencidas: every plan activity past its end date and not complete, across all
assistances, most late first; Enter opens its assistance, «Cronograma…» its plan's timeline."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, NamedTuple

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QTableView, QVBoxLayout, QWidget

from fieldkit.domain.plans import RESPONSIBLES
from fieldkit.domain.text import matches
from fieldkit.i18n import _, format_date, format_number, ngettext
from fieldkit.ui.formatting import date_key
from fieldkit.ui.models import Column, RowsModel
from fieldkit.ui.views.base import View
from fieldkit.ui.widgets.common import (
    current_row,
    fit_columns,
    search_box,
    setup_table,
    stretch_columns,
)
from fieldkit.ui.widgets.progress import percent_text

if TYPE_CHECKING:
    from fieldkit.services.plans import OverdueRow
    from fieldkit.services.profile import Profile

CODE, MUNICIPALITY, ACTIVITY, RESULT, RESPONSIBLE, END, DAYS_LATE, PERCENT = range(8)


class OverdueItem(NamedTuple):
    """An overdue activity with the assistance it belongs to, as the view lists it."""

    code: str
    municipality: str
    department: str
    row: OverdueRow

    @property
    def responsible(self) -> str:
        """«Alcaldía — Luz Dary Angulo»: who answers for it, and the official's name if given."""
        who = _(RESPONSIBLES.get(self.row.responsible, self.row.responsible))
        name = self.row.responsible_name.strip()
        return f"{who} — {name}" if name else who


class OverdueData(NamedTuple):
    items: list[OverdueItem]
    today: dt.date


def load_overdue(profile: Profile, today: dt.date | None = None) -> OverdueData:
    """The overdue activities and the code and place of their assistances (a worker thread)."""
    from fieldkit.services import assistances, plans

    today = today or dt.date.today()
    rows = plans.overdue(profile, today)
    places = {a.id: a for a in assistances.list_assistances(profile)} if rows else {}
    items = []
    for row in rows:
        assistance = places.get(row.assistance_id)
        items.append(
            OverdueItem(
                assistance.code if assistance else row.assistance_id[:8],
                assistance.municipality if assistance else "",
                assistance.department if assistance else "",
                row,
            )
        )
    return OverdueData(items, today)


def days_text(days: int) -> str:
    return ngettext("{count} día", "{count} días", days, count=format_number(days))


def overdue_columns() -> list[Column[OverdueItem]]:
    return [
        Column(_("Código"), lambda i: i.code, lambda i: i.code),
        Column(
            _("Municipio"),
            lambda i: i.municipality,
            tooltip=lambda i: f"{i.municipality} ({i.department})" if i.department else "",
        ),
        Column(_("Actividad"), lambda i: i.row.description, tooltip=lambda i: i.row.description),
        Column(_("Resultado"), lambda i: i.row.result, tooltip=lambda i: i.row.result),
        Column(_("Responsable"), lambda i: i.responsible, tooltip=lambda i: i.responsible),
        Column(_("Fin"), lambda i: format_date(i.row.end_on), lambda i: date_key(i.row.end_on)),
        Column(
            _("Días de retraso"),
            lambda i: days_text(i.row.days_late),
            lambda i: i.row.days_late,
            align_right=True,
        ),
        Column(
            _("Avance"),
            lambda i: percent_text(i.row.percent),
            lambda i: i.row.percent,
            align_right=True,
        ),
    ]


class OverdueView(View):
    """«Actividades vencidas»: what is late in every plan, to follow up with the teams."""

    RELEVANT = (
        "plan",
        "plan_version",
        "result",
        "activity",
        "follow_up",
        "assistance",
        "municipality",
    )

    open_requested = Signal(str)  # assistance code, to show it in the assistances view

    def __init__(self, profile: Profile, parent: QWidget | None = None) -> None:
        super().__init__(profile, parent)
        self.today: dt.date | None = None
        self.search = search_box(
            _("Buscar por código, municipio, actividad, resultado o responsable…"), self
        )
        self.count = QLabel(self)
        self.open_button = QPushButton(_("&Abrir asistencia"), self)
        self.open_button.setToolTip(_("Ver la asistencia de la actividad elegida (Enter)"))
        self.timeline_button = QPushButton(_("&Cronograma…"), self)
        self.timeline_button.setToolTip(
            _("Ver las actividades del plan de la asistencia elegida sobre el calendario")
        )
        self.model: RowsModel[OverdueItem] = RowsModel(overdue_columns(), self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        setup_table(
            self.table,
            (
                "AT-2026-XXXXX-000",
                "San Vicente del Caguán",
                34,
                26,
                "Equipo de asistencia técnica",
                "00/00/0000",
                "Días de retraso",
                "Avance",
            ),
            sort_column=DAYS_LATE,
            descending=True,
        )
        stretch_columns(self.table, ACTIVITY, RESULT)
        self.table.setAccessibleName(_("Actividades vencidas"))
        self.empty = QLabel(_("No hay actividades vencidas: todas van al día."), self)
        self.empty.setEnabled(False)
        self.empty.hide()

        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.count)
        top.addWidget(self.open_button)
        top.addWidget(self.timeline_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.empty)
        layout.addWidget(self.table, 1)

        self.search.textChanged.connect(self.apply_filter)
        self.open_button.clicked.connect(self.open_selected)
        self.timeline_button.clicked.connect(lambda: self.open_timeline())
        self.table.activated.connect(self.open_selected)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.model.modelReset.connect(self._update_buttons)
        self._update_buttons()

    @staticmethod
    def load(profile: Profile) -> OverdueData:
        return load_overdue(profile)

    def show_data(self, data: OverdueData) -> None:
        selected = self.selected()
        self.today = data.today
        self.model.set_rows(data.items)
        fit_columns(self.table, maximum=260, once=True)
        self.empty.setVisible(not data.items)
        self._update_count()
        if selected is not None:
            row = self.model.find(lambda i: i.row.activity_id == selected.row.activity_id)
            if row >= 0:
                self.table.selectRow(row)

    def apply_filter(self) -> None:
        query = self.search.text()
        self.model.set_filter(
            lambda items: [
                i
                for i in items
                if matches(
                    query,
                    i.code,
                    i.municipality,
                    i.department,
                    i.row.description,
                    i.row.result,
                    i.responsible,
                )
            ]
        )
        self._update_count()

    def _update_count(self) -> None:
        shown, total = len(self.model.rows), self.model.total
        if shown == total:
            text = ngettext(
                "{count} actividad vencida",
                "{count} actividades vencidas",
                total,
                count=format_number(total),
            )
        else:
            text = ngettext(
                "{shown} de {count} actividad vencida",
                "{shown} de {count} actividades vencidas",
                total,
                shown=format_number(shown),
                count=format_number(total),
            )
        self.count.setText(text)

    def selected(self) -> OverdueItem | None:
        return self.model.row_at(current_row(self.table))

    def _update_buttons(self) -> None:
        chosen = self.selected() is not None
        self.open_button.setEnabled(chosen)
        self.timeline_button.setEnabled(chosen)

    def open_selected(self) -> None:
        item = self.selected()
        if item is not None:
            self.open_requested.emit(item.code)

    def open_timeline(self) -> QWidget | None:
        from fieldkit.ui.widgets.gantt import TimelineDialog

        item = self.selected()
        if item is None:
            return None
        dialog = TimelineDialog(self.profile, item.code, self.window())
        self.last_dialog = dialog
        dialog.show()
        return dialog

    last_dialog: QWidget | None = None
