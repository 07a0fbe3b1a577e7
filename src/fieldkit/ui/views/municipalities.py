"""The 1,121 municipalities: search as you type, filter by place and programme, open the ficha."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from fieldkit.i18n import _, format_number, ngettext
from fieldkit.services.catalog import LatestIndicator, MunicipalityRow, filter_municipalities
from fieldkit.ui.data import MunicipalitiesData, load_municipalities
from fieldkit.ui.formatting import directorate_label
from fieldkit.ui.models import Column, RowsModel
from fieldkit.ui.views.base import View
from fieldkit.ui.widgets.common import FilterCombo, current_row, search_box, setup_table

if TYPE_CHECKING:
    from fieldkit.services.profile import Profile


def count_text(shown: int, total: int) -> str:
    if shown == total:
        return ngettext(
            "{count} municipio", "{count} municipios", total, count=format_number(total)
        )
    return ngettext(
        "{shown} de {count} municipio",
        "{shown} de {count} municipios",
        total,
        shown=format_number(shown),
        count=format_number(total),
    )


class MunicipalitiesView(View):
    RELEVANT = ("municipality", "directorate", "municipal_category", "indicator_value")

    open_requested = Signal(str)  # DIVIPOLA code whose ficha to open

    def __init__(self, profile: Profile, parent: QWidget | None = None) -> None:
        super().__init__(profile, parent)
        self._category_names: dict[str, str] = {}
        self.search = search_box(_("Buscar municipio, departamento o código…"), self)
        self.department = FilterCombo(_("Todos los departamentos"), self)
        self.subregion = FilterCombo(_("Todas las subregiones"), self)
        self.pdet_only = QCheckBox(_("Solo &PDET"), self)
        self.category = FilterCombo(_("Todas las categorías"), self)
        self.directorate = FilterCombo(_("Todas las direcciones"), self)
        self.count = QLabel(self)
        self.count.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        # Wide enough for the longest count, so the search box does not jump while typing.
        self.count.setMinimumWidth(
            self.count.fontMetrics().horizontalAdvance(count_text(1120, 1121))
        )

        self._indicators: dict[str, dict[str, LatestIndicator]] = {}
        self.model: RowsModel[MunicipalityRow] = RowsModel(
            [
                Column(_("Código"), lambda r: r.code, sort_key=lambda r: r.code),
                Column(_("Municipio"), lambda r: r.name),
                Column(_("Departamento"), lambda r: r.department, tooltip=lambda r: r.department),
                Column(
                    _("Subregión PDET"),
                    lambda r: r.pdet_subregion,
                    tooltip=lambda r: r.pdet_subregion,
                ),
                Column(
                    _("Categoría"),
                    self._category_text,
                    sort_key=lambda r: (r.category == "", r.category != "E", r.category),
                ),
                Column(_("Dirección territorial"), lambda r: r.directorate_name),
            ],
            self,
        )
        self._base_columns = list(self.model.columns)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        setup_table(
            self.table,
            (
                "00000",
                "San Vicente del Caguán",
                "Norte de Santander",
                "Sierra Nevada - Perijá - Zona Bananera",
                "Categoría",
            ),
        )
        self.table.setAccessibleName(_("Municipios"))

        filters = QGridLayout()
        filters.setHorizontalSpacing(8)
        filters.addWidget(self._label(_("&Departamento:"), self.department), 0, 0)
        filters.addWidget(self.department, 0, 1)
        filters.addWidget(self._label(_("&Subregión PDET:"), self.subregion), 0, 2)
        filters.addWidget(self.subregion, 0, 3)
        filters.addWidget(self.pdet_only, 0, 4)
        filters.addWidget(self._label(_("Cat&egoría:"), self.category), 1, 0)
        filters.addWidget(self.category, 1, 1)
        filters.addWidget(self._label(_("Dirección &territorial:"), self.directorate), 1, 2)
        filters.addWidget(self.directorate, 1, 3)
        filters.setColumnStretch(1, 1)
        filters.setColumnStretch(3, 2)

        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.count)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)

        self.search.textChanged.connect(self.apply_filter)
        self.search.returnPressed.connect(self._open_from_search)
        for combo in (self.department, self.subregion, self.category, self.directorate):
            combo.currentIndexChanged.connect(self.apply_filter)
        self.pdet_only.toggled.connect(self.apply_filter)
        self.table.activated.connect(self._activated)
        self.setTabOrder(self.search, self.department)
        self.setTabOrder(self.department, self.subregion)
        self.setTabOrder(self.subregion, self.pdet_only)
        self.setTabOrder(self.pdet_only, self.category)
        self.setTabOrder(self.category, self.directorate)
        self.setTabOrder(self.directorate, self.table)
        self.apply_filter()

    def _label(self, text: str, buddy: QWidget) -> QLabel:
        label = QLabel(text, self)
        label.setBuddy(buddy)
        return label

    def _category_text(self, row: MunicipalityRow) -> str:
        return self._category_names.get(row.category, row.category)

    @staticmethod
    def load(profile: Profile) -> MunicipalitiesData:
        return load_municipalities(profile)

    def show_data(self, data: MunicipalitiesData) -> None:
        self._category_names = {c.code: c.name for c in data.categories}
        self.department.set_options((o.code, o.name) for o in data.departments)
        self.subregion.set_options((s, s) for s in data.subregions)
        self.category.set_options((c.code, c.name) for c in data.categories)
        self.directorate.set_options((d.code, directorate_label(d)) for d in data.directorates)
        self.directorate.setEnabled(bool(data.directorates))
        self.directorate.setToolTip(
            ""
            if data.directorates
            else _("No hay direcciones territoriales: cárguelas en Catálogos.")
        )
        self._indicators = data.indicators
        self.model.set_columns(
            self._base_columns + [self._indicator_column(n) for n in data.indicator_names]
        )
        self.model.set_rows(data.rows)
        self._update_count()

    def _indicator_column(self, name: str) -> Column[MunicipalityRow]:
        """The newest value of an indicator (imported from DNP/DANE spreadsheets), its year and
        source in the tooltip; sorts as a number, municipalities without it last either way."""

        def cell(row: MunicipalityRow) -> LatestIndicator | None:
            return self._indicators.get(row.code, {}).get(name)

        def text(row: MunicipalityRow) -> str:
            found = cell(row)
            return format_number(found.value) if found and found.value is not None else ""

        def tooltip(row: MunicipalityRow) -> str:
            found = cell(row)
            if found is None:
                return _("Sin dato de {indicator}", indicator=name)
            text = _(
                "{indicator} {year}: {value}",
                indicator=name,
                year=found.year or "?",
                value=format_number(found.value) if found.value is not None else "—",
            )
            return f"{text}\n{found.source}" if found.source else text

        def key(row: MunicipalityRow) -> tuple[bool, float]:
            found = cell(row)
            missing = found is None or found.value is None
            return (missing, found.value if not missing else 0.0)  # type: ignore[union-attr]

        def blank(row: MunicipalityRow) -> bool:
            found = cell(row)
            return found is None or found.value is None

        return Column(name, text, sort_key=key, align_right=True, tooltip=tooltip, blank=blank)

    def preload(self, data: MunicipalitiesData) -> None:
        """Show data read before the window existed (startup), without reading it again."""
        self._stale = False
        self.show_data(data)
        self.loaded = True

    def apply_filter(self) -> None:
        query = self.search.text()
        options = {
            "department": self.department.value(),
            "subregion": self.subregion.value(),
            "category": self.category.value(),
            "directorate": self.directorate.value(),
            "pdet_only": self.pdet_only.isChecked(),
        }
        self.model.set_filter(lambda rows: filter_municipalities(rows, query, **options))
        # A reset asks for a delayed relayout that would paint the table a second time; lay out
        # now so the one paint after a keystroke shows the final state.
        self.table.executeDelayedItemsLayout()
        self._update_count()

    def _update_count(self) -> None:
        self.count.setText(count_text(len(self.model.rows), self.model.total))

    def _activated(self, index: QModelIndex) -> None:
        row = self.model.row_at(index.row())
        if row is not None:
            self.open_requested.emit(row.code)

    def _open_from_search(self) -> None:
        row = current_row(self.table)
        row = row if row >= 0 else 0
        if self.model.row_at(row) is not None:
            self.table.selectRow(row)
            self._activated(self.model.index(row, 0))

    def keyPressEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        # Down from the search box goes to the results, as in a browser's address bar.
        if event.key() == Qt.Key.Key_Down and self.search.hasFocus() and self.model.rows:
            self.table.setFocus()
            self.table.selectRow(max(current_row(self.table), 0))
            return
        super().keyPressEvent(event)

    def selected_code(self) -> str | None:
        row = self.model.row_at(current_row(self.table))
        return row.code if row else None
