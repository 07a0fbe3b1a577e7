"""The dialogs of the Plan de acción: its texts, a result with its indicator, an activity, the
follow-up of both (with evidence files), the reviewer's decision, findings, visits, versions."""

from __future__ import annotations

import contextlib
import datetime as dt
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from fieldkit.domain.plans import RESPONSIBLES
from fieldkit.domain.progress import (
    ACTIVITY_STATE_LABELS,
    DIRECTION_LABELS,
    INDICATOR_TYPE_LABELS,
    ActivityState,
    Direction,
    IndicatorType,
)
from fieldkit.i18n import N_, _, format_date, format_datetime, format_number, ngettext
from fieldkit.services import plans
from fieldkit.services.changes import Changes
from fieldkit.services.plans import (
    ActivityInput,
    ActivityRow,
    FindingRow,
    PlanInput,
    ResultInput,
    ResultRow,
    SuggestedFinding,
    VersionRow,
)
from fieldkit.ui.dialogs.form_parts import (
    ID_ROLE,
    SaveDialog,
    check_item,
    check_list,
    checked_keys,
    combo_box,
    form_layout,
    hint_label,
    keep_left,
    labelled_row,
    text_box,
)
from fieldkit.ui.forms.markup import HINT_COLOR
from fieldkit.ui.ops import Op
from fieldkit.ui.widgets.common import (
    OptionalDateEdit,
    date_edit,
    from_qdate,
    to_qdate,
)

if TYPE_CHECKING:
    from fieldkit.services.forms import Visit
    from fieldkit.services.profile import Profile

ARROWS = {Direction.INCREASE.value: "↑", Direction.DECREASE.value: "↓"}
PRIORITY_LABELS = {1: N_("Alta"), 2: N_("Media"), 3: N_("Baja")}


# Numbers as people type them ------------------------------------------------------------------

_THOUSANDS = re.compile(r"[+-]?\d{1,3}(\.\d{3}){2,}")


def parse_number(text: str) -> float | None:
    """«1.234,5», «12,5», «12.5» or «40» as a number; None when empty; ValueError otherwise.

    With a comma, the comma is the decimal mark and dots group thousands (as written in
    Colombia); without one, a single dot is a decimal point and several dots group thousands.
    """
    cleaned = text.strip().replace(" ", "").replace("\u00a0", "")
    if not cleaned:
        return None
    if "," in cleaned:
        cleaned = cleaned.replace(".", "").replace(",", ".")
    elif _THOUSANDS.fullmatch(cleaned):
        cleaned = cleaned.replace(".", "")
    value = float(cleaned)
    if not math.isfinite(value):
        raise ValueError(text)
    return value


def number_text(value: float | None) -> str:
    """A number to edit: no thousands separator (it would read as decimals), a decimal comma."""
    if value is None:
        return ""
    text = f"{value:.10g}"
    return text.replace(".", ",") if "e" not in text else text


def quantity(value: float | None, unit: str = "") -> str:
    """«1.234,5 personas»: a value as read on screen, with its unit."""
    if value is None:
        return "—"
    return f"{format_number(value)} {unit}".strip()


def indicator_text(result: ResultRow) -> str:
    """«0 → 40 personas ↑ · Funcionarios capacitados»: the indicator in one line, its figures
    first (a narrow column still shows them)."""
    if not result.indicator_name and result.target is None:
        return ""
    arrow = ARROWS.get(result.direction, "")
    goal = quantity(result.target, result.unit) if result.target is not None else "—"
    if result.baseline is not None:
        span = f"{format_number(result.baseline)} → {goal}"
    else:
        span = _("meta {target}", target=goal)
    text = f"{span} {arrow}".strip()
    return f"{text} · {result.indicator_name}" if result.indicator_name else text


def indicator_tooltip(result: ResultRow) -> str:
    lines = [indicator_text(result)]
    try:
        kind = _(INDICATOR_TYPE_LABELS[IndicatorType(result.indicator_type)])
        direction = _(DIRECTION_LABELS[Direction(result.direction)])
        lines.append(
            _(
                "Indicador de {kind} · debe {direction}",
                kind=kind.lower(),
                direction=direction.lower(),
            )
        )
    except ValueError:
        pass
    if result.verification:
        lines.append(_("Medio de verificación: {text}", text=result.verification))
    if result.due_on:
        lines.append(_("Fecha de la meta: {date}", date=format_date(result.due_on)))
    return "\n".join(line for line in lines if line)


def activity_state_label(state: str | None) -> str:
    if state is None:
        return _("Sin seguimiento")
    try:
        return _(ACTIVITY_STATE_LABELS[ActivityState(state)])
    except ValueError:
        return state


def responsible_text(activity: ActivityRow) -> str:
    label = _(activity.responsible_label)
    if activity.responsible_name:
        return f"{label}: {activity.responsible_name}"
    return label


def visit_label(visit: Visit) -> str:
    """«12/10/2026 · Sede de la alcaldía · Mesa técnica»."""
    day = visit.date or ""
    with contextlib.suppress(ValueError):
        day = format_date(dt.date.fromisoformat(visit.date)) if visit.date else ""
    parts = [day or _("Sin fecha"), visit.place, visit.purpose]
    return " · ".join(p for p in parts if p)


# Shared pieces --------------------------------------------------------------------------------


# The plan's texts -----------------------------------------------------------------------------


class PlanTextsDialog(SaveDialog):
    """The problem, the general objective and the chosen alternative; creates the plan when the
    assistance has none yet."""

    def __init__(
        self,
        profile: Profile,
        assistance_id: str,
        plan_id: str | None = None,
        texts: PlanInput | None = None,
        *,
        subtitle: str = "",
        parent: QWidget | None = None,
    ) -> None:
        title = (
            _("Crear plan de acción") if plan_id is None else _("Problema, objetivo y alternativa")
        )
        super().__init__(profile, title, parent)
        self.assistance_id = assistance_id
        self.plan_id = plan_id
        self.resize(680, 520)
        texts = texts or PlanInput()
        self.problem = text_box(
            self,
            5,
            _("Qué situación de la alcaldía quiere cambiar el plan, con sus causas."),
            grow=True,
        )
        self.objective = text_box(
            self, 3, _("Qué se propone lograr la asistencia técnica con la alcaldía."), grow=True
        )
        self.alternative = text_box(
            self,
            4,
            _("La alternativa de solución elegida con la alcaldía y por qué."),
            grow=True,
        )
        self.problem.setPlainText(texts.problem)
        self.objective.setPlainText(texts.objective)
        self.alternative.setPlainText(texts.alternative)
        form = form_layout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
        form.addRow(_("&Problema:"), self.problem)
        form.addRow(_("&Objetivo general:"), self.objective)
        form.addRow(_("&Alternativa de solución:"), self.alternative)
        parts: list[QWidget | QFormLayout] = []
        if subtitle:
            parts.append(hint_label(subtitle, self))
        parts.append(form)
        if plan_id is None:
            parts.append(
                hint_label(
                    _(
                        "Puede dejar los textos para después: para enviar el plan a revisión "
                        "hacen falta el problema y el objetivo."
                    ),
                    self,
                )
            )
            self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("&Crear plan"))
        self._finish(*parts, grow=form)

    def values(self) -> PlanInput:
        return PlanInput(
            self.problem.toPlainText(), self.objective.toPlainText(), self.alternative.toPlainText()
        )

    def save(self) -> Op[Any]:
        if self.plan_id is None:
            return self._run(
                plans.create_plan,
                self.profile,
                self.assistance_id,
                self.values(),
                label=_("Creando el plan…"),
            )
        return self._run(
            plans.update_plan, self.profile, self.plan_id, self.values(), label=_("Guardando…")
        )


# A result and its indicator -------------------------------------------------------------------


def save_result(
    profile: Profile,
    plan_id: str,
    result_id: str | None,
    data: ResultInput,
    links: Mapping[str, bool],
) -> tuple[str, Changes]:
    """Add or update a result, then link it to the findings it addresses (a worker thread)."""
    if result_id is None:
        result_id, changes = plans.add_result(profile, plan_id, data)
    else:
        changes = plans.update_result(profile, result_id, data)
    for finding_id, linked in links.items():
        changes = changes | plans.link_finding(profile, finding_id, result_id, linked)
    return result_id, changes


class ResultDialog(SaveDialog):
    """An expected result: its statement, its indicator (baseline → target), and the findings of
    the diagnostic it addresses."""

    def __init__(
        self,
        profile: Profile,
        plan_id: str,
        result: ResultRow | None = None,
        findings: Sequence[FindingRow] = (),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            profile,
            _("Nuevo resultado esperado") if result is None else _("Editar resultado esperado"),
            parent,
        )
        self.plan_id = plan_id
        self.result = result
        self.resize(720, 560)
        self.statement = text_box(
            self, 3, _("El cambio que se espera lograr en la alcaldía (no la tarea que se hará).")
        )
        self.indicator_name = QLineEdit(self)
        self.indicator_name.setPlaceholderText(_("Ej.: Funcionarios capacitados en el SECOP II"))
        self.indicator_type = combo_box(
            self,
            ((t.value, _(label)) for t, label in INDICATOR_TYPE_LABELS.items()),
            IndicatorType.RESULT.value,
        )
        self.unit = QLineEdit(self)
        self.unit.setPlaceholderText(_("Ej.: personas, %, proyectos"))
        self.baseline = QLineEdit(self)
        self.baseline.setPlaceholderText(_("Valor al empezar"))
        self.target = QLineEdit(self)
        self.target.setPlaceholderText(_("Valor que se quiere alcanzar"))
        self.direction = combo_box(
            self,
            ((d.value, f"{_(label)} {ARROWS[d.value]}") for d, label in DIRECTION_LABELS.items()),
            Direction.INCREASE.value,
        )
        self.verification = QLineEdit(self)
        self.verification.setPlaceholderText(_("Ej.: listas de asistencia y certificados"))
        self.due_on = OptionalDateEdit(_("Con fecha"), self)
        self.findings = check_list(self, _("Hallazgos que atiende"))
        self._linked: set[str] = set(result.findings) if result is not None else set()
        for finding in findings:
            check_item(self.findings, finding.statement, finding.id, finding.id in self._linked)
        self.findings.setMinimumHeight(self.findings.fontMetrics().height() * 5)

        numbers = QHBoxLayout()
        for text, edit in ((_("&Línea base:"), self.baseline), (_("&Meta:"), self.target)):
            label = QLabel(text, self)
            label.setBuddy(edit)
            numbers.addWidget(label)
            numbers.addWidget(edit, 1)
        direction_label = QLabel(_("&Sentido:"), self)
        direction_label.setBuddy(self.direction)
        numbers.addWidget(direction_label)
        numbers.addWidget(self.direction)
        kind = QHBoxLayout()
        kind.addWidget(self.indicator_type, 1)
        unit_label = QLabel(_("&Unidad:"), self)
        unit_label.setBuddy(self.unit)
        kind.addWidget(unit_label)
        kind.addWidget(self.unit, 1)

        form = form_layout()
        form.addRow(_("&Resultado esperado:"), self.statement)
        form.addRow(_("&Indicador:"), self.indicator_name)
        labelled_row(form, _("&Tipo de indicador:"), kind, self.indicator_type)
        form.addRow("", numbers)
        form.addRow(_("Medio de &verificación:"), self.verification)
        form.addRow(_("&Fecha de la meta:"), self.due_on)
        findings_label = QLabel(_("&Hallazgos que atiende:"), self)
        findings_label.setBuddy(self.findings)
        parts: list[QWidget | QFormLayout] = [form, findings_label]
        grow: QWidget | None = None
        if findings:
            parts.append(self.findings)
            grow = self.findings
        else:
            self.findings.hide()
            parts.append(
                hint_label(
                    _(
                        "La asistencia aún no tiene hallazgos del diagnóstico: agréguelos en la "
                        "pestaña «Hallazgos» del plan."
                    ),
                    self,
                )
            )
        self._finish(*parts, grow=grow)

        if result is not None:
            self.statement.setPlainText(result.statement)
            self.indicator_name.setText(result.indicator_name)
            self.indicator_type.setCurrentIndex(
                max(self.indicator_type.findData(result.indicator_type), 0)
            )
            self.unit.setText(result.unit)
            self.baseline.setText(number_text(result.baseline))
            self.target.setText(number_text(result.target))
            self.direction.setCurrentIndex(max(self.direction.findData(result.direction), 0))
            self.verification.setText(result.verification)
            self.due_on.set_date(result.due_on)

    def values(self) -> ResultInput:
        """What the person wrote; ValueError names the field whose number does not read."""
        numbers: dict[str, float | None] = {}
        for name, edit, what in (
            ("baseline", self.baseline, _("la línea base")),
            ("target", self.target, _("la meta")),
        ):
            try:
                numbers[name] = parse_number(edit.text())
            except ValueError:
                edit.setFocus()
                raise ValueError(
                    _("«{value}» no es un número válido para {what}.", value=edit.text(), what=what)
                ) from None
        return ResultInput(
            statement=self.statement.toPlainText(),
            indicator_name=self.indicator_name.text(),
            indicator_type=self.indicator_type.currentData(),
            unit=self.unit.text(),
            baseline=numbers["baseline"],
            target=numbers["target"],
            direction=self.direction.currentData(),
            verification=self.verification.text(),
            due_on=self.due_on.date(),
        )

    def links(self) -> dict[str, bool]:
        """Findings whose link changes: checked now and not before, or the other way round."""
        checked = set(checked_keys(self.findings))
        return {f: f in checked for f in checked ^ self._linked}

    def save(self) -> Op[Any] | None:
        try:
            data = self.values()
        except ValueError as error:
            self.error.show_message(str(error))
            return None
        return self._run(
            save_result,
            self.profile,
            self.plan_id,
            self.result.id if self.result is not None else None,
            data,
            self.links(),
            label=_("Guardando el resultado…"),
        )


# An activity ----------------------------------------------------------------------------------


class ActivityDialog(SaveDialog):
    """An activity under a result: what, who (the team or the mayor's office), when."""

    def __init__(
        self,
        profile: Profile,
        plan_id: str,
        results: Sequence[ResultRow],
        activity: ActivityRow | None = None,
        result_id: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            profile, _("Nueva actividad") if activity is None else _("Editar actividad"), parent
        )
        self.plan_id = plan_id
        self.activity = activity
        self.resize(660, 240)
        self.description = text_box(self, 3, _("Qué se hará, con quién y para qué."))
        self.result = QComboBox(self)
        self.result.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        for number, result in enumerate((r for r in results if r.id), start=1):
            self.result.addItem(f"R{number}. {result.statement}", result.id)
            self.result.setItemData(
                self.result.count() - 1, result.statement, Qt.ItemDataRole.ToolTipRole
            )
        self.responsible = combo_box(
            self, ((code, _(label)) for code, label in RESPONSIBLES.items()), "team"
        )
        self.responsible_name = QLineEdit(self)
        self.start_on = OptionalDateEdit(_("Con fecha"), self)
        self.end_on = OptionalDateEdit(_("Con fecha"), self)
        who = QHBoxLayout()
        who.addWidget(self.responsible)
        who.addWidget(self.responsible_name, 1)
        dates = QHBoxLayout()
        dates.addWidget(self.start_on, 1)
        end_label = QLabel(_("&Fin:"), self)
        end_label.setBuddy(self.end_on)
        dates.addSpacing(12)
        dates.addWidget(end_label)
        dates.addWidget(self.end_on, 1)
        form = form_layout()
        form.addRow(_("&Actividad:"), self.description)
        form.addRow(_("&Resultado al que aporta:"), self.result)
        labelled_row(form, _("Res&ponsable:"), who, self.responsible)
        labelled_row(form, _("&Inicio:"), dates, self.start_on)
        self._finish(form)
        self.responsible.currentIndexChanged.connect(self._responsible_changed)

        chosen = activity.result_id if activity is not None else result_id
        if chosen:
            self.result.setCurrentIndex(max(self.result.findData(chosen), 0))
        if activity is not None:
            self.description.setPlainText(activity.description)
            self.responsible.setCurrentIndex(
                max(self.responsible.findData(activity.responsible), 0)
            )
            self.responsible_name.setText(activity.responsible_name)
            self.start_on.set_date(activity.start_on)
            self.end_on.set_date(activity.end_on)
        self._responsible_changed()

    def _responsible_changed(self) -> None:
        if self.responsible.currentData() == "municipality":
            self.responsible_name.setPlaceholderText(
                _("Nombre y cargo del funcionario (obligatorio)")
            )
        else:
            self.responsible_name.setPlaceholderText(_("Integrante del equipo (opcional)"))

    def values(self) -> ActivityInput:
        return ActivityInput(
            description=self.description.toPlainText(),
            result_id=self.result.currentData() or "",
            responsible=self.responsible.currentData(),
            responsible_name=self.responsible_name.text(),
            start_on=self.start_on.date(),
            end_on=self.end_on.date(),
        )

    def save(self) -> Op[Any]:
        if self.activity is None:
            return self._run(
                plans.add_activity,
                self.profile,
                self.plan_id,
                self.values(),
                label=_("Guardando la actividad…"),
            )
        return self._run(
            plans.update_activity,
            self.profile,
            self.activity.id,
            self.values(),
            label=_("Guardando la actividad…"),
        )


# Follow-up ------------------------------------------------------------------------------------


class EvidenceList(QWidget):
    """Files that support a follow-up (photos, attendance lists, acts), each with a caption;
    they are copied into the profile when the follow-up is saved."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.table = QTableWidget(0, 2, self)
        self.table.setHorizontalHeaderLabels([_("Archivo"), _("Descripción")])
        self.table.setAccessibleName(_("Evidencias"))
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.table.setColumnWidth(0, 220)
        self.table.setMinimumHeight(self.table.fontMetrics().height() * 5)
        self.add_button = QPushButton(_("Agregar arc&hivos…"), self)
        self.add_button.setAutoDefault(False)
        self.add_button.setToolTip(_("Fotos, listas de asistencia, actas u otros soportes"))
        self.remove_button = QPushButton(_("&Quitar"), self)
        self.remove_button.setAutoDefault(False)
        buttons = QVBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.add_button.clicked.connect(self.choose_files)
        self.remove_button.clicked.connect(self.remove_selected)
        self.table.itemSelectionChanged.connect(self._update)
        self._update()

    def choose_files(self) -> None:
        paths, _filter = QFileDialog.getOpenFileNames(
            self, _("Evidencias del seguimiento"), "", _("Todos los archivos (*)")
        )
        self.add_files(Path(p) for p in paths)

    def add_files(self, paths: Iterable[Path], caption: str = "") -> None:
        for path in paths:
            row = self.table.rowCount()
            self.table.insertRow(row)
            name = QTableWidgetItem(path.name)
            name.setData(ID_ROLE, str(path))
            name.setToolTip(str(path))
            name.setFlags(name.flags() & ~Qt.ItemFlag.ItemIsEditable)
            self.table.setItem(row, 0, name)
            self.table.setItem(row, 1, QTableWidgetItem(caption))
        self._update()

    def set_caption(self, row: int, caption: str) -> None:
        self.table.item(row, 1).setText(caption)

    def remove_selected(self) -> None:
        rows = sorted({i.row() for i in self.table.selectedIndexes()}, reverse=True)
        for row in rows:
            self.table.removeRow(row)
        self._update()

    def items(self) -> list[tuple[Path, str]]:
        return [
            (Path(self.table.item(row, 0).data(ID_ROLE)), self.table.item(row, 1).text().strip())
            for row in range(self.table.rowCount())
        ]

    def _update(self) -> None:
        self.remove_button.setEnabled(bool(self.table.selectedIndexes()))


class ProgressDialog(SaveDialog):
    """«Registrar avance»: an activity's percent and state on a date, a note, evidence."""

    def __init__(
        self, profile: Profile, activity: ActivityRow, parent: QWidget | None = None
    ) -> None:
        super().__init__(profile, _("Registrar avance de la actividad"), parent)
        self.activity = activity
        self.resize(640, 560)
        heading = QLabel(f"<b>{escape(activity.description)}</b>", self)
        heading.setWordWrap(True)
        current = hint_label(
            _(
                "Avance registrado: {percent} % · {state}",
                percent=format_number(math.floor(activity.percent)),
                state=activity_state_label(activity.state),
            )
            + (
                " · " + _("vencida desde el {date}", date=format_date(activity.end_on))
                if activity.overdue
                else ""
            ),
            self,
        )
        self.recorded_on = date_edit(self)
        self.recorded_on.setMaximumDate(to_qdate(dt.date.today()))
        self.percent = QSpinBox(self)
        self.percent.setRange(0, 100)
        self.percent.setSuffix(" %")
        self.percent.setValue(math.floor(activity.percent))
        self.state = combo_box(
            self,
            ((s.value, _(label)) for s, label in ACTIVITY_STATE_LABELS.items()),
            activity.state or ActivityState.IN_PROGRESS.value,
        )
        self.note = text_box(self, 3, _("Qué se hizo, qué falta, qué dificultades hubo."))
        self.evidence = EvidenceList(self)
        form = form_layout()
        labelled_row(form, _("&Fecha:"), keep_left(self.recorded_on), self.recorded_on)
        row = QHBoxLayout()
        row.addWidget(self.percent)
        state_label = QLabel(_("&Estado:"), self)
        state_label.setBuddy(self.state)
        row.addSpacing(12)
        row.addWidget(state_label)
        row.addWidget(self.state, 1)
        labelled_row(form, _("&Avance:"), row, self.percent)
        form.addRow(_("&Nota:"), self.note)
        evidence_label = QLabel(_("Evidencias:"), self)
        self._finish(heading, current, form, evidence_label, self.evidence, grow=self.evidence)
        self.percent.valueChanged.connect(self._percent_changed)
        self.state.currentIndexChanged.connect(self._state_changed)

    def _percent_changed(self, value: int) -> None:
        state = self.state.currentData()
        if value >= 100:
            self._set_state(ActivityState.COMPLETE.value)
        elif state == ActivityState.COMPLETE.value or (
            value > 0 and state == ActivityState.PENDING.value
        ):
            self._set_state(ActivityState.IN_PROGRESS.value)

    def _state_changed(self) -> None:
        if self.state.currentData() == ActivityState.COMPLETE.value:
            self.percent.setValue(100)

    def _set_state(self, value: str) -> None:
        self.state.blockSignals(True)
        self.state.setCurrentIndex(max(self.state.findData(value), 0))
        self.state.blockSignals(False)

    def save(self) -> Op[Any]:
        return self._run(
            plans.record_activity_progress,
            self.profile,
            self.activity.id,
            from_qdate(self.recorded_on.date()),
            float(self.percent.value()),
            self.state.currentData(),
            self.note.toPlainText(),
            self.evidence.items(),
            label=_("Guardando el avance…"),
        )


class MeasurementDialog(SaveDialog):
    """«Registrar medición»: the value a result's indicator reached on a date, how it was
    verified, evidence."""

    def __init__(self, profile: Profile, result: ResultRow, parent: QWidget | None = None) -> None:
        super().__init__(profile, _("Registrar medición del indicador"), parent)
        self.result = result
        self.resize(640, 560)
        heading = QLabel(f"<b>{escape(result.statement)}</b>", self)
        heading.setWordWrap(True)
        lines = [indicator_text(result)]
        if result.measured is not None:
            lines.append(
                _(
                    "Última medición: {value} el {date}",
                    value=quantity(result.measured, result.unit),
                    date=format_date(result.measured_on) or "—",
                )
            )
        context = hint_label("\n".join(line for line in lines if line), self)
        self.recorded_on = date_edit(self)
        self.recorded_on.setMaximumDate(to_qdate(dt.date.today()))
        self.value = QLineEdit(self)
        self.value.setPlaceholderText(_("Valor medido"))
        unit = QLabel(result.unit, self)
        self.verification = QLineEdit(self)
        self.verification.setText(result.verification)
        self.verification.setPlaceholderText(_("Dónde consta el valor medido"))
        self.note = text_box(self, 3)
        self.evidence = EvidenceList(self)
        value_row = QHBoxLayout()
        value_row.addWidget(self.value, 1)
        value_row.addWidget(unit)
        value_row.addStretch(1)
        form = form_layout()
        labelled_row(form, _("&Fecha:"), keep_left(self.recorded_on), self.recorded_on)
        labelled_row(form, _("&Valor medido:"), value_row, self.value)
        form.addRow(_("Medio de &verificación:"), self.verification)
        form.addRow(_("&Nota:"), self.note)
        self._finish(
            heading,
            context,
            form,
            QLabel(_("Evidencias:"), self),
            self.evidence,
            grow=self.evidence,
        )

    def save(self) -> Op[Any] | None:
        try:
            value = parse_number(self.value.text())
        except ValueError:
            self.error.show_message(
                _("«{value}» no es un número válido para el valor medido.", value=self.value.text())
            )
            self.value.setFocus()
            return None
        if value is None:
            self.error.show_message(_("Escriba el valor medido del indicador."))
            self.value.setFocus()
            return None
        return self._run(
            plans.record_measurement,
            self.profile,
            self.result.id,
            from_qdate(self.recorded_on.date()),
            value,
            self.verification.text(),
            self.note.toPlainText(),
            self.evidence.items(),
            label=_("Guardando la medición…"),
        )


def set_visit_links(profile: Profile, activity_id: str, links: Mapping[str, bool]) -> Changes:
    changes = Changes()
    for visit_id, linked in links.items():
        changes = changes | plans.link_visit(profile, activity_id, visit_id, linked)
    return changes


class VisitsDialog(SaveDialog):
    """«Vincular visitas»: which visits of the visit log advanced the activity."""

    def __init__(
        self,
        profile: Profile,
        activity: ActivityRow,
        visits: Sequence[Visit],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(profile, _("Visitas que aportaron a la actividad"), parent)
        self.activity = activity
        self.resize(600, 420)
        heading = QLabel(f"<b>{escape(activity.description)}</b>", self)
        heading.setWordWrap(True)
        self.visits = check_list(self, _("Visitas de la asistencia"))
        self._linked = set(activity.visits)
        for visit in visits:
            check_item(
                self.visits,
                visit_label(visit),
                visit.submission_id,
                visit.submission_id in self._linked,
            )
        hint = hint_label(
            _("Marque las visitas o sesiones de trabajo en las que se avanzó en esta actividad."),
            self,
        )
        self._finish(heading, hint, self.visits, grow=self.visits)

    def links(self) -> dict[str, bool]:
        checked = set(checked_keys(self.visits))
        return {v: v in checked for v in checked ^ self._linked}

    def save(self) -> Op[Any] | None:
        links = self.links()
        if not links:
            self.accept()
            return None
        return self._run(
            set_visit_links, self.profile, self.activity.id, links, label=_("Guardando…")
        )


# The reviewer's decision ----------------------------------------------------------------------


class DecisionDialog(SaveDialog):
    """Approve the submitted version, or return it to the team with comments."""

    def __init__(
        self,
        profile: Profile,
        plan_id: str,
        approve: bool,
        version: VersionRow | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            profile,
            _("Aprobar el plan de acción") if approve else _("Devolver el plan con comentarios"),
            parent,
        )
        self.plan_id = plan_id
        self.approve = approve
        self.resize(560, 320)
        parts: list[QWidget] = []
        if version is not None:
            parts.append(
                hint_label(
                    _(
                        "Versión {version}, enviada por {who} el {date}.",
                        version=version.version,
                        who=version.submitted_by or "—",
                        date=format_datetime(version.submitted_at) or "—",
                    ),
                    self,
                )
            )
        label = QLabel(
            _("&Comentarios (opcional):")
            if approve
            else _("&Comentarios para el equipo (obligatorio):"),
            self,
        )
        self.comments = text_box(
            self,
            5,
            _("Recomendaciones para la ejecución.")
            if approve
            else _("Qué debe corregir o completar el equipo antes de enviarlo otra vez."),
            grow=True,
        )
        label.setBuddy(self.comments)
        parts += [label, self.comments]
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(_("A&probar") if approve else _("&Devolver al equipo"))
        self._finish(*parts, grow=self.comments)

    def save(self) -> Op[Any]:
        comments = self.comments.toPlainText()
        if self.approve:
            return self._run(
                plans.approve, self.profile, self.plan_id, comments, label=_("Aprobando…")
            )
        return self._run(
            plans.return_plan, self.profile, self.plan_id, comments, label=_("Devolviendo…")
        )


# Findings -------------------------------------------------------------------------------------


class FindingDialog(SaveDialog):
    """A finding of the diagnostic, in words, with its area and priority."""

    def __init__(self, profile: Profile, assistance_id: str, parent: QWidget | None = None) -> None:
        super().__init__(profile, _("Nuevo hallazgo"), parent)
        self.assistance_id = assistance_id
        self.resize(560, 300)
        self.statement = text_box(self, 3, _("Lo que el diagnóstico encontró, en una frase."))
        self.area = QLineEdit(self)
        self.area.setPlaceholderText(_("Ej.: Contratación, Finanzas, Planeación"))
        self.priority = QComboBox(self)
        self.priority.addItem(_("Sin prioridad"), None)
        for value, label in PRIORITY_LABELS.items():
            self.priority.addItem(_(label), value)
        self.priority.setCurrentIndex(2)
        form = form_layout()
        form.addRow(_("&Hallazgo:"), self.statement)
        form.addRow(_("Á&rea:"), self.area)
        form.addRow(_("&Prioridad:"), self.priority)
        self._finish(form)

    def save(self) -> Op[Any]:
        return self._run(
            plans.add_finding,
            self.profile,
            self.assistance_id,
            self.statement.toPlainText(),
            self.area.text(),
            self.priority.currentData(),
            label=_("Guardando el hallazgo…"),
        )


def add_findings(
    profile: Profile, assistance_id: str, suggestions: Sequence[SuggestedFinding]
) -> Changes:
    changes = Changes()
    for s in suggestions:
        _id, changed = plans.add_finding(
            profile, assistance_id, s.statement, s.area, s.priority, s.submission_id
        )
        changes = changes | changed
    return changes


class SuggestedFindingsDialog(SaveDialog):
    """What the diagnostic already says (weak areas, its «hallazgos» answer): tick what to add."""

    def __init__(
        self,
        profile: Profile,
        assistance_id: str,
        suggestions: Sequence[SuggestedFinding],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(profile, _("Hallazgos sugeridos por el diagnóstico"), parent)
        self.assistance_id = assistance_id
        self.suggestions = list(suggestions)
        self.resize(680, 440)
        self.list = check_list(self, _("Hallazgos sugeridos"))
        for index, s in enumerate(self.suggestions):
            priority = _(PRIORITY_LABELS.get(s.priority, "")) if s.priority else ""
            text = (
                f"{s.statement} ({_('prioridad')} {priority.lower()})" if priority else s.statement
            )
            check_item(self.list, text, index, True)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("&Agregar marcados"))
        hint = hint_label(
            ngettext(
                "El diagnóstico sugiere {n} hallazgo. Desmarque lo que no quiera agregar.",
                "El diagnóstico sugiere {n} hallazgos. Desmarque los que no quiera agregar.",
                len(self.suggestions),
            ),
            self,
        )
        self._finish(hint, self.list, grow=self.list)

    def chosen(self) -> list[SuggestedFinding]:
        return [self.suggestions[i] for i in checked_keys(self.list)]

    def save(self) -> Op[Any] | None:
        chosen = self.chosen()
        if not chosen:
            self.accept()
            return None
        return self._run(
            add_findings, self.profile, self.assistance_id, chosen, label=_("Agregando…")
        )


# A version, read-only -------------------------------------------------------------------------


def _day(value: object) -> str:
    if not value:
        return ""
    try:
        return format_date(dt.date.fromisoformat(str(value)))
    except ValueError:
        return str(value)


def snapshot_html(snapshot: Mapping[str, Any], version: VersionRow | None = None) -> str:
    """What was submitted in a version, as a readable document."""

    def para(text: object) -> str:
        value = str(text or "").strip()
        if not value:
            return f'<p style="color:{HINT_COLOR};">{escape(_("Sin escribir"))}</p>'
        return "<p>" + escape(value).replace("\n", "<br>") + "</p>"

    out = [f"<h2>{escape(_('Plan de acción · versión {n}', n=snapshot.get('version', '?')))}</h2>"]
    if version is not None:
        meta = _(
            "Enviada por {who} el {date}",
            who=version.submitted_by or "—",
            date=format_datetime(version.submitted_at) or "—",
        )
        if version.decision:
            meta += " · " + _(
                "{decision} por {who} el {date}",
                decision=_(plans.decision_text(version)),
                who=version.decided_by or "—",
                date=format_datetime(version.decided_at) or "—",
            )
        out.append(f'<p style="color:{HINT_COLOR};">{escape(meta)}</p>')
        if version.comments:
            out.append(
                f"<p><b>{escape(_('Comentarios del revisor:'))}</b> "
                f"{escape(version.comments).replace(chr(10), '<br>')}</p>"
            )
    for key, title in (
        ("problem", _("Problema")),
        ("objective", _("Objetivo general")),
        ("alternative", _("Alternativa de solución")),
    ):
        out.append(f"<h3>{escape(title)}</h3>{para(snapshot.get(key))}")
    out.append(f"<h3>{escape(_('Resultados esperados y actividades'))}</h3>")
    results = snapshot.get("results") or []
    if not results:
        out.append(para(""))
    for number, r in enumerate(results, start=1):
        row = ResultRow(
            "",
            r.get("statement") or "",
            r.get("indicator_name") or "",
            r.get("indicator_type") or IndicatorType.RESULT.value,
            r.get("unit") or "",
            r.get("baseline"),
            r.get("target"),
            r.get("direction") or Direction.INCREASE.value,
            r.get("verification") or "",
            None,
            None,
            None,
            None,
            (),
            (),
        )
        out.append(f"<p><b>R{number}. {escape(row.statement)}</b><br>")
        out.append(escape(indicator_tooltip(row)).replace("\n", "<br>"))
        if r.get("due_on"):
            out.append("<br>" + escape(_("Fecha de la meta: {date}", date=_day(r.get("due_on")))))
        out.append("</p><ul>")
        for a_number, a in enumerate(r.get("activities") or [], start=1):
            who = _(RESPONSIBLES.get(a.get("responsible") or "team", a.get("responsible") or ""))
            if a.get("responsible_name"):
                who = f"{who}: {a['responsible_name']}"
            when = " – ".join(d for d in (_day(a.get("start_on")), _day(a.get("end_on"))) if d)
            details = " · ".join(p for p in (who, when) if p)
            out.append(
                f"<li>{number}.{a_number} {escape(a.get('description') or '')}"
                f'<br><span style="color:{HINT_COLOR};">{escape(details)}</span></li>'
            )
        out.append("</ul>")
    return "".join(out)


class VersionDialog(QDialog):
    """A submitted version of the plan, read-only."""

    def __init__(
        self,
        snapshot: Mapping[str, Any],
        version: VersionRow | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        number = version.version if version is not None else snapshot.get("version", "?")
        self.setWindowTitle(_("Plan de acción · versión {n}", n=number))
        self.resize(760, 640)
        self.browser = QTextBrowser(self)
        self.browser.setOpenLinks(False)
        self.browser.setHtml(snapshot_html(snapshot, version))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(_("&Cerrar"))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser)
        layout.addWidget(buttons)
