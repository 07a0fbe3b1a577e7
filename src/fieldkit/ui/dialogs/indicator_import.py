"""Catálogos → Importar indicadores municipales…: MDM, IDF, IPM… from a DNP or DANE spreadsheet.

The person picks the file; the dialog opens pre-filled with what ``indicators.inspect`` proposes
(sheet, header row, code, year and value columns, indicator, source), shows what the import
would do (the first rows, each new, changed or equal to the stored value) and every row it
cannot use with its number and reason, and imports in the background. Anyone may look; only
coordinators import (indicator values are catalog records).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from fieldkit.i18n import N_, _, format_number
from fieldkit.services import indicators
from fieldkit.services.indicators import (
    KNOWN_INDICATORS,
    STATE_LABELS,
    Mapping,
    Preview,
    PreviewRow,
    Problem,
    SheetInfo,
    column_letter,
)
from fieldkit.services.profile import ROLE_LABELS
from fieldkit.ui.models import Column, RowsModel
from fieldkit.ui.ops import PROFILE, Op
from fieldkit.ui.roles import edits_catalogs
from fieldkit.ui.widgets.common import ErrorLabel, setup_table, stretch_columns

if TYPE_CHECKING:
    from fieldkit.services.changes import Changes
    from fieldkit.services.profile import Profile

PREVIEW_ROWS = 200  # rows shown; the import takes them all
PREVIEW_DELAY_MS = 250  # wait for the person to stop changing the mapping before reading again
FILE_FILTER = "*.xlsx *.xlsm *.csv *.txt"
ROLE_NOTE = N_(
    "Solo un perfil de coordinador puede importar indicadores municipales. Este perfil es "
    "«{role}»: puede revisar el archivo, pero no importarlo."
)


def number(value: float | None) -> str:
    """The value as read, in Spanish format, without rounding away its decimals."""
    if value is None:
        return "—"
    text = repr(float(value))
    decimals = len(text.split(".")[1]) if "." in text and "e" not in text else 0
    return format_number(value, 0 if float(value).is_integer() else min(decimals, 6))


def report(result: Preview) -> str:
    return _(
        "{new} valores nuevos, {changed} actualizados, {skipped} filas no usadas.",
        new=format_number(result.new),
        changed=format_number(result.changed),
        skipped=format_number(len(result.problems)),
    )


class IndicatorImportDialog(QDialog):
    def __init__(self, profile: Profile, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.profile = profile
        self.path: Path | None = None
        self.sheets: list[SheetInfo] = []
        self.info: SheetInfo | None = None
        self.result: Preview | None = None
        self.last_import: Preview | None = None
        self._generation = 0  # previews of an older mapping arriving late are dropped
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle(_("Importar indicadores municipales"))
        self.resize(1040, 760)

        self.role_note = QLabel(self)
        self.role_note.setWordWrap(True)
        self.role_note.setStyleSheet("color: #7a4b00; font-weight: 600;")

        self.file_edit = QLineEdit(self)
        self.file_edit.setReadOnly(True)
        self.file_edit.setPlaceholderText(_("Ningún archivo elegido (.xlsx, .xlsm o .csv)"))
        self.choose_button = QPushButton(_("&Elegir archivo…"), self)
        file_label = QLabel(_("Archivo:"), self)
        file_label.setBuddy(self.choose_button)
        file_row = QHBoxLayout()
        file_row.addWidget(file_label)
        file_row.addWidget(self.file_edit, 1)
        file_row.addWidget(self.choose_button)

        self.sheet_combo = QComboBox(self)
        self.header_spin = QSpinBox(self)
        self.header_spin.setRange(1, 1_048_576)
        self.header_spin.setToolTip(
            _("Fila de la hoja con los nombres de las columnas; las filas de arriba se ignoran.")
        )
        self.code_combo = QComboBox(self)
        self.value_combo = QComboBox(self)
        self.indicator_combo = QComboBox(self)
        self.indicator_combo.setEditable(True)
        self.indicator_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.indicator_combo.lineEdit().setMaxLength(indicators.MAX_INDICATOR)
        self.indicator_combo.lineEdit().setPlaceholderText(_("MDM, IDF, IPM…"))
        self._set_indicator_names(list(KNOWN_INDICATORS))
        self.year_in_column = QRadioButton(_("Año en la co&lumna:"), self)
        self.year_combo = QComboBox(self)
        self.year_fixed = QRadioButton(_("Año fi&jo para todas las filas:"), self)
        self.year_spin = QSpinBox(self)
        self.year_spin.setRange(indicators.MIN_YEAR, indicators.max_year())
        self.year_spin.setValue(indicators.max_year() - 2)
        self.year_spin.setGroupSeparatorShown(False)
        self._year_group = QButtonGroup(self)
        self._year_group.addButton(self.year_in_column)
        self._year_group.addButton(self.year_fixed)
        self.year_fixed.setChecked(True)
        self.source_edit = QLineEdit(self)
        self.source_edit.setMaxLength(indicators.MAX_SOURCE)
        self.source_edit.setPlaceholderText(_("p. ej. DNP, Medición del Desempeño Municipal 2022"))

        year_box = QWidget(self)
        year_layout = QVBoxLayout(year_box)
        year_layout.setContentsMargins(0, 0, 0, 0)
        for radio, field in (
            (self.year_in_column, self.year_combo),
            (self.year_fixed, self.year_spin),
        ):
            line = QHBoxLayout()
            line.addWidget(radio)
            line.addWidget(field, 1)
            year_layout.addLayout(line)

        left = QFormLayout()
        left.addRow(_("&Hoja:"), self.sheet_combo)
        left.addRow(_("Fila de encabe&zado:"), self.header_spin)
        left.addRow(_("Columna del código &DIVIPOLA:"), self.code_combo)
        left.addRow(_("Columna del valo&r:"), self.value_combo)
        right = QFormLayout()
        right.addRow(_("&Indicador:"), self.indicator_combo)
        right.addRow(_("Año:"), year_box)
        right.addRow(_("&Fuente:"), self.source_edit)
        mapping_box = QGroupBox(_("Qué leer del archivo"), self)
        columns = QHBoxLayout(mapping_box)
        columns.addLayout(left, 1)
        columns.addSpacing(16)
        columns.addLayout(right, 1)

        self.summary = QLabel(_("Elija la hoja de cálculo con los indicadores."), self)
        self.summary.setWordWrap(True)
        self.error = ErrorLabel(self)

        self.preview_model: RowsModel[PreviewRow] = RowsModel(
            [
                Column(_("Fila"), lambda r: str(r.row), lambda r: r.row, align_right=True),
                Column(_("Código"), lambda r: r.code, lambda r: r.code),
                Column(_("Municipio"), lambda r: r.municipality),
                Column(_("Año"), lambda r: str(r.year), lambda r: r.year, align_right=True),
                Column(_("Valor"), lambda r: number(r.value), lambda r: r.value, align_right=True),
                Column(
                    _("Valor actual"),
                    lambda r: number(r.existing),
                    lambda r: -1e300 if r.existing is None else r.existing,
                    align_right=True,
                ),
                Column(_("Estado"), lambda r: _(STATE_LABELS[r.state])),
            ],
            self,
        )
        self.preview_table = QTableView(self)
        self.preview_table.setModel(self.preview_model)
        setup_table(self.preview_table, ("00000", "000000", 26, "0000", 10, 12, 8))
        self.preview_table.setAccessibleName(_("Vista previa"))
        self.problem_model: RowsModel[Problem] = RowsModel(
            [
                Column(_("Fila"), lambda p: str(p.row), lambda p: p.row, align_right=True),
                Column(_("Motivo"), lambda p: p.reason, tooltip=lambda p: p.reason),
            ],
            self,
        )
        self.problem_table = QTableView(self)
        self.problem_table.setModel(self.problem_model)
        setup_table(self.problem_table, ("00000",))
        self.problem_table.setAccessibleName(_("Filas no usadas"))

        self.preview_box = QGroupBox(_("&Vista previa"), self)
        box = QVBoxLayout(self.preview_box)
        box.addWidget(self.preview_table)
        self.problem_box = QGroupBox(_("Filas &no usadas"), self)
        box = QVBoxLayout(self.problem_box)
        box.addWidget(self.problem_table)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(self.preview_box)
        splitter.addWidget(self.problem_box)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)
        splitter.setChildrenCollapsible(False)

        self.import_button = QPushButton(_("I&mportar"), self)
        self.import_button.setEnabled(False)
        self.buttons = QDialogButtonBox(self)
        self.buttons.addButton(self.import_button, QDialogButtonBox.ButtonRole.AcceptRole)
        close = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        close.setText(_("&Cerrar"))
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.role_note)
        layout.addLayout(file_row)
        layout.addWidget(mapping_box)
        layout.addWidget(self.error)
        layout.addWidget(self.summary)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.buttons)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(PREVIEW_DELAY_MS)
        self._timer.timeout.connect(self.run_preview)

        self.choose_button.clicked.connect(self.choose_file)
        self.import_button.clicked.connect(self.start_import)
        self.sheet_combo.activated.connect(self._sheet_chosen)
        self.header_spin.valueChanged.connect(self._header_changed)
        for combo in (self.code_combo, self.value_combo, self.year_combo):
            combo.currentIndexChanged.connect(self.schedule_preview)
        self.indicator_combo.currentTextChanged.connect(self.schedule_preview)
        self.year_in_column.toggled.connect(self._year_mode_changed)
        self.year_spin.valueChanged.connect(self.schedule_preview)
        self.source_edit.textChanged.connect(self.schedule_preview)

        self._allowed = edits_catalogs(profile)
        self._update_role()
        self._year_mode_changed()
        self._set_mapping_enabled(False)
        self.choose_button.setFocus()
        Op(self, indicators.indicator_names, profile, quiet=True).success(
            self._set_indicator_names
        ).run()

    # Role ------------------------------------------------------------------------------------

    def _update_role(self) -> None:
        self._allowed = edits_catalogs(self.profile)
        note = _(ROLE_NOTE, role=_(ROLE_LABELS.get(self.profile.role, self.profile.role)))
        self.role_note.setText(note)
        self.role_note.setVisible(not self._allowed)
        self._update_import_button()

    def on_changes(self, changes: Changes) -> None:
        if changes.touches(PROFILE):
            self._update_role()
        if changes.touches("indicator_value"):
            self.schedule_preview()

    def _update_import_button(self) -> None:
        result = self.result
        ready = result is not None and (result.new + result.changed) > 0
        self.import_button.setEnabled(self._allowed and ready)
        self.import_button.setToolTip("" if self._allowed else self.role_note.text())

    # File and sheet --------------------------------------------------------------------------

    def choose_file(self) -> Op[list[SheetInfo]] | None:
        path, _filter = QFileDialog.getOpenFileName(
            self,
            _("Elegir la hoja de cálculo de indicadores"),
            str(self.path.parent) if self.path else "",
            _("Hojas de cálculo ({patterns})", patterns=FILE_FILTER)
            + ";;"
            + _("Todos los archivos (*)"),
        )
        return self.load_file(Path(path)) if path else None

    def load_file(self, path: Path) -> Op[list[SheetInfo]]:
        self.error.clear_message()
        return (
            Op(self, indicators.inspect, path, label=_("Leyendo la hoja de cálculo…"))
            .success(lambda sheets: self._show_file(path, sheets))
            .failure(self.error.show_error)
            .run()
        )

    def _show_file(self, path: Path, sheets: list[SheetInfo]) -> None:
        self.path = path
        self.sheets = sheets
        self.file_edit.setText(str(path))
        self.source_edit.clear()
        self.sheet_combo.blockSignals(True)
        self.sheet_combo.clear()
        for info in sheets:
            label = info.name if info.guess else _("{name} (sin tabla reconocida)", name=info.name)
            self.sheet_combo.addItem(label, info.name)
        first = next((i for i, info in enumerate(sheets) if info.guess), 0)
        self.sheet_combo.setCurrentIndex(first)
        self.sheet_combo.blockSignals(False)
        self._set_mapping_enabled(bool(sheets))
        if sheets:
            self._show_sheet(sheets[first])

    def _sheet_chosen(self, index: int) -> None:
        if 0 <= index < len(self.sheets):
            self._show_sheet(self.sheets[index])

    def _header_changed(self, row: int) -> None:
        if self.path is None or self.info is None:
            return
        path, sheet = self.path, self.info.name
        Op(self, indicators.describe, path, sheet, row, quiet=True).success(
            lambda info: self._show_sheet(info, keep=True)
        ).failure(self.error.show_error).run()

    def _show_sheet(self, info: SheetInfo, *, keep: bool = False) -> None:
        """Columns of the sheet, and its proposed mapping; ``keep``: the person moved the header
        row, so the columns they chose stay (renamed from the new header row)."""
        previous = self.mapping() if keep else None
        self.info = info
        self.header_spin.blockSignals(True)
        self.header_spin.setValue(info.header_row or 1)
        self.header_spin.blockSignals(False)
        names = [f"{column_letter(i)} · {name}" for i, name in enumerate(info.columns)]
        for combo in (self.code_combo, self.value_combo, self.year_combo):
            combo.blockSignals(True)
            combo.clear()
            for i, label in enumerate(names):
                combo.addItem(label, i)
            combo.blockSignals(False)
        guess = previous if previous is not None else info.guess
        if guess is not None:
            self._apply(guess, source=info.guess is not None)
        if info.header_row is None:
            self.error.show_message(
                _(
                    "No se reconoció la fila de encabezado de la hoja «{sheet}»: indique en qué "
                    "fila están los nombres de las columnas y elija las columnas.",
                    sheet=info.name,
                )
            )
        else:
            self.error.clear_message()
        self.schedule_preview()

    def _apply(self, mapping: Mapping, *, source: bool) -> None:
        widgets = (self.code_combo, self.value_combo, self.year_combo)
        for widget in (*widgets, self.indicator_combo, self.year_spin, self.year_in_column):
            widget.blockSignals(True)
        try:
            self.code_combo.setCurrentIndex(max(self.code_combo.findData(mapping.code_column), 0))
            self.value_combo.setCurrentIndex(
                max(self.value_combo.findData(mapping.value_column), 0)
            )
            if mapping.year_column is not None:
                self.year_combo.setCurrentIndex(
                    max(self.year_combo.findData(mapping.year_column), 0)
                )
                self.year_in_column.setChecked(True)
            else:
                self.year_fixed.setChecked(True)
                if mapping.year is not None:
                    self.year_spin.setValue(mapping.year)
            if mapping.indicator:
                self.indicator_combo.setEditText(mapping.indicator)
        finally:
            for widget in (*widgets, self.indicator_combo, self.year_spin, self.year_in_column):
                widget.blockSignals(False)
        if source and mapping.source and not self.source_edit.text().strip():
            self.source_edit.setText(mapping.source)
            self.source_edit.setCursorPosition(0)  # show where the text starts
        self._year_mode_changed()

    def _set_indicator_names(self, names: list[str]) -> None:
        text = self.indicator_combo.currentText()
        self.indicator_combo.blockSignals(True)
        self.indicator_combo.clear()
        for name in names:
            self.indicator_combo.addItem(name)
            description = KNOWN_INDICATORS.get(name)
            if description:
                index = self.indicator_combo.count() - 1
                self.indicator_combo.setItemData(index, _(description), Qt.ItemDataRole.ToolTipRole)
        self.indicator_combo.setEditText(text)
        self.indicator_combo.blockSignals(False)

    def _set_mapping_enabled(self, enabled: bool) -> None:
        for widget in (
            self.sheet_combo,
            self.header_spin,
            self.code_combo,
            self.value_combo,
            self.indicator_combo,
            self.year_in_column,
            self.year_fixed,
            self.source_edit,
        ):
            widget.setEnabled(enabled)
        if enabled:
            self._year_mode_changed()
        else:
            self.year_combo.setEnabled(False)
            self.year_spin.setEnabled(False)

    def _year_mode_changed(self) -> None:
        in_column = self.year_in_column.isChecked()
        enabled = self.sheet_combo.isEnabled()
        self.year_combo.setEnabled(enabled and in_column)
        self.year_spin.setEnabled(enabled and not in_column)
        self.schedule_preview()

    # Mapping and preview ---------------------------------------------------------------------

    def mapping(self) -> Mapping | None:
        """The mapping as the widgets show it; None until a sheet with columns is chosen."""
        if self.path is None or self.info is None:
            return None
        code, value = self.code_combo.currentData(), self.value_combo.currentData()
        if code is None or value is None:
            return None
        year_column = self.year_combo.currentData() if self.year_in_column.isChecked() else None
        return Mapping(
            sheet=self.info.name,
            code_column=int(code),
            year_column=None if year_column is None else int(year_column),
            value_column=int(value),
            indicator=self.indicator_combo.currentText().strip(),
            year=None if year_column is not None else self.year_spin.value(),
            header_row=self.header_spin.value(),
            source=self.source_edit.text().strip(),
        )

    def schedule_preview(self) -> None:
        self._generation += 1
        self.result = None
        self._update_import_button()
        if self.mapping() is not None:
            self._timer.start()

    def run_preview(self) -> Op[Preview] | None:
        self._timer.stop()
        mapping = self.mapping()
        if mapping is None or self.path is None:
            return None
        generation = self._generation
        return (
            Op(self, indicators.preview, self.profile, self.path, mapping, quiet=True)
            .success(lambda result: self._show_preview(result, generation))
            .failure(lambda error: self._preview_failed(error, generation))
            .run()
        )

    def _show_preview(self, result: Preview, generation: int) -> None:
        if generation != self._generation:
            return
        self.result = result
        self.error.clear_message()
        self.preview_model.set_rows(result.rows[:PREVIEW_ROWS])
        self.problem_model.set_rows(result.problems)
        stretch_columns(self.problem_table, 1)
        total = len(result.rows)
        text = _(
            "{total} filas utilizables: {new} valores nuevos, {changed} cambian, {same} iguales "
            "a los guardados. {skipped} filas no usadas.",
            total=format_number(total),
            new=format_number(result.new),
            changed=format_number(result.changed),
            same=format_number(result.unchanged),
            skipped=format_number(len(result.problems)),
        )
        if total > PREVIEW_ROWS:
            text += " " + _(
                "Se muestran las primeras {n} filas; se importan todas.",
                n=format_number(PREVIEW_ROWS),
            )
        self.summary.setText(text)
        self.preview_box.setTitle(_("&Vista previa ({n})", n=format_number(total)))
        self.problem_box.setTitle(
            _("Filas &no usadas ({n})", n=format_number(len(result.problems)))
        )
        self._update_import_button()

    def _preview_failed(self, error: BaseException, generation: int) -> bool:
        if generation != self._generation:
            return True
        self.preview_model.set_rows([])
        self.problem_model.set_rows([])
        self.summary.setText("")
        return self.error.show_error(error)

    # Import ----------------------------------------------------------------------------------

    def start_import(self) -> Op[tuple[Preview, Changes]] | None:
        mapping = self.mapping()
        if mapping is None or self.path is None:
            return None
        self.import_button.setEnabled(False)
        self.error.clear_message()
        return (
            Op(
                self,
                indicators.import_indicators,
                self.profile,
                self.path,
                mapping,
                label=_("Importando indicadores municipales…"),
            )
            .success(self._imported)
            .failure(self.error.show_error)
            .finally_(self._update_import_button)
            .run()
        )

    def _imported(self, outcome: tuple[Preview, Changes]) -> None:
        result, _changes = outcome
        self.last_import = result
        QMessageBox.information(
            self,
            _("Indicadores importados"),
            _("Importación terminada: {report}", report=report(result)),
        )
        self.schedule_preview()
