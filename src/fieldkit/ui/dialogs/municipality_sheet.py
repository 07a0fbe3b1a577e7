"""The ficha municipal: codes, place, programme, category, indicators and the municipality's
assistances, each with its plan's results achieved beside its activities completed."""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedLayout,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from fieldkit.domain.progress import PlanProgress, combine
from fieldkit.i18n import _, format_date, format_number, ngettext
from fieldkit.services import catalog
from fieldkit.services.assistances import AssistanceRow
from fieldkit.services.catalog import KIND_LABELS, IndicatorRow, MunicipalitySheet, Option
from fieldkit.services.changes import Changes
from fieldkit.ui.formatting import date_key, state_label, state_order
from fieldkit.ui.models import Column, RowsModel
from fieldkit.ui.ops import PROFILE, Op
from fieldkit.ui.roles import CATALOGS_NOTE, edits_catalogs
from fieldkit.ui.widgets.common import fit_columns, setup_table, stretch_columns
from fieldkit.ui.widgets.progress import ProgressPair, progress_columns

if TYPE_CHECKING:
    from fieldkit.services.plans import AssistanceProgress
    from fieldkit.services.profile import Profile

RELEVANT = (
    "municipality",
    "directorate",
    "municipal_category",
    "indicator_value",
    "assistance",
    "assistance_member",
    "state_change",
    "thematic_line",
    "plan",
    "plan_version",
    "result",
    "activity",
    "follow_up",
)


class SheetData(NamedTuple):
    sheet: MunicipalitySheet
    categories: list[Option]
    example_directorates: frozenset[str]
    # the plan figures of the municipality's assistances that have a plan, by assistance id
    progress: dict[str, AssistanceProgress]


def load_sheet(profile: Profile, code: str) -> SheetData:
    from fieldkit.services import plans

    sheet = catalog.municipality_sheet(profile, code)
    ids = {r.id for r in sheet.assistances if isinstance(r, AssistanceRow)}
    every = plans.progress_by_assistance(profile)  # one read for all plans; keep this place's
    return SheetData(
        sheet,
        catalog.categories(profile),
        frozenset(d.code for d in catalog.directorates(profile) if d.is_example),
        {key: value for key, value in every.items() if key in ids},
    )


def combined_caption(plans: int, assistances: int) -> str:
    if plans == 0:
        return _("Ninguna asistencia del municipio tiene plan de acción todavía.")
    return ngettext(
        "Avance conjunto del plan de acción de {plans} de {count} asistencia:",
        "Avance conjunto de los planes de acción de {plans} de {count} asistencias:",
        assistances,
        plans=format_number(plans),
        count=format_number(assistances),
    )


def _value(label: QLabel) -> QLabel:
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setWordWrap(True)
    return label


class MunicipalitySheetDialog(QDialog):
    """Non-modal: several fichas can stay open beside the main window while working."""

    new_assistance_requested = Signal(str)  # DIVIPOLA code
    assistance_requested = Signal(str)  # assistance code, to show it in the assistances view

    def __init__(self, profile: Profile, data: SheetData, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.profile = profile
        self.code = data.sheet.municipality.code
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.resize(860, 700)

        self.title = QLabel(self)
        self.title.setObjectName("sheetTitle")
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        self.title.setFont(font)
        self.subtitle = QLabel(self)

        self.fields: dict[str, QLabel] = {}
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        for key, text in (
            ("code", _("Código DIVIPOLA:")),
            ("department_code", _("Código del departamento:")),
            ("department", _("Departamento:")),
            ("kind", _("Tipo:")),
            ("pdet", _("Subregión PDET:")),
            ("directorate", _("Dirección territorial:")),
            ("location", _("Ubicación:")),
        ):
            self.fields[key] = _value(QLabel(self))
            form.addRow(text, self.fields[key])

        self.category_value = _value(QLabel(self))
        self.category_combo = QComboBox(self)
        self.category_save = QPushButton(_("&Guardar categoría"), self)
        self.category_save.clicked.connect(self._save_category)
        category_row = QHBoxLayout()
        category_row.addWidget(self.category_value)
        category_row.addWidget(self.category_combo)
        category_row.addWidget(self.category_save)
        category_row.addStretch(1)
        self.category_label = QLabel(self)
        self.category_label.setBuddy(self.category_combo)
        form.addRow(self.category_label, category_row)
        self._apply_role()

        self.indicators: RowsModel[IndicatorRow] = RowsModel(
            [
                Column(_("Indicador"), lambda r: r.indicator),
                Column(_("Año"), lambda r: str(r.year or ""), sort_key=lambda r: r.year or 0),
                Column(
                    _("Valor"),
                    lambda r: format_number(r.value),
                    sort_key=lambda r: r.value if r.value is not None else float("-inf"),
                    align_right=True,
                ),
                Column(_("Fuente"), lambda r: r.source),
            ],
            self,
        )
        self.indicator_table = QTableView(self)
        self.indicator_table.setModel(self.indicators)
        setup_table(self.indicator_table, (14, 6, 12, 20))
        self.no_indicators = QLabel(_("Sin indicadores cargados."), self)
        self.no_indicators.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.no_indicators.setEnabled(False)
        self.indicator_box = indicator_box = QGroupBox(_("Indicadores municipales"), self)
        self._indicator_stack = QStackedLayout(indicator_box)
        self._indicator_stack.addWidget(self.indicator_table)
        self._indicator_stack.addWidget(self.no_indicators)

        self.assistances: RowsModel[AssistanceRow] = RowsModel(
            [
                Column(_("Código"), lambda r: r.code, sort_key=lambda r: r.code),
                Column(_("Línea temática"), lambda r: r.thematic_line),
                Column(_("Estado"), lambda r: state_label(r.state), lambda r: state_order(r.state)),
                Column(
                    _("Solicitud"),
                    lambda r: format_date(r.requested_on),
                    lambda r: date_key(r.requested_on),
                ),
                Column(
                    _("Inicio"), lambda r: format_date(r.start_on), lambda r: date_key(r.start_on)
                ),
                Column(_("Fin"), lambda r: format_date(r.end_on), lambda r: date_key(r.end_on)),
                *progress_columns(self._plan_progress),
            ],
            self,
        )
        self.progress: dict[str, AssistanceProgress] = {}
        self.assistance_table = QTableView(self)
        self.assistance_table.setModel(self.assistances)
        setup_table(
            self.assistance_table,
            (18, 30, 12, 10, 10, 10, "Resultados", "Actividades"),
            descending=True,
        )
        stretch_columns(self.assistance_table, 1)  # the line elides so both figures show
        self.assistance_table.activated.connect(self._open_assistance)
        self.new_here = QPushButton(_("&Nueva asistencia aquí…"), self)
        self.new_here.clicked.connect(lambda: self.new_assistance_requested.emit(self.code))
        assistance_box = QGroupBox(_("Asistencias técnicas"), self)
        box_layout = QVBoxLayout(assistance_box)
        box_layout.addWidget(self.assistance_table)
        self.combined_caption = QLabel(self)
        self.combined_caption.setWordWrap(True)
        self.combined = ProgressPair(self)
        self.combined.setAccessibleName(_("Avance conjunto de los planes del municipio"))
        box_layout.addWidget(self.combined_caption)
        box_layout.addWidget(self.combined)
        buttons_row = QHBoxLayout()
        buttons_row.addStretch(1)
        buttons_row.addWidget(self.new_here)
        box_layout.addLayout(buttons_row)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(_("&Cerrar"))
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.subtitle)
        layout.addLayout(form)
        layout.addWidget(indicator_box, 1)
        layout.addWidget(assistance_box, 2)
        layout.addWidget(buttons)
        self.show_data(data)

    def show_data(self, data: SheetData) -> None:
        m = data.sheet.municipality
        self.setWindowTitle(_("Ficha municipal: {name}", name=m.name))
        self.title.setText(m.name)
        self.subtitle.setText(_("{department}, Colombia", department=m.department))
        self.fields["code"].setText(m.code)
        self.fields["department_code"].setText(m.department_code)
        self.fields["department"].setText(m.department)
        self.fields["kind"].setText(_(KIND_LABELS.get(m.kind, m.kind)))
        self.fields["pdet"].setText(m.pdet_subregion or _("No es municipio PDET"))
        if not m.directorate_code:
            directorate = _("Sin asignar (cargue las direcciones territoriales en Catálogos)")
        elif m.directorate_code in data.example_directorates:
            directorate = f"{m.directorate_code} — {m.directorate_name} {_('(ejemplo)')}"
        else:
            directorate = f"{m.directorate_code} — {m.directorate_name}"
        self.fields["directorate"].setText(directorate)
        if m.latitude is not None and m.longitude is not None:
            self.fields["location"].setText(
                _(
                    "latitud {lat}, longitud {lon}",
                    lat=format_number(m.latitude, decimals=5),
                    lon=format_number(m.longitude, decimals=5),
                )
            )
        else:
            self.fields["location"].setText(_("Sin coordenadas"))

        names = {c.code: c.name for c in data.categories}
        self.category_value.setText(names.get(m.category, m.category) or _("Sin categoría"))
        self.category_combo.clear()
        self.category_combo.addItem(_("Sin categoría"), "")
        for c in data.categories:
            self.category_combo.addItem(c.name, c.code)
        self.category_combo.setCurrentIndex(max(self.category_combo.findData(m.category), 0))

        self.indicators.set_rows(data.sheet.indicators)
        fit_columns(self.indicator_table)
        has_indicators = bool(data.sheet.indicators)
        self._indicator_stack.setCurrentIndex(0 if has_indicators else 1)
        # An empty indicator box needs one line, not half the window.
        self.indicator_box.setMaximumHeight(
            16_777_215 if has_indicators else self.fontMetrics().height() * 4
        )
        rows = [r for r in data.sheet.assistances if isinstance(r, AssistanceRow)]
        self.progress = data.progress
        self.assistances.set_rows(rows)
        fit_columns(self.assistance_table)
        self.combined_caption.setText(combined_caption(len(data.progress), len(rows)))
        self.combined.set_progress(self.combined_progress())
        self.combined.setVisible(bool(data.progress))

    def _plan_progress(self, row: AssistanceRow) -> PlanProgress | None:
        plan = self.progress.get(row.id)
        return plan.progress if plan is not None else None

    def combined_progress(self) -> PlanProgress | None:
        """All the municipality's plans as one figure; None when none has a plan."""
        if not self.progress:
            return None
        return combine(p.progress for p in self.progress.values())

    def reload(self) -> None:
        Op(self, load_sheet, self.profile, self.code, quiet=True).success(self.show_data).run()

    def on_changes(self, changes: Changes) -> None:
        if changes.touches(PROFILE):
            self._apply_role()
        if changes.touches(*RELEVANT):
            self.reload()

    def _apply_role(self) -> None:
        """Coordinators get the category editor; others read the category and are told why."""
        allowed = edits_catalogs(self.profile)
        self.category_label.setText(_("Ca&tegoría:") if allowed else _("Categoría:"))
        self.category_combo.setVisible(allowed)
        self.category_save.setVisible(allowed)
        self.category_value.setVisible(not allowed)
        self.category_value.setToolTip("" if allowed else _(CATALOGS_NOTE))

    def _save_category(self) -> None:
        category = self.category_combo.currentData() or None
        self.category_save.setEnabled(False)
        Op(
            self,
            catalog.set_category,
            self.profile,
            self.code,
            category,
            label=_("Guardando la categoría…"),
        ).finally_(lambda: self.category_save.setEnabled(True)).run()

    def _open_assistance(self) -> None:
        row = self.assistances.row_at(self.assistance_table.currentIndex().row())
        if row is not None:
            self.assistance_requested.emit(row.code)
