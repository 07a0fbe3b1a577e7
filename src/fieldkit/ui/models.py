"""A table model over a plain list of service rows: sort once per column, filter by resetting.

Filtering a proxy row by row from Python is slow for a thousand rows; here the view hands the
model a filter function (e.g. ``catalog.filter_municipalities``) that maps the sorted list to the
visible list in one call, and the model resets. Filters keep the order of their input, so the
visible rows stay sorted without sorting again.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from fieldkit.domain.text import fold

R = TypeVar("R")
Index = QModelIndex | QPersistentModelIndex
DISPLAY = Qt.ItemDataRole.DisplayRole.value
TOOLTIP = Qt.ItemDataRole.ToolTipRole.value
ALIGNMENT = Qt.ItemDataRole.TextAlignmentRole.value
RIGHT = (Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter).value


@dataclass(frozen=True)
class Column(Generic[R]):
    """One column: its (translated) title, the text of a cell, and optionally how it sorts."""

    title: str
    text: Callable[[R], str]
    sort_key: Callable[[R], Any] | None = None
    align_right: bool = False
    tooltip: Callable[[R], str] | None = None
    # Rows with nothing to show in this column: last whichever way it is sorted.
    blank: Callable[[R], bool] | None = None

    def key(self, row: R) -> Any:
        return self.sort_key(row) if self.sort_key else fold(self.text(row))


class RowsModel(QAbstractTableModel, Generic[R]):
    def __init__(self, columns: Sequence[Column[R]], parent: Any = None) -> None:
        super().__init__(parent)
        self.columns = list(columns)
        self._all: list[R] = []
        self._rows: list[R] = []
        self._filter: Callable[[list[R]], list[R]] | None = None
        self._sort_column = -1
        self._sort_order = Qt.SortOrder.AscendingOrder

    # Data in -----------------------------------------------------------------------------

    def set_columns(self, columns: Sequence[Column[R]]) -> None:
        """Other columns (e.g. one per indicator the data brings); rows and filter stay."""
        if [c.title for c in columns] == [c.title for c in self.columns]:
            self.columns = list(columns)
            return
        self.beginResetModel()
        self.columns = list(columns)
        if self._sort_column >= len(self.columns):
            self._sort_column = -1
        self.endResetModel()

    def set_rows(self, rows: Sequence[R]) -> None:
        self._all = list(rows)
        self._sort_all()
        self._refilter()

    def set_filter(self, fn: Callable[[list[R]], list[R]] | None) -> None:
        self._filter = fn
        self._refilter()

    def _sort_all(self) -> None:
        if 0 <= self._sort_column < len(self.columns):
            column = self.columns[self._sort_column]
            reverse = self._sort_order == Qt.SortOrder.DescendingOrder
            if column.blank is None:
                self._all.sort(key=column.key, reverse=reverse)
                return
            filled = [r for r in self._all if not column.blank(r)]
            filled.sort(key=column.key, reverse=reverse)
            self._all = filled + [r for r in self._all if column.blank(r)]

    def _refilter(self) -> None:
        self.beginResetModel()
        self._rows = self._filter(self._all) if self._filter else list(self._all)
        self.endResetModel()

    # Data out ----------------------------------------------------------------------------

    def row_at(self, row: int) -> R | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    @property
    def rows(self) -> list[R]:
        return self._rows

    @property
    def total(self) -> int:
        return len(self._all)

    def find(self, predicate: Callable[[R], bool]) -> int:
        """Row number of the first visible row that matches, or -1."""
        return next((i for i, r in enumerate(self._rows) if predicate(r)), -1)

    # Qt ----------------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: Index, role: int = DISPLAY) -> Any:
        # Called for every role of every visible cell on each repaint: keep the common path short
        # (plain int roles, no enum lookups) so typing in a search box stays within a frame.
        if role == DISPLAY:
            return self.columns[index.column()].text(self._rows[index.row()])
        if role == TOOLTIP:
            column = self.columns[index.column()]
            return column.tooltip(self._rows[index.row()]) if column.tooltip else None
        if role == ALIGNMENT and self.columns[index.column()].align_right:
            return RIGHT
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = DISPLAY) -> Any:
        if role == DISPLAY and orientation == Qt.Orientation.Horizontal:
            return self.columns[section].title
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self._sort_column, self._sort_order = column, order
        self._sort_all()
        self._refilter()
