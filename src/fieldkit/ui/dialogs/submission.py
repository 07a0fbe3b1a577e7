"""Fill one form of an assistance (diagnostic, module, visit log, survey): the form's sections to
jump to, what is still missing, save as draft, mark complete, reopen; files through the store."""

from __future__ import annotations

import datetime as dt
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

import shiboken6
from PySide6.QtCore import QSize, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QFont, QImageReader, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from fieldkit.domain.errors import FieldkitError, NotFoundError
from fieldkit.i18n import _, format_date, get_language, ngettext
from fieldkit.services import forms
from fieldkit.services.forms import COMPLETE, DRAFT, KIND_LABELS, STATUS_LABELS, SubmissionRow
from fieldkit.ui.forms import AttachmentInfo, FormWidget
from fieldkit.ui.forms.editors import THUMBNAIL
from fieldkit.ui.forms.markup import HINT_COLOR, plain
from fieldkit.ui.ops import Op
from fieldkit.ui.widgets.common import ErrorLabel

if TYPE_CHECKING:
    from fieldkit.forms import FieldError, FormState
    from fieldkit.services.profile import Profile

KEY_ROLE = Qt.ItemDataRole.UserRole
OK_COLOR = "#1b6e20"
MISSING_COLOR = "#9a4a00"


class OpenedSubmission(NamedTuple):
    row: SubmissionRow
    state: FormState
    title: str
    seconds: float  # loading the form and the answers, on the worker thread


def load_submission(
    profile: Profile, submission_id: str, language: str | None = None
) -> OpenedSubmission:
    """The filling and its form version, in ``language`` when the form has it."""
    started = time.perf_counter()
    row = forms.get_submission(profile, submission_id)
    state = forms.open_state(profile, submission_id)
    if language and language in state.form.language_codes and language != state.language:
        state.set_language(language)
    title = str(state.form.title or state.form.form_id)
    return OpenedSubmission(row, state, title, time.perf_counter() - started)


def describe_attachment(profile: Profile, attachment_id: str) -> AttachmentInfo:
    """Name, place and (for an image) a preview of an attachment: run off the GUI thread."""
    row = forms.attachment(profile, attachment_id)
    path: Path | None
    try:
        path = forms.attachment_path(profile, attachment_id)
        problem = ""
    except NotFoundError as error:
        path, problem = None, error.render(_)
    thumbnail = None
    if path is not None and row.media_type.startswith("image/"):
        reader = QImageReader(str(path))
        reader.setAutoTransform(True)  # photos taken sideways show upright
        size = reader.size()
        if size.isValid():
            size.scale(QSize(*THUMBNAIL) * 2, Qt.AspectRatioMode.KeepAspectRatio)
            reader.setScaledSize(size)
        image = reader.read()
        thumbnail = None if image.isNull() else image
    return AttachmentInfo(row.id, row.file_name, row.media_type, path, problem, thumbnail)


def export_attachment(profile: Profile, attachment_id: str) -> Path:
    """A copy of the attachment under its own name, for the program that opens it."""
    folder = Path(tempfile.gettempdir()) / "fieldkit-adjuntos" / attachment_id
    return forms.export_attachment(profile, attachment_id, folder)


_open_dialogs: dict[str, SubmissionDialog] = {}  # by submission id, while on screen


def open_submission(
    parent: QWidget,
    profile: Profile,
    submission_id: str,
    *,
    subtitle: str = "",
    shown: Callable[[SubmissionDialog], None] | None = None,
) -> Op[OpenedSubmission] | None:
    """Open the filling in its dialog (loading it in the background); a filling already open
    comes to the front instead of opening twice."""
    current = _open_dialogs.get(submission_id)
    if current is not None and shiboken6.isValid(current) and current.isVisible():
        current.raise_()
        current.activateWindow()
        if shown is not None:
            shown(current)
        return None

    def show(opened: OpenedSubmission) -> None:
        dialog = SubmissionDialog(profile, opened, subtitle=subtitle, parent=parent.window())
        _open_dialogs[submission_id] = dialog
        dialog.destroyed.connect(lambda *_args, gone=dialog: _forget(submission_id, gone))
        dialog.show()
        if shown is not None:
            shown(dialog)

    return (
        Op(
            parent,
            load_submission,
            profile,
            submission_id,
            get_language(),
            label=_("Abriendo el formulario…"),
        )
        .success(show)
        .run()
    )


def _forget(submission_id: str, dialog: SubmissionDialog) -> None:
    if _open_dialogs.get(submission_id) is dialog:
        del _open_dialogs[submission_id]


class _StoreAttachments:
    """Image and file answers of one filling: stored, described and opened through Op."""

    def __init__(self, dialog: SubmissionDialog) -> None:
        self.dialog = dialog

    def attach(self, source: Path, done: Callable[[str | None], None]) -> None:
        def failed(error: BaseException) -> bool:
            done(None)
            return self.dialog.error.show_error(error)

        Op(
            self.dialog,
            forms.attach,
            self.dialog.profile,
            "submission",
            self.dialog.row.id,
            source,
            label=_("Guardando el adjunto…"),
        ).success(lambda result: done(result[0].id)).failure(failed).run()

    def describe(self, attachment_id: str, done: Callable[[AttachmentInfo], None]) -> None:
        def failed(error: BaseException) -> bool:
            problem = error.render(_) if isinstance(error, FieldkitError) else str(error)
            done(AttachmentInfo(attachment_id, attachment_id, "", None, problem))
            return True

        Op(
            self.dialog, describe_attachment, self.dialog.profile, attachment_id, quiet=True
        ).success(done).failure(failed).run()

    def open(self, attachment_id: str) -> None:
        def show(path: Path) -> None:
            if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
                self.dialog.error.show_message(
                    _(
                        "No hay un programa para abrir {name} en este equipo; el archivo está "
                        "en {folder}.",
                        name=path.name,
                        folder=str(path.parent),
                    )
                )

        Op(
            self.dialog,
            export_attachment,
            self.dialog.profile,
            attachment_id,
            label=_("Abriendo el adjunto…"),
        ).success(show).failure(self.dialog.error.show_error).run()


def _button(text: str, parent: QWidget) -> QPushButton:
    button = QPushButton(text, parent)
    button.setAutoDefault(False)  # Enter in a field gives the answer; it never saves or closes
    return button


class SubmissionDialog(QDialog):
    """One filling: sections on the left with what is missing, the form on the right."""

    def __init__(
        self,
        profile: Profile,
        opened: OpenedSubmission,
        *,
        subtitle: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.profile = profile
        self.row = opened.row
        self.state = opened.state
        self.title = opened.title
        self.subtitle = subtitle
        self.load_seconds = opened.seconds
        self._closing = False
        self._saving = False
        self._refused_shown = False
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint, True)
        self.setWindowTitle(self.title)
        self.resize(1180, 780)

        started = time.perf_counter()
        self.form = FormWidget(
            self.state,
            attachments=_StoreAttachments(self),
            read_only=self.row.status == COMPLETE,
        )
        self.build_seconds = time.perf_counter() - started
        self._saved_answers = self.state.answers()

        self.heading = QLabel(self)
        font = QFont(self.heading.font())
        font.setPointSizeF(font.pointSizeF() + 3)
        font.setBold(True)
        self.heading.setFont(font)
        self.heading.setText(self.title)
        self.heading.setWordWrap(True)
        self.details = QLabel(self)
        self.details.setStyleSheet(f"color: {HINT_COLOR};")
        self.status = QLabel(self)
        self.language = QComboBox(self)
        for language in self.state.form.languages:
            self.language.addItem(language.name, language.code)
        self.language.setCurrentIndex(max(self.language.findData(self.state.language), 0))
        self.language.setEnabled(self.language.count() > 1)
        language_label = QLabel(_("&Idioma del formulario:"), self)
        language_label.setBuddy(self.language)

        self.scroll = QScrollArea(self)
        self.scroll.setWidget(self.form)
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QScrollArea.Shape.StyledPanel)

        self.sections = QListWidget(self)
        self.sections.setAccessibleName(_("Secciones"))
        sections_label = QLabel(_("&Secciones"), self)
        sections_label.setBuddy(self.sections)
        bold = QFont(sections_label.font())
        bold.setBold(True)
        sections_label.setFont(bold)
        self.missing_label = QLabel(self)
        self.missing_label.setWordWrap(True)
        self.missing_label.setFont(bold)
        self.missing = QListWidget(self)
        self.missing.setAccessibleName(_("Respuestas que faltan o tienen errores"))
        # One line each (the whole text in the tooltip): long questions stay easy to tell apart.
        self.missing.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.missing.setAlternatingRowColors(True)
        self.missing.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.missing_label.setBuddy(self.missing)

        self.error = ErrorLabel(self)
        self.save_button = _button(_("&Guardar borrador"), self)
        self.save_button.setToolTip(_("Guardar las respuestas para seguir después (Ctrl+S)"))
        self.complete_button = _button(_("&Marcar como completo"), self)
        self.complete_button.setToolTip(
            _("Guardar y marcar como completo: exige todas las respuestas obligatorias")
        )
        self.reopen_button = _button(_("&Reabrir"), self)
        self.reopen_button.setToolTip(_("Volver a borrador para cambiar respuestas"))
        self.close_button = _button(_("&Cerrar"), self)
        self.saved_label = QLabel(self)
        self.saved_label.setStyleSheet(f"color: {HINT_COLOR};")

        self._build_layout(sections_label, language_label)
        self._fill_sections()
        self._show_status()
        self._update_missing()

        self.form.changed.connect(self._form_changed)
        self.language.currentIndexChanged.connect(self._language_chosen)
        self.sections.itemClicked.connect(self._section_clicked)
        self.sections.itemActivated.connect(self._section_clicked)
        self.missing.itemClicked.connect(self._missing_clicked)
        self.missing.itemActivated.connect(self._missing_clicked)
        self.scroll.verticalScrollBar().valueChanged.connect(self._follow_scroll)
        self.save_button.clicked.connect(lambda: self.save_draft())
        self.complete_button.clicked.connect(self.complete)
        self.reopen_button.clicked.connect(self.reopen)
        self.close_button.clicked.connect(self.reject)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Save), self, self.save_draft)

    def _build_layout(self, sections_label: QLabel, language_label: QLabel) -> None:
        top = QHBoxLayout()
        titles = QVBoxLayout()
        titles.setSpacing(2)
        titles.addWidget(self.heading)
        titles.addWidget(self.details)
        top.addLayout(titles, 1)
        top.addWidget(self.status, 0, Qt.AlignmentFlag.AlignTop)
        top.addSpacing(16)
        top.addWidget(language_label, 0, Qt.AlignmentFlag.AlignTop)
        top.addWidget(self.language, 0, Qt.AlignmentFlag.AlignTop)

        side = QWidget(self)
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        side_layout.addWidget(sections_label)
        side_layout.addWidget(self.sections)
        side_layout.addSpacing(8)
        side_layout.addWidget(self.missing_label)
        side_layout.addWidget(self.missing, 1)
        side_layout.addStretch(0)
        side.setMinimumWidth(220)

        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(side)
        splitter.addWidget(self.scroll)
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([300, 880])
        splitter.setChildrenCollapsible(False)

        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.complete_button)
        buttons.addWidget(self.reopen_button)
        buttons.addSpacing(12)
        buttons.addWidget(self.saved_label, 1)
        buttons.addWidget(self.close_button)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.error)
        layout.addLayout(buttons)
        self.setTabOrder(self.language, self.sections)
        self.setTabOrder(self.sections, self.missing)

    # Showing -------------------------------------------------------------------------------

    @property
    def complete_status(self) -> bool:
        return self.row.status == COMPLETE

    def _show_status(self) -> None:
        complete = self.complete_status
        label = _(STATUS_LABELS.get(self.row.status, self.row.status))
        color = OK_COLOR if complete else MISSING_COLOR
        self.status.setText(
            f'<span style="color:{color}; font-weight:600; font-size:larger;">{label}</span>'
        )
        parts = [_(KIND_LABELS.get(self.row.kind, self.row.kind))]
        if self.subtitle:
            parts.append(self.subtitle)
        if self.row.started_at:
            parts.append(_("iniciado el {date}", date=format_date(self.row.started_at)))
        if complete and self.row.completed_at:
            parts.append(_("completado el {date}", date=format_date(self.row.completed_at)))
        parts.append(_("versión {version}", version=self.row.form_version))
        self.details.setText(" · ".join(parts))
        self.save_button.setVisible(not complete)
        self.complete_button.setVisible(not complete)
        self.reopen_button.setVisible(complete)
        if complete:
            self.saved_label.setText(_("Completo: solo lectura. Reábralo para cambiar respuestas."))
        self.form.set_read_only(complete)

    def _fill_sections(self) -> None:
        self.sections.clear()
        for title, widget in self.form.sections():
            item = QListWidgetItem(title, self.sections)
            item.setData(KEY_ROLE, widget)
            item.setToolTip(title)
        # As tall as its sections (up to half the side): the rest is for what is missing.
        rows = max(self.sections.count(), 1)
        height = self.sections.sizeHintForRow(0) * rows + 2 * self.sections.frameWidth() + 4
        self.sections.setFixedHeight(min(height, 360))

    def problems(self) -> list[FieldError]:
        """What blocks completion: required answers missing, answers that are not valid."""
        return self.state.validate()

    def _update_missing(self) -> None:
        problems = self.problems()
        required = [p for p in problems if p.kind == "required"]
        others = [p for p in problems if p.kind != "required"]
        self.missing.clear()
        for problem in [*others, *required]:  # wrong answers first: easy to miss at the end
            text = self._where(problem)
            if problem.kind != "required":
                text = f"{text}: {problem.render(_)}"
            item = QListWidgetItem(text, self.missing)
            item.setData(KEY_ROLE, problem.key)
            item.setToolTip(text)
        if not problems:
            if self._refused_shown:  # its reasons are all answered now
                self._refused_shown = False
                self.error.clear_message()
            self.missing_label.setText(_("No faltan respuestas obligatorias"))
            self.missing_label.setStyleSheet(f"color: {OK_COLOR};")
        else:
            parts = []
            if required:
                parts.append(
                    ngettext(
                        "Falta {n} respuesta obligatoria",
                        "Faltan {n} respuestas obligatorias",
                        len(required),
                    )
                )
            if others:
                parts.append(
                    ngettext(
                        "{n} respuesta no es válida", "{n} respuestas no son válidas", len(others)
                    )
                )
            self.missing_label.setText(" · ".join(parts))
            self.missing_label.setStyleSheet(f"color: {MISSING_COLOR};")
        self.missing.setVisible(bool(problems))

    def _where(self, problem: FieldError) -> str:
        """«Sexo (Asistente 2)»: the question as the form names it, and its rows."""
        form = self.state.form
        element = form.elements.get(problem.name)
        language = self.state.language
        label = plain(element.label.get(language)) if element is not None else problem.name
        rows = []
        for repeat, position in zip(
            element.repeats if element else (), problem.repeat_path, strict=False
        ):
            repeat_element = form.elements.get(repeat)
            name = plain(repeat_element.label.get(language)) if repeat_element else repeat
            rows.append(_("{label} {n}", label=name, n=position))
        return f"{label or problem.name} ({'; '.join(rows)})" if rows else (label or problem.name)

    # Reacting ------------------------------------------------------------------------------

    def _form_changed(self) -> None:
        self._update_missing()
        self.saved_label.setText(_("Cambios sin guardar") if self.dirty() else "")

    def _language_chosen(self) -> None:
        code = self.language.currentData()
        if code and code != self.state.language:
            self.form.set_language(code)
            self._fill_sections()
            self._update_missing()

    def _section_clicked(self, item: QListWidgetItem) -> None:
        widget = item.data(KEY_ROLE)
        if isinstance(widget, QWidget):
            self.scroll.verticalScrollBar().setValue(max(widget.y() - 8, 0))

    def _follow_scroll(self, value: int) -> None:
        current = 0
        for row in range(self.sections.count()):
            widget = self.sections.item(row).data(KEY_ROLE)
            if isinstance(widget, QWidget) and widget.isVisible() and widget.y() <= value + 40:
                current = row
        if self.sections.currentRow() != current:
            self.sections.blockSignals(True)
            self.sections.setCurrentRow(current)
            self.sections.blockSignals(False)

    def _missing_clicked(self, item: QListWidgetItem) -> None:
        key = item.data(KEY_ROLE)
        if isinstance(key, str):
            self.form.scroll_to(key)

    def dirty(self) -> bool:
        return self.state.answers() != self._saved_answers

    # Saving --------------------------------------------------------------------------------

    def _busy(self, busy: bool) -> None:
        self._saving = busy
        for button in (self.save_button, self.complete_button, self.reopen_button):
            button.setEnabled(not busy)

    def save_draft(self, then: Callable[[], None] | None = None) -> Op[object] | None:
        """Store the answers (a draft); ``then`` runs once they are stored."""
        if self.complete_status or self._saving:
            return None
        self.form.commit()
        answers = self.state.answers()
        self.error.clear_message()
        self._busy(True)

        def done(_changes: object) -> None:
            self._saved_answers = answers
            self.saved_label.setText(
                _("Guardado a las {time}", time=dt.datetime.now().strftime("%H:%M"))
                if not self.dirty()
                else _("Cambios sin guardar")
            )
            if then is not None:
                then()

        return (
            Op(
                self,
                forms.save_answers,
                self.profile,
                self.row.id,
                answers,
                label=_("Guardando las respuestas…"),
            )
            .success(done)
            .failure(self.error.show_error)
            .finally_(lambda: self._busy(False))
            .run()
        )

    def complete(self) -> None:
        """Save, then mark complete; a refusal (answers missing) shows the service's reasons
        here and marks the questions in the form."""

        def mark() -> None:
            self._busy(True)
            Op(
                self,
                forms.complete,
                self.profile,
                self.row.id,
                label=_("Marcando como completo…"),
            ).success(self._completed).failure(self._refused).finally_(
                lambda: self._busy(False)
            ).run()

        self.save_draft(then=mark)

    def _completed(self, _changes: object) -> None:
        # As the service stamps it: UTC, without the zone.
        now = dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
        self.row = self.row._replace(status=COMPLETE, completed_at=now)
        self.form.set_show_required(False)
        self.error.clear_message()
        self._show_status()

    def _refused(self, error: BaseException) -> bool:
        self.form.set_show_required(True)
        shown = self.error.show_error(error)
        self._refused_shown = shown
        self._update_missing()
        return shown

    def reopen(self) -> None:
        self._busy(True)
        Op(self, forms.reopen, self.profile, self.row.id, label=_("Reabriendo…")).success(
            self._reopened
        ).failure(self.error.show_error).finally_(lambda: self._busy(False)).run()

    def _reopened(self, _changes: object) -> None:
        self.row = self.row._replace(status=DRAFT, completed_at=None)
        self.saved_label.setText("")
        self._show_status()

    # Closing -------------------------------------------------------------------------------

    def reject(self) -> None:
        """Escape, «Cerrar» and the window's close button: ask before losing changes."""
        if self._closing or self.complete_status:
            super().reject()
            return
        self.form.commit()
        if not self.dirty():
            super().reject()
            return
        answer = QMessageBox.question(
            self,
            _("Cerrar el formulario"),
            _(
                "Hay respuestas sin guardar en «{title}». ¿Guardarlas como borrador?",
                title=self.title,
            ),
            QMessageBox.StandardButton.Save
            | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Save,
        )
        if answer == QMessageBox.StandardButton.Save:
            self.save_draft(then=self._close_now)
        elif answer == QMessageBox.StandardButton.Discard:
            self._close_now()

    def _close_now(self) -> None:
        self._closing = True
        self.reject()
