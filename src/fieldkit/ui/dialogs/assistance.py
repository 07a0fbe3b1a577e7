"""Register or edit a technical assistance: place, thematic line, team, counterparts, dates, notes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from fieldkit.domain.errors import FieldkitError
from fieldkit.i18n import _
from fieldkit.services import assistances
from fieldkit.services.assistances import AssistanceInput, CounterpartInput
from fieldkit.ui.data import AssistanceFormData
from fieldkit.ui.formatting import person_role_label
from fieldkit.ui.ops import Op
from fieldkit.ui.widgets.common import (
    ErrorLabel,
    OptionalDateEdit,
    date_edit,
    from_qdate,
    save_cancel_buttons,
    to_qdate,
)
from fieldkit.ui.widgets.municipality_picker import MunicipalityPicker

if TYPE_CHECKING:
    from fieldkit.services.profile import Profile

ID_ROLE = Qt.ItemDataRole.UserRole
NAME_ROLE = Qt.ItemDataRole.UserRole + 1


def counterpart_titles() -> list[str]:
    return [_("Nombre"), _("Cargo"), _("Correo"), _("Teléfono")]


class AssistanceDialog(QDialog):
    """Saving goes through the service; its Spanish message shows here and the data stays."""

    saved = Signal(str)  # the assistance code

    def __init__(
        self,
        profile: Profile,
        data: AssistanceFormData,
        *,
        municipality: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.profile = profile
        self.detail = data.detail
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        if self.detail is None:
            self.setWindowTitle(_("Nueva asistencia técnica"))
        else:
            self.setWindowTitle(_("Editar asistencia {code}", code=self.detail.row.code))
        self.resize(960, 700)

        self.municipality = MunicipalityPicker(data.municipalities, self)
        self.line = QComboBox(self)
        for option in data.lines:
            self.line.addItem(option.name, option.code)

        self.requested = date_edit(self)
        self.start = OptionalDateEdit(_("Definida"), self)
        self.end = OptionalDateEdit(_("Definida"), self)

        self.team = QListWidget(self)
        self.team.setAccessibleName(_("Equipo"))
        self.lead = QComboBox(self)
        team_ids = {m.person_id for m in self.detail.team} if self.detail else set()
        for person in data.persons:
            if not person.active and person.id not in team_ids:
                continue
            role = person_role_label(person.role)
            item = QListWidgetItem(f"{person.name} — {role}", self.team)
            item.setData(ID_ROLE, person.id)
            item.setData(NAME_ROLE, person.name)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
        self.no_persons = QLabel(
            _("Aún no hay personas registradas: agréguelas en la vista Personas."), self
        )
        self.no_persons.setWordWrap(True)
        self.no_persons.setVisible(self.team.count() == 0)
        self.team.itemChanged.connect(self._refresh_lead)

        titles = counterpart_titles()
        self.counterparts = QTableWidget(0, len(titles), self)
        self.counterparts.setHorizontalHeaderLabels(titles)
        self.counterparts.verticalHeader().hide()
        self.counterparts.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.counterparts.setWordWrap(False)
        self.counterparts.verticalHeader().setDefaultSectionSize(
            self.counterparts.fontMetrics().height() + 10
        )
        header = self.counterparts.horizontalHeader()
        header.setStretchLastSection(True)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        for column, sample in enumerate(
            ("Luz Dary Angulo", "Secretaria de Planeación", "planeacion@alcaldia.gov.co")
        ):
            header.resizeSection(
                column, self.counterparts.fontMetrics().horizontalAdvance(sample) + 16
            )
        self.add_counterpart = QPushButton(_("&Agregar"), self)
        self.remove_counterpart = QPushButton(_("&Quitar"), self)
        self.add_counterpart.clicked.connect(lambda: self.append_counterpart())
        self.remove_counterpart.clicked.connect(self._remove_counterpart)

        self.notes = QPlainTextEdit(self)
        self.notes.setTabChangesFocus(True)
        self.notes.setPlaceholderText(_("Acuerdos, contexto, pendientes…"))

        self.error = ErrorLabel(self)
        self.buttons = save_cancel_buttons(self, self.save)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)

        self._build_layout()
        self._fill(data, municipality)

    # Layout --------------------------------------------------------------------------------

    def _build_layout(self) -> None:
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(self._buddy(_("&Municipio:"), self.municipality), self.municipality)
        form.addRow(self._buddy(_("&Línea temática:"), self.line), self.line)
        dates = QHBoxLayout()
        dates.addWidget(self._buddy(_("&Solicitud:"), self.requested))
        dates.addWidget(self.requested)
        dates.addSpacing(16)
        dates.addWidget(self._buddy(_("&Inicio:"), self.start))
        dates.addWidget(self.start)
        dates.addSpacing(16)
        dates.addWidget(self._buddy(_("&Fin:"), self.end))
        dates.addWidget(self.end)
        dates.addStretch(1)
        form.addRow(_("Fechas:"), dates)

        team_box = QGroupBox(_("&Equipo"), self)
        team_layout = QVBoxLayout(team_box)
        team_layout.addWidget(
            QLabel(_("Marque a las personas del equipo y elija quién lo lidera."), team_box)
        )
        team_layout.addWidget(self.no_persons)
        team_layout.addWidget(self.team, 1)
        lead_row = QHBoxLayout()
        lead_row.addWidget(self._buddy(_("Lí&der:"), self.lead))
        lead_row.addWidget(self.lead, 1)
        team_layout.addLayout(lead_row)

        counterpart_box = QGroupBox(_("&Contrapartes en la alcaldía"), self)
        counterpart_layout = QVBoxLayout(counterpart_box)
        counterpart_layout.addWidget(self.counterparts, 1)
        counterpart_buttons = QHBoxLayout()
        counterpart_buttons.addStretch(1)
        counterpart_buttons.addWidget(self.add_counterpart)
        counterpart_buttons.addWidget(self.remove_counterpart)
        counterpart_layout.addLayout(counterpart_buttons)

        people = QHBoxLayout()
        people.addWidget(team_box, 4)
        people.addWidget(counterpart_box, 7)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(people, 3)
        layout.addWidget(self._buddy(_("&Notas:"), self.notes))
        layout.addWidget(self.notes, 1)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

        self.setTabOrder(self.municipality, self.line)
        self.setTabOrder(self.line, self.requested)
        self.setTabOrder(self.requested, self.start)
        self.setTabOrder(self.start, self.end)
        self.setTabOrder(self.end, self.team)
        self.setTabOrder(self.team, self.lead)
        self.setTabOrder(self.lead, self.counterparts)
        self.setTabOrder(self.counterparts, self.add_counterpart)
        self.setTabOrder(self.add_counterpart, self.remove_counterpart)
        self.setTabOrder(self.remove_counterpart, self.notes)

    def _buddy(self, text: str, widget: QWidget) -> QLabel:
        label = QLabel(text, self)
        label.setBuddy(widget)
        return label

    # Data in -------------------------------------------------------------------------------

    def _fill(self, data: AssistanceFormData, municipality: str | None) -> None:
        detail = self.detail
        if detail is None:
            if municipality:
                self.municipality.set_code(municipality)
            self._refresh_lead()
            return
        row = detail.row
        self.municipality.set_code(row.municipality_code)
        self.line.setCurrentIndex(max(self.line.findData(row.thematic_line_code), 0))
        if row.requested_on:
            self.requested.setDate(to_qdate(row.requested_on))
        self.start.set_date(row.start_on)
        self.end.set_date(row.end_on)
        members = {m.person_id: m for m in detail.team}
        self.team.blockSignals(True)
        for i in range(self.team.count()):
            item = self.team.item(i)
            if item.data(ID_ROLE) in members:
                item.setCheckState(Qt.CheckState.Checked)
        self.team.blockSignals(False)
        lead = next((m.person_id for m in detail.team if m.team_role == "lead"), None)
        self._refresh_lead(lead)
        for c in detail.counterparts:
            self.append_counterpart(CounterpartInput(c.name, c.position, c.email, c.phone, c.id))
        self.notes.setPlainText(detail.notes)

    # Team ----------------------------------------------------------------------------------

    def check_person(self, name: str, checked: bool = True) -> None:
        """Tick (or untick) the person called ``name`` in the team list."""
        for i in range(self.team.count()):
            item = self.team.item(i)
            if item.data(NAME_ROLE) == name:
                item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
                return
        raise LookupError(name)

    def _checked(self) -> list[tuple[str, str]]:
        out = []
        for i in range(self.team.count()):
            item = self.team.item(i)
            if item.checkState() == Qt.CheckState.Checked:
                out.append((item.data(ID_ROLE), item.data(NAME_ROLE)))
        return out

    def _refresh_lead(self, keep: object = None) -> None:
        current = keep if isinstance(keep, str) else self.lead.currentData()
        self.lead.blockSignals(True)
        self.lead.clear()
        for person_id, name in self._checked():
            self.lead.addItem(name, person_id)
        self.lead.setCurrentIndex(max(self.lead.findData(current), 0))
        self.lead.blockSignals(False)
        self.lead.setEnabled(self.lead.count() > 1)
        if self.lead.count() == 0:
            self.lead.addItem(_("(marque primero a las personas del equipo)"), None)

    def team_ids(self) -> list[str]:
        ids = [person_id for person_id, _name in self._checked()]
        lead = self.lead.currentData()
        if lead in ids:
            ids.remove(lead)
            ids.insert(0, lead)
        return ids

    # Counterparts --------------------------------------------------------------------------

    def append_counterpart(self, value: CounterpartInput | None = None) -> int:
        row = self.counterparts.rowCount()
        self.counterparts.insertRow(row)
        texts = (
            (value.name, value.position, value.email, value.phone) if value else ("", "", "", "")
        )
        for column, text in enumerate(texts):
            self.counterparts.setItem(row, column, QTableWidgetItem(text))
        if value and value.id:
            self.counterparts.item(row, 0).setData(ID_ROLE, value.id)
        if value is None:
            self.counterparts.setCurrentCell(row, 0)
            self.counterparts.setFocus()
            self.counterparts.editItem(self.counterparts.item(row, 0))
        return row

    def _remove_counterpart(self) -> None:
        rows = sorted({i.row() for i in self.counterparts.selectedIndexes()}, reverse=True)
        if not rows and self.counterparts.currentRow() >= 0:
            rows = [self.counterparts.currentRow()]
        for row in rows:
            self.counterparts.removeRow(row)

    def counterpart_inputs(self) -> list[CounterpartInput]:
        out = []
        for row in range(self.counterparts.rowCount()):
            texts = [
                (self.counterparts.item(row, c).text() if self.counterparts.item(row, c) else "")
                for c in range(self.counterparts.columnCount())
            ]
            if not any(t.strip() for t in texts):
                continue  # an empty row left by "Agregar" is not a counterpart
            first = self.counterparts.item(row, 0)
            out.append(
                CounterpartInput(
                    *(t.strip() for t in texts), id=first.data(ID_ROLE) if first else None
                )
            )
        return out

    # Saving --------------------------------------------------------------------------------

    def value(self) -> AssistanceInput:
        return AssistanceInput(
            municipality_code=self.municipality.code(),
            thematic_line_code=self.line.currentData() or "",
            team=self.team_ids(),
            counterparts=self.counterpart_inputs(),
            requested_on=from_qdate(self.requested.date()),
            start_on=self.start.date(),
            end_on=self.end.date(),
            notes=self.notes.toPlainText(),
        )

    def save(self) -> None:
        self.counterparts.setCurrentItem(None)  # commit a cell still being edited
        if not self.municipality.code():
            self.show_error(
                _("Elija el municipio de la lista: escriba parte del nombre o el código DIVIPOLA.")
            )
            self.municipality.setFocus()
            return
        data = self.value()
        self.error.clear_message()
        self.buttons.setEnabled(False)
        if self.detail is None:
            op = Op(
                self,
                assistances.create_assistance,
                self.profile,
                data,
                label=_("Guardando la asistencia…"),
            )
            op.success(lambda result: self._done(result[0]))
        else:
            code = self.detail.row.code
            op = Op(
                self,
                assistances.update_assistance,
                self.profile,
                code,
                data,
                label=_("Guardando la asistencia…"),
            )
            op.success(lambda _changes: self._done(code))
        op.failure(self._failed).finally_(lambda: self.buttons.setEnabled(True)).run()

    def _failed(self, error: BaseException) -> bool:
        if isinstance(error, FieldkitError):
            self.show_error(error.render(_))
            return True
        return False

    def show_error(self, text: str) -> None:
        self.error.show_message(text)

    def _done(self, code: str) -> None:
        self.saved.emit(code)
        self.accept()
