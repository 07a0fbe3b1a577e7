"""The plan's timeline: its activities as bars on a calendar, under their results, today marked.

A bar spans the activity's start and end dates and fills as far as the activity has advanced;
late bars are red, complete ones green. Activities without dates are listed «sin fechas».
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, NamedTuple

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QHelpEvent, QPainter, QPainterPath, QPalette, QPen
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from fieldkit.domain.progress import ACTIVITY_STATE_LABELS, ActivityState
from fieldkit.i18n import N_, _, format_date, format_number, ngettext
from fieldkit.ui.ops import Op
from fieldkit.ui.widgets.progress import ProgressPair, percent_text

if TYPE_CHECKING:
    from fieldkit.services.changes import Changes
    from fieldkit.services.plans import ActivityRow, PlanView
    from fieldkit.services.profile import Profile

MONTHS = (
    N_("ene"),
    N_("feb"),
    N_("mar"),
    N_("abr"),
    N_("may"),
    N_("jun"),
    N_("jul"),
    N_("ago"),
    N_("sep"),
    N_("oct"),
    N_("nov"),
    N_("dic"),
)

GREEN = QColor("#2e7d32")
RED = QColor("#c62828")
BLUE = QColor("#1565c0")
GREY = QColor("#9e9e9e")
TODAY = QColor("#e65100")
GRID = QColor("#e0e0e0")
GROUP_BACKGROUND = QColor("#f1f3f4")
MUTED = QColor("#5f6368")

LABEL_WIDTH = 300  # px for the names of results and activities
MARGIN = 12
MIN_CHART = 360  # px the date axis never shrinks below
PLAN_RELEVANT = ("plan", "plan_version", "result", "activity", "follow_up", "assistance")


def day_month(day: dt.date) -> str:
    """«07/03»: the day and month of ``format_date`` (dd/mm/aaaa), as axis labels read."""
    return format_date(day)[:5]


def month_label(day: dt.date) -> str:
    """«mar 2026» for the month that starts on ``day``."""
    return _("{month} {year}", month=_(MONTHS[day.month - 1]), year=day.year)


def _month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _next_month(day: dt.date) -> dt.date:
    return dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)


class TimelineRow(NamedTuple):
    """One line of the chart: a result's heading or one of its activities."""

    kind: str  # "result" or "activity"
    label: str
    activity: ActivityRow | None = None


def activity_color(activity: ActivityRow) -> QColor:
    if activity.state == ActivityState.CANCELLED:
        return GREY
    if activity.complete:
        return GREEN
    if activity.overdue:
        return RED
    return BLUE


def activity_tooltip(activity: ActivityRow) -> str:
    state = (
        _(ACTIVITY_STATE_LABELS[ActivityState(activity.state)])
        if activity.state in {s.value for s in ActivityState}
        else _("Sin seguimiento")
    )
    lines = [
        activity.description,
        _(
            "{start} – {end}",
            start=format_date(activity.start_on) or _("sin inicio"),
            end=format_date(activity.end_on) or _("sin fin"),
        ),
        _("Avance: {percent} · {state}", percent=percent_text(activity.percent), state=state),
        _(activity.responsible_label)
        + (f" — {activity.responsible_name}" if activity.responsible_name else ""),
    ]
    if activity.overdue:
        lines.append(_("Vencida: pasó su fecha de fin sin completarse."))
    return "\n".join(lines)


class TimelineWidget(QWidget):
    """Paints a plan's activities as bars on a date axis, grouped under their results."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.view: PlanView | None = None
        self.today = dt.date.today()
        self.rows: list[TimelineRow] = []
        self.axis_start = _month_start(self.today)
        self.axis_end = _next_month(self.today)
        self.setMouseTracking(True)
        self.setAutoFillBackground(True)
        palette = self.palette()
        palette.setColor(QPalette.ColorRole.Window, QColor("white"))
        self.setPalette(palette)
        self.setAccessibleName(_("Cronograma del plan"))
        self.set_plan(None)

    # Data --------------------------------------------------------------------------------

    def set_plan(self, view: PlanView | None, today: dt.date | None = None) -> None:
        self.view = view
        self.today = today or dt.date.today()
        self.rows = []
        if view is not None:
            for result in view.results:
                if not result.activities:
                    continue
                self.rows.append(
                    TimelineRow("result", result.statement or _("Actividades sin resultado"))
                )
                self.rows.extend(
                    TimelineRow("activity", a.description, a) for a in result.activities
                )
        days = [self.today]
        for row in self.rows:
            if row.activity is not None:
                days.extend(d for d in (row.activity.start_on, row.activity.end_on) if d)
        self.axis_start = _month_start(min(days))
        self.axis_end = _next_month(max(days))
        self.setMinimumSize(LABEL_WIDTH + MIN_CHART + 2 * MARGIN, self._content_height())
        self.updateGeometry()
        self.update()

    @property
    def activities(self) -> list[ActivityRow]:
        return [r.activity for r in self.rows if r.activity is not None]

    # Geometry ----------------------------------------------------------------------------

    def row_height(self) -> int:
        return self.fontMetrics().height() + 12

    def header_height(self) -> int:
        return 2 * self.fontMetrics().height() + 14

    def _content_height(self) -> int:
        lines = max(len(self.rows), 1)
        return self.header_height() + lines * self.row_height() + MARGIN

    def chart_left(self) -> float:
        return float(MARGIN + LABEL_WIDTH)

    def chart_right(self) -> float:
        return float(max(self.width(), LABEL_WIDTH + MIN_CHART + 2 * MARGIN) - MARGIN)

    def x_for(self, day: dt.date) -> float:
        """The x of the start of ``day`` on the axis (the axis runs from month start to month
        start, so every date of the plan lies within it)."""
        total = max((self.axis_end - self.axis_start).days, 1)
        share = (day - self.axis_start).days / total
        return self.chart_left() + share * (self.chart_right() - self.chart_left())

    def row_top(self, index: int) -> float:
        return float(self.header_height() + index * self.row_height())

    def bar_rect(self, activity_id: str) -> QRectF | None:
        """Where the activity's bar is drawn; None when it has no dates (or is not shown)."""
        for index, row in enumerate(self.rows):
            if row.activity is not None and row.activity.id == activity_id:
                return self._bar_rect(index, row.activity)
        return None

    def _bar_rect(self, index: int, activity: ActivityRow) -> QRectF | None:
        start, end = activity.start_on, activity.end_on
        if start is None and end is None:
            return None
        start = start or end
        end = end or start
        assert start is not None and end is not None
        if end < start:
            start, end = end, start
        top = self.row_top(index) + 4
        left = self.x_for(start)
        right = max(self.x_for(end + dt.timedelta(days=1)), left + 4)  # the end day included
        return QRectF(left, top, right - left, self.row_height() - 8)

    def sizeHint(self) -> QSize:
        return QSize(LABEL_WIDTH + 640 + 2 * MARGIN, self._content_height())

    def minimumSizeHint(self) -> QSize:
        return QSize(LABEL_WIDTH + MIN_CHART + 2 * MARGIN, self._content_height())

    # Painting ----------------------------------------------------------------------------

    def paintEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), QColor("white"))
        if self.view is None or not self.rows:
            painter.setPen(MUTED)
            text = (
                _("Sin plan de acción")
                if self.view is None
                else _("El plan aún no tiene actividades.")
            )
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, text)
            painter.end()
            return
        self._paint_rows_background(painter)
        self._paint_axis(painter)
        for index, row in enumerate(self.rows):
            self._paint_row(painter, index, row)
        self._paint_today(painter)
        painter.end()

    def _paint_rows_background(self, painter: QPainter) -> None:
        for index, row in enumerate(self.rows):
            if row.kind == "result":
                top = self.row_top(index)
                painter.fillRect(QRectF(0, top, self.width(), self.row_height()), GROUP_BACKGROUND)

    def _paint_axis(self, painter: QPainter) -> None:
        metrics = self.fontMetrics()
        bottom = self.row_top(len(self.rows))
        header = self.header_height()
        month = self.axis_start
        painter.setPen(QPen(GRID, 1))
        painter.drawLine(QPointF(self.chart_left(), header), QPointF(self.chart_right(), header))
        while month < self.axis_end:
            following = _next_month(month)
            x = self.x_for(month)
            painter.setPen(QPen(GRID, 1))
            painter.drawLine(QPointF(x, header - 4), QPointF(x, bottom))
            width = self.x_for(following) - x
            painter.setPen(MUTED)
            label = month_label(month)
            if metrics.horizontalAdvance(label) + 6 > width:
                label = _(MONTHS[month.month - 1])
            if metrics.horizontalAdvance(label) + 6 <= width:
                painter.drawText(
                    QRectF(x + 3, 4, width - 3, metrics.height()),
                    Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                    label,
                )
            tick = day_month(month)
            if metrics.horizontalAdvance(tick) + 6 <= width:
                painter.drawText(
                    QRectF(x + 3, 6 + metrics.height(), width - 3, metrics.height()),
                    Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                    tick,
                )
            month = following
        x = self.x_for(self.axis_end)
        painter.setPen(QPen(GRID, 1))
        painter.drawLine(QPointF(x, header - 4), QPointF(x, bottom))

    def _paint_row(self, painter: QPainter, index: int, row: TimelineRow) -> None:
        metrics = self.fontMetrics()
        top = self.row_top(index)
        height = self.row_height()
        font = QFont(self.font())
        if row.kind == "result":
            font.setBold(True)
            painter.setFont(font)
            painter.setPen(QColor("#202124"))
            label_rect = QRectF(MARGIN, top, self.chart_right() - MARGIN, height)
            painter.drawText(
                label_rect,
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                painter.fontMetrics().elidedText(
                    row.label, Qt.TextElideMode.ElideRight, int(label_rect.width())
                ),
            )
            painter.setFont(self.font())
            return
        activity = row.activity
        assert activity is not None
        painter.setFont(self.font())
        painter.setPen(RED if activity.overdue else QColor("#202124"))
        indent = MARGIN + 14
        painter.drawText(
            QRectF(indent, top, LABEL_WIDTH - indent, height),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            metrics.elidedText(row.label, Qt.TextElideMode.ElideRight, LABEL_WIDTH - indent - 6),
        )
        rect = self._bar_rect(index, activity)
        if rect is None:
            italic = QFont(self.font())
            italic.setItalic(True)
            painter.setFont(italic)
            painter.setPen(MUTED)
            painter.drawText(
                QRectF(self.chart_left() + 4, top, self.chart_right() - self.chart_left(), height),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                _("sin fechas"),
            )
            painter.setFont(self.font())
            return
        color = activity_color(activity)
        light = QColor(color)
        light.setAlpha(60)
        path = QPainterPath()
        path.addRoundedRect(rect, 3, 3)
        painter.fillPath(path, light)
        filled = QRectF(rect)
        filled.setWidth(rect.width() * max(0.0, min(activity.percent, 100.0)) / 100.0)
        if filled.width() > 0:
            painter.save()
            painter.setClipRect(filled)
            painter.fillPath(path, color)
            painter.restore()
        painter.setPen(QPen(color, 1))
        painter.drawPath(path)
        text = (
            _("cancelada")
            if activity.state == ActivityState.CANCELLED
            else percent_text(activity.percent)
        )
        after = QRectF(rect.right() + 4, top, metrics.horizontalAdvance(text) + 4, height)
        if after.right() <= self.chart_right() + MARGIN:
            painter.setPen(color.darker(120))
            painter.drawText(
                after, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, text
            )

    def _paint_today(self, painter: QPainter) -> None:
        x = self.x_for(self.today)
        header = self.header_height()
        bottom = self.row_top(len(self.rows))
        pen = QPen(TODAY, 2)
        pen.setStyle(Qt.PenStyle.DashLine)
        painter.setPen(pen)
        painter.drawLine(QPointF(x, header - 2), QPointF(x, bottom))
        font = QFont(self.font())
        font.setBold(True)
        painter.setFont(font)
        label = _("Hoy {date}", date=day_month(self.today))
        width = painter.fontMetrics().horizontalAdvance(label) + 8
        left = min(max(x - width / 2, self.chart_left()), self.chart_right() - width)
        box = QRectF(left, header - painter.fontMetrics().height() - 4, width, 0)
        box.setHeight(painter.fontMetrics().height() + 2)
        painter.fillRect(box, QColor("white"))
        painter.setPen(TODAY)
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter, label)
        painter.setFont(self.font())

    # Tooltips ----------------------------------------------------------------------------

    def row_at(self, y: float) -> TimelineRow | None:
        if y < self.header_height():
            return None
        index = int((y - self.header_height()) // self.row_height())
        return self.rows[index] if 0 <= index < len(self.rows) else None

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            row = self.row_at(event.pos().y())
            if row is None:
                QToolTip.hideText()
            elif row.activity is not None:
                QToolTip.showText(event.globalPos(), activity_tooltip(row.activity), self)
            else:
                QToolTip.showText(event.globalPos(), row.label, self)
            return True
        return super().event(event)


class TimelineData(NamedTuple):
    code: str
    municipality: str
    plan: PlanView | None


def load_timeline(profile: Profile, assistance: str) -> TimelineData:
    """The assistance (its code or id) and its plan, read on a worker thread."""
    from fieldkit.services import plans
    from fieldkit.services.assistances import get_assistance

    row = get_assistance(profile, assistance).row
    return TimelineData(row.code, row.municipality, plans.get_plan(profile, row.id))


def _swatch(color: QColor, text: str, parent: QWidget) -> QLabel:
    label = QLabel(parent)
    label.setText(f'<span style="color:{color.name()}; font-size:large;">■</span> {text}')
    return label


class TimelineDialog(QDialog):
    """«Cronograma del plan — AT-…»: the timeline in a scroll area, with the plan's figures."""

    def __init__(self, profile: Profile, assistance: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.profile = profile
        self.assistance = assistance
        self.data: TimelineData | None = None
        self.loaded = False
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle(_("Cronograma del plan — {code}", code=assistance))
        self.resize(1040, 600)

        self.heading = QLabel(self)
        font = self.heading.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.2)
        self.heading.setFont(font)
        self.progress = ProgressPair(self)
        self.timeline = TimelineWidget(self)
        self.scroll = QScrollArea(self)
        self.scroll.setWidget(self.timeline)
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.StyledPanel)
        legend = QHBoxLayout()
        for color, text in (
            (BLUE, _("En curso o pendiente")),
            (GREEN, _("Completa")),
            (RED, _("Vencida")),
            (GREY, _("Cancelada")),
            (TODAY, _("Hoy")),
        ):
            legend.addWidget(_swatch(color, text, self))
        legend.addStretch(1)
        legend.addWidget(
            QLabel(_("La parte llena de cada barra es el avance de la actividad."), self)
        )
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(_("&Cerrar"))
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.progress)
        layout.addWidget(self.scroll, 1)
        layout.addLayout(legend)
        layout.addWidget(buttons)
        self.reload()

    def reload(self) -> None:
        Op(self, load_timeline, self.profile, self.assistance, quiet=True).success(
            self.show_data
        ).run()

    def show_data(self, data: TimelineData, today: dt.date | None = None) -> None:
        self.data = data
        self.setWindowTitle(_("Cronograma del plan — {code}", code=data.code))
        plan = data.plan
        if plan is None:
            self.heading.setText(
                _(
                    "{code} · {municipality}: sin plan de acción",
                    code=data.code,
                    municipality=data.municipality,
                )
            )
        else:
            count = len(plan.activities)
            activities = ngettext(
                "{count} actividad", "{count} actividades", count, count=format_number(count)
            )
            self.heading.setText(
                _(
                    "{code} · {municipality} — plan {state} (versión {version}), {activities}",
                    code=data.code,
                    municipality=data.municipality,
                    state=_(plan.state_label).lower(),
                    version=plan.version,
                    activities=activities,
                )
            )
        self.progress.set_progress(plan.progress if plan is not None else None)
        self.timeline.set_plan(plan, today)
        self.loaded = True

    def on_changes(self, changes: Changes) -> None:
        if changes.touches(*PLAN_RELEVANT):
            self.reload()
