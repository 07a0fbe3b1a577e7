"""Small widgets every screen uses: filter combos, optional dates, inline errors, table setup."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence

from PySide6.QtCore import QCoreApplication, QDate, QEvent, Qt, Signal
from PySide6.QtGui import QAction, QFontMetrics
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QWidget,
)

from fieldkit.domain.errors import FieldkitError
from fieldkit.i18n import _

DATE_FORMAT = "dd/MM/yyyy"


def to_qdate(value: dt.date) -> QDate:
    return QDate(value.year, value.month, value.day)


def from_qdate(value: QDate) -> dt.date:
    return dt.date(value.year(), value.month(), value.day())


def date_edit(parent: QWidget | None = None) -> QDateEdit:
    edit = QDateEdit(parent)
    edit.setDisplayFormat(DATE_FORMAT)
    edit.setCalendarPopup(True)
    edit.setDate(to_qdate(dt.date.today()))
    return edit


class FilterCombo(QComboBox):
    """A combo whose first entry means "no filter" ("Todos"/"Todas"); ``value()`` is None then."""

    def __init__(self, all_label: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._all_label = all_label
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.addItem(all_label, None)

    def set_options(self, options: Iterable[tuple[str, str]]) -> None:
        """Replace the choices with ``(value, label)`` pairs, keeping the current one if it stays."""
        current = self.value()
        self.blockSignals(True)
        try:
            self.clear()
            self.addItem(self._all_label, None)
            for value, label in options:
                self.addItem(label, value)
            index = self.findData(current) if current is not None else 0
            self.setCurrentIndex(max(index, 0))
        finally:
            self.blockSignals(False)
        if self.value() != current:
            self.currentIndexChanged.emit(self.currentIndex())

    def value(self) -> str | None:
        data = self.currentData()
        return data if data else None

    def set_value(self, value: str | None) -> None:
        self.setCurrentIndex(max(self.findData(value), 0) if value else 0)


class OptionalDateEdit(QWidget):
    """A date that may be left empty: a check box turns the date on (start and end dates)."""

    changed = Signal()

    def __init__(self, label: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.check = QCheckBox(label, self)
        self.edit = date_edit(self)
        self.edit.setEnabled(False)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.check)
        layout.addWidget(self.edit, 1)
        self.check.toggled.connect(self.edit.setEnabled)
        self.check.toggled.connect(self.changed)
        self.edit.dateChanged.connect(self.changed)
        self.setFocusProxy(self.check)

    def date(self) -> dt.date | None:
        return from_qdate(self.edit.date()) if self.check.isChecked() else None

    def set_date(self, value: dt.date | None) -> None:
        self.check.setChecked(value is not None)
        if value is not None:
            self.edit.setDate(to_qdate(value))


class ErrorLabel(QLabel):
    """Where a dialog shows the service's message, in red, next to the data the person typed."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.setStyleSheet("color: #b00020; font-weight: 600;")
        self.setAccessibleName(_("Error"))
        self.hide()

    def show_message(self, text: str) -> None:
        self.setText(text)
        self.setVisible(bool(text))

    def clear_message(self) -> None:
        self.show_message("")

    def show_error(self, error: BaseException) -> bool:
        """For ``Op.failure``: a FieldkitError is shown here, by the data; anything else goes
        to ops' error box (False)."""
        if isinstance(error, FieldkitError):
            self.show_message(error.render(_))
            return True
        return False


def fit_height(window: QWidget) -> None:
    """Grow ``window`` to the height its wrapped labels need at its width.

    Layouts lay out wrapped text by height-for-width, but a window takes its height from size
    hints, so a long note (or the same note in a longer language) would be clipped.
    """
    layout = window.layout()
    if layout is None or not layout.hasHeightForWidth():
        return
    # Texts set just now have only asked for a relayout; do it, then measure.
    QCoreApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
    layout.invalidate()
    needed = layout.totalHeightForWidth(window.width())
    if needed > window.height():
        window.resize(window.width(), needed)


def search_box(placeholder: str, parent: QWidget | None = None) -> QLineEdit:
    edit = QLineEdit(parent)
    edit.setPlaceholderText(placeholder)
    edit.setClearButtonEnabled(True)
    edit.setMinimumWidth(QFontMetrics(edit.font()).horizontalAdvance(placeholder) + 48)
    return edit


def setup_table(
    view: QTableView,
    widths: Sequence[int | str] = (),
    *,
    sort_column: int | None = 0,
    descending: bool = False,
    stretch_last: bool = True,
) -> None:
    """Row selection, no row numbers, fixed row height (no per-row measuring), given widths.

    Call after setModel. A width is a number of average characters, or a sample text that must
    fit (e.g. "00/00/0000"), so columns follow the font. ``sort_column=None``: not sortable.
    """
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.setTabKeyNavigation(False)
    view.verticalHeader().hide()
    view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    view.verticalHeader().setDefaultSectionSize(QFontMetrics(view.font()).height() + 10)
    header = view.horizontalHeader()
    header.setHighlightSections(False)
    header.setStretchLastSection(stretch_last)
    header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    header.setResizeContentsPrecision(FIT_ROWS)
    metrics = QFontMetrics(view.font())
    for column, width in enumerate(widths):
        if isinstance(width, str):
            view.setColumnWidth(column, metrics.horizontalAdvance(width) + 20)
        else:
            view.setColumnWidth(column, width * metrics.averageCharWidth() + 20)
    if sort_column is not None:
        order = Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder
        header.setSortIndicator(sort_column, order)
        view.setSortingEnabled(True)


FIT_ROWS = 200  # rows measured when fitting columns: enough to see the data, cheap for any length


def fit_columns(view: QTableView, maximum: int = 320, *, once: bool = False) -> None:
    """Size columns to their contents and titles, none wider than ``maximum`` pixels.

    With ``once``, only the first time the table has rows, so a width the person chose stays.
    """
    if once and view.property("fieldkit_fitted"):
        return
    model = view.model()
    if model is None or model.rowCount() == 0:
        return
    view.resizeColumnsToContents()
    last = model.columnCount() - 1
    for column in range(last if view.horizontalHeader().stretchLastSection() else last + 1):
        view.setColumnWidth(column, min(view.columnWidth(column) + 12, maximum))
    view.setProperty("fieldkit_fitted", True)


def stretch_columns(view: QTableView, *columns: int) -> None:
    """Give ``columns`` the width the other columns leave, eliding their text, so the table fits
    its window without a horizontal scroll bar; the other columns keep their fitted widths."""
    header = view.horizontalHeader()
    header.setStretchLastSection(False)
    for column in columns:
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)


def column_menu(view: QTableView, hidden: Iterable[int] = ()) -> None:
    """Hide ``hidden`` columns and let a right click on the header show or hide any column."""
    header = view.horizontalHeader()
    header.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
    model = view.model()
    hidden = set(hidden)
    for column in range(model.columnCount()):
        title = model.headerData(column, Qt.Orientation.Horizontal)
        action = QAction(str(title), header)
        action.setCheckable(True)
        action.setChecked(column not in hidden)
        action.toggled.connect(lambda shown, c=column: view.setColumnHidden(c, not shown))
        header.addAction(action)
        view.setColumnHidden(column, column in hidden)


def current_row(view: QTableView) -> int:
    rows = view.selectionModel().selectedRows() if view.selectionModel() else []
    if rows:
        return rows[0].row()
    index = view.currentIndex()
    return index.row() if index.isValid() else -1


def save_cancel_buttons(dialog: QDialog, save: Callable[[], object]) -> QDialogButtonBox:
    """Guardar (default, Enter) and Cancelar (Escape): the button row of every editing dialog."""
    buttons = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, dialog
    )
    buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("&Guardar"))
    buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancelar"))
    buttons.accepted.connect(save)
    buttons.rejected.connect(dialog.reject)
    return buttons


def tool_button(text: str, parent: QWidget, tip: str = "") -> QPushButton:
    """A button of a panel's tools: Enter in a field does not press it; its tooltip is kept to
    come back after gate_button() said why it was disabled."""
    button = QPushButton(text, parent)
    button.setAutoDefault(False)
    if tip:
        button.setToolTip(tip)
    button.setProperty("fieldkit_tip", tip)
    return button


def gate_button(button: QPushButton | QAction, allowed: bool, why: str = "") -> None:
    """Enable, or disable saying why (the button's own tooltip comes back once allowed)."""
    button.setEnabled(allowed)
    tip = button.property("fieldkit_tip") or ""
    button.setToolTip(tip if allowed or not why else why)


class UndoBar(QFrame):
    """A quiet bar under a list after a removal: what was removed, and «Deshacer» (Ctrl+Z)."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.label = QLabel(self)
        self.button = tool_button(_("Deshacer"), self, _("Volver a poner lo eliminado (Ctrl+Z)"))
        self.setStyleSheet(
            "QFrame { background: #f1f3f4; border-radius: 4px; } QLabel { background: none; }"
        )
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 2, 4, 2)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.button)
        self.hide()
