"""One editor per XLSForm question type: it shows the typed answer and reports what the person
gives (``edited``). Editors never touch the form state; ``FormWidget`` does, and calls
``set_value`` back with what the state holds, which leaves an editor alone when it already shows it.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple, Protocol

from PySide6.QtCore import QDate, QDateTime, QEvent, QObject, QRegularExpression, Qt, QTime, Signal
from PySide6.QtGui import (
    QColor,
    QFocusEvent,
    QFont,
    QFontMetrics,
    QImage,
    QPalette,
    QPixmap,
    QRegularExpressionValidator,
)
from PySide6.QtWidgets import (
    QAbstractButton,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDateTimeEdit,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QTimeEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from fieldkit.i18n import _, format_date, get_language
from fieldkit.ui.forms.markup import (
    ERROR_COLOR,
    HINT_COLOR,
    geopoint_parts,
    geopoint_text,
    number_text,
    plain,
    typed_number,
)
from fieldkit.ui.widgets.common import DATE_FORMAT

if TYPE_CHECKING:
    from fieldkit.forms import Choice, Question

# A select_one with more options than this is a drop-down list (as is one with ``minimal``).
LONG_LIST = 8
# Options this short (and this few) sit on one line, like a likert scale.
SHORT_OPTION = 18
FEW_OPTIONS = 4
# Check boxes go in two columns past this many options.
TWO_COLUMNS = 6
FIELD_WIDTH = 520  # a line of text: wide enough for a name, not the whole screen
NUMBER_WIDTH = 170
THUMBNAIL = (220, 160)


class AttachmentInfo(NamedTuple):
    """What an image or file answer shows: the stored file's name, where its bytes are (None when
    they are not on this device: ``problem`` says why) and, for an image, a small preview."""

    id: str
    file_name: str
    media_type: str
    path: Path | None
    problem: str = ""
    thumbnail: QImage | None = None


class Attachments(Protocol):
    """Where image and file answers keep their files (the dialog: services.forms through Op)."""

    def attach(self, source: Path, done: Callable[[str | None], None]) -> None:
        """Store ``source``; call ``done(attachment_id)`` once it is stored, ``done(None)`` if it
        could not be (after telling the person why)."""

    def describe(self, attachment_id: str, done: Callable[[AttachmentInfo], None]) -> None:
        """Look the attachment up; call ``done`` with what to show."""

    def open(self, attachment_id: str) -> None:
        """Open the file with the program the system uses for it."""


class _WheelGuard(QObject):
    """A wheel over an unfocused drop-down or date scrolls the form instead of changing it."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.Wheel
            and isinstance(watched, QWidget)
            and not watched.hasFocus()
        ):
            event.ignore()
            return True  # ignored: the scroll area behind gets it
        return False


_wheel_guard: _WheelGuard | None = None


def guard_wheel(widget: QWidget) -> None:
    global _wheel_guard
    if _wheel_guard is None:
        _wheel_guard = _WheelGuard()
    widget.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    widget.installEventFilter(_wheel_guard)


def push_button(text: str, parent: QWidget) -> QPushButton:
    """A button that Enter never presses: in a dialog Qt makes the first one the default, and
    Enter in a field (which gives its answer) would add a row or attach a file."""
    button = QPushButton(text, parent)
    button.setAutoDefault(False)
    return button


def set_color(widget: QWidget, color: str) -> None:
    """Text in ``color`` through the palette: a style sheet per widget makes polishing the
    diagnostic's hundreds of widgets several times slower."""
    palette = widget.palette()
    for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.ButtonText):
        palette.setColor(role, QColor(color))
    widget.setPalette(palette)


def set_shown(widget: QWidget, visible: bool) -> None:
    """``setVisible`` only when it changes something: on a form not yet on screen each call
    polishes the widget, and the diagnostic has hundreds of them. A widget added to a form
    already on screen is shown at once (Qt would wait for the event loop)."""
    explicit = widget.testAttribute(Qt.WidgetAttribute.WA_WState_ExplicitShowHide)
    hidden = explicit and widget.isHidden()
    if not visible:
        if not hidden:
            widget.setVisible(False)
        return
    parent = widget.parentWidget()
    if hidden or (not explicit and parent is not None and parent.isVisible()):
        widget.setVisible(True)


def _decimal_comma() -> bool:
    return get_language() == "es"


class Editor(QWidget):
    """The input part of a question. ``edited(value)``: the person gave ``value`` (None: no
    answer). ``set_value`` shows what the form holds without emitting ``edited``."""

    edited = Signal(object)

    def __init__(self, question: Question, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.question = question
        self.read_only = False

    def set_value(self, value: object) -> None:
        raise NotImplementedError

    def set_read_only(self, read_only: bool) -> None:
        self.read_only = read_only
        self.setEnabled(not read_only)

    def set_choices(self, choices: Sequence[Choice], language: str) -> None:
        """The options to offer (selects only)."""

    def relabel(self, language: str) -> None:
        """Show option labels in ``language`` (selects only)."""

    def commit(self) -> None:
        """Report text still being typed (before saving or closing)."""

    def set_accessible_name(self, name: str) -> None:
        self.focus_widget().setAccessibleName(name)

    def focus_widget(self) -> QWidget:
        return self


# Text and numbers ---------------------------------------------------------------------------


class _PlainTextEdit(QPlainTextEdit):
    focus_lost = Signal()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.focus_lost.emit()


class TextEditor(Editor):
    """A line of text, or a box of several lines with the ``multiline`` appearance. The answer is
    given when the person leaves the field or presses Enter."""

    def __init__(self, question: Question, parent: QWidget | None = None) -> None:
        super().__init__(question, parent)
        self._given: object = None
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.multiline = "multiline" in question.appearances
        if self.multiline:
            self.edit: QLineEdit | _PlainTextEdit = _PlainTextEdit(self)
            self.edit.setTabChangesFocus(True)
            lines = QFontMetrics(self.edit.font()).lineSpacing()
            self.edit.setFixedHeight(lines * 5 + 14)
            self.edit.setMaximumWidth(FIELD_WIDTH + 260)
            self.edit.focus_lost.connect(self.commit)
            layout.addWidget(self.edit, 1)
        else:
            self.edit = QLineEdit(self)
            self.edit.setMaximumWidth(FIELD_WIDTH)
            self.edit.editingFinished.connect(self.commit)
            layout.addWidget(self.edit, 1)
            layout.addStretch(0)
        self.setFocusProxy(self.edit)

    def text(self) -> str:
        if isinstance(self.edit, QLineEdit):
            return self.edit.text()
        return self.edit.toPlainText()

    def _value_of(self, text: str) -> object:
        return text if text.strip() else None

    def commit(self) -> None:
        value = self._value_of(self.text())
        if value != self._given:
            self._given = value
            self.edited.emit(value)

    def _shown(self, value: object) -> str:
        return "" if value is None else str(value)

    def set_value(self, value: object) -> None:
        self._given = value
        if self._value_of(self.text()) == value:
            return
        shown = self._shown(value)
        if isinstance(self.edit, QLineEdit):
            self.edit.setText(shown)
        else:
            self.edit.setPlainText(shown)

    def set_read_only(self, read_only: bool) -> None:
        # Read-only text stays selectable (and copyable), unlike a disabled field.
        self.read_only = read_only
        self.edit.setReadOnly(read_only)

    def focus_widget(self) -> QWidget:
        return self.edit


class NumberEditor(TextEditor):
    """An integer or decimal. Only digits, a sign and one decimal separator can be typed; a
    decimal comma (as written in Spanish) reaches the form as a point."""

    def __init__(self, question: Question, parent: QWidget | None = None) -> None:
        super().__init__(question, parent)
        assert isinstance(self.edit, QLineEdit)
        if question.type == "integer":
            pattern = r"[+-]?\d{0,18}"
        else:
            pattern = r"[+-]?\d{0,18}(?:[.,]\d{0,12})?"
        self.edit.setValidator(QRegularExpressionValidator(QRegularExpression(pattern), self.edit))
        self.edit.setMaximumWidth(NUMBER_WIDTH)
        self.edit.setAlignment(Qt.AlignmentFlag.AlignRight)

    def _value_of(self, text: str) -> object:
        return typed_number(text)

    def set_value(self, value: object) -> None:
        # What was given, as the field would give it: "3.5" for 3.5, so an unchanged field
        # does not give it again.
        self._given = typed_number(number_text(value, decimal_comma=False))
        current = self._value_of(self.text())
        if current == self._given or _same_number(current, value):
            return
        assert isinstance(self.edit, QLineEdit)
        self.edit.setText(number_text(value, decimal_comma=_decimal_comma()))


def _same_number(text: object, value: object) -> bool:
    if not isinstance(text, str) or isinstance(value, bool) or not isinstance(value, int | float):
        return False
    try:
        number = float(text)
    except ValueError:
        return False
    return math.isfinite(number) and number == value


class ValueLabel(Editor):
    """A calculated value with a label: shown, never typed."""

    def __init__(self, question: Question, parent: QWidget | None = None) -> None:
        super().__init__(question, parent)
        self.label = QLabel(self)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        bold = QFont(self.label.font())
        bold.setBold(True)
        self.label.setFont(bold)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label)
        layout.addStretch(1)

    def set_value(self, value: object) -> None:
        if value is None or value == "":
            self.label.setText("—")
        elif isinstance(value, int | float) and not isinstance(value, bool):
            self.label.setText(number_text(value, decimal_comma=_decimal_comma()))
        elif isinstance(value, dt.date):
            self.label.setText(format_date(value))
        elif isinstance(value, tuple):
            self.label.setText(", ".join(str(v) for v in value))
        else:
            self.label.setText(str(value))

    def set_read_only(self, read_only: bool) -> None:
        self.read_only = True


# Choices ------------------------------------------------------------------------------------


class _ChoiceEditor(Editor):
    def __init__(self, question: Question, parent: QWidget | None = None) -> None:
        super().__init__(question, parent)
        self.choices: tuple[Choice, ...] = ()
        self.language = ""
        self.value: object = None

    def _label(self, choice: Choice) -> str:
        text = plain(choice.label.get(self.language)) if choice.label else ""
        return text or choice.name

    def set_choices(self, choices: Sequence[Choice], language: str) -> None:
        choices = tuple(choices)
        if [c.name for c in choices] == [c.name for c in self.choices] and self.choices:
            self.choices = choices
            self.relabel(language)
            return
        self.choices = choices
        self.language = language
        self._build()
        self.set_value(self.value)

    def _build(self) -> None:
        raise NotImplementedError


class SelectOneEditor(_ChoiceEditor):
    """Radio buttons; a drop-down list for ``minimal`` or long lists; one line for ``likert`` and
    short scales. A «Borrar» button takes the answer back."""

    def __init__(self, question: Question, parent: QWidget | None = None) -> None:
        super().__init__(question, parent)
        count = len(question.choices.choices) if question.choices else 0
        appearances = question.appearances
        if "minimal" in appearances or "autocomplete" in appearances or count > LONG_LIST:
            self.mode = "combo"
        elif "likert" in appearances or (
            question.choices is not None
            and count <= FEW_OPTIONS
            and all(
                len(t) <= SHORT_OPTION
                for c in question.choices.choices
                for _l, t in c.label.items()
            )
        ):
            self.mode = "line"
        else:
            self.mode = "column"
        self.buttons: dict[str, QRadioButton] = {}
        self.group = QButtonGroup(self)
        self.group.buttonClicked.connect(self._clicked)
        self.combo: QComboBox | None = None
        self.clear_button = QToolButton(self)
        self.clear_button.setText(_("Borrar"))
        self.clear_button.setToolTip(_("Quitar la respuesta elegida"))
        self.clear_button.setAutoRaise(True)
        set_color(self.clear_button, HINT_COLOR)
        self.clear_button.clicked.connect(lambda: self.edited.emit(None))
        self.clear_button.hide()
        self.box = QWidget(self)
        if self.mode == "column":
            # «Borrar» under the list, where the eye ends; beside a one-line scale.
            outer: QHBoxLayout | QVBoxLayout = QVBoxLayout(self)
            outer.setSpacing(0)
            outer.addWidget(self.box)
            outer.addWidget(self.clear_button, 0, Qt.AlignmentFlag.AlignLeft)
        else:
            outer = QHBoxLayout(self)
            outer.addWidget(self.box)
            outer.addWidget(self.clear_button)
            outer.addStretch(1)
        outer.setContentsMargins(0, 0, 0, 0)
        if self.mode == "line":
            self.box_layout: QHBoxLayout | QVBoxLayout = QHBoxLayout(self.box)
            self.box_layout.setSpacing(18)
        else:
            self.box_layout = QVBoxLayout(self.box)
            self.box_layout.setSpacing(4)
        self.box_layout.setContentsMargins(0, 0, 0, 0)

    def _build(self) -> None:
        for button in self.buttons.values():
            self.group.removeButton(button)
            button.deleteLater()
        self.buttons = {}
        if self.mode == "combo":
            if self.combo is None:
                self.combo = QComboBox(self.box)
                self.combo.setSizeAdjustPolicy(
                    QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
                )
                self.combo.setMinimumContentsLength(24)
                self.combo.setMaximumWidth(FIELD_WIDTH)
                guard_wheel(self.combo)
                self.combo.activated.connect(self._activated)
                self.box_layout.addWidget(self.combo)
                self.setFocusProxy(self.combo)
            self.combo.blockSignals(True)
            self.combo.clear()
            self.combo.addItem(_("(sin respuesta)"), None)
            for choice in self.choices:
                self.combo.addItem(self._label(choice), choice.name)
            self.combo.blockSignals(False)
            return
        for choice in self.choices:
            button = QRadioButton(self._label(choice), self.box)
            button.setProperty("choice", choice.name)
            self.group.addButton(button)
            if self.mode == "column":
                self.box_layout.addWidget(button, 0, Qt.AlignmentFlag.AlignLeft)
            else:
                self.box_layout.addWidget(button)
            set_shown(button, True)  # at once, even when the options change on screen
            self.buttons[choice.name] = button
        if self.buttons:
            self.setFocusProxy(next(iter(self.buttons.values())))

    def relabel(self, language: str) -> None:
        self.language = language
        if self.combo is not None:
            for i, choice in enumerate(self.choices, start=1):
                self.combo.setItemText(i, self._label(choice))
            return
        for choice in self.choices:
            button = self.buttons.get(choice.name)
            if button is not None:
                button.setText(self._label(choice))

    def _clicked(self, button: QAbstractButton) -> None:
        name = button.property("choice")
        if name != self.value:
            self.edited.emit(name)

    def _activated(self, index: int) -> None:
        assert self.combo is not None
        name = self.combo.itemData(index)
        if name != self.value:
            self.edited.emit(name)

    def set_value(self, value: object) -> None:
        self.value = value
        if self.combo is not None:
            index = self.combo.findData(value) if value is not None else 0
            self.combo.setCurrentIndex(max(index, 0))
        else:
            button = self.buttons.get(str(value)) if value is not None else None
            if button is not None:
                button.setChecked(True)
            else:
                checked = self.group.checkedButton()
                if checked is not None:
                    self.group.setExclusive(False)
                    checked.setChecked(False)
                    self.group.setExclusive(True)
        self.clear_button.setVisible(value is not None and not self.read_only and not self.combo)

    def set_read_only(self, read_only: bool) -> None:
        self.read_only = read_only
        self.box.setEnabled(not read_only)
        self.clear_button.setVisible(
            self.value is not None and not read_only and self.combo is None
        )

    def button(self, name: str) -> QRadioButton:
        return self.buttons[name]

    def focus_widget(self) -> QWidget:
        if self.combo is not None:
            return self.combo
        checked = self.group.checkedButton()
        if checked is not None:
            return checked
        return next(iter(self.buttons.values()), self)


class SelectMultipleEditor(_ChoiceEditor):
    """Check boxes (two columns for long lists)."""

    def __init__(self, question: Question, parent: QWidget | None = None) -> None:
        super().__init__(question, parent)
        self.boxes: dict[str, QCheckBox] = {}
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setHorizontalSpacing(24)
        self.grid.setVerticalSpacing(4)

    def _build(self) -> None:
        for box in self.boxes.values():
            self.grid.removeWidget(box)
            box.deleteLater()
        self.boxes = {}
        count = len(self.choices)
        rows = math.ceil(count / 2) if count > TWO_COLUMNS else count
        for i, choice in enumerate(self.choices):
            box = QCheckBox(self._label(choice), self)
            box.clicked.connect(self._clicked)
            self.grid.addWidget(box, i % max(rows, 1), i // max(rows, 1))
            set_shown(box, True)  # at once, even when the options change on screen
            self.boxes[choice.name] = box
        self.grid.setColumnStretch(2, 1)
        if self.boxes:
            self.setFocusProxy(next(iter(self.boxes.values())))

    def relabel(self, language: str) -> None:
        self.language = language
        for choice in self.choices:
            box = self.boxes.get(choice.name)
            if box is not None:
                box.setText(self._label(choice))

    def _clicked(self) -> None:
        chosen = tuple(name for name, box in self.boxes.items() if box.isChecked())
        # Options the filter hides now but were chosen before stay in the answer's order.
        self.edited.emit(chosen or None)

    def set_value(self, value: object) -> None:
        self.value = value
        chosen = set(value) if isinstance(value, tuple | list) else set(str(value or "").split())
        for name, box in self.boxes.items():
            box.setChecked(name in chosen)

    def box(self, name: str) -> QCheckBox:
        return self.boxes[name]

    def focus_widget(self) -> QWidget:
        return next(iter(self.boxes.values()), self)


# Dates and times ----------------------------------------------------------------------------


class TemporalEditor(Editor):
    """A date, time or date and time, with an explicit «Sin respuesta» box: an unanswered question
    shows no date (never today's, as if it had been answered)."""

    def __init__(self, question: Question, parent: QWidget | None = None) -> None:
        super().__init__(question, parent)
        kind = question.type
        if kind == "date":
            self.edit: QDateTimeEdit = QDateEdit(self)
            self.edit.setDisplayFormat(DATE_FORMAT)
        elif kind == "time":
            self.edit = QTimeEdit(self)
            self.edit.setDisplayFormat("HH:mm")
        else:
            self.edit = QDateTimeEdit(self)
            self.edit.setDisplayFormat(f"{DATE_FORMAT} HH:mm")
        if kind != "time":
            self.edit.setCalendarPopup(True)
        guard_wheel(self.edit)
        self.empty = QCheckBox(_("Sin respuesta"), self)
        self.empty.setToolTip(_("Marque para dejar la pregunta sin responder"))
        self.empty.clicked.connect(self._empty_clicked)
        self.edit.dateTimeChanged.connect(self._changed)
        self._updating = False
        self.value: object = None
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit)
        layout.addSpacing(12)
        layout.addWidget(self.empty)
        layout.addStretch(1)
        self.setFocusProxy(self.edit)
        self._show(None)

    def _python(self) -> object:
        if self.question.type == "date":
            return self.edit.date().toPython()
        if self.question.type == "time":
            return self.edit.time().toPython()
        return self.edit.dateTime().toPython()

    def _show(self, value: object) -> None:
        self._updating = True
        try:
            if value is None or not isinstance(value, dt.date | dt.time):
                # The minimum date with a special text reads as "no answer".
                self.edit.setSpecialValueText("—")
                self.edit.setDateTime(self.edit.minimumDateTime())
            else:
                self.edit.setSpecialValueText("")
                if isinstance(value, dt.datetime):
                    self.edit.setDateTime(QDateTime(value))
                elif isinstance(value, dt.date):
                    self.edit.setDate(QDate(value.year, value.month, value.day))
                else:
                    self.edit.setTime(QTime(value.hour, value.minute, value.second))
        finally:
            self._updating = False
        answered = value is not None
        self.empty.setChecked(not answered)
        self.edit.setEnabled(answered and not self.read_only)

    def set_value(self, value: object) -> None:
        self.value = value
        if value is not None and self._python() == value and self.edit.isEnabled():
            return
        self._show(value)

    def _changed(self) -> None:
        if self._updating or self.empty.isChecked():
            return
        value = self._python()
        if value != self.value:
            self.value = value
            self.edited.emit(value)

    def _empty_clicked(self, checked: bool) -> None:
        if checked:
            self.value = None
            self._show(None)
            self.edited.emit(None)
            return
        now = dt.datetime.now().replace(second=0, microsecond=0)
        value: object = {"date": now.date(), "time": now.time()}.get(self.question.type, now)
        self.value = value
        self._show(value)
        self.edited.emit(value)
        self.edit.setFocus()

    def set_read_only(self, read_only: bool) -> None:
        self.read_only = read_only
        self.empty.setEnabled(not read_only)
        self.edit.setEnabled(not read_only and not self.empty.isChecked())

    def focus_widget(self) -> QWidget:
        return self.edit if self.edit.isEnabled() else self.empty


# Geopoint -----------------------------------------------------------------------------------


class GeopointEditor(Editor):
    """Latitude and longitude (and optionally altitude and accuracy) typed in decimal degrees and
    metres, stored as ODK's «lat lon alt acc»; the form checks the ranges."""

    def __init__(self, question: Question, parent: QWidget | None = None) -> None:
        super().__init__(question, parent)
        self._given: object = None
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(2)
        titles = (
            (_("Latitud"), "4.60971"),
            (_("Longitud"), "-74.08175"),
            (_("Altitud (m, opcional)"), ""),
            (_("Precisión (m, opcional)"), ""),
        )
        number = QRegularExpressionValidator(QRegularExpression(r"[+-]?\d{0,9}(?:[.,]\d{0,9})?"))
        self.fields: list[QLineEdit] = []
        for column, (title, example) in enumerate(titles):
            caption = QLabel(title, self)
            set_color(caption, HINT_COLOR)
            field = QLineEdit(self)
            field.setValidator(number)
            field.setMaximumWidth(NUMBER_WIDTH)
            if example:
                field.setPlaceholderText(_("p. ej. {example}", example=example))
            field.setAccessibleName(title)
            field.editingFinished.connect(self.commit)
            caption.setBuddy(field)
            grid.addWidget(caption, 0, column)
            grid.addWidget(field, 1, column)
            self.fields.append(field)
        grid.setColumnStretch(4, 1)
        self.setFocusProxy(self.fields[0])

    def commit(self) -> None:
        value = geopoint_text([f.text() for f in self.fields])
        if value != self._given:
            self._given = value
            self.edited.emit(value)

    def set_value(self, value: object) -> None:
        self._given = value
        if geopoint_text([f.text() for f in self.fields]) == value:
            return
        for field, part in zip(self.fields, geopoint_parts(value), strict=True):
            field.setText(part)

    def set_read_only(self, read_only: bool) -> None:
        self.read_only = read_only
        for field in self.fields:
            field.setReadOnly(read_only)

    def focus_widget(self) -> QWidget:
        return self.fields[0]


# Attachments --------------------------------------------------------------------------------


class AttachmentEditor(Editor):
    """«Adjuntar…» stores a file through ``attachments`` and answers with its id; the answer shows
    the file's name (and a preview of an image), «Abrir» opens it and «Quitar» takes it back."""

    def __init__(
        self, question: Question, attachments: Attachments | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(question, parent)
        self.attachments = attachments
        self.value: object = None
        self.info: AttachmentInfo | None = None
        self.attach_button = push_button(_("Adjuntar…"), self)
        self.attach_button.setToolTip(
            _("Elegir una imagen") if question.type == "image" else _("Elegir un archivo")
        )
        self.name = QLabel(self)
        self.name.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.open_button = push_button(_("Abrir"), self)
        self.remove_button = push_button(_("Quitar"), self)
        self.thumbnail = QLabel(self)
        self.thumbnail.setFixedSize(*THUMBNAIL)
        self.thumbnail.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.thumbnail.setStyleSheet("border: 1px solid #c8c8c8; background: #fafafa;")
        self.thumbnail.hide()
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.attach_button)
        row.addWidget(self.name, 1)
        row.addWidget(self.open_button)
        row.addWidget(self.remove_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.thumbnail)
        self.setMaximumWidth(FIELD_WIDTH + 120)
        self.attach_button.clicked.connect(self.choose)
        self.open_button.clicked.connect(self.open)
        self.remove_button.clicked.connect(lambda: self.edited.emit(None))
        self.setFocusProxy(self.attach_button)
        self._show()

    def choose(self) -> None:
        if self.attachments is None:
            return
        if self.question.type == "image":
            filters = _("Imágenes (*.jpg *.jpeg *.png *.gif *.bmp *.webp *.tif *.tiff)")
        else:
            filters = _("Todos los archivos (*)")
        path, _filter = QFileDialog.getOpenFileName(self, _("Adjuntar"), "", filters)
        if not path:
            return
        self.attach_button.setEnabled(False)
        self.name.setText(_("Guardando {name}…", name=Path(path).name))

        def done(attachment_id: str | None) -> None:
            self.attach_button.setEnabled(True)
            if attachment_id is None:
                self._show()  # not stored: the previous answer (if any) stays
            else:
                self.edited.emit(attachment_id)

        self.attachments.attach(Path(path), done)

    def open(self) -> None:
        if self.attachments is not None and isinstance(self.value, str):
            self.attachments.open(self.value)

    def set_value(self, value: object) -> None:
        if value == self.value and (self.info is not None or value is None):
            return
        self.value = value
        self.info = None
        self._show()
        if isinstance(value, str) and value and self.attachments is not None:
            self.name.setText(_("Buscando el archivo…"))

            def show(info: AttachmentInfo) -> None:
                if info.id == self.value:
                    self.info = info
                    self._show()

            self.attachments.describe(value, show)

    def _show(self) -> None:
        info = self.info
        answered = isinstance(self.value, str) and bool(self.value)
        if not answered:
            self.name.setText(_("Sin archivo"))
            set_color(self.name, HINT_COLOR)
        elif info is not None:
            text = info.file_name
            if info.problem:
                text = f"{text} — {info.problem}"
            self.name.setText(text)
            self.name.setToolTip(info.problem or info.file_name)
            set_color(
                self.name,
                ERROR_COLOR
                if info.problem
                else self.palette().color(QPalette.ColorRole.WindowText).name(),
            )
        self.open_button.setVisible(answered)
        self.open_button.setEnabled(info is not None and info.path is not None)
        self.remove_button.setVisible(answered and not self.read_only)
        self.attach_button.setVisible(not self.read_only)
        self.attach_button.setText(_("Cambiar…") if answered else _("Adjuntar…"))
        image = info.thumbnail if info is not None else None
        if answered and image is not None and not image.isNull():
            pixmap = QPixmap.fromImage(image).scaled(
                *THUMBNAIL,
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
            self.thumbnail.setPixmap(pixmap)
            self.thumbnail.show()
        else:
            self.thumbnail.clear()
            self.thumbnail.hide()

    def set_read_only(self, read_only: bool) -> None:
        self.read_only = read_only
        self._show()

    def focus_widget(self) -> QWidget:
        return self.attach_button if self.attach_button.isVisible() else self.open_button


# Acknowledge --------------------------------------------------------------------------------


class AcknowledgeEditor(Editor):
    """A check box; ticked stores "OK", as ODK does."""

    def __init__(self, question: Question, parent: QWidget | None = None) -> None:
        super().__init__(question, parent)
        self.box = QCheckBox(_("Confirmo"), self)
        self.box.clicked.connect(lambda checked: self.edited.emit("OK" if checked else None))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.box)
        layout.addStretch(1)
        self.setFocusProxy(self.box)

    def set_value(self, value: object) -> None:
        self.box.setChecked(value == "OK")

    def focus_widget(self) -> QWidget:
        return self.box


def make_editor(
    question: Question, attachments: Attachments | None, parent: QWidget | None = None
) -> Editor | None:
    """The editor for ``question``; None for a note (its label is all it shows)."""
    kind = question.type
    if kind == "note" and question.calculation is None:
        return None
    if kind == "calculate" or question.calculation is not None:
        return ValueLabel(question, parent)
    if kind in ("integer", "decimal"):
        return NumberEditor(question, parent)
    if kind == "select_one":
        return SelectOneEditor(question, parent)
    if kind == "select_multiple":
        return SelectMultipleEditor(question, parent)
    if kind in ("date", "time", "datetime"):
        return TemporalEditor(question, parent)
    if kind == "geopoint":
        return GeopointEditor(question, parent)
    if kind in ("image", "file"):
        return AttachmentEditor(question, attachments, parent)
    if kind == "acknowledge":
        return AcknowledgeEditor(question, parent)
    return TextEditor(question, parent)
