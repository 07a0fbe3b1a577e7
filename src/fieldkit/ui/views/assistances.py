"""Technical assistances: list, search, filter; create, edit, move along the workflow; details,
with the assistance's diagnostics and visits and its attendance totals."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Mapping
from html import escape
from typing import TYPE_CHECKING, NamedTuple

from PySide6.QtCore import QItemSelection, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMenu,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from fieldkit.domain.plans import PLAN_STATE_LABELS
from fieldkit.domain.states import AssistanceState
from fieldkit.i18n import _, format_date, format_datetime, format_number, ngettext
from fieldkit.services import assistances
from fieldkit.services.assistances import (
    AssistanceDetail,
    AssistanceRow,
    CounterpartRow,
    StateChangeRow,
    filter_assistances,
)
from fieldkit.ui.data import AssistancesData, load_assistance_form, load_assistances
from fieldkit.ui.formatting import (
    date_key,
    directorate_label,
    person_role_label,
    state_label,
    state_order,
)
from fieldkit.ui.models import Column, RowsModel
from fieldkit.ui.ops import Latest, Op
from fieldkit.ui.views.base import View
from fieldkit.ui.views.deliverables import DeliverablesPanel
from fieldkit.ui.views.plan import PlanPanel
from fieldkit.ui.widgets.common import (
    FilterCombo,
    current_row,
    fit_columns,
    search_box,
    setup_table,
    stretch_columns,
)
from fieldkit.ui.widgets.progress import ProgressPair, progress_columns

if TYPE_CHECKING:
    from fieldkit.domain.progress import PlanProgress
    from fieldkit.services.changes import Changes
    from fieldkit.services.forms import Attendance, Instrument
    from fieldkit.services.plans import AssistanceProgress
    from fieldkit.services.profile import Profile
    from fieldkit.ui.dialogs.assistance import AssistanceDialog
    from fieldkit.ui.dialogs.submission import SubmissionDialog
    from fieldkit.ui.dialogs.transition import TransitionDialog

# What the diagnostics-and-visits tab shows: it reloads when one of these changes.
FILLINGS = ("submission", "answer", "attachment", "form")
# What the plan figures of the list and the summary are made of: they re-read when one changes.
PLAN_FIGURES = ("plan", "plan_version", "result", "activity", "follow_up")
TEAM, RESULTS, ACTIVITIES = 7, 8, 9  # columns of assistance_columns()


def _no_plan(_row: AssistanceRow) -> PlanProgress | None:
    return None


def assistance_columns(
    progress: Callable[[AssistanceRow], PlanProgress | None] = _no_plan,
) -> list[Column[AssistanceRow]]:
    return [
        Column(_("Código"), lambda r: r.code, lambda r: r.code),
        Column(_("Municipio"), lambda r: r.municipality),
        Column(_("Departamento"), lambda r: r.department),
        Column(_("Línea temática"), lambda r: r.thematic_line, tooltip=lambda r: r.thematic_line),
        Column(_("Estado"), lambda r: state_label(r.state), lambda r: state_order(r.state)),
        Column(_("Inicio"), lambda r: format_date(r.start_on), lambda r: date_key(r.start_on)),
        Column(_("Fin"), lambda r: format_date(r.end_on), lambda r: date_key(r.end_on)),
        Column(_("Equipo"), lambda r: r.team, tooltip=lambda r: r.team),
        *progress_columns(progress),
    ]


class AssistanceDetailPanel(QWidget):
    """The selected assistance: summary, team, counterparts and state history on one tab; its
    diagnostics, visits and attendance totals on the other."""

    def __init__(self, profile: Profile, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.summary.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)

        self.counterparts: RowsModel[CounterpartRow] = RowsModel(
            [
                Column(_("Nombre"), lambda r: r.name),
                Column(_("Cargo"), lambda r: r.position),
                Column(_("Correo"), lambda r: r.email),
                Column(_("Teléfono"), lambda r: r.phone),
            ],
            self,
        )
        self.counterpart_table = QTableView(self)
        self.counterpart_table.setModel(self.counterparts)
        setup_table(self.counterpart_table, (20, 18, 22, 12), sort_column=None)
        self.history: RowsModel[StateChangeRow] = RowsModel(
            [
                Column(_("Fecha"), lambda r: format_datetime(r.changed_at)),
                Column(_("De"), lambda r: state_label(r.from_state) if r.from_state else "—"),
                Column(_("A"), lambda r: state_label(r.to_state)),
                Column(_("Por"), lambda r: r.changed_by),
                Column(_("Motivo u observación"), lambda r: r.reason, tooltip=lambda r: r.reason),
            ],
            self,
        )
        self.history_table = QTableView(self)
        self.history_table.setModel(self.history)
        setup_table(self.history_table, (16, 12, 12, 14, 20), sort_column=None)

        summary = QScrollArea(self)
        summary.setWidget(self.summary)
        summary.setWidgetResizable(True)
        summary.setFrameShape(QFrame.Shape.NoFrame)
        summary.viewport().setAutoFillBackground(False)  # read as part of the box, not a panel
        self.summary.setAutoFillBackground(False)
        summary_box = self._box(_("Asistencia y equipo"), summary)
        # The plan's figures under the summary: results achieved beside activities completed.
        self.progress: Mapping[str, AssistanceProgress] = {}
        self.plan_progress = ProgressPair(summary_box)
        self.plan_progress.setAccessibleName(_("Avance del plan de acción"))
        summary_box.layout().addWidget(self.plan_progress)
        counterpart_box = self._box(_("Contrapartes en la alcaldía"), self.counterpart_table)
        history_box = self._box(_("Historial de estados"), self.history_table)
        overview = QWidget(self)
        grid = QGridLayout(overview)
        grid.setContentsMargins(4, 4, 4, 4)
        grid.addWidget(summary_box, 0, 0)
        grid.addWidget(counterpart_box, 0, 1)
        grid.addWidget(history_box, 1, 0, 1, 2)
        grid.setColumnStretch(0, 2)
        grid.setColumnStretch(1, 3)
        grid.setRowStretch(0, 1)
        grid.setRowStretch(1, 1)
        self.fillings = FillingsPanel(profile, self)
        self.fillings.counted.connect(self._count_fillings)
        self.tabs = QTabWidget(self)
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(overview, _("Resumen"))
        self.tabs.addTab(self.fillings, _("Diagnóstico y visitas"))
        self.plan = PlanPanel(profile, self)
        self.tabs.addTab(self.plan, _("Plan de acción"))
        self.deliverables = DeliverablesPanel(profile, self)
        self.tabs.addTab(self.deliverables, _("Entregables"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)
        self.show_detail(None)

    def _count_fillings(self, count: int) -> None:
        title = _("Diagnóstico y visitas")
        self.tabs.setTabText(1, f"{title} ({count})" if count else title)

    def _box(self, title: str, widget: QWidget) -> QGroupBox:
        box = QGroupBox(title, self)
        QVBoxLayout(box).addWidget(widget)
        return box

    def show_detail(self, detail: AssistanceDetail | None) -> None:
        self.detail = detail
        self.fillings.show_assistance(detail.row if detail is not None else None)
        self.plan.show_assistance(detail.row if detail is not None else None)
        self.deliverables.show_assistance(detail.row if detail is not None else None)
        self._show_summary(detail)
        if detail is None:
            self.counterparts.set_rows([])
            self.history.set_rows([])
            return
        self.counterparts.set_rows(detail.counterparts)
        fit_columns(self.counterpart_table, maximum=220)
        self.history.set_rows(detail.history)
        fit_columns(self.history_table, maximum=240)

    def show_progress(self, progress: Mapping[str, AssistanceProgress]) -> None:
        """New plan figures (by assistance id): the summary shows the selected one's."""
        self.progress = progress
        self._show_summary(self.detail)

    def _show_summary(self, detail: AssistanceDetail | None) -> None:
        if detail is None:
            self.summary.setText(_("Elija una asistencia de la lista para ver su detalle."))
            self.plan_progress.hide()
            return
        row = detail.row
        plan = self.progress.get(row.id)
        self.plan_progress.set_progress(plan.progress if plan is not None else None)
        self.plan_progress.show()
        lines = [
            f"<b>{escape(row.code)}</b>",
            escape(f"{row.municipality} ({row.department})"),
            escape(row.thematic_line),
            _("Estado: {state}", state=f"<b>{escape(state_label(row.state))}</b>"),
            escape(
                _(
                    "Solicitud: {requested} · Inicio: {start} · Fin: {end}",
                    requested=format_date(row.requested_on) or "—",
                    start=format_date(row.start_on) or "—",
                    end=format_date(row.end_on) or "—",
                )
            ),
        ]
        if plan is not None and plan.plan_state is not None:
            state = _(PLAN_STATE_LABELS[plan.plan_state])
            lines.append(_("Plan de acción: {state}", state=f"<b>{escape(state)}</b>"))
        if detail.cancel_reason:
            lines.append(
                escape(_("Motivo de la cancelación: {reason}", reason=detail.cancel_reason))
            )
        lines.append("")
        lines.append(f"<b>{escape(_('Equipo'))}</b>")
        for member in detail.team:
            role = person_role_label(member.role) if member.role else ""
            name = (
                _("{name} (líder)", name=member.name) if member.team_role == "lead" else member.name
            )
            lines.append(escape(f"{name} — {role}" if role else name))
        if not detail.team:
            lines.append(escape(_("Sin integrantes todavía.")))
        if detail.notes:
            lines.append("")
            lines.append(escape(_("Notas: {notes}", notes=detail.notes)).replace("\n", "<br>"))
        self.summary.setText("<br>".join(lines))


class AssistancesView(View):
    RELEVANT = (
        "assistance",
        "assistance_member",
        "counterpart",
        "state_change",
        "person",
        "municipality",
        "directorate",
        "thematic_line",
    )

    selection_changed = Signal()

    def __init__(self, profile: Profile, parent: QWidget | None = None) -> None:
        super().__init__(profile, parent)
        self._detail = Latest(self)
        self._progress = Latest(self)
        self._select_code: str | None = None
        self.progress: Mapping[str, AssistanceProgress] = {}
        self.search = search_box(_("Buscar por código, municipio, departamento o persona…"), self)
        self.state = FilterCombo(_("Todos los estados"), self)
        self.state.set_options((s.value, state_label(s.value)) for s in AssistanceState)
        self.line = FilterCombo(_("Todas las líneas"), self)
        self.directorate = FilterCombo(_("Todas las direcciones"), self)
        self.count = QLabel(self)
        self.new_button = QPushButton(_("&Nueva…"), self)
        self.new_button.setToolTip(_("Registrar una asistencia técnica (Ctrl+N)"))
        self.edit_button = QPushButton(_("&Editar…"), self)
        self.transition_button = QPushButton(_("Cambiar es&tado…"), self)

        self.model: RowsModel[AssistanceRow] = RowsModel(
            assistance_columns(self._plan_progress), self
        )
        self.table = QTableView(self)
        self.table.setModel(self.model)
        setup_table(
            self.table,
            (
                "AT-2026-XXXXX-000",
                "San Vicente del Caguán",
                "Valle del Cauca",
                "Consolidación de la paz total",
                "Diagnosticada",
                "00/00/0000",
                "00/00/0000",
                "Ana María Quiñones, Jhon",
                "Resultados",
                "Actividades",
            ),
            descending=True,
        )
        stretch_columns(self.table, TEAM)
        self.table.setAccessibleName(_("Asistencias técnicas"))
        self.details = AssistanceDetailPanel(profile, self)

        filters = QHBoxLayout()
        for text, combo in (
            (_("E&stado:"), self.state),
            (_("&Línea temática:"), self.line),
            (_("&Dirección territorial:"), self.directorate),
        ):
            label = QLabel(text, self)
            label.setBuddy(combo)
            filters.addWidget(label)
            filters.addWidget(combo, 1)
        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.count)
        top.addWidget(self.new_button)
        top.addWidget(self.edit_button)
        top.addWidget(self.transition_button)

        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(self.table)
        splitter.addWidget(self.details)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(filters)
        layout.addWidget(splitter, 1)

        self.search.textChanged.connect(self.apply_filter)
        for combo in (self.state, self.line, self.directorate):
            combo.currentIndexChanged.connect(self.apply_filter)
        self.new_button.clicked.connect(lambda: self.new_assistance())
        self.edit_button.clicked.connect(self.edit_selected)
        self.transition_button.clicked.connect(self.transition_selected)
        self.table.activated.connect(self.edit_selected)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.model.modelReset.connect(self._after_reset)
        self._update_buttons()

    # Loading -------------------------------------------------------------------------------

    @staticmethod
    def load(profile: Profile) -> AssistancesData:
        return load_assistances(profile)

    def _plan_progress(self, row: AssistanceRow) -> PlanProgress | None:
        plan = self.progress.get(row.id)
        return plan.progress if plan is not None else None

    def show_data(self, data: AssistancesData) -> None:
        selected = self._select_code or self.selected_code()
        self._select_code = None
        self._progress.drop()  # figures loaded earlier are older than these
        self.progress = data.progress
        self.details.progress = data.progress
        self.line.set_options((o.code, o.name) for o in data.lines)
        self.directorate.set_options((d.code, directorate_label(d)) for d in data.directorates)
        self.directorate.setEnabled(bool(data.directorates))
        self.model.set_rows(data.rows)
        self._update_count()
        if selected and self.model.find(lambda r: r.code == selected) >= 0:
            self.select(selected)

    def apply_filter(self) -> None:
        query = self.search.text()
        options = {
            "state": self.state.value(),
            "thematic_line": self.line.value(),
            "directorate": self.directorate.value(),
        }
        selected = self.selected_code()
        self.model.set_filter(lambda rows: filter_assistances(rows, query, **options))
        self._update_count()
        if selected and self.model.find(lambda r: r.code == selected) >= 0:
            self.select(selected)

    def _update_count(self) -> None:
        shown, total = len(self.model.rows), self.model.total
        if shown == total:
            text = ngettext(
                "{count} asistencia", "{count} asistencias", total, count=format_number(total)
            )
        else:
            text = ngettext(
                "{shown} de {count} asistencia",
                "{shown} de {count} asistencias",
                total,
                shown=format_number(shown),
                count=format_number(total),
            )
        self.count.setText(text)

    def on_changes(self, changes: Changes) -> None:
        super().on_changes(changes)
        if changes.touches(*FILLINGS):
            self.details.fillings.reload()
        self.details.plan.on_changes(changes)
        self.details.deliverables.on_changes(changes)
        if changes.touches(*PLAN_FIGURES) and not changes.touches(*self.RELEVANT):
            # Only the figures changed: re-read them, keep the rows, selection and scroll.
            if self.isVisible():
                self.reload_progress()
            else:
                self._stale = True

    def reload_progress(self) -> Op[object]:
        from fieldkit.services import plans

        return self._progress.run(
            plans.progress_by_assistance, self.profile, then=self.show_progress
        )

    def show_progress(self, progress: Mapping[str, AssistanceProgress]) -> None:
        self.progress = progress
        rows = self.model.rowCount()
        if rows:
            self.model.dataChanged.emit(
                self.model.index(0, RESULTS), self.model.index(rows - 1, ACTIVITIES)
            )
        self.details.show_progress(progress)

    # Selection and detail ------------------------------------------------------------------

    def selected(self) -> AssistanceRow | None:
        return self.model.row_at(current_row(self.table))

    def selected_code(self) -> str | None:
        row = self.selected()
        return row.code if row else None

    def select(self, code: str) -> bool:
        """Select the assistance ``code``; if it is not listed yet, select it after the next load."""
        row = self.model.find(lambda r: r.code == code)
        if row < 0:
            self._select_code = code
            return False
        self._select_code = None
        self.table.selectRow(row)
        self.table.scrollTo(self.model.index(row, 0))
        return True

    def _after_reset(self) -> None:
        self._update_buttons()
        self._selection_changed(QItemSelection(), QItemSelection())

    def _selection_changed(self, *_args: object) -> None:
        self._update_buttons()
        self._load_detail()
        self.selection_changed.emit()

    def _update_buttons(self) -> None:
        row = self.selected()
        self.edit_button.setEnabled(row is not None and row.state not in _FINISHED)
        self.transition_button.setEnabled(row is not None and row.state not in _FINISHED)

    def _load_detail(self) -> None:
        row = self.selected()
        if row is None:
            self._detail.drop()
            self.details.show_detail(None)
            return
        self._detail.run(
            assistances.get_assistance, self.profile, row.id, then=self.details.show_detail
        )

    # Actions -------------------------------------------------------------------------------

    def new_assistance(self, municipality: str | None = None) -> Op[object]:
        """Open the create dialog (after loading its lists in the background)."""
        return self._open_form(None, municipality)

    def edit_selected(self) -> Op[object] | None:
        row = self.selected()
        if row is None or row.state in _FINISHED:
            return None
        return self._open_form(row.code, None)

    def _open_form(self, key: str | None, municipality: str | None) -> Op[object]:
        from fieldkit.ui.dialogs.assistance import AssistanceDialog

        parent = self.window()

        def show(data: object) -> None:
            dialog: AssistanceDialog = AssistanceDialog(
                self.profile, data, municipality=municipality, parent=parent
            )  # type: ignore[arg-type]
            dialog.saved.connect(self._saved)
            self.last_dialog = dialog
            dialog.open()

        return (
            Op(self, load_assistance_form, self.profile, key, label=_("Abriendo el formulario…"))
            .success(show)
            .run()
        )

    def transition_selected(self) -> Op[object] | None:
        row = self.selected()
        if row is None:
            return None
        from fieldkit.ui.dialogs.transition import TransitionDialog

        parent = self.window()

        def show(detail: AssistanceDetail) -> None:
            dialog: TransitionDialog = TransitionDialog(self.profile, detail, parent)
            self.last_dialog = dialog
            dialog.accepted.connect(lambda: self.select(detail.row.code))
            dialog.open()

        return (
            Op(self, assistances.get_assistance, self.profile, row.id, label=_("Cargando…"))
            .success(show)
            .run()
        )

    def _saved(self, code: str) -> None:
        # The list reloads (the save announced its Changes); select the record once it is there.
        self.select(code)

    last_dialog: AssistanceDialog | TransitionDialog | None = None


_FINISHED = frozenset({AssistanceState.CLOSED.value, AssistanceState.CANCELLED.value})


# Diagnostics and visits ---------------------------------------------------------------------


class FillingRow(NamedTuple):
    """One filling of the assistance as the tab lists it (a visit with its date and place)."""

    id: str
    kind: str
    title: str
    status: str
    started_at: dt.datetime | None
    date: dt.date | None
    place: str
    attendees: int | None


class FillingsData(NamedTuple):
    assistance_id: str
    rows: list[FillingRow]
    attendance: Attendance
    visits: int
    # field of the totals ("sex", …) -> option name -> its label in the visit log
    labels: dict[str, dict[str, str]]
    diagnostics: list[Instrument]  # the general diagnostic and the module of the line
    visit_forms: list[Instrument]


def load_fillings(profile: Profile, assistance_id: str, line_code: str) -> FillingsData:
    """The assistance's fillings, newest first, and its attendance totals (a worker thread)."""
    from fieldkit.i18n import get_language
    from fieldkit.services import forms

    available = forms.instruments(profile)
    titles = {i.form_id: i.title for i in available}
    diagnostics = [i for i in available if i.kind == forms.DIAGNOSTIC] + [
        i for i in available if i.kind == forms.MODULE and i.thematic_line_code == line_code
    ]
    visit_forms = [i for i in available if i.kind == forms.VISIT]
    language = get_language()
    labels: dict[str, dict[str, str]] = {}
    places: dict[str, str] = {}
    if visit_forms:
        try:
            form = forms.form_definition(profile, visit_forms[0].form_id)
        except Exception:  # a visit log that cannot load still lists; its options show as named
            form = None
        if form is not None:
            for field, name in forms.ATTENDANCE_FIELDS.items():
                question = form.question(name)
                if question is not None and question.choices is not None:
                    labels[field] = {
                        c.name: c.label.get(language) or c.name for c in question.choices.choices
                    }
            lugar = form.question("lugar")
            if lugar is not None and lugar.choices is not None:
                places = {c.name: c.label.get(language) for c in lugar.choices.choices}
    visits = {v.submission_id: v for v in forms.visits(profile, assistance_id)}
    rows = []
    for s in forms.list_submissions(profile, assistance_id):
        visit = visits.get(s.id)
        day = None
        if visit is not None and visit.date:
            try:
                day = dt.date.fromisoformat(visit.date)
            except ValueError:
                day = None
        rows.append(
            FillingRow(
                s.id,
                s.kind,
                titles.get(s.form_id, s.form_id),
                s.status,
                s.started_at,
                day,
                places.get(visit.place, visit.place) if visit is not None else "",
                visit.attendance.total if visit is not None else None,
            )
        )
    rows.sort(key=lambda r: r.date or (r.started_at.date() if r.started_at else dt.date.min))
    rows.reverse()
    return FillingsData(
        assistance_id,
        rows,
        forms.assistance_attendance(profile, assistance_id, visits.values()),
        len(visits),
        labels,
        diagnostics,
        visit_forms,
    )


def filling_columns() -> list[Column[FillingRow]]:
    from fieldkit.services.forms import KIND_LABELS, STATUS_LABELS

    def started(r: FillingRow) -> dt.date | None:
        return r.started_at.date() if r.started_at else None

    return [
        Column(
            _("Tipo"),
            lambda r: _(KIND_LABELS.get(r.kind, r.kind)),
            tooltip=lambda r: _(KIND_LABELS.get(r.kind, r.kind)),
        ),
        Column(_("Formulario"), lambda r: r.title, tooltip=lambda r: r.title),
        Column(_("Estado"), lambda r: _(STATUS_LABELS.get(r.status, r.status))),
        Column(_("Iniciado"), lambda r: format_date(started(r)), lambda r: date_key(started(r))),
        Column(_("Visita"), lambda r: format_date(r.date), lambda r: date_key(r.date)),
        Column(_("Lugar"), lambda r: r.place, tooltip=lambda r: r.place),
        Column(
            _("Asistentes"),
            lambda r: "" if r.attendees is None else format_number(r.attendees),
            lambda r: -1 if r.attendees is None else r.attendees,
            align_right=True,
        ),
    ]


def attendance_html(data: FillingsData) -> str:
    """The totals of every visit, disaggregated as the visit log asks."""
    from fieldkit.services.forms import NO_DATA

    attendance = data.attendance
    if attendance.total == 0:
        if data.visits:
            return escape(_("Las visitas registradas aún no tienen asistentes."))
        return escape(_("Aún no hay visitas registradas: use «Nueva visita…»."))

    def counts(field: str, counter: Counter[str]) -> str:
        names = data.labels.get(field, {})
        order = [n for n in names if counter.get(n)]
        order += sorted(n for n in counter if n not in names and n != NO_DATA and counter[n])
        if counter.get(NO_DATA):
            order.append(NO_DATA)
        parts = []
        for name in order:
            label = _("Sin dato") if name == NO_DATA else names.get(name, name)
            parts.append(f"{escape(label)}&nbsp;<b>{format_number(counter[name])}</b>")
        return " · ".join(parts) or "—"

    total = ngettext(
        "{count} en {visits} visita",
        "{count} en {visits} visitas",
        data.visits,
        count=f"<b>{format_number(attendance.total)}</b>",
        visits=format_number(data.visits),
    )
    rows = [
        (_("Asistentes"), total),
        (_("Sexo"), counts("sex", attendance.sex)),
        (_("Étnico"), counts("ethnicity", attendance.ethnicity)),
        (_("Víctimas"), counts("victim", attendance.victim)),
        (_("Discapacidad"), counts("disability", attendance.disability)),
    ]
    cells = "".join(
        f'<tr><td style="padding:2px 10px 2px 0; color:#5f6368;">{escape(title)}</td>'
        f'<td style="padding:2px 0;">{value}</td></tr>'
        for title, value in rows
    )
    return f'<table cellspacing="0">{cells}</table>'


class FillingsPanel(QWidget):
    """The assistance's diagnostics, modules and visit logs, with the attendance of its visits."""

    counted = Signal(int)

    def __init__(self, profile: Profile, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.profile = profile
        self.assistance: AssistanceRow | None = None
        self.data: FillingsData | None = None
        self._latest = Latest(self)
        self.loaded = False

        self.model: RowsModel[FillingRow] = RowsModel(filling_columns(), self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setAccessibleName(_("Diagnóstico y visitas"))
        setup_table(
            self.table,
            ("Visita o sesión", 30, "Borrador", "00/00/0000", "00/00/0000", 16, "Asistentes"),
            sort_column=None,
        )
        stretch_columns(self.table, 1)
        self.diagnostic_button = QPushButton(_("Nuevo d&iagnóstico…"), self)
        self.diagnostic_button.setToolTip(
            _("Iniciar el diagnóstico general o el módulo de la línea temática de la asistencia")
        )
        self.diagnostic_menu = QMenu(self)
        self.visit_button = QPushButton(_("Nueva &visita…"), self)
        self.visit_button.setToolTip(
            _("Registrar una visita o sesión de trabajo con su lista de asistencia")
        )
        self.open_button = QPushButton(_("A&brir"), self)
        self.remove_button = QPushButton(_("Elimina&r…"), self)
        self.attendance = QLabel(self)
        self.attendance.setWordWrap(True)
        self.attendance.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.attendance.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        attendance_box = QGroupBox(_("Asistencia a las visitas"), self)
        box_layout = QVBoxLayout(attendance_box)
        box_layout.addWidget(self.attendance)
        box_layout.addStretch(1)
        attendance_box.setMinimumWidth(250)
        attendance_box.setMaximumWidth(340)

        buttons = QHBoxLayout()
        for button in (
            self.diagnostic_button,
            self.visit_button,
            self.open_button,
            self.remove_button,
        ):
            buttons.addWidget(button)
        buttons.addStretch(1)
        left = QVBoxLayout()
        left.addLayout(buttons)
        left.addWidget(self.table, 1)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 6, 4, 4)
        layout.addLayout(left, 1)
        layout.addWidget(attendance_box)

        self.diagnostic_button.clicked.connect(lambda: self.new_diagnostic())
        self.visit_button.clicked.connect(lambda: self.new_visit())
        self.open_button.clicked.connect(lambda: self.open_selected())
        self.remove_button.clicked.connect(lambda: self.remove_selected())
        self.table.activated.connect(lambda _index: self.open_selected())
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.model.modelReset.connect(self._update_buttons)
        self._update_buttons()

    # Loading -------------------------------------------------------------------------------

    def show_assistance(self, row: AssistanceRow | None) -> None:
        changed = (row.id if row else None) != (self.assistance.id if self.assistance else None)
        self.assistance = row
        if changed:
            self.data = None
            self.model.set_rows([])
            self.attendance.setText("")
        self.reload()

    def reload(self) -> None:
        row = self.assistance
        if row is None:
            self._latest.drop()
            self.data = None
            self.model.set_rows([])
            self.attendance.setText("")
            self.counted.emit(0)
            self._update_buttons()
            return

        self._latest.run(
            load_fillings, self.profile, row.id, row.thematic_line_code, then=self.show_data
        )

    def show_data(self, data: FillingsData) -> None:
        selected = self.selected()
        self.data = data
        self.model.set_rows(data.rows)
        fit_columns(self.table, maximum=150)
        # The kind repeats what the form's title says; the title gets the width (both in tooltips).
        self.table.setColumnWidth(0, min(self.table.columnWidth(0), 130))
        if selected is not None:
            index = self.model.find(lambda r: r.id == selected.id)
            if index >= 0:
                self.table.selectRow(index)
        self.attendance.setText(attendance_html(data))
        self._fill_menu(data)
        self.counted.emit(len(data.rows))
        self.loaded = True
        self._update_buttons()

    def _fill_menu(self, data: FillingsData) -> None:
        from fieldkit.services.forms import KIND_LABELS

        self.diagnostic_menu.clear()
        for instrument in data.diagnostics:
            action = QAction(
                f"{_(KIND_LABELS.get(instrument.kind, instrument.kind))}: {instrument.title}",
                self.diagnostic_menu,
            )
            action.setData(instrument.form_id)
            action.triggered.connect(
                lambda _checked=False, form_id=instrument.form_id: self.new_diagnostic(form_id)
            )
            self.diagnostic_menu.addAction(action)

    def _update_buttons(self) -> None:
        data = self.data
        ready = self.assistance is not None and data is not None
        self.diagnostic_button.setEnabled(ready and bool(data and data.diagnostics))
        self.visit_button.setEnabled(ready and bool(data and data.visit_forms))
        chosen = self.selected() is not None
        self.open_button.setEnabled(chosen)
        self.remove_button.setEnabled(chosen)

    def selected(self) -> FillingRow | None:
        return self.model.row_at(current_row(self.table))

    # Actions -------------------------------------------------------------------------------

    def new_diagnostic(self, form_id: str | None = None) -> Op[object] | None:
        """Start the diagnostic ``form_id``; without one, offer the general diagnostic and the
        module of the assistance's line (or start the only one there is)."""
        if self.data is None or self.assistance is None:
            return None
        if form_id is None:
            options = self.data.diagnostics
            if not options:
                return None
            if len(options) > 1:
                self.diagnostic_menu.popup(
                    self.diagnostic_button.mapToGlobal(self.diagnostic_button.rect().bottomLeft())
                )
                return None
            form_id = options[0].form_id
        return self._start(form_id)

    def new_visit(self) -> Op[object] | None:
        if self.data is None or not self.data.visit_forms:
            return None
        return self._start(self.data.visit_forms[0].form_id)

    def _start(self, form_id: str) -> Op[object] | None:
        from fieldkit.services import forms

        row = self.assistance
        if row is None:
            return None
        return (
            Op(
                self,
                forms.start,
                self.profile,
                row.id,
                form_id,
                label=_("Creando el formulario…"),
            )
            .success(lambda result: self.open(result[0]))  # type: ignore[index]
            .run()
        )

    def open_selected(self) -> None:
        row = self.selected()
        if row is not None:
            self.open(row.id)

    def open(self, submission_id: str) -> None:
        from fieldkit.ui.dialogs.submission import open_submission

        row = self.assistance
        subtitle = f"{row.code} · {row.municipality}" if row is not None else ""
        self.last_dialog = None
        open_submission(self, self.profile, submission_id, subtitle=subtitle, shown=self._shown)

    def _shown(self, dialog: SubmissionDialog) -> None:
        self.last_dialog = dialog

    def remove_selected(self) -> Op[object] | None:
        from fieldkit.services import forms

        row = self.selected()
        if row is None:
            return None
        answer = QMessageBox.question(
            self,
            _("Eliminar"),
            _(
                "¿Eliminar «{title}» ({status}, {date}) con todas sus respuestas? Quien tenga una "
                "copia lo verá eliminado después de sincronizar.",
                title=row.title,
                status=_(forms.STATUS_LABELS.get(row.status, row.status)),
                date=format_date(row.date or row.started_at) or "—",
            ),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return None
        return Op(self, forms.remove, self.profile, row.id, label=_("Eliminando…")).run()

    last_dialog: SubmissionDialog | None = None
