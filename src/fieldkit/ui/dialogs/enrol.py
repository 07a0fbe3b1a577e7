"""Enrolment from the window: a device asks, the coordinator accepts, the device completes.

Each step shows the other side's fingerprint (or this device's) to confirm by phone.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QLabel,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from fieldkit.i18n import _
from fieldkit.services import sync
from fieldkit.services.changes import EVERYTHING
from fieldkit.services.profile import ROLE_LABELS
from fieldkit.ui.dialogs.sync import bundle_filter
from fieldkit.ui.ops import PROFILE_CHANGED, Op
from fieldkit.ui.widgets.common import ErrorLabel, fit_height, save_cancel_buttons
from fieldkit.ui.widgets.scope import ScopeFields

if TYPE_CHECKING:
    from fieldkit.services.profile import Profile
    from fieldkit.services.sync import Enrolled


def _fkb(path: str) -> Path:
    return Path(path if path.lower().endswith(".fkb") else path + ".fkb")


def write_request(profile: Profile, out: Path) -> tuple[Path, str]:
    return sync.enrol_request(profile, out), sync.fingerprint(profile)


def create_request(parent: QWidget, profile: Profile) -> Op[object] | None:
    path, _filter = QFileDialog.getSaveFileName(
        parent, _("Crear solicitud de inscripción"), "solicitud.fkb", bundle_filter()
    )
    if not path:
        return None

    def done(result: tuple[Path, str]) -> None:
        QMessageBox.information(
            parent,
            _("Solicitud de inscripción"),
            _(
                "Se guardó la solicitud en {path}. Entréguela al coordinador y confírmele por "
                "teléfono la huella de este equipo:\n\n{fingerprint}",
                path=str(result[0]),
                fingerprint=result[1],
            ),
        )

    return (
        Op(parent, write_request, profile, _fkb(path), label=_("Creando la solicitud…"))
        .success(done)  # type: ignore[arg-type]
        .run()
    )


class AcceptDialog(QDialog):
    """Coordinator: the role and scope to give the device that sent ``request``."""

    def __init__(self, profile: Profile, request: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.profile = profile
        self.request = request
        self.result_: Enrolled | None = None
        self.setWindowTitle(_("Aceptar solicitud de inscripción"))
        self.scope = ScopeFields(self)
        self.scope.form.insertRow(0, _("Solicitud:"), QLabel(request.name, self))
        self.role = self.scope.role
        self.directorates = self.scope.directorates
        self.municipalities = self.scope.municipalities
        self.error = ErrorLabel(self)
        self.buttons = save_cancel_buttons(self, self.save)
        layout = QVBoxLayout(self)
        layout.addWidget(self.scope)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.resize(520, self.sizeHint().height())
        fit_height(self)  # the scope note wraps

    def save(self) -> Op[object] | None:
        self.error.clear_message()
        path, _filter = QFileDialog.getSaveFileName(
            self, _("Guardar la respuesta de inscripción"), "respuesta.fkb", bundle_filter()
        )
        if not path:
            return None
        out = _fkb(path)

        def done(enrolled: Enrolled) -> None:
            self.result_ = enrolled
            self.accept()
            QMessageBox.information(
                self.parentWidget(),
                _("Equipo inscrito"),
                _(
                    "Se inscribió «{name}» como {role}. Entregue {path} a ese equipo y "
                    "confirme por teléfono que su huella es:\n\n{fingerprint}",
                    name=enrolled.name,
                    role=_(ROLE_LABELS.get(enrolled.role, enrolled.role)),
                    path=str(out),
                    fingerprint=enrolled.fingerprint,
                ),
            )

        return (
            Op(
                self,
                sync.enrol_accept,
                self.profile,
                self.request,
                out,
                role=self.scope.role_value(),
                directorates=self.scope.directorate_codes(),
                municipalities=self.scope.municipality_codes(),
                label=_("Inscribiendo el equipo…"),
            )
            .success(done)  # type: ignore[arg-type]
            .failure(self.error.show_error)
            .run()
        )


def accept_request(parent: QWidget, profile: Profile) -> AcceptDialog | None:
    path, _filter = QFileDialog.getOpenFileName(
        parent, _("Aceptar solicitud de inscripción"), "", bundle_filter()
    )
    if not path:
        return None
    dialog = AcceptDialog(profile, Path(path), parent)
    dialog.open()
    return dialog


def complete(parent: QWidget, profile: Profile) -> Op[object] | None:
    path, _filter = QFileDialog.getOpenFileName(
        parent, _("Completar inscripción"), "", bundle_filter()
    )
    if not path:
        return None

    def done(enrolled: Enrolled) -> None:
        QMessageBox.information(
            parent,
            _("Inscripción completa"),
            _(
                "Este equipo quedó inscrito con «{name}» como {role}. Confirme por teléfono "
                "que la huella del coordinador es:\n\n{fingerprint}",
                name=enrolled.name,
                role=_(ROLE_LABELS.get(enrolled.role, enrolled.role)),
                fingerprint=enrolled.fingerprint,
            ),
        )

    return (
        Op(
            parent,
            sync.enrol_complete,
            profile,
            Path(path),
            label=_("Completando la inscripción…"),
            changes=EVERYTHING | PROFILE_CHANGED,  # catalogs, records, role and scope
        )
        .success(done)  # type: ignore[arg-type]
        .run()
    )
