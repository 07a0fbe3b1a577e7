"""A plan's progress as it is always shown: results achieved beside activities completed.

Results come first, activities second, and a plan whose tasks ran ahead of what it set out to
change carries an amber warning that says so in words (``domain.progress.warning_reasons``).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QLabel, QProgressBar, QVBoxLayout, QWidget

from fieldkit.domain.progress import PlanProgress, warning_reasons
from fieldkit.i18n import _, format_number, ngettext
from fieldkit.ui.models import Column

R = TypeVar("R")

WARNING_MARK = "⚠"
WARNING_STYLE = (
    "QLabel { background: #fff4d6; color: #6b4500; border: 1px solid #e0b040;"
    " border-radius: 3px; padding: 4px 6px; }"
)
MAX_BAR = 280  # px: compact beside each other, even in a wide dialog


def percent_value(value: float | None) -> int | None:
    """A percent as shown: rounded down, so 29.6 % never reads as a 30 % threshold."""
    if value is None or not math.isfinite(value):
        return None
    return max(0, min(100, math.floor(value)))


def percent_text(value: float | None) -> str:
    """«12 %», or «—» when there is nothing to judge (no results, no activities)."""
    shown = percent_value(value)
    return "—" if shown is None else _("{percent} %", percent=format_number(shown))


def warning_text(p: PlanProgress | None) -> str:
    """Why the plan is flagged, in words; empty when it is not."""
    if p is None:
        return ""
    reasons = warning_reasons(p)
    if reasons is None:
        return ""
    msgid, params = reasons
    return _(msgid, **params)


def progress_text(p: PlanProgress | None) -> str:
    """One line for a table cell, results first: «R 12 % · A 96 % ⚠»; «Sin plan» without one."""
    if p is None:
        return _("Sin plan")
    text = _(
        "R {results} · A {activities}",
        results=percent_text(p.results_percent),
        activities=percent_text(p.activities_percent),
    )
    return f"{text} {WARNING_MARK}" if p.warning else text


def results_caption(p: PlanProgress) -> str:
    if p.results_total == 0:
        return _("Sin resultados esperados")
    return ngettext(
        "{measured} de {count} resultado medido",
        "{measured} de {count} resultados medidos",
        p.results_total,
        measured=format_number(p.results_measured),
        count=format_number(p.results_total),
    )


def activities_caption(p: PlanProgress) -> str:
    if p.activities_total == 0:
        return _("Sin actividades")
    text = ngettext(
        "{complete} de {count} actividad completa",
        "{complete} de {count} actividades completas",
        p.activities_total,
        complete=format_number(p.activities_complete),
        count=format_number(p.activities_total),
    )
    if p.overdue:
        text += " · " + ngettext(
            "{count} vencida", "{count} vencidas", p.overdue, count=format_number(p.overdue)
        )
    return text


def progress_tooltip(p: PlanProgress | None) -> str:
    """Both figures in words, and the warning when there is one (for table cells)."""
    if p is None:
        return _("La asistencia no tiene plan de acción.")
    lines = [
        _(
            "Resultados logrados: {percent} ({detail})",
            percent=percent_text(p.results_percent),
            detail=results_caption(p),
        ),
        _(
            "Actividades completadas: {percent} ({detail})",
            percent=percent_text(p.activities_percent),
            detail=activities_caption(p),
        ),
    ]
    warning = warning_text(p)
    if warning:
        lines.append(f"{WARNING_MARK} {warning}")
    return "\n".join(lines)


def percent_sort_key(value: float | None, has_plan: bool) -> float:
    """No plan sorts below a plan with nothing to judge, which sorts below 0 %."""
    if not has_plan:
        return -2.0
    return -1.0 if value is None else value


def results_cell(p: PlanProgress | None) -> str:
    """«⚠ 12 %»: results achieved, marked when the plan is flagged; empty without a plan."""
    if p is None:
        return ""
    text = percent_text(p.results_percent)
    return f"{WARNING_MARK} {text}" if p.warning else text


def activities_cell(p: PlanProgress | None) -> str:
    return "" if p is None else percent_text(p.activities_percent)


def progress_columns(progress: Callable[[R], PlanProgress | None]) -> list[Column[R]]:
    """Two table columns, results achieved then activities completed (never the activities
    alone), sorting by their numbers; the tooltip says both in words, and the warning."""

    def key(row: R, results: bool) -> float:
        p = progress(row)
        if p is None:
            return percent_sort_key(None, False)
        return percent_sort_key(p.results_percent if results else p.activities_percent, True)

    def without_plan(row: R) -> bool:
        return progress(row) is None

    return [
        Column(
            _("Resultados"),
            lambda r: results_cell(progress(r)),
            lambda r: key(r, True),
            align_right=True,
            tooltip=lambda r: progress_tooltip(progress(r)),
            blank=without_plan,
        ),
        Column(
            _("Actividades"),
            lambda r: activities_cell(progress(r)),
            lambda r: key(r, False),
            align_right=True,
            tooltip=lambda r: progress_tooltip(progress(r)),
            blank=without_plan,
        ),
    ]


class ProgressPair(QWidget):
    """Two compact bars side by side — «Resultados logrados», then «Actividades completadas» —
    with their counts under them and the warning, in words, below both."""

    def __init__(self, parent: QWidget | None = None, empty_text: str | None = None) -> None:
        super().__init__(parent)
        self.progress: PlanProgress | None = None
        self._empty_text = empty_text
        self.results_title = QLabel(_("Resultados logrados"), self)
        self.activities_title = QLabel(_("Actividades completadas"), self)
        for title in (self.results_title, self.activities_title):
            font = title.font()
            font.setBold(True)
            title.setFont(font)
        self.results_bar = self._bar(_("Resultados logrados"))
        self.activities_bar = self._bar(_("Actividades completadas"))
        self.results_caption = QLabel(self)
        self.activities_caption = QLabel(self)
        for caption in (self.results_caption, self.activities_caption):
            caption.setStyleSheet("color: #5f6368;")
        self.warning = QLabel(self)
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet(WARNING_STYLE)
        self.warning.setAccessibleName(_("Advertencia del avance"))
        self.warning.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.empty = QLabel(self)
        self.empty.setEnabled(False)

        self.figures = QWidget(self)
        grid = QGridLayout(self.figures)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(16)
        grid.setVerticalSpacing(2)
        for column, (title, bar, caption) in enumerate(
            (
                (self.results_title, self.results_bar, self.results_caption),
                (self.activities_title, self.activities_bar, self.activities_caption),
            )
        ):
            title.setParent(self.figures)
            bar.setParent(self.figures)
            caption.setParent(self.figures)
            grid.addWidget(title, 0, column)
            grid.addWidget(bar, 1, column)
            grid.addWidget(caption, 2, column)
            grid.setColumnStretch(column, 1)
        self.figures.setMaximumWidth(2 * MAX_BAR + grid.horizontalSpacing())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.empty)
        layout.addWidget(self.figures)
        layout.addWidget(self.warning)
        self.set_progress(None)

    def _bar(self, name: str) -> QProgressBar:
        bar = QProgressBar(self)
        bar.setRange(0, 100)
        bar.setTextVisible(True)
        bar.setAccessibleName(name)
        bar.setMaximumHeight(bar.fontMetrics().height() + 6)
        bar.setMinimumWidth(120)
        return bar

    def set_empty_text(self, text: str) -> None:
        self._empty_text = text
        if self.progress is None:
            self.empty.setText(text)

    def set_progress(self, progress: PlanProgress | None) -> None:
        self.progress = progress
        if progress is None:
            self.empty.setText(self._empty_text or _("Sin plan de acción"))
            self.empty.show()
            self.figures.hide()
            self.warning.hide()
            self.setToolTip("")
            return
        self.empty.hide()
        self.figures.show()
        for bar, value, caption, text in (
            (
                self.results_bar,
                progress.results_percent,
                self.results_caption,
                results_caption(progress),
            ),
            (
                self.activities_bar,
                progress.activities_percent,
                self.activities_caption,
                activities_caption(progress),
            ),
        ):
            shown = percent_value(value)
            bar.setValue(shown or 0)
            bar.setFormat(percent_text(value))
            caption.setText(text)
        warning = warning_text(progress)
        self.warning.setText(f"{WARNING_MARK} {warning}" if warning else "")
        self.warning.setVisible(bool(warning))
        self.setToolTip(progress_tooltip(progress))

    def text(self) -> str:
        """Everything the widget says, as one string (for tests and screen readers)."""
        if self.progress is None:
            return self.empty.text()
        parts = [
            f"{self.results_title.text()}: {self.results_bar.format()} "
            f"({self.results_caption.text()})",
            f"{self.activities_title.text()}: {self.activities_bar.format()} "
            f"({self.activities_caption.text()})",
        ]
        if self.warning.text():
            parts.append(self.warning.text())
        return "\n".join(parts)
