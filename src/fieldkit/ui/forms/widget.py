"""``FormWidget``: a filling (``FormState``) as native Qt widgets.

Groups are sections, repeats lists of numbered rows, each question a label, a hint, an editor and
an inline error. Every widget is registered under the flat key the engine reports in ``Changes``
(``asistentes[3f9a01c2d4]/sexo``), so after an answer only the widgets whose keys changed are
updated — relevance, calculated values, options, flags, texts that show ``${name}`` — and the
diagnostic's 140 elements are never built again.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Sequence

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from fieldkit.forms import (
    AnswerError,
    Changes,
    Choice,
    Element,
    FormState,
    Group,
    Question,
    Repeat,
    answer_key,
    row_key,
)
from fieldkit.i18n import _
from fieldkit.ui.forms.editors import (
    Attachments,
    Editor,
    make_editor,
    push_button,
    set_color,
    set_shown,
)
from fieldkit.ui.forms.markup import HINT_COLOR, label_html, plain, references
from fieldkit.ui.widgets.common import ErrorLabel

Instances = tuple[tuple[str, str], ...]  # ((repeat, row id), …), outermost first

INDENT = 18
# Errors shown under a question as soon as its answer is given (required ones only once the
# person tried to complete the form: an empty form is not a page of red).
INLINE_KINDS = frozenset({"constraint", "type", "evaluation"})


def _hidden(element: Element) -> bool:
    """Elements nobody sees: a calculation without a label (the notes show their results)."""
    return isinstance(element, Question) and element.type == "calculate" and not element.label


class QuestionItem(QWidget):
    """One question: label (with * when required), hint, editor, inline error."""

    def __init__(
        self, form: FormWidget, question: Question, instances: Instances, parent: QWidget
    ) -> None:
        super().__init__(parent)
        self.form = form
        self.question = question
        self.instances = instances
        self.key = answer_key(question.name, instances)
        self.name = question.name
        self.label = QLabel(self)
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.TextFormat.RichText)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.hint = QLabel(self)
        self.hint.setWordWrap(True)
        self.hint.setTextFormat(Qt.TextFormat.RichText)
        set_color(self.hint, HINT_COLOR)
        font = QFont(self.hint.font())
        font.setPointSizeF(max(font.pointSizeF() - 1, 7.0))
        self.hint.setFont(font)
        self.editor: Editor | None = make_editor(question, form.attachments, self)
        self._error: ErrorLabel | None = None  # made when there is one to show
        self.required = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(3)
        layout.addWidget(self.label)
        layout.addWidget(self.hint)
        if self.editor is not None:
            layout.addSpacing(2)
            layout.addWidget(self.editor)
            self.editor.edited.connect(self._edited)
            if question.is_select:
                self.editor.set_choices(self.visible_choices(), form.state.language)

    @property
    def error(self) -> ErrorLabel:
        """The inline error under the editor (hidden while there is none)."""
        if self._error is None:
            self._error = ErrorLabel(self)
            layout = self.layout()
            assert isinstance(layout, QVBoxLayout)
            layout.addWidget(self._error)
        return self._error

    def positions(self) -> tuple[int, ...]:
        return self.form.positions(self.instances)

    def visible_choices(self) -> tuple[Choice, ...]:
        return self.form.state.visible_choices(self.name, self.positions())

    def _edited(self, value: object) -> None:
        self.form.answer(self, value)

    # Refreshing from the state -------------------------------------------------------------

    def refresh_texts(self) -> None:
        state = self.form.state
        path = self.positions()
        label = state.text(self.name, path) if self.question.label else ""
        self.required = state.is_required(self.name, path)
        self.label.setText(label_html(label, required=self.required and self.editor is not None))
        set_shown(self.label, bool(label))
        self.label.setToolTip(_("Respuesta obligatoria") if self.required else "")
        hint = state.text(self.name, path, kind="hint") if self.question.hint else ""
        self.hint.setText(label_html(hint))
        set_shown(self.hint, bool(hint))
        if self.editor is not None:
            self.editor.set_accessible_name(plain(label) or self.name)
            self.editor.relabel(state.language)

    def refresh_value(self) -> None:
        if self.editor is not None:
            self.editor.set_value(self.form.state.value(self.name, self.positions()))

    def refresh_choices(self) -> None:
        if self.editor is not None:
            self.editor.set_choices(self.visible_choices(), self.form.state.language)
            self.refresh_value()

    def refresh_read_only(self) -> None:
        if self.editor is not None:
            read_only = self.form.read_only or self.form.state.is_read_only(
                self.name, self.positions()
            )
            self.editor.set_read_only(read_only)

    def refresh(self) -> None:
        self.refresh_texts()
        self.refresh_value()
        self.refresh_read_only()

    def show_errors(self, messages: Sequence[str]) -> None:
        if messages or self._error is not None:
            self.error.show_message("\n".join(messages))

    def focus(self) -> None:
        if self.editor is not None:
            self.editor.focus_widget().setFocus(Qt.FocusReason.OtherFocusReason)


class GroupItem(QFrame):
    """A section: a title over its questions; nested groups are indented under a thinner title."""

    def __init__(
        self, form: FormWidget, group: Group, instances: Instances, depth: int, parent: QWidget
    ) -> None:
        super().__init__(parent)
        self.form = form
        self.group = group
        self.name = group.name
        self.instances = instances
        self.key = answer_key(group.name, instances)
        self.title = QLabel(self)
        self.title.setWordWrap(True)
        self.title.setTextFormat(Qt.TextFormat.RichText)
        font = QFont(self.title.font())
        font.setBold(True)
        if depth == 0:
            font.setPointSizeF(font.pointSizeF() + 3)
            self.setObjectName("section")
            self.setFrameShape(QFrame.Shape.StyledPanel)
        else:
            font.setPointSizeF(font.pointSizeF() + 1)
        self.title.setFont(font)
        self.body = QVBoxLayout()
        self.body.setSpacing(14)
        layout = QVBoxLayout(self)
        if depth == 0:
            layout.setContentsMargins(16, 12, 16, 16)
        else:
            layout.setContentsMargins(INDENT, 6, 0, 6)
        layout.setSpacing(10)
        layout.addWidget(self.title)
        if depth == 0:
            rule = QFrame(self)
            rule.setFrameShape(QFrame.Shape.HLine)
            rule.setFrameShadow(QFrame.Shadow.Sunken)
            layout.addWidget(rule)
        layout.addLayout(self.body)
        form.build(group.children, instances, depth + 1, self.body, self)

    def refresh_texts(self) -> None:
        text = self.form.state.text(self.name, self.form.positions(self.instances))
        self.title.setText(label_html(text))
        set_shown(self.title, bool(text))

    def refresh(self) -> None:
        self.refresh_texts()


class RowFrame(QFrame):
    """One row of a repeat: «Asistente 2» with its «Quitar fila» button, then its questions."""

    def __init__(self, repeat_item: RepeatItem, row_id: str, parent: QWidget) -> None:
        super().__init__(parent)
        self.repeat_item = repeat_item
        self.row_id = row_id
        self.instances: Instances = (*repeat_item.parent_instances, (repeat_item.name, row_id))
        self.setObjectName("row")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.title = QLabel(self)
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        font = QFont(self.title.font())
        font.setBold(True)
        self.title.setFont(font)
        self.remove_button = push_button(_("&Quitar fila"), self)
        self.remove_button.clicked.connect(self.remove)
        header = QHBoxLayout()
        header.addWidget(self.title, 1)
        header.addWidget(self.remove_button)
        self.body = QVBoxLayout()
        self.body.setSpacing(12)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 12)
        layout.addLayout(header)
        layout.addLayout(self.body)
        form = repeat_item.form
        form.build(
            repeat_item.repeat.children, self.instances, repeat_item.depth + 1, self.body, self
        )

    def number(self) -> int:
        return self.repeat_item.order.index(self.row_id) + 1

    def refresh_texts(self) -> None:
        label = plain(self.repeat_item.label_text()) or _("Fila")
        self.title.setText(_("{label} {n}", label=label, n=self.number()))
        self.remove_button.setToolTip(_("Quitar la fila {n} y sus respuestas", n=self.number()))

    def remove(self) -> None:
        form = self.repeat_item.form
        form.commit()
        answer = QMessageBox.question(
            self,
            _("Quitar fila"),
            _(
                "¿Quitar «{row}» y todas sus respuestas?",
                row=self.title.text(),
            ),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        form.remove_row(self.repeat_item, self.row_id)


class RepeatItem(QFrame):
    """A repeat: its rows, numbered, and «Agregar fila» under them."""

    def __init__(
        self,
        form: FormWidget,
        repeat: Repeat,
        parent_instances: Instances,
        depth: int,
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self.form = form
        self.repeat = repeat
        self.name = repeat.name
        self.parent_instances = parent_instances
        self.depth = depth
        # The repeat's relevance is its parent's: keyed without a row of its own.
        self.key = answer_key(repeat.name, parent_instances)
        self.order: list[str] = []
        self.rows: dict[str, RowFrame] = {}
        self.title = QLabel(self)
        self.title.setWordWrap(True)
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        font = QFont(self.title.font())
        font.setBold(True)
        if depth == 0:
            font.setPointSizeF(font.pointSizeF() + 3)
            self.setObjectName("section")
            self.setFrameShape(QFrame.Shape.StyledPanel)
        self.title.setFont(font)
        self.empty = QLabel(_("Sin filas todavía."), self)
        set_color(self.empty, HINT_COLOR)
        self.add_button = push_button(_("&Agregar fila"), self)
        self.add_button.clicked.connect(self.add)
        self.rows_layout = QVBoxLayout()
        self.rows_layout.setSpacing(10)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        if depth == 0:
            layout.setContentsMargins(16, 12, 16, 16)
        else:
            layout.setContentsMargins(0, 4, 0, 4)
        layout.setSpacing(8)
        layout.addWidget(self.title)
        layout.addWidget(self.empty)
        layout.addLayout(self.rows_layout)
        layout.addLayout(buttons)

    def parent_positions(self) -> tuple[int, ...]:
        return self.form.positions(self.parent_instances)

    def label_text(self) -> str:
        return self.form.state.text(self.name, self.parent_positions())

    def refresh_texts(self) -> None:
        label = plain(self.label_text())
        self.title.setText(label)
        set_shown(self.title, bool(label))
        self.add_button.setToolTip(_("Agregar una fila: {label}", label=label or self.name))
        for frame in self.rows.values():
            frame.refresh_texts()

    def refresh(self) -> None:
        self.refresh_texts()
        self.refresh_read_only()

    def refresh_read_only(self) -> None:
        editable = not self.form.read_only
        set_shown(self.add_button, editable)
        for frame in self.rows.values():
            set_shown(frame.remove_button, editable)

    def add(self) -> None:
        self.form.add_row(self)

    def sync(self) -> None:
        """Make the row frames match the state's rows: drop removed ones, build new ones, keep
        the others (and what the person is typing in them) as they are."""
        try:
            ids = self.form.row_ids(self)
        except AnswerError:  # the parent row is gone
            ids = []
        for gone in [r for r in self.rows if r not in ids]:
            frame = self.rows.pop(gone)
            self.form.forget(frame.instances)
            self.rows_layout.removeWidget(frame)
            frame.hide()
            frame.deleteLater()
        new = [r for r in ids if r not in self.rows]
        self.order = ids
        for row_id in new:
            frame = RowFrame(self, row_id, self)
            self.rows[row_id] = frame
            # Shown now: a child added to a visible window would otherwise appear only after the
            # event loop turns, and the person (or a test) could not click it yet.
            set_shown(frame, True)
        for index, row_id in enumerate(ids):
            frame = self.rows[row_id]
            if self.rows_layout.indexOf(frame) != index:
                self.rows_layout.removeWidget(frame)
                self.rows_layout.insertWidget(index, frame)
        for row_id in new:
            self.form.refresh_under(self.rows[row_id].instances)
            self._order_tabs(self.rows[row_id])
        for frame in self.rows.values():
            frame.refresh_texts()
            set_shown(frame.remove_button, not self.form.read_only)
        set_shown(self.empty, not ids)

    def _order_tabs(self, frame: RowFrame) -> None:
        """A row added later would take the last place in the Tab order; put it before
        «Agregar fila», where the person sees it."""
        widgets = [
            w
            for w in frame.findChildren(QWidget)
            if w.focusPolicy() & Qt.FocusPolicy.TabFocus and w.focusProxy() is None
        ]
        previous = self.add_button.previousInFocusChain()
        if not widgets or previous in widgets:
            return  # nothing to reach, or already in place
        QWidget.setTabOrder(previous, widgets[0])
        for a, b in itertools.pairwise(widgets):
            QWidget.setTabOrder(a, b)
        QWidget.setTabOrder(widgets[-1], self.add_button)


Item = QuestionItem | GroupItem | RepeatItem


class FormWidget(QWidget):
    """The filling ``state`` as widgets; ``changed`` after every answer, row added or removed.

    ``attachments`` stores and describes the files of image and file questions. Put the widget
    in a ``QScrollArea``; ``scroll_to(key)`` brings a question into view and focuses it.
    """

    changed = Signal()

    def __init__(
        self,
        state: FormState,
        *,
        attachments: Attachments | None = None,
        read_only: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.state = state
        self.attachments = attachments
        self.read_only = read_only
        self.show_required = False
        self._items: dict[str, Item] = {}
        self._by_name: dict[str, dict[str, Item]] = {}
        self._repeats: dict[tuple[str, Instances], RepeatItem] = {}
        self._error_keys: set[str] = set()
        self._sections: list[Item] = []
        # name -> elements whose label or hint shows ${name}: refreshed when its value changes.
        self._shown_by: dict[str, set[str]] = {}
        for element in state.form.elements.values():
            for texts in (element.label, element.hint):
                for _language, text in texts.items():
                    for name in references(text):
                        self._shown_by.setdefault(name, set()).add(element.name)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.setSpacing(16)
        self.build(state.form.children, (), 0, layout, self)
        layout.addStretch(1)
        self.refresh_under(())
        self._refresh_errors(set(self._items))

    # Building ------------------------------------------------------------------------------

    def build(
        self,
        elements: Iterable[Element],
        instances: Instances,
        depth: int,
        layout: QVBoxLayout,
        parent: QWidget,
    ) -> None:
        """Widgets for ``elements`` in the rows ``instances``, added to ``layout``."""
        for element in elements:
            if _hidden(element):
                continue
            item: Item
            if isinstance(element, Repeat):
                item = RepeatItem(self, element, instances, depth, parent)
                self._repeats[(element.name, instances)] = item
            elif isinstance(element, Group):
                item = GroupItem(self, element, instances, depth, parent)
            else:
                assert isinstance(element, Question)
                item = QuestionItem(self, element, instances, parent)
            layout.addWidget(item)
            self._items[item.key] = item
            self._by_name.setdefault(element.name, {})[item.key] = item
            if depth == 0:
                self._sections.append(item)

    def forget(self, instances: Instances) -> None:
        """Unregister every widget inside the row ``instances`` (it is being removed)."""
        prefix = row_key(instances) + "/"
        for key in [k for k in self._items if k.startswith(prefix)]:
            item = self._items.pop(key)
            self._by_name.get(item.name, {}).pop(key, None)
            self._error_keys.discard(key)
        for repeat in [r for r in self._repeats if r[1][: len(instances)] == instances]:
            del self._repeats[repeat]

    def _under(self, instances: Instances) -> Iterator[Item]:
        if not instances:
            yield from list(self._items.values())
            return
        prefix = row_key(instances) + "/"
        yield from [item for key, item in self._items.items() if key.startswith(prefix)]

    def refresh_under(self, instances: Instances) -> None:
        """Texts, values, flags and visibility of every widget in the rows ``instances`` (all
        of them for ``()``): what a new row or the first display needs."""
        items = list(self._under(instances))
        # Repeats build their rows (which refresh themselves) before anything reads positions.
        for repeat in sorted(
            (r for r in items if isinstance(r, RepeatItem)), key=lambda r: len(r.parent_instances)
        ):
            if repeat.key in self._items:
                repeat.sync()
        for item in items:
            if self._items.get(item.key) is item:
                item.refresh()
                self._refresh_visible(item)

    # Positions -----------------------------------------------------------------------------

    def positions(self, instances: Instances) -> tuple[int, ...]:
        """The 1-based row positions of ``instances``, as the state's methods take them."""
        out = []
        for level, (repeat, row) in enumerate(instances):
            item = self._repeats[(repeat, instances[:level])]
            out.append(item.order.index(row) + 1)
        return tuple(out)

    def row_ids(self, repeat: RepeatItem) -> list[str]:
        """The ids of the repeat's rows, in order."""
        parent = repeat.parent_positions()
        if not self.state.is_relevant(repeat.name, parent):
            return []
        return list(self.state.row_ids(repeat.name, parent))

    # Changing the state --------------------------------------------------------------------

    def answer(self, item: QuestionItem, value: object) -> None:
        """The person answered ``item``: tell the state, then update what changed."""
        if self.read_only:
            return
        try:
            changes = self.state.set_answer(item.name, value, item.positions())
        except AnswerError as error:
            item.show_errors([error.render(_)])
            item.refresh_value()
            return
        self.apply(changes, {item.key})
        self.changed.emit()

    def add_row(self, repeat: RepeatItem) -> None:
        if self.read_only:
            return
        self.commit()
        changes = self.state.add_repeat(repeat.name, repeat.parent_positions())
        self.apply(changes)
        if repeat.order:
            # The new row in view, the cursor in its first field.
            frame = repeat.rows[repeat.order[-1]]
            self._ensure_visible(frame)
            first = next(
                (
                    i
                    for i in self._under(frame.instances)
                    if isinstance(i, QuestionItem) and i.editor is not None and i.isVisibleTo(self)
                ),
                None,
            )
            if first is not None:
                first.focus()
        self.changed.emit()

    def remove_row(self, repeat: RepeatItem, row_id: str) -> None:
        if self.read_only or row_id not in repeat.order:
            return
        position = repeat.order.index(row_id) + 1
        changes = self.state.remove_repeat(repeat.name, position, repeat.parent_positions())
        self.apply(changes)
        self.changed.emit()

    def apply(self, changes: Changes, touched: set[str] | None = None) -> None:
        """Update just the widgets whose keys ``changes`` names."""
        # Rows first (outer repeats first), so positions are right for what follows.
        repeats: list[RepeatItem] = []
        for name in changes.rows:
            repeats.extend(self._repeat_items(name))
        for kind, name, _key in changes.cells:
            if kind in ("relevant", "count"):
                repeats.extend(self._repeat_items(name))
        for repeat in sorted(set(repeats), key=lambda r: len(r.parent_instances)):
            if repeat.key in self._items:
                repeat.sync()
        texts: set[str] = set()
        errors = set(touched or ())
        for kind, name, key in changes.cells:
            if kind in ("value", "count"):
                texts.update(self._shown_by.get(name, ()))
            item = self._items.get(key)
            if item is None:
                continue
            if kind == "relevant":
                self._refresh_visible(item)
            elif isinstance(item, QuestionItem):
                if kind == "value":
                    item.refresh_value()
                    errors.add(key)
                elif kind == "choices":
                    item.refresh_choices()
                elif kind == "required":
                    item.refresh_texts()
                    errors.add(key)
                elif kind == "readonly":
                    item.refresh_read_only()
                elif kind == "constraint":
                    errors.add(key)
        for key in changes.dropped:
            errors.add(key)
        for name in texts:
            for item in list(self._by_name.get(name, {}).values()):
                item.refresh_texts()
        self._refresh_errors(errors)

    def _repeat_items(self, name: str) -> list[RepeatItem]:
        return [i for i in self._by_name.get(name, {}).values() if isinstance(i, RepeatItem)]

    def _refresh_visible(self, item: Item) -> None:
        if isinstance(item, RepeatItem):
            visible = self.state.is_relevant(item.name, item.parent_positions())
        else:
            visible = self.state.is_relevant(item.name, self.positions(item.instances))
        set_shown(item, visible)

    def _refresh_errors(self, keys: set[str]) -> None:
        """Inline errors of ``keys`` and of those showing one, from the form's validation."""
        found: dict[str, list[str]] = {}
        kinds = INLINE_KINDS | {"required"} if self.show_required else INLINE_KINDS
        for error in self.state.validate():
            if error.kind in kinds:
                found.setdefault(error.key, []).append(error.render(_))
        shown = set()
        for key in keys | self._error_keys:
            item = self._items.get(key)
            if isinstance(item, QuestionItem):
                messages = found.get(key, [])
                item.show_errors(messages)
                if messages:
                    shown.add(key)
        self._error_keys = shown

    def errors(self) -> dict[str, str]:
        """The inline errors on screen, by key (what the tests read)."""
        out = {}
        for key in self._error_keys:
            item = self._items.get(key)
            if isinstance(item, QuestionItem) and item.error.isVisibleTo(item):
                out[key] = item.error.text()
        return out

    # Whole-form switches -------------------------------------------------------------------

    def commit(self) -> None:
        """Give the form what is still being typed (before saving or closing)."""
        for item in list(self._items.values()):
            if isinstance(item, QuestionItem) and item.editor is not None:
                item.editor.commit()

    def set_language(self, language: str) -> None:
        """Show the form's texts in ``language`` (a code of its languages), in place."""
        changes = self.state.set_language(language)
        for item in list(self._items.values()):
            item.refresh_texts()
        self.apply(changes)
        self._refresh_errors(set())

    def set_read_only(self, read_only: bool) -> None:
        self.read_only = read_only
        for item in list(self._items.values()):
            if isinstance(item, QuestionItem | RepeatItem):
                item.refresh_read_only()

    def set_show_required(self, show: bool) -> None:
        """Mark unanswered required questions inline (after a refused completion)."""
        self.show_required = show
        self._refresh_errors(set(self._items))

    # Finding and showing -------------------------------------------------------------------

    def item(self, key: str) -> Item | None:
        return self._items.get(key)

    def question(self, name: str, repeat_path: Sequence[int] = ()) -> QuestionItem:
        """The widget of question ``name`` in rows ``repeat_path`` (tests, scrolling)."""
        item = self._items.get(self.state.key(name, repeat_path))
        if not isinstance(item, QuestionItem):
            raise KeyError(name)
        return item

    def repeat(self, name: str, repeat_path: Sequence[int] = ()) -> RepeatItem:
        for (repeat, instances), item in self._repeats.items():
            if repeat == name and self.positions(instances) == tuple(repeat_path):
                return item
        raise KeyError(name)

    def sections(self) -> list[tuple[str, QWidget]]:
        """The top-level sections (groups and repeats) with their titles, in form order."""
        out: list[tuple[str, QWidget]] = []
        for item in self._sections:
            if isinstance(item, GroupItem | RepeatItem):
                title = plain(self.state.text(item.name))
                out.append((title or item.name, item))
        return out

    def scroll_to(self, key: str) -> bool:
        """Bring the question ``key`` into view and put the cursor in it; False if it is not
        on screen (not relevant, or unknown)."""
        item = self._items.get(key)
        if item is None or not item.isVisibleTo(self):
            return False
        self._ensure_visible(item)
        if isinstance(item, QuestionItem):
            item.focus()
        return True

    def _ensure_visible(self, widget: QWidget) -> None:
        """Scroll so ``widget`` is seen whole, its top in the upper third when it was not."""
        node = self.parentWidget()
        while node is not None and not isinstance(node, QScrollArea):
            node = node.parentWidget()
        if not isinstance(node, QScrollArea):
            return
        # Layouts of rows added just now are computed before measuring where the widget is.
        self.layout().activate()
        top = widget.mapTo(self, QPoint(0, 0)).y()
        bar = node.verticalScrollBar()
        height = node.viewport().height()
        if top < bar.value() or top + widget.height() > bar.value() + height:
            bar.setValue(max(top - height // 3, 0))
