"""Pieces the item dialogs share (plans, deliverables): a text box that Tab leaves, hints,
form rows, check lists, option combos, and SaveDialog, which saves through a service and shows
its errors inline."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLayout,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from fieldkit.ui.forms.markup import HINT_COLOR
from fieldkit.ui.ops import Op
from fieldkit.ui.widgets.common import ErrorLabel, save_cancel_buttons

if TYPE_CHECKING:
    from fieldkit.services.profile import Profile

ID_ROLE = Qt.ItemDataRole.UserRole


def text_box(
    parent: QWidget, lines: int = 4, placeholder: str = "", *, grow: bool = False
) -> QPlainTextEdit:
    """A text of a few lines; Tab leaves it. With ``grow`` it takes the height the dialog has."""
    box = QPlainTextEdit(parent)
    box.setTabChangesFocus(True)
    height = box.fontMetrics().lineSpacing() * lines + 14
    if grow:
        box.setMinimumHeight(height)
    else:
        box.setFixedHeight(height)
    if placeholder:
        box.setPlaceholderText(placeholder)
    return box


def hint_label(text: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    label.setWordWrap(True)
    label.setStyleSheet(f"color: {HINT_COLOR};")
    return label


def form_layout() -> QFormLayout:
    form = QFormLayout()
    form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
    form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
    return form


def labelled_row(form: QFormLayout, text: str, field: QWidget | QLayout, buddy: QWidget) -> None:
    """A row whose field is a layout: its label still jumps (Alt+letter) to ``buddy``."""
    label = QLabel(text)
    label.setBuddy(buddy)
    form.addRow(label, field)


def keep_left(widget: QWidget) -> QHBoxLayout:
    """A field that should keep its natural width (a date) instead of filling the row."""
    row = QHBoxLayout()
    row.addWidget(widget)
    row.addStretch(1)
    return row


def check_list(parent: QWidget, name: str) -> QListWidget:
    box = QListWidget(parent)
    box.setAccessibleName(name)
    box.setAlternatingRowColors(True)
    box.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    return box


def check_item(box: QListWidget, text: str, key: object, checked: bool) -> QListWidgetItem:
    item = QListWidgetItem(text, box)
    item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
    item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
    item.setData(ID_ROLE, key)
    item.setToolTip(text)
    return item


def checked_keys(box: QListWidget) -> list[Any]:
    return [
        box.item(row).data(ID_ROLE)
        for row in range(box.count())
        if box.item(row).checkState() == Qt.CheckState.Checked
    ]


def set_checked(box: QListWidget, key: object, checked: bool = True) -> None:
    for row in range(box.count()):
        item = box.item(row)
        if item.data(ID_ROLE) == key:
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
            return
    raise KeyError(key)


def fit_rows(box: QListWidget, least: int = 3, most: int = 6) -> None:
    """A check list as tall as its rows (between ``least`` and ``most``), so the dialog's spare
    height goes where it is needed."""
    row = box.sizeHintForRow(0) if box.count() else box.fontMetrics().height() + 4
    rows = min(max(box.count(), least), most)
    box.setFixedHeight(rows * max(row, box.fontMetrics().height() + 4) + 2 * box.frameWidth() + 4)


def combo_box(
    parent: QWidget, options: Iterable[tuple[str, str]], current: str | None
) -> QComboBox:
    combo = QComboBox(parent)
    for value, label in options:
        combo.addItem(label, value)
    if current is not None:
        combo.setCurrentIndex(max(combo.findData(current), 0))
    return combo


def small_button(text: str, parent: QWidget, tip: str = "") -> QPushButton:
    button = QPushButton(text, parent)
    button.setAutoDefault(False)  # Enter in a field saves the dialog, not this button
    if tip:
        button.setToolTip(tip)
    return button


class SaveDialog(QDialog):
    """A dialog that saves through a service: errors show inline, the data stays; ``saved``
    carries the service's result once it is stored, and the dialog closes."""

    saved = Signal(object)

    def __init__(self, profile: Profile, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.profile = profile
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle(title)
        self.error = ErrorLabel(self)
        self.buttons = save_cancel_buttons(self, self.save)
        self.layout_ = QVBoxLayout(self)

    def _finish(
        self,
        *parts: QWidget | QFormLayout | QHBoxLayout | QVBoxLayout,
        grow: QWidget | QLayout | None = None,
    ) -> None:
        """Lay out ``parts`` top to bottom; ``grow`` takes the height left (else nothing does)."""
        for part in parts:
            stretch = 1 if part is grow else 0
            if isinstance(part, QWidget):
                self.layout_.addWidget(part, stretch)
            else:
                self.layout_.addLayout(part, stretch)
        if grow is None:
            self.layout_.addStretch(1)
        self.layout_.addWidget(self.error)
        self.layout_.addWidget(self.buttons)

    def save(self) -> Op[Any] | None:
        raise NotImplementedError

    def _run(self, fn: Callable[..., Any], *args: object, label: str) -> Op[Any]:
        self.error.clear_message()
        self.buttons.setEnabled(False)
        return (
            Op(self, fn, *args, label=label)
            .success(self._done)
            .failure(self.error.show_error)
            .finally_(lambda: self.buttons.setEnabled(True))
            .run()
        )

    def _done(self, result: object) -> None:
        self.saved.emit(result)
        self.accept()
