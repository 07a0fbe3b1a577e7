"""Technical assistances: list, search, filter; create, edit, move along the workflow; details."""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelection, Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

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
from fieldkit.ui.ops import Op
from fieldkit.ui.views.base import View
from fieldkit.ui.widgets.common import (
    FilterCombo,
    current_row,
    fit_columns,
    search_box,
    setup_table,
)

if TYPE_CHECKING:
    from fieldkit.services.profile import Profile
    from fieldkit.ui.dialogs.assistance import AssistanceDialog
    from fieldkit.ui.dialogs.transition import TransitionDialog


def assistance_columns() -> list[Column[AssistanceRow]]:
    return [
        Column(_("Código"), lambda r: r.code, lambda r: r.code),
        Column(_("Municipio"), lambda r: r.municipality),
        Column(_("Departamento"), lambda r: r.department),
        Column(_("Línea temática"), lambda r: r.thematic_line, tooltip=lambda r: r.thematic_line),
        Column(_("Estado"), lambda r: state_label(r.state), lambda r: state_order(r.state)),
        Column(_("Inicio"), lambda r: format_date(r.start_on), lambda r: date_key(r.start_on)),
        Column(_("Fin"), lambda r: format_date(r.end_on), lambda r: date_key(r.end_on)),
        Column(_("Equipo"), lambda r: r.team, tooltip=lambda r: r.team),
    ]


class AssistanceDetailPanel(QWidget):
    """The selected assistance: summary, team, counterparts and its state history."""

    def __init__(self, parent: QWidget | None = None) -> None:
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
        counterpart_box = self._box(_("Contrapartes en la alcaldía"), self.counterpart_table)
        history_box = self._box(_("Historial de estados"), self.history_table)
        layout = QGridLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(summary_box, 0, 0)
        layout.addWidget(counterpart_box, 0, 1)
        layout.addWidget(history_box, 1, 0, 1, 2)
        layout.setColumnStretch(0, 2)
        layout.setColumnStretch(1, 3)
        layout.setRowStretch(0, 1)
        layout.setRowStretch(1, 1)
        self.show_detail(None)

    def _box(self, title: str, widget: QWidget) -> QGroupBox:
        box = QGroupBox(title, self)
        QVBoxLayout(box).addWidget(widget)
        return box

    def show_detail(self, detail: AssistanceDetail | None) -> None:
        self.detail = detail
        if detail is None:
            self.summary.setText(_("Elija una asistencia de la lista para ver su detalle."))
            self.counterparts.set_rows([])
            self.history.set_rows([])
            return
        row = detail.row
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
        self.counterparts.set_rows(detail.counterparts)
        fit_columns(self.counterpart_table, maximum=220)
        self.history.set_rows(detail.history)
        fit_columns(self.history_table, maximum=240)


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
        self._detail_generation = 0
        self._select_code: str | None = None
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

        self.model: RowsModel[AssistanceRow] = RowsModel(assistance_columns(), self)
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
            ),
            descending=True,
        )
        self.table.setAccessibleName(_("Asistencias técnicas"))
        self.details = AssistanceDetailPanel(self)

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

    def show_data(self, data: AssistancesData) -> None:
        selected = self._select_code or self.selected_code()
        self._select_code = None
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
        self._detail_generation += 1
        generation = self._detail_generation
        if row is None:
            self.details.show_detail(None)
            return

        def done(detail: AssistanceDetail) -> None:
            if generation == self._detail_generation:
                self.details.show_detail(detail)

        Op(self, assistances.get_assistance, self.profile, row.id, quiet=True).success(done).run()

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
