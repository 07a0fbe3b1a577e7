"""Move an assistance one step along its workflow, or cancel it with a reason."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from fieldkit.domain.states import AssistanceState
from fieldkit.i18n import _
from fieldkit.services import assistances
from fieldkit.services.assistances import AssistanceDetail
from fieldkit.ui.formatting import state_label
from fieldkit.ui.ops import Op
from fieldkit.ui.widgets.common import ErrorLabel

if TYPE_CHECKING:
    from fieldkit.services.profile import Profile


class TransitionDialog(QDialog):
    def __init__(
        self, profile: Profile, detail: AssistanceDetail, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.profile = profile
        self.detail = detail
        self.code = detail.row.code
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle(_("Cambiar estado de {code}", code=self.code))
        self.setMinimumWidth(520)

        row = detail.row
        heading = QLabel(f"{self.code} · {row.municipality} ({row.department})", self)
        heading.setWordWrap(True)
        self.current = QLabel(
            _("Estado actual: <b>{state}</b>", state=state_label(detail.row.state)), self
        )

        box = QGroupBox(_("Nuevo estado"), self)
        box_layout = QVBoxLayout(box)
        self.group = QButtonGroup(self)
        self.radios: dict[str, QRadioButton] = {}
        for state in detail.next_states:
            radio = QRadioButton(state_label(state), box)
            self.radios[state] = radio
            self.group.addButton(radio)
            box_layout.addWidget(radio)
        if not detail.next_states:
            box_layout.addWidget(
                QLabel(_("Esta asistencia ya terminó su recorrido: no cambia de estado."), box)
            )
        else:
            next(iter(self.radios.values())).setChecked(True)

        self.reason_label = QLabel(self)
        self.reason = QPlainTextEdit(self)
        self.reason.setTabChangesFocus(True)
        self.reason.setFixedHeight(self.fontMetrics().height() * 5)
        self.reason_label.setBuddy(self.reason)
        self.error = ErrorLabel(self)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(_("Cambiar &estado"))
        self.ok_button.setEnabled(bool(detail.next_states))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancelar"))
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.current)
        layout.addWidget(box)
        layout.addWidget(self.reason_label)
        layout.addWidget(self.reason)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.group.buttonToggled.connect(self._update_reason)
        self._update_reason()

    def target(self) -> str | None:
        return next((s for s, r in self.radios.items() if r.isChecked()), None)

    def choose(self, state: AssistanceState | str) -> None:
        self.radios[str(state)].setChecked(True)

    def _cancelling(self) -> bool:
        return self.target() == AssistanceState.CANCELLED.value

    def _update_reason(self) -> None:
        if self._cancelling():
            self.reason_label.setText(_("&Motivo de la cancelación (obligatorio):"))
            self.reason.setPlaceholderText(
                _("Por qué se cancela: queda en el historial de la asistencia.")
            )
        else:
            self.reason_label.setText(_("&Observación (opcional):"))
            self.reason.setPlaceholderText("")

    def save(self) -> None:
        target = self.target()
        if target is None:
            return
        reason = self.reason.toPlainText().strip()
        if self._cancelling() and reason:
            answer = QMessageBox.question(
                self,
                _("Cancelar la asistencia"),
                _(
                    "¿Cancelar la asistencia {code}? Una asistencia cancelada ya no cambia de "
                    "estado ni se puede editar.",
                    code=self.code,
                ),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No,
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        # An empty reason for a cancellation goes to the service too: it says what is missing.
        self.error.clear_message()
        self.buttons.setEnabled(False)
        Op(
            self,
            assistances.transition,
            self.profile,
            self.code,
            target,
            reason or None,
            label=_("Cambiando el estado…"),
        ).success(lambda _changes: self.accept()).failure(self.error.show_error).finally_(
            lambda: self.buttons.setEnabled(True)
        ).run()
