"""The Plan de acción of one assistance: write it, send it to review, approve or return it, and
follow it up — with results achieved always shown beside activities completed."""

from __future__ import annotations

import math
from collections.abc import Callable
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QAction, QBrush, QColor, QDesktopServices, QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QProgressBar,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QTableView,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from fieldkit.domain.plans import DECIDERS, PlanState
from fieldkit.domain.progress import PlanProgress, warning_reasons
from fieldkit.i18n import N_, _, format_date, format_datetime, format_number, ngettext
from fieldkit.services import plans
from fieldkit.services.plans import (
    ActivityRow,
    FindingRow,
    FollowUpRow,
    PlanInput,
    PlanView,
    Removed,
    ResultRow,
    VersionRow,
)
from fieldkit.ui.dialogs.plan_items import (
    PRIORITY_LABELS,
    ActivityDialog,
    DecisionDialog,
    FindingDialog,
    MeasurementDialog,
    PlanTextsDialog,
    ProgressDialog,
    ResultDialog,
    SuggestedFindingsDialog,
    VersionDialog,
    VisitsDialog,
    activity_state_label,
    indicator_text,
    indicator_tooltip,
    quantity,
    responsible_text,
    visit_label,
)
from fieldkit.ui.forms.markup import HINT_COLOR
from fieldkit.ui.models import Column, RowsModel
from fieldkit.ui.ops import Latest, Op
from fieldkit.ui.widgets.common import (
    UndoBar,
    current_row,
    fit_columns,
    gate_button,
    setup_table,
    stretch_columns,
    tool_button,
)

if TYPE_CHECKING:
    from PySide6.QtWidgets import QDialog

    from fieldkit.services.assistances import AssistanceRow
    from fieldkit.services.changes import Changes
    from fieldkit.services.forms import Visit
    from fieldkit.services.profile import Profile

# What the panel shows: it reloads when one of these changes (visits are fillings).
RELEVANT = (*plans.PLAN_ENTITIES, "attachment", "submission", "answer")

KIND_ROLE = Qt.ItemDataRole.UserRole
ID_ROLE = Qt.ItemDataRole.UserRole + 1
RESULT, ACTIVITY = "result", "activity"

OVERDUE_COLOR = "#b00020"
DONE_COLOR = "#1b6e20"
RESULTS_COLOR = "#2e7d32"
ACTIVITIES_COLOR = "#1565c0"
WARNING_COLOR = "#e0a100"
MINIMUM_HEIGHT = 600  # pixels: below this the plan scrolls
WARNING_STYLE = (
    "QLabel { background: #fff4dc; border: 1px solid #e0a100; border-radius: 4px;"
    " color: #5c3b00; padding: 6px 10px; }"
)
RETURNED_STYLE = (
    "QLabel { background: #fdecea; border: 1px solid #d9534f; border-radius: 4px;"
    " color: #611a15; padding: 6px 10px; }"
)
INFO_STYLE = (
    "QLabel { background: #eef4fb; border: 1px solid #9dbbe0; border-radius: 4px;"
    " color: #1c3d66; padding: 6px 10px; }"
)
APPROVED_STYLE = (
    "QLabel { background: #edf7ee; border: 1px solid #8bc48f; border-radius: 4px;"
    " color: #1e4620; padding: 6px 10px; }"
)
STATE_COLORS = {
    PlanState.DRAFT: ("#ececec", "#3c4043"),
    PlanState.SUBMITTED: ("#dbe8f8", "#1c3d66"),
    PlanState.APPROVED: ("#d7efd9", "#1e4620"),
    PlanState.RETURNED: ("#fbdcd9", "#611a15"),
}
ROLE_NOTE = N_(
    "Solo un revisor o un coordinador aprueba o devuelve un plan. El rol de este equipo se elige "
    "en Archivo → Perfil de este equipo…"
)


class PlanData(NamedTuple):
    assistance_id: str
    plan: PlanView | None
    visits: tuple[Visit, ...]
    role: str


def load_plan(profile: Profile, assistance_id: str) -> PlanData:
    """The plan of the assistance with its visits, and the role of this profile (a worker thread)."""
    from fieldkit.services import forms

    plan = plans.get_plan(profile, assistance_id)
    visits = tuple(forms.visits(profile, assistance_id)) if plan is not None else ()
    return PlanData(assistance_id, plan, visits, profile.role)


# How figures read -----------------------------------------------------------------------------


def percent_text(value: float | None) -> str:
    """Rounded down, as the warning reads them: 29,6 % is not yet 30 %."""
    return format_number(math.floor(value)) if value is not None else ""


def results_figure(progress: PlanProgress) -> str:
    if progress.results_percent is None:
        return _("Resultados logrados: sin medición")
    return _("Resultados logrados: {percent} %", percent=percent_text(progress.results_percent))


def activities_figure(progress: PlanProgress) -> str:
    if progress.activities_percent is None:
        return _("Actividades completadas: sin actividades")
    return _(
        "Actividades completadas: {percent} %", percent=percent_text(progress.activities_percent)
    )


def warning_text(progress: PlanProgress) -> str:
    reasons = warning_reasons(progress)
    if reasons is None:
        return ""
    msgid, params = reasons
    return _(msgid, **params)


def result_progress_text(result: ResultRow) -> str:
    if not result.id:
        return ""
    if result.measured is None:
        return _("sin medición")
    value = format_number(result.measured)  # the unit is in the indicator's column
    day = format_date(result.measured_on) or "—"
    if result.achievement is None:
        return _("{value} al {date}", value=value, date=day)
    return _(
        "Logro {percent} % · {value} al {date}",
        percent=percent_text(result.achievement * 100),
        value=value,
        date=day,
    )


def activity_progress_text(activity: ActivityRow) -> str:
    text = f"{percent_text(activity.percent)} % · {activity_state_label(activity.state)}"
    return f"{text} · {_('vencida')}" if activity.overdue else text


def follow_up_text(row: FollowUpRow, unit: str = "") -> str:
    if row.activity_id:
        return f"{percent_text(row.progress or 0)} % · {activity_state_label(row.state)}"
    return quantity(row.value, unit)


def evidence_text(row: FollowUpRow) -> str:
    return ", ".join(e.file_name for e in row.evidence)


def _banner(style: str, parent: QWidget) -> QLabel:
    label = QLabel(parent)
    label.setWordWrap(True)
    label.setStyleSheet(style)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.hide()
    return label


class ProgressFigure(QFrame):
    """One of the two figures of the strip: a title with the percent, a bar, what it counts."""

    def __init__(self, color: str, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(name)
        self.title = QLabel(self)
        font = QFont(self.title.font())
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() + 1)
        self.title.setFont(font)
        self.bar = QProgressBar(self)
        self.bar.setRange(0, 100)
        self.bar.setTextVisible(False)
        self.bar.setFixedHeight(10)
        self.set_color(color)
        self.caption = QLabel(self)
        self.caption.setStyleSheet(f"color: {HINT_COLOR};")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(3)
        layout.addWidget(self.title)
        layout.addWidget(self.bar)
        layout.addWidget(self.caption)

    def set_color(self, color: str) -> None:
        self.bar.setStyleSheet(
            "QProgressBar { background: #e8eaed; border: none; border-radius: 4px; }"
            f"QProgressBar::chunk {{ background: {color}; border-radius: 4px; }}"
        )

    def show_figure(self, title: str, percent: float | None, caption: str) -> None:
        self.title.setText(title)
        self.bar.setValue(math.floor(percent) if percent is not None else 0)
        self.caption.setText(caption)


class PlanPanel(QWidget):
    """The plan of the selected assistance: header with state and progress, the tree of results
    and activities, and below it follow-up, texts, findings and versions."""

    def __init__(self, profile: Profile, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.profile = profile
        self.assistance: AssistanceRow | None = None
        self.data: PlanData | None = None
        self.loaded = False
        self._latest = Latest(self)
        self._removed: tuple[Removed, str] | None = None
        self._first_show = True
        self._results: dict[str, tuple[int, ResultRow]] = {}
        self._activities: dict[str, tuple[str, ActivityRow]] = {}
        self.last_dialog: QDialog | None = None
        # Run once after the next load (select what was just added). Not a Qt signal: each
        # Signal.emit() of PySide6 6.12.0 drops a reference to True (the interpreter aborts at exit).
        self._after_load: list[Callable[[], None]] = []

        self.stack = QStackedWidget(self)
        self.stack.addWidget(self._empty_page())
        # In a short window the plan scrolls as a whole rather than squeeze its tree to two rows.
        page = self._plan_page()
        page.setMinimumHeight(MINIMUM_HEIGHT)
        self.scroll = QScrollArea(self)
        self.scroll.setWidget(page)
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.stack.addWidget(self.scroll)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 6, 4, 4)
        layout.addWidget(self.stack)

        self.undo_shortcut = QShortcut(QKeySequence(QKeySequence.StandardKey.Undo), self)
        self.undo_shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.undo_shortcut.activated.connect(lambda: self.undo())
        self._show_nothing(_("Elija una asistencia de la lista para ver su plan de acción."))

    # Building ------------------------------------------------------------------------------

    def _empty_page(self) -> QWidget:
        page = QWidget(self)
        self.empty_label = QLabel(page)
        self.empty_label.setWordWrap(True)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.empty_label.setMaximumWidth(720)
        self.create_button = tool_button(
            _("&Crear plan de acción"),
            page,
            _("Escribir el problema, el objetivo y la alternativa del plan de esta asistencia"),
        )
        row = QHBoxLayout()
        row.addWidget(self.create_button)
        row.addStretch(1)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(self.empty_label)
        layout.addSpacing(8)
        layout.addLayout(row)
        layout.addStretch(1)
        self.create_button.clicked.connect(lambda: self.create_plan())
        return page

    def _plan_page(self) -> QWidget:
        page = QWidget(self)
        # Header: title, state, workflow.
        self.title = QLabel(page)
        font = QFont(self.title.font())
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() + 2)
        self.title.setFont(font)
        self.state_label = QLabel(page)
        self.state_label.setAccessibleName(_("Estado del plan"))
        self.submit_button = tool_button(
            _("Enviar a re&visión"),
            page,
            _("Enviar el plan a un revisor o coordinador; mientras se revisa no se modifica"),
        )
        self.approve_button = tool_button(
            _("A&probar…"), page, _("Aprobar la versión enviada (revisores y coordinadores)")
        )
        self.return_button = tool_button(
            _("Devolver con c&omentarios…"),
            page,
            _("Devolver el plan al equipo con lo que debe corregir (revisores y coordinadores)"),
        )
        self.new_version_button = tool_button(
            _("Nueva &versión"),
            page,
            _("Abrir el plan aprobado para cambiarlo; la versión aprobada sigue disponible"),
        )
        self.timeline_button = tool_button(
            _("Cro&nograma…"), page, _("Las actividades del plan en el tiempo, con la fecha de hoy")
        )
        self.timeline_button.clicked.connect(self.show_timeline)
        header = QHBoxLayout()
        header.addWidget(self.title)
        header.addSpacing(8)
        header.addWidget(self.state_label)
        header.addStretch(1)
        for button in (
            self.timeline_button,
            self.submit_button,
            self.approve_button,
            self.return_button,
            self.new_version_button,
        ):
            header.addWidget(button)

        # The progress strip: results first, activities beside.
        self.results_figure = ProgressFigure(RESULTS_COLOR, _("Resultados logrados"), page)
        self.activities_figure = ProgressFigure(
            ACTIVITIES_COLOR, _("Actividades completadas"), page
        )
        strip = QHBoxLayout()
        strip.setSpacing(32)
        strip.addWidget(self.results_figure, 1)
        strip.addWidget(self.activities_figure, 1)
        self.warning = _banner(WARNING_STYLE, page)
        self.warning.setAccessibleName(_("Advertencia del avance"))
        self.decision = _banner(INFO_STYLE, page)
        self.decision.setAccessibleName(_("Revisión del plan"))

        # The tree of results and activities, with its tools.
        self.add_result_button = tool_button(
            _("Agregar &resultado…"), page, _("Un resultado esperado con su indicador y meta")
        )
        self.add_activity_button = tool_button(
            _("Agregar a&ctividad…"),
            page,
            _("Una actividad bajo el resultado elegido (Insert)"),
        )
        self.edit_button = tool_button(
            _("Ed&itar…"), page, _("Editar lo elegido (Enter o doble clic)")
        )
        self.up_button = tool_button("↑ " + _("Subir"), page, _("Subir lo elegido (Ctrl+↑)"))
        self.down_button = tool_button("↓ " + _("Bajar"), page, _("Bajar lo elegido (Ctrl+↓)"))
        self.remove_button = tool_button(_("Eliminar…"), page, _("Eliminar lo elegido (Supr)"))
        tools = QHBoxLayout()
        for button in (
            self.add_result_button,
            self.add_activity_button,
            self.edit_button,
            self.up_button,
            self.down_button,
            self.remove_button,
        ):
            tools.addWidget(button)
        tools.addStretch(1)
        self.tree = QTreeWidget(page)
        self.tree.setAccessibleName(_("Resultados y actividades del plan"))
        self.tree.setColumnCount(6)
        self.tree.setHeaderLabels(
            [
                _("Resultado / actividad"),
                _("Indicador"),
                _("Responsable"),
                _("Inicio"),
                _("Fin"),
                _("Avance"),
            ]
        )
        self.tree.setAlternatingRowColors(True)
        self.tree.setUniformRowHeights(True)
        self.tree.setExpandsOnDoubleClick(False)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.tree.setStyleSheet("QTreeWidget::item { padding: 3px 0; }")
        tree_header = self.tree.header()
        tree_header.setStretchLastSection(False)
        tree_header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        tree_header.setMinimumSectionSize(60)
        self.undo_bar = UndoBar(page)
        self.undo_label, self.undo_button = self.undo_bar.label, self.undo_bar.button
        tree_box = QWidget(page)
        tree_layout = QVBoxLayout(tree_box)
        tree_layout.setContentsMargins(0, 0, 0, 0)
        tree_layout.addLayout(tools)
        tree_layout.addWidget(self.tree, 1)
        tree_layout.addWidget(self.undo_bar)

        self.tabs = QTabWidget(page)
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self._follow_up_tab(), _("Seguimiento"))
        self.tabs.addTab(self._texts_tab(), _("Problema y objetivo"))
        self.tabs.addTab(self._findings_tab(), _("Hallazgos"))
        self.tabs.addTab(self._versions_tab(), _("Versiones"))

        splitter = QSplitter(Qt.Orientation.Vertical, page)
        splitter.addWidget(tree_box)
        splitter.addWidget(self.tabs)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setChildrenCollapsible(False)

        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(header)
        layout.addSpacing(2)
        layout.addLayout(strip)
        layout.addWidget(self.warning)
        layout.addWidget(self.decision)
        layout.addWidget(splitter, 1)

        self._make_actions()
        self.submit_button.clicked.connect(lambda: self.submit())
        self.approve_button.clicked.connect(lambda: self.decide(approve=True))
        self.return_button.clicked.connect(lambda: self.decide(approve=False))
        self.new_version_button.clicked.connect(lambda: self.new_version())
        self.add_result_button.clicked.connect(lambda: self.add_result())
        self.add_activity_button.clicked.connect(lambda: self.add_activity())
        self.edit_button.clicked.connect(lambda: self.edit_selected())
        self.up_button.clicked.connect(lambda: self.move_selected(-1))
        self.down_button.clicked.connect(lambda: self.move_selected(1))
        self.remove_button.clicked.connect(lambda: self.remove_selected())
        self.undo_button.clicked.connect(lambda: self.undo())
        self.tree.itemActivated.connect(lambda *_args: self.edit_selected())
        self.tree.itemSelectionChanged.connect(self._selection_changed)
        return page

    def _make_actions(self) -> None:
        """Keyboard shortcuts and the context menu of the tree, doing what the buttons do."""

        def action(text: str, slot: Any, shortcut: QKeySequence | str | None = None) -> QAction:
            item = QAction(text, self.tree)
            if shortcut is not None:
                item.setShortcut(QKeySequence(shortcut))
                item.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
            item.triggered.connect(lambda _checked=False: slot())
            self.tree.addAction(item)
            return item

        self.add_activity_action = action(
            _("Agregar actividad…"), self.add_activity, QKeySequence(Qt.Key.Key_Insert)
        )
        self.edit_action = action(_("Editar…"), self.edit_selected, QKeySequence(Qt.Key.Key_F2))
        self.up_action = action(_("Subir"), lambda: self.move_selected(-1), "Ctrl+Up")
        self.down_action = action(_("Bajar"), lambda: self.move_selected(1), "Ctrl+Down")
        self.remove_action = action(
            _("Eliminar…"), self.remove_selected, QKeySequence(QKeySequence.StandardKey.Delete)
        )
        separator = QAction(self.tree)
        separator.setSeparator(True)
        self.tree.addAction(separator)
        self.progress_action = action(_("Registrar avance…"), self.record_progress)
        self.measure_action = action(_("Registrar medición…"), self.record_measurement)
        self.visits_action = action(_("Vincular visitas…"), self.link_visits)
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)

    def _follow_up_tab(self) -> QWidget:
        tab = QWidget(self)
        self.item_title = QLabel(tab)
        self.item_title.setWordWrap(True)
        self.item_summary = QLabel(tab)
        self.item_summary.setWordWrap(True)
        self.item_summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.item_visits = QLabel(tab)
        self.item_visits.setWordWrap(True)
        self.item_visits.setStyleSheet(f"color: {HINT_COLOR};")
        self.progress_button = tool_button(
            _("Registrar a&vance…"),
            tab,
            _("Avance (porcentaje y estado) de la actividad en una fecha, con evidencias"),
        )
        self.measure_button = tool_button(
            _("Registrar &medición…"),
            tab,
            _("Valor medido del indicador del resultado en una fecha, con evidencias"),
        )
        self.visits_button = tool_button(
            _("Vinc&ular visitas…"),
            tab,
            _("Las visitas de la bitácora en las que se avanzó en la actividad"),
        )
        self.history: RowsModel[FollowUpRow] = RowsModel(
            [
                Column(_("Fecha"), lambda r: format_date(r.recorded_on)),
                Column(
                    _("Registro"),
                    lambda r: follow_up_text(r, self._unit),
                ),
                Column(_("Nota"), self._note_text, tooltip=self._note_text),
                Column(_("Registrado por"), lambda r: r.recorded_by),
                Column(
                    _("Evidencias"),
                    evidence_text,
                    tooltip=lambda r: "\n".join(
                        f"{e.file_name} — {e.caption}" if e.caption else e.file_name
                        for e in r.evidence
                    ),
                ),
            ],
            self,
        )
        self._unit = ""
        self.history_table = QTableView(tab)
        self.history_table.setModel(self.history)
        self.history_table.setAccessibleName(_("Historial de seguimiento"))
        setup_table(
            self.history_table, ("00/00/0000", "100 % · En curso", 30, 16, 20), sort_column=None
        )
        stretch_columns(self.history_table, 2)
        self.history_table.setToolTip(_("Doble clic: abrir las evidencias del registro"))
        info = QVBoxLayout()
        info.addWidget(self.item_title)
        info.addWidget(self.item_summary)
        buttons = QHBoxLayout()
        buttons.addWidget(self.progress_button)
        buttons.addWidget(self.measure_button)
        buttons.addStretch(1)
        info.addLayout(buttons)
        info.addWidget(self.visits_button, 0, Qt.AlignmentFlag.AlignLeft)
        info.addWidget(self.item_visits)
        info.addStretch(1)
        info_box = QWidget(tab)
        info_box.setLayout(info)
        info_box.setFixedWidth(400)
        layout = QHBoxLayout(tab)
        layout.setContentsMargins(4, 6, 4, 4)
        layout.addWidget(info_box)
        layout.addWidget(self.history_table, 1)
        self.progress_button.clicked.connect(lambda: self.record_progress())
        self.measure_button.clicked.connect(lambda: self.record_measurement())
        self.visits_button.clicked.connect(lambda: self.link_visits())
        self.history_table.activated.connect(lambda _index: self.open_evidence())
        return tab

    @staticmethod
    def _note_text(row: FollowUpRow) -> str:
        note = row.note.replace("\n", " ")
        if row.verification:
            verified = _("Verificación: {text}", text=row.verification)
            return f"{note} · {verified}" if note else verified
        return note

    def _texts_tab(self) -> QWidget:
        tab = QWidget(self)
        self.texts = QLabel(tab)
        self.texts.setWordWrap(True)
        self.texts.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.texts.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        scroll = QScrollArea(tab)
        scroll.setWidget(self.texts)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.texts_button = tool_button(
            _("Editar te&xtos…"), tab, _("Problema, objetivo general y alternativa de solución")
        )
        side = QVBoxLayout()
        side.addWidget(self.texts_button)
        side.addStretch(1)
        layout = QHBoxLayout(tab)
        layout.setContentsMargins(4, 6, 4, 4)
        layout.addWidget(scroll, 1)
        layout.addLayout(side)
        self.texts_button.clicked.connect(lambda: self.edit_texts())
        return tab

    def _findings_tab(self) -> QWidget:
        tab = QWidget(self)
        self.findings: RowsModel[FindingRow] = RowsModel(
            [
                Column(_("Hallazgo"), lambda r: r.statement, tooltip=lambda r: r.statement),
                Column(_("Área"), lambda r: r.area),
                Column(
                    _("Prioridad"),
                    lambda r: (
                        _(PRIORITY_LABELS[r.priority]) if r.priority in PRIORITY_LABELS else ""
                    ),
                ),
                Column(_("Lo atiende"), self._addressed_by, tooltip=self._addressed_tooltip),
            ],
            self,
        )
        self.findings_table = QTableView(tab)
        self.findings_table.setModel(self.findings)
        self.findings_table.setAccessibleName(_("Hallazgos del diagnóstico"))
        setup_table(self.findings_table, (50, 16, "Prioridad", 16), sort_column=None)
        stretch_columns(self.findings_table, 0)
        self.add_finding_button = tool_button(
            _("Agregar hallazgo…"), tab, _("Un hallazgo del diagnóstico, escrito por el equipo")
        )
        self.suggest_button = tool_button(
            _("Sugerir del diagnóstico…"),
            tab,
            _("Las áreas débiles del diagnóstico y su respuesta «principales hallazgos»"),
        )
        self.remove_finding_button = tool_button(_("Eliminar hallazgo…"), tab)
        buttons = QVBoxLayout()
        for button in (self.add_finding_button, self.suggest_button, self.remove_finding_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QHBoxLayout(tab)
        layout.setContentsMargins(4, 6, 4, 4)
        layout.addWidget(self.findings_table, 1)
        layout.addLayout(buttons)
        self.add_finding_button.clicked.connect(lambda: self.add_finding())
        self.suggest_button.clicked.connect(lambda: self.suggest_findings())
        self.remove_finding_button.clicked.connect(lambda: self.remove_finding())
        self.findings_table.selectionModel().selectionChanged.connect(self._update_finding_buttons)
        self.findings.modelReset.connect(self._update_finding_buttons)
        return tab

    def _versions_tab(self) -> QWidget:
        tab = QWidget(self)
        self.versions: RowsModel[VersionRow] = RowsModel(
            [
                Column(_("N.º"), lambda r: str(r.number), align_right=True),
                Column(_("Versión"), lambda r: str(r.version), align_right=True),
                Column(_("Enviada"), lambda r: format_datetime(r.submitted_at)),
                Column(_("Por"), lambda r: r.submitted_by),
                Column(_("Decisión"), lambda r: _(plans.decision_text(r))),
                Column(_("Decidida"), lambda r: format_datetime(r.decided_at)),
                Column(_("Por"), lambda r: r.decided_by),
                Column(
                    _("Comentarios"),
                    lambda r: r.comments.replace("\n", " "),
                    tooltip=lambda r: r.comments,
                ),
            ],
            self,
        )
        self.versions_table = QTableView(tab)
        self.versions_table.setModel(self.versions)
        self.versions_table.setAccessibleName(_("Versiones del plan"))
        setup_table(
            self.versions_table,
            ("N.º", "Versión", "00/00/0000 00:00", 16, "En revisión", "00/00/0000 00:00", 16, 30),
            sort_column=None,
        )
        self.view_version_button = tool_button(
            _("Ver versión…"), tab, _("Lo que se envió en la versión elegida (Enter)")
        )
        side = QVBoxLayout()
        side.addWidget(self.view_version_button)
        side.addStretch(1)
        layout = QHBoxLayout(tab)
        layout.setContentsMargins(4, 6, 4, 4)
        layout.addWidget(self.versions_table, 1)
        layout.addLayout(side)
        self.view_version_button.clicked.connect(lambda: self.view_version())
        self.versions_table.activated.connect(lambda _index: self.view_version())
        self.versions_table.selectionModel().selectionChanged.connect(
            lambda *_args: self.view_version_button.setEnabled(self.selected_version() is not None)
        )
        self.versions.modelReset.connect(
            lambda: self.view_version_button.setEnabled(self.selected_version() is not None)
        )
        self.view_version_button.setEnabled(False)
        return tab

    # Loading -------------------------------------------------------------------------------

    def show_assistance(self, row: AssistanceRow | None) -> None:
        changed = (row.id if row else None) != (self.assistance.id if self.assistance else None)
        self.assistance = row
        if changed:
            self.data = None
            self.loaded = False
            self._set_removed(None)
            self._first_show = True
            if row is None:
                self._show_nothing(
                    _("Elija una asistencia de la lista para ver su plan de acción.")
                )
            else:
                self._show_nothing(_("Cargando el plan de acción…"))
        self.refresh()

    def refresh(self) -> None:
        """Read the plan again (after a change here, or one the window announces)."""
        row = self.assistance
        if row is None:
            return

        def done(data: PlanData) -> None:
            current = self.assistance
            if current is not None and data.assistance_id == current.id:
                self.show_data(data)

        self._latest.run(load_plan, self.profile, row.id, then=done)

    def on_changes(self, changes: Changes) -> None:
        """For the window: refresh when the plan, its follow-up or the visits changed."""
        if changes.touches(*RELEVANT):
            self.refresh()

    def _show_nothing(self, text: str, can_create: bool = False) -> None:
        self.empty_label.setText(text)
        self.create_button.setVisible(can_create)
        self.stack.setCurrentIndex(0)

    def show_data(self, data: PlanData) -> None:
        self.data = data
        self.loaded = True
        plan = data.plan
        if plan is None:
            self._show_nothing(
                _(
                    "Esta asistencia todavía no tiene plan de acción.\n\n"
                    "El plan de acción municipal recoge el problema que se quiere resolver con la "
                    "alcaldía, el objetivo general y la alternativa de solución; los resultados "
                    "esperados, cada uno con su indicador, línea base y meta; y las actividades "
                    "para lograrlos, con responsable y fechas. Se envía a revisión y, una vez "
                    "aprobado, se le hace seguimiento: avance de las actividades y medición de "
                    "los resultados."
                ),
                can_create=True,
            )
            self._loaded()
            return
        self.stack.setCurrentIndex(1)
        self._show_header(plan, data.role)
        self._show_texts(plan)
        self._fill_tree(plan)
        self._show_findings(plan)
        self.versions.set_rows(plan.versions)
        fit_columns(self.versions_table, maximum=260)
        self.tabs.setTabText(2, self._counted(_("Hallazgos"), len(plan.findings)))
        self.tabs.setTabText(3, self._counted(_("Versiones"), len(plan.versions)))
        if self._first_show:  # a new assistance: its follow-up, or its texts while it has none
            self._first_show = False
            self.tabs.setCurrentIndex(0 if plan.results else 1)
        if not plan.editable:
            self._set_removed(None)
        self._update_buttons()
        self._show_selected()
        self._loaded()

    def _loaded(self) -> None:
        callbacks, self._after_load = self._after_load, []
        for callback in callbacks:
            callback()

    @staticmethod
    def _counted(title: str, count: int) -> str:
        return f"{title} ({count})" if count else title

    def _show_header(self, plan: PlanView, role: str) -> None:
        self.title.setText(_("Plan de acción · versión {n}", n=plan.version))
        background, color = STATE_COLORS[plan.state]
        self.state_label.setText(_(plan.state_label))
        self.state_label.setStyleSheet(
            f"QLabel {{ background: {background}; color: {color}; border-radius: 9px;"
            " padding: 2px 10px; font-weight: 600; }"
        )
        progress = plan.progress
        measured = ngettext(
            "{measured} de {n} resultado medido",
            "{measured} de {n} resultados medidos",
            progress.results_total,
            measured=progress.results_measured,
        )
        if not progress.results_total:
            measured = _("Agregue los resultados esperados")
        elif not progress.results_measured:
            measured = _("Sin medición: ningún resultado medido todavía")
        self.results_figure.show_figure(
            results_figure(progress), progress.results_percent, measured
        )
        complete = ngettext(
            "{complete} de {n} actividad completa",
            "{complete} de {n} actividades completas",
            progress.activities_total,
            complete=progress.activities_complete,
        )
        if progress.overdue:
            late = ngettext("{n} vencida", "{n} vencidas", progress.overdue)
            complete = f"{complete} · <span style='color:{OVERDUE_COLOR};'>{late}</span>"
        self.activities_figure.show_figure(
            activities_figure(progress),
            progress.activities_percent,
            complete if progress.activities_total else _("Agregue las actividades"),
        )
        reason = warning_text(progress)
        self.results_figure.set_color(WARNING_COLOR if reason else RESULTS_COLOR)
        self.warning.setText(
            f"⚠ <b>{escape(_('Atención:'))}</b> {escape(reason)}" if reason else ""
        )
        self.warning.setVisible(bool(reason))
        self._show_decision(plan, role)
        deciders = role in DECIDERS
        submitted = plan.state is PlanState.SUBMITTED
        self.submit_button.setVisible(plan.editable)
        self.approve_button.setVisible(submitted)
        self.return_button.setVisible(submitted)
        self.new_version_button.setVisible(plan.state is PlanState.APPROVED)
        gate_button(self.approve_button, deciders, _(ROLE_NOTE))
        gate_button(self.return_button, deciders, _(ROLE_NOTE))

    def _show_decision(self, plan: PlanView, role: str) -> None:
        last = plan.last_version
        text, style = "", INFO_STYLE
        if plan.state is PlanState.RETURNED and last is not None:
            style = RETURNED_STYLE
            text = "<b>{}</b><br>{}<br><i>{}</i>".format(
                escape(
                    _(
                        "Devuelto con comentarios por {who} el {date}:",
                        who=last.decided_by or "—",
                        date=format_datetime(last.decided_at) or "—",
                    )
                ),
                escape(last.comments or _("(sin comentarios)")).replace("\n", "<br>"),
                escape(_("Corrija el plan y envíelo otra vez a revisión.")),
            )
        elif plan.state is PlanState.SUBMITTED and last is not None:
            sent = _(
                "Versión {version} enviada a revisión por {who} el {date}.",
                version=last.version,
                who=last.submitted_by or "—",
                date=format_datetime(last.submitted_at) or "—",
            )
            then = (
                _("Revísela y apruébela o devuélvala al equipo con comentarios.")
                if role in DECIDERS
                else _(
                    "Mientras se revisa no se modifica; un revisor o un coordinador la aprobará "
                    "o la devolverá con comentarios."
                )
            )
            text = f"{escape(sent)} {escape(then)}"
        elif plan.state is PlanState.APPROVED and last is not None:
            style = APPROVED_STYLE
            text = escape(
                _(
                    "Aprobado por {who} el {date}.",
                    who=last.decided_by or "—",
                    date=format_datetime(last.decided_at) or "—",
                )
            )
            if last.comments:
                text += " " + escape(_("Comentarios: {text}", text=last.comments))
        elif plan.state is PlanState.DRAFT and plan.version > 1:
            text = escape(
                _(
                    "Versión {n} en borrador: la versión aprobada anterior sigue disponible en "
                    "«Versiones».",
                    n=plan.version,
                )
            )
        self.decision.setStyleSheet(style)
        self.decision.setText(text)
        self.decision.setVisible(bool(text))

    def _show_texts(self, plan: PlanView) -> None:
        def block(title: str, text: str) -> str:
            body = (
                escape(text).replace("\n", "<br>")
                if text
                else f"<span style='color:{HINT_COLOR};'>{escape(_('Sin escribir'))}</span>"
            )
            return f"<p style='margin:0 0 6px 0;'><b>{escape(title)}</b><br>{body}</p>"

        self.texts.setText(
            block(_("Problema"), plan.problem)
            + block(_("Objetivo general"), plan.objective)
            + block(_("Alternativa de solución"), plan.alternative)
        )

    def _fill_tree(self, plan: PlanView) -> None:
        selected = self.selected_key()
        self.tree.blockSignals(True)
        self.tree.clear()
        self._results = {}
        self._activities = {}
        bold = QFont(self.tree.font())
        bold.setBold(True)
        overdue = QBrush(QColor(OVERDUE_COLOR))
        done = QBrush(QColor(DONE_COLOR))
        number = 0
        for result in plan.results:
            if result.id:
                number += 1
                self._results[result.id] = (number, result)
                label = f"R{number}. {result.statement}"
            else:
                label = _("Actividades sin resultado (su resultado se eliminó en otro equipo)")
            item = QTreeWidgetItem(
                [
                    label,
                    indicator_text(result),
                    "",
                    "",
                    format_date(result.due_on),
                    result_progress_text(result),
                ]
            )
            item.setData(0, KIND_ROLE, RESULT)
            item.setData(0, ID_ROLE, result.id)
            item.setFont(0, bold)
            item.setToolTip(0, result.statement)
            item.setToolTip(1, indicator_tooltip(result))
            item.setToolTip(4, _("Fecha de la meta"))
            if result.achievement is not None and result.achievement >= 1:
                item.setForeground(5, done)
            self.tree.addTopLevelItem(item)
            for a_number, activity in enumerate(result.activities, start=1):
                self._activities[activity.id] = (result.id, activity)
                prefix = f"{number}.{a_number} " if result.id else ""
                child = QTreeWidgetItem(
                    [
                        prefix + activity.description,
                        "",
                        responsible_text(activity),
                        format_date(activity.start_on),
                        format_date(activity.end_on),
                        activity_progress_text(activity),
                    ]
                )
                child.setData(0, KIND_ROLE, ACTIVITY)
                child.setData(0, ID_ROLE, activity.id)
                child.setToolTip(0, activity.description)
                child.setToolTip(2, responsible_text(activity))
                if activity.overdue:
                    for column in range(6):
                        child.setForeground(column, overdue)
                    child.setToolTip(
                        5,
                        _(
                            "Vencida: debía terminar el {date} y no está completa.",
                            date=format_date(activity.end_on),
                        ),
                    )
                elif activity.complete:
                    child.setForeground(5, done)
                item.addChild(child)
        self.tree.expandAll()
        self._fit_tree()
        self.tree.blockSignals(False)
        if selected is not None:
            self.select(*selected)

    def _fit_tree(self) -> None:
        caps = {1: 230, 2: 190, 3: 0, 4: 0, 5: 250}
        for column, cap in caps.items():
            self.tree.resizeColumnToContents(column)
            width = self.tree.columnWidth(column) + 12
            self.tree.setColumnWidth(column, min(width, cap) if cap else width)

    def _show_findings(self, plan: PlanView) -> None:
        selected = self.selected_finding()
        self.findings.set_rows(plan.findings)
        if selected is not None:
            index = self.findings.find(lambda r: r.id == selected.id)
            if index >= 0:
                self.findings_table.selectRow(index)

    def _addressed_by(self, finding: FindingRow) -> str:
        numbers = sorted(self._results[r][0] for r in finding.results if r in self._results)
        return ", ".join(f"R{n}" for n in numbers) or "—"

    def _addressed_tooltip(self, finding: FindingRow) -> str:
        return "\n".join(
            f"R{self._results[r][0]}. {self._results[r][1].statement}"
            for r in finding.results
            if r in self._results
        )

    # Selection -----------------------------------------------------------------------------

    @property
    def plan(self) -> PlanView | None:
        return self.data.plan if self.data is not None else None

    def selected_key(self) -> tuple[str, str] | None:
        items = self.tree.selectedItems()
        if not items:
            return None
        item = items[0]
        return item.data(0, KIND_ROLE), item.data(0, ID_ROLE)

    def selected_result(self) -> ResultRow | None:
        key = self.selected_key()
        if key is None or key[0] != RESULT or key[1] not in self._results:
            return None
        return self._results[key[1]][1]

    def selected_activity(self) -> ActivityRow | None:
        key = self.selected_key()
        if key is None or key[0] != ACTIVITY or key[1] not in self._activities:
            return None
        return self._activities[key[1]][1]

    def select(self, kind: str, record_id: str) -> bool:
        for item in self._items():
            if item.data(0, KIND_ROLE) == kind and item.data(0, ID_ROLE) == record_id:
                self.tree.setCurrentItem(item)
                self.tree.scrollToItem(item)
                return True
        return False

    def _items(self) -> list[QTreeWidgetItem]:
        out = []
        for top in range(self.tree.topLevelItemCount()):
            item = self.tree.topLevelItem(top)
            out.append(item)
            out.extend(item.child(i) for i in range(item.childCount()))
        return out

    def item_texts(self) -> list[list[str]]:
        """What the tree shows, row by row (results, each followed by its activities)."""
        return [[item.text(c) for c in range(self.tree.columnCount())] for item in self._items()]

    def selected_finding(self) -> FindingRow | None:
        return self.findings.row_at(current_row(self.findings_table))

    def selected_version(self) -> VersionRow | None:
        return self.versions.row_at(current_row(self.versions_table))

    def _selection_changed(self) -> None:
        self._update_buttons()
        self._show_selected()

    def _show_selected(self) -> None:
        result, activity = self.selected_result(), self.selected_activity()
        if activity is not None:
            self._unit = ""
            self.item_title.setText(
                f"<b>{escape(_('Actividad'))} {escape(self._activity_number(activity))}</b> "
                f"{escape(activity.description)}"
            )
            parts = [
                escape(activity_progress_text(activity)),
                escape(responsible_text(activity)),
            ]
            when = " – ".join(
                d for d in (format_date(activity.start_on), format_date(activity.end_on)) if d
            )
            if when:
                parts.append(escape(when))
            if activity.followed_on:
                parts.append(
                    escape(_("último registro el {date}", date=format_date(activity.followed_on)))
                )
            summary = " · ".join(parts)
            if activity.overdue:
                summary = f"<span style='color:{OVERDUE_COLOR};'>{summary}</span>"
            self.item_summary.setText(summary)
            self.history.set_rows(list(reversed(activity.follow_ups)))
            self._show_visits(activity)
        elif result is not None:
            self._unit = result.unit
            number = self._results[result.id][0]
            self.item_title.setText(f"<b>R{number}.</b> {escape(result.statement)}")
            summary = escape(indicator_text(result) or _("Sin indicador"))
            if result.measured is not None:
                measured = _(
                    "Medido: {value} el {date}",
                    value=quantity(result.measured, result.unit),
                    date=format_date(result.measured_on) or "—",
                )
                if result.achievement is not None:
                    measured += " · " + _(
                        "logro {percent} %", percent=percent_text(result.achievement * 100)
                    )
                summary += "<br>" + escape(measured)
            else:
                summary += "<br>" + escape(_("Sin medición todavía."))
            if result.verification:
                summary += "<br>" + escape(
                    _("Medio de verificación: {text}", text=result.verification)
                )
            self.item_summary.setText(summary)
            self.history.set_rows(list(reversed(result.follow_ups)))
            self.item_visits.setText("")
        else:
            self._unit = ""
            self.item_title.setText(
                escape(_("Elija un resultado o una actividad del plan para ver su seguimiento."))
            )
            self.item_summary.setText("")
            self.history.set_rows([])
            self.item_visits.setText("")
        fit_columns(self.history_table, maximum=200)

    def _activity_number(self, activity: ActivityRow) -> str:
        """«2.1»: the number of its result, then its place under it (as the tree shows it)."""
        parent = self._results.get(activity.result_id)
        if parent is None:
            return ""
        place = next(
            (i for i, a in enumerate(parent[1].activities, start=1) if a.id == activity.id), 0
        )
        return f"{parent[0]}.{place}"

    def _show_visits(self, activity: ActivityRow) -> None:
        if self.data is None:
            return
        by_id = {v.submission_id: v for v in self.data.visits}
        names = [visit_label(by_id[v]) for v in activity.visits if v in by_id]
        if names:
            self.item_visits.setText(
                escape(_("Visitas vinculadas:")) + "<br>" + "<br>".join(escape(n) for n in names)
            )
        else:
            self.item_visits.setText(escape(_("Sin visitas vinculadas.")))

    # Enabling ------------------------------------------------------------------------------

    def _locked_note(self, plan: PlanView) -> str:
        if plan.state is PlanState.APPROVED:
            return _("El plan está aprobado: para cambiarlo use «Nueva versión».")
        return _(
            "El plan está en revisión: no se modifica hasta que un revisor lo apruebe o lo "
            "devuelva."
        )

    def _update_buttons(self) -> None:
        plan = self.plan
        if plan is None:
            return
        editable = plan.editable
        locked = "" if editable else self._locked_note(plan)
        result, activity = self.selected_result(), self.selected_activity()
        chosen = result is not None or activity is not None
        gate_button(self.add_result_button, editable, locked)
        gate_button(self.texts_button, editable, locked)
        if not editable:
            why_activity = locked
        elif not self._results:
            why_activity = _("Agregue primero un resultado esperado.")
        else:
            why_activity = _("Elija el resultado al que aportará la actividad.")
        can_add_activity = editable and chosen
        gate_button(self.add_activity_button, can_add_activity, why_activity)
        self.add_activity_action.setEnabled(can_add_activity)
        choose = _("Elija un resultado o una actividad.")
        for button, action in (
            (self.edit_button, self.edit_action),
            (self.remove_button, self.remove_action),
        ):
            gate_button(button, editable and chosen, locked or choose)
            action.setEnabled(editable and chosen)
        position, count = self._position()
        gate_button(self.up_button, editable and chosen and position > 0, locked or choose)
        gate_button(
            self.down_button, editable and chosen and position < count - 1, locked or choose
        )
        self.up_action.setEnabled(self.up_button.isEnabled())
        self.down_action.setEnabled(self.down_button.isEnabled())
        gate_button(self.progress_button, activity is not None, _("Elija una actividad del plan."))
        self.progress_action.setEnabled(activity is not None)
        gate_button(self.measure_button, result is not None, _("Elija un resultado del plan."))
        self.measure_action.setEnabled(result is not None)
        has_visits = bool(self.data and self.data.visits)
        gate_button(
            self.visits_button,
            activity is not None and has_visits,
            _("Elija una actividad del plan.")
            if activity is None
            else _("La asistencia no tiene visitas registradas en «Diagnóstico y visitas»."),
        )
        self.visits_action.setEnabled(self.visits_button.isEnabled())
        self._update_finding_buttons()

    def _update_finding_buttons(self, *_args: object) -> None:
        chosen = self.selected_finding() is not None
        gate_button(self.remove_finding_button, chosen, _("Elija un hallazgo de la lista."))

    def _position(self) -> tuple[int, int]:
        """Where the selected item is among its siblings, and how many there are."""
        items = self.tree.selectedItems()
        if not items:
            return -1, 0
        item = items[0]
        parent = item.parent()
        if parent is None:
            count = sum(
                1
                for i in range(self.tree.topLevelItemCount())
                if self.tree.topLevelItem(i).data(0, ID_ROLE)
            )
            return self.tree.indexOfTopLevelItem(item), count
        return parent.indexOfChild(item), parent.childCount()

    # Actions: the plan ---------------------------------------------------------------------

    def _open(self, dialog: QDialog) -> QDialog:
        saved = getattr(dialog, "saved", None)
        if saved is not None:
            saved.connect(lambda *_args: self.refresh())
        self.last_dialog = dialog
        dialog.open()
        return dialog

    def _subtitle(self) -> str:
        row = self.assistance
        return f"{row.code} · {row.municipality} ({row.department})" if row is not None else ""

    def show_timeline(self) -> QDialog | None:
        """The plan's activities as a Gantt chart (non-modal: it follows later changes)."""
        from fieldkit.ui.widgets.gantt import TimelineDialog

        if self.assistance is None or self.plan is None:
            return None
        dialog = TimelineDialog(self.profile, self.assistance.code, self.window())
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        return dialog

    def create_plan(self) -> QDialog | None:
        if self.assistance is None:
            return None
        return self._open(
            PlanTextsDialog(
                self.profile, self.assistance.id, subtitle=self._subtitle(), parent=self.window()
            )
        )

    def edit_texts(self) -> QDialog | None:
        plan = self.plan
        if plan is None or not plan.editable:
            return None
        return self._open(
            PlanTextsDialog(
                self.profile,
                plan.assistance_id,
                plan.id,
                PlanInput(plan.problem, plan.objective, plan.alternative),
                subtitle=self._subtitle(),
                parent=self.window(),
            )
        )

    def submit(self) -> Op[Any] | None:
        plan = self.plan
        if plan is None:
            return None
        answer = QMessageBox.question(
            self,
            _("Enviar a revisión"),
            _(
                "¿Enviar la versión {n} del plan a revisión? Mientras se revisa no se puede "
                "modificar.",
                n=plan.version,
            ),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.Yes,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return None
        return self._run(plans.submit, plan.id, label=_("Enviando a revisión…"))

    def decide(self, approve: bool) -> QDialog | None:
        plan = self.plan
        if plan is None or plan.state is not PlanState.SUBMITTED:
            return None
        return self._open(
            DecisionDialog(self.profile, plan.id, approve, plan.last_version, self.window())
        )

    def new_version(self) -> Op[Any] | None:
        plan = self.plan
        if plan is None:
            return None
        answer = QMessageBox.question(
            self,
            _("Nueva versión"),
            _(
                "¿Abrir la versión {n} del plan para cambiarlo? La versión {old} aprobada queda "
                "guardada y se puede consultar en «Versiones»; la nueva debe enviarse otra vez a "
                "revisión.",
                n=plan.version + 1,
                old=plan.version,
            ),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return None
        return self._run(plans.new_version, plan.id, label=_("Creando la nueva versión…"))

    def _run(self, fn: Any, *args: object, label: str) -> Op[Any]:
        return (
            Op(self, fn, self.profile, *args, label=label).success(lambda _r: self.refresh()).run()
        )

    # Actions: results and activities -------------------------------------------------------

    def add_result(self) -> QDialog | None:
        plan = self.plan
        if plan is None or not plan.editable:
            return None
        dialog = ResultDialog(self.profile, plan.id, None, plan.findings, self.window())
        dialog.saved.connect(lambda result: self._select_later(RESULT, result[0]))
        return self._open(dialog)

    def add_activity(self) -> QDialog | None:
        plan = self.plan
        if plan is None or not plan.editable:
            return None
        result, activity = self.selected_result(), self.selected_activity()
        result_id = result.id if result is not None else activity.result_id if activity else None
        if not result_id:
            return None
        dialog = ActivityDialog(self.profile, plan.id, plan.results, None, result_id, self.window())
        dialog.saved.connect(lambda result: self._select_later(ACTIVITY, result[0]))
        return self._open(dialog)

    def edit_selected(self) -> QDialog | None:
        plan = self.plan
        if plan is None or not plan.editable:
            return None
        result, activity = self.selected_result(), self.selected_activity()
        if result is not None:
            return self._open(
                ResultDialog(self.profile, plan.id, result, plan.findings, self.window())
            )
        if activity is not None:
            return self._open(
                ActivityDialog(self.profile, plan.id, plan.results, activity, None, self.window())
            )
        return None

    def _select_later(self, kind: str, record_id: str) -> None:
        """Select a record the next load brings (a result or activity just added)."""

        self._after_load.append(lambda: self.select(kind, record_id))

    def move_selected(self, delta: int) -> Op[Any] | None:
        plan = self.plan
        key = self.selected_key()
        if plan is None or not plan.editable or key is None or not key[1]:
            return None
        move = plans.move_result if key[0] == RESULT else plans.move_activity
        return self._run(move, key[1], delta, label=_("Moviendo…"))

    def remove_selected(self) -> Op[Any] | None:
        plan = self.plan
        if plan is None or not plan.editable:
            return None
        result, activity = self.selected_result(), self.selected_activity()
        if result is not None:
            what = _("el resultado «{text}»", text=result.statement)
            question = ngettext(
                "¿Eliminar el resultado «{text}» con su actividad?",
                "¿Eliminar el resultado «{text}» con sus {n} actividades?",
                len(result.activities),
                text=result.statement,
            )
            if not result.activities:
                question = _("¿Eliminar el resultado «{text}»?", text=result.statement)
            fn, record_id = plans.remove_result, result.id
        elif activity is not None:
            what = _("la actividad «{text}»", text=activity.description)
            question = _("¿Eliminar la actividad «{text}»?", text=activity.description)
            fn, record_id = plans.remove_activity, activity.id
        else:
            return None
        answer = QMessageBox.question(
            self,
            _("Eliminar"),
            question + " " + _("Puede deshacerlo enseguida con «Deshacer» (Ctrl+Z)."),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return None

        def removed(outcome: tuple[Removed, object]) -> None:
            self._set_removed((outcome[0], what))
            self.refresh()

        return Op(self, fn, self.profile, record_id, label=_("Eliminando…")).success(removed).run()

    def _set_removed(self, removed: tuple[Removed, str] | None) -> None:
        self._removed = removed
        if removed is not None:
            self.undo_label.setText(_("Se eliminó {what}.", what=removed[1]))
        self.undo_bar.setVisible(removed is not None)

    def undo(self) -> Op[Any] | None:
        """Bring back what the last «Eliminar» removed."""
        if self._removed is None:
            return None
        removed, _what = self._removed
        self._set_removed(None)
        return self._run(plans.restore, removed, label=_("Deshaciendo…"))

    # Actions: follow-up --------------------------------------------------------------------

    def record_progress(self) -> QDialog | None:
        activity = self.selected_activity()
        if activity is None:
            return None
        return self._open(ProgressDialog(self.profile, activity, self.window()))

    def record_measurement(self) -> QDialog | None:
        result = self.selected_result()
        if result is None:
            return None
        return self._open(MeasurementDialog(self.profile, result, self.window()))

    def link_visits(self) -> QDialog | None:
        activity = self.selected_activity()
        if activity is None or self.data is None:
            return None
        return self._open(VisitsDialog(self.profile, activity, self.data.visits, self.window()))

    def open_evidence(self) -> None:
        from fieldkit.ui.dialogs.submission import export_attachment

        row = self.history.row_at(current_row(self.history_table))
        if row is None:
            return
        for evidence in row.evidence:
            Op(
                self,
                export_attachment,
                self.profile,
                evidence.id,
                label=_("Abriendo la evidencia…"),
            ).success(self._open_file).run()

    def _open_file(self, path: Path) -> None:
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
            QMessageBox.information(
                self,
                _("Evidencia"),
                _(
                    "No hay un programa para abrir {name} en este equipo; el archivo está en "
                    "{folder}.",
                    name=path.name,
                    folder=str(path.parent),
                ),
            )

    # Actions: findings and versions --------------------------------------------------------

    def add_finding(self) -> QDialog | None:
        if self.assistance is None:
            return None
        return self._open(FindingDialog(self.profile, self.assistance.id, self.window()))

    def suggest_findings(self) -> Op[Any] | None:
        row = self.assistance
        if row is None:
            return None

        def show(suggestions: list[plans.SuggestedFinding]) -> None:
            if not suggestions:
                QMessageBox.information(
                    self,
                    _("Hallazgos sugeridos"),
                    _(
                        "El diagnóstico no sugiere hallazgos nuevos: no tiene áreas con puntaje "
                        "bajo ni «principales hallazgos» que falten en la lista."
                    ),
                )
                return
            self._open(SuggestedFindingsDialog(self.profile, row.id, suggestions, self.window()))

        return (
            Op(
                self,
                plans.suggest_findings,
                self.profile,
                row.id,
                label=_("Leyendo el diagnóstico…"),
            )
            .success(show)
            .run()
        )

    def remove_finding(self) -> Op[Any] | None:
        finding = self.selected_finding()
        if finding is None:
            return None
        answer = QMessageBox.question(
            self,
            _("Eliminar hallazgo"),
            _("¿Eliminar el hallazgo «{text}»?", text=finding.statement),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return None
        return self._run(plans.remove_finding, finding.id, label=_("Eliminando…"))

    def view_version(self) -> Op[Any] | None:
        version = self.selected_version()
        if version is None:
            return None

        def show(snapshot: dict[str, object]) -> None:
            dialog = VersionDialog(snapshot, version, self.window())
            self.last_dialog = dialog
            dialog.open()

        return (
            Op(self, plans.version_snapshot, self.profile, version.id, label=_("Abriendo…"))
            .success(show)
            .run()
        )
