"""Choose a municipality by typing part of its name, department or DIVIPOLA code, accents optional.

QCompleter's own filtering compares characters, so "narino" would never find "Nariño". Here the
completer shows, unfiltered, a model that this widget fills with ``catalog.filter_municipalities``
(the service's fold-based search) on every keystroke.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QModelIndex, QStringListModel, Qt, Signal
from PySide6.QtWidgets import QCompleter, QLineEdit, QWidget

from fieldkit.i18n import _
from fieldkit.services.catalog import MunicipalityRow, filter_municipalities

MAX_SUGGESTIONS = 50


def label_of(row: MunicipalityRow) -> str:
    return f"{row.name} ({row.department}) — {row.code}"


class MunicipalityPicker(QLineEdit):
    """``code()`` is the chosen DIVIPOLA code, or what was typed if it names no single place."""

    chosen = Signal(str)

    def __init__(self, rows: Sequence[MunicipalityRow], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows = list(rows)
        self._by_code = {r.code: r for r in self._rows}
        self._by_label = {label_of(r): r for r in self._rows}
        self._shown: list[MunicipalityRow] = []
        self._model = QStringListModel(self)
        self.completer_ = QCompleter(self._model, self)
        self.completer_.setWidget(self)
        self.completer_.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.completer_.setMaxVisibleItems(12)
        self.completer_.activated[QModelIndex].connect(self._activated)
        self.setPlaceholderText(_("Escriba el nombre, el departamento o el código DIVIPOLA…"))
        self.setClearButtonEnabled(True)
        self.textEdited.connect(self._suggest)

    def suggestions(self) -> list[MunicipalityRow]:
        return list(self._shown)

    def _suggest(self, text: str) -> None:
        self._shown = filter_municipalities(self._rows, text)[:MAX_SUGGESTIONS] if text else []
        self._model.setStringList([label_of(r) for r in self._shown])
        if self._shown and text not in self._by_label:
            self.completer_.complete()
        else:
            self.completer_.popup().hide()

    def _activated(self, index: QModelIndex) -> None:
        row = self._shown[index.row()] if 0 <= index.row() < len(self._shown) else None
        if row is not None:
            self.set_code(row.code)

    def choose(self, position: int) -> None:
        """Pick the suggestion at ``position`` (what a click or Enter in the list does)."""
        self._activated(self._model.index(position, 0))

    def set_code(self, code: str) -> None:
        row = self._by_code.get(code)
        self.setText(label_of(row) if row else code)
        self.completer_.popup().hide()
        if row:
            self.chosen.emit(row.code)

    def code(self) -> str:
        """The DIVIPOLA code for the text: a chosen label, a typed code, or a single match."""
        text = self.text().strip()
        if text in self._by_label:
            return self._by_label[text].code
        if text.isdigit():
            return text
        matches = filter_municipalities(self._rows, text) if text else []
        if len(matches) == 1:
            return matches[0].code
        return ""

    def keyPressEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        if event.key() == Qt.Key.Key_Down and not self.completer_.popup().isVisible():
            self._suggest(self.text())
            if self._shown:
                return
        super().keyPressEvent(event)
