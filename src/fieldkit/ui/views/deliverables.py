"""The deliverables of one assistance: write them with their files and photos, send them to
quality review, answer the reviewer's comments, deliver them to the mayor's office with a signed
act, and survey the officials' satisfaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRectF, QSize, Qt
from PySide6.QtGui import QAction, QBrush, QColor, QFont, QIcon, QImage, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from fieldkit.domain.deliverables import APPROVED, DECIDERS, DELIVERERS, DeliverableState
from fieldkit.i18n import N_, _, format_date, format_datetime, ngettext
from fieldkit.services import deliverables
from fieldkit.services.deliverables import PHOTO, PRODUCT, SIGNED_ACT, DeliverableRow, FileRow
from fieldkit.ui.dialogs.deliverable_items import (
    DeliverableDialog,
    DeliveryDialog,
    FilesDialog,
    RespondDialog,
    ReviewDialog,
    SavedDeliverable,
    SubmitDialog,
    file_badge,
    framed,
    is_image,
    item_label,
    open_attachment,
    open_comments,
    review_heading,
    size_text,
    stored_thumbnails,
)
from fieldkit.ui.forms.markup import HINT_COLOR
from fieldkit.ui.models import Column, RowsModel
from fieldkit.ui.ops import PROFILE, Latest, Op
from fieldkit.ui.widgets.common import (
    UndoBar,
    current_row,
    gate_button,
    setup_table,
    stretch_columns,
    tool_button,
)

if TYPE_CHECKING:
    from PySide6.QtGui import QPainter
    from PySide6.QtWidgets import QDialog

    from fieldkit.services.assistances import AssistanceRow, CounterpartRow
    from fieldkit.services.changes import Changes
    from fieldkit.services.profile import Profile
    from fieldkit.ui.dialogs.submission import SubmissionDialog


def preview_act(parent: QWidget, profile: Profile, row: DeliverableRow) -> None:
    """The acta de entrega of this deliverable, previewed (then printed or saved as PDF)."""
    from fieldkit.ui.dialogs.report_preview import show_report

    show_report(parent.window(), profile, "delivery", row.assistance_id, deliverables=(row.id,))


# «Imprimir acta…» (parent, profile, row); replaceable in tests.
PRINT_ACT: Callable[[QWidget, Profile, DeliverableRow], None] | None = preview_act

# What the panel shows: it reloads when one of these changes.
RELEVANT = (
    *deliverables.ENTITIES,
    "submission",  # the satisfaction surveys
    "plan",
    "result",  # the results a deliverable serves
    "assistance",
    "assistance_member",
    "counterpart",
    "person",  # who delivers and who receives
)

ID_ROLE = Qt.ItemDataRole.UserRole
STATE_ROLE = Qt.ItemDataRole.UserRole + 1
SHA_ROLE = Qt.ItemDataRole.UserRole + 2
FOREGROUND = Qt.ItemDataRole.ForegroundRole.value
THUMBNAIL = QSize(96, 72)
OVERDUE_COLOR = "#b00020"
ON_TIME_COLOR = "#1b6e20"
STATE_COLORS = {
    DeliverableState.DRAFT: ("#ececec", "#3c4043"),
    DeliverableState.SUBMITTED: ("#dbe8f8", "#1c3d66"),
    DeliverableState.APPROVED: ("#d7efd9", "#1e4620"),
    DeliverableState.RETURNED: ("#fbdcd9", "#611a15"),
    DeliverableState.DELIVERED: ("#2e7d32", "#ffffff"),
}
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
TEAM_NOTE = N_(
    "Solo el equipo de la asistencia (o un coordinador) prepara, envía y entrega los productos. "
    "El rol de este equipo se elige en Archivo → Perfil de este equipo…"
)
REVIEW_NOTE = N_(
    "Solo un revisor o un coordinador aprueba o devuelve un entregable. El rol de este equipo se "
    "elige en Archivo → Perfil de este equipo…"
)
DELIVER_NOTE = N_(
    "Solo el equipo de la asistencia (o un coordinador) registra la entrega a la alcaldía. El rol "
    "de este equipo se elige en Archivo → Perfil de este equipo…"
)
EMPTY_TEXT = N_(
    "Esta asistencia todavía no tiene entregables.\n\n"
    "Un entregable es el producto tangible de la asistencia: un proyecto de política pública, un "
    "manual de procesos, una guía… Se escribe con sus archivos y fotos, pasa la revisión de "
    "calidad de un experto y se entrega formalmente a la alcaldía con un acta firmada y una "
    "encuesta de satisfacción. Empiece con «Nuevo…»."
)


class DeliverablesData(NamedTuple):
    assistance_id: str
    rows: tuple[DeliverableRow, ...]
    surveys: Mapping[str, str]  # survey submission id -> its status (draft, complete)
    results: tuple[tuple[str, str], ...]  # the plan's results: (id, «R1. statement»)
    team: tuple[str, ...]
    counterparts: tuple[CounterpartRow, ...]
    municipality: str
    role: str


def load_deliverables(profile: Profile, assistance_id: str) -> DeliverablesData:
    """The deliverables of the assistance, with what their dialogs offer (a worker thread)."""
    from fieldkit.domain.errors import NotFoundError
    from fieldkit.services import forms, plans
    from fieldkit.services.assistances import get_assistance

    detail = get_assistance(profile, assistance_id)
    rows = tuple(deliverables.list_for(profile, detail.row.id))
    surveys: dict[str, str] = {}
    for row in rows:
        if row.survey_id:
            try:
                surveys[row.survey_id] = forms.get_submission(profile, row.survey_id).status
            except NotFoundError:
                continue
    plan = plans.get_plan(profile, detail.row.id)
    results = (
        tuple(
            (r.id, f"R{n}. {r.statement}")
            for n, r in enumerate((r for r in plan.results if r.id), start=1)
        )
        if plan is not None
        else ()
    )
    return DeliverablesData(
        detail.row.id,
        rows,
        surveys,
        results,
        tuple(m.name for m in detail.team if m.name),
        tuple(detail.counterparts),
        detail.row.municipality,
        profile.role,
    )


# How deliverables read ------------------------------------------------------------------------


def on_time_text(row: DeliverableRow) -> str:
    if row.on_time is None:
        return ""
    return "✓" if row.on_time else "✗"


def on_time_tooltip(row: DeliverableRow) -> str:
    if row.on_time is None:
        return ""
    return _(
        "Entregado el {delivered}; fecha límite {due}",
        delivered=format_date(row.delivered_on),
        due=format_date(row.due_on),
    )


def overdue(row: DeliverableRow, today: dt.date | None = None) -> bool:
    """Past its due date and not delivered yet."""
    today = today or dt.date.today()
    return row.due_on is not None and row.delivered_on is None and row.due_on < today


def shown_files(row: DeliverableRow) -> list[FileRow]:
    """The product's files and photos (the signed act has its own place)."""
    return [f for f in row.files if f.purpose != SIGNED_ACT]


def files_tooltip(row: DeliverableRow) -> str:
    products = sum(1 for f in row.files if f.purpose == PRODUCT)
    photos = sum(1 for f in row.files if f.purpose == PHOTO)
    return " · ".join(
        (
            ngettext("{n} archivo del producto", "{n} archivos del producto", products),
            ngettext("{n} foto", "{n} fotos", photos),
        )
    )


def survey_text(row: DeliverableRow, surveys: Mapping[str, str]) -> str:
    from fieldkit.services.forms import COMPLETE

    if row.state is not DeliverableState.DELIVERED:
        return "—"
    if not row.survey_id:
        return _("Sin iniciar")
    return _("Completa") if surveys.get(row.survey_id) == COMPLETE else _("En curso")


def history_html(row: DeliverableRow) -> str:
    """Every submission, newest first: who sent it and when, the decision, the general comments
    and the comments per item with the team's answers."""
    if not row.reviews:
        return (
            f"<p style='color:{HINT_COLOR};'>"
            f"{escape(_('Todavía no se ha enviado a revisión de calidad.'))}</p>"
        )
    out = []
    for review in reversed(row.reviews):
        out.append(f"<p style='margin:0 0 2px 0;'><b>{escape(review_heading(review))}</b></p>")
        if review.note:
            out.append(
                f"<p style='margin:0 0 2px 0;'>"
                f"{escape(_('Nota del equipo: {text}', text=review.note))}</p>"
            )
        decided = {
            "who": review.decided_by or "—",
            "date": format_datetime(review.decided_at) or "—",
        }
        if review.decision is None:
            decision = escape(_("En revisión: pendiente de la decisión del revisor."))
            out.append(f"<p style='margin:0 0 2px 0; color:#1c3d66;'>{decision}</p>")
        elif review.decision == APPROVED:
            decision = escape(_("✔ Aprobado por {who} el {date}", **decided))
            out.append(f"<p style='margin:0 0 2px 0; color:{ON_TIME_COLOR};'>{decision}</p>")
        else:
            decision = escape(_("✖ Devuelto con comentarios por {who} el {date}", **decided))
            out.append(f"<p style='margin:0 0 2px 0; color:{OVERDUE_COLOR};'>{decision}</p>")
        if review.comments:
            text = escape(review.comments).replace("\n", "<br>")
            out.append(
                f"<p style='margin:0 0 2px 0;'><i>{escape(_('Comentarios:'))}</i> {text}</p>"
            )
        if review.items:
            out.append("<ul style='margin-top:0; margin-bottom:0;'>")
            for comment in review.items:
                out.append(
                    f"<li><b>{escape(item_label(comment.item))}:</b> {escape(comment.comment)}"
                )
                if comment.addressed or comment.response:
                    state = _("atendido") if comment.addressed else _("sin atender")
                    color = ON_TIME_COLOR if comment.addressed else "#9a4a00"
                    answer = _("Respuesta del equipo ({state})", state=state)
                    out.append(
                        f"<br><span style='color:{color};'>↳ {escape(answer)}:</span> "
                        f"{escape(comment.response or '—')}"
                    )
                elif review.decision is not None:
                    out.append(
                        f"<br><span style='color:#9a4a00;'>↳ "
                        f"{escape(_('Sin respuesta del equipo todavía.'))}</span>"
                    )
                out.append("</li>")
            out.append("</ul>")
        out.append("<hr>")
    return "".join(out[:-1])


def _box(title: str, parent: QWidget) -> tuple[QGroupBox, QVBoxLayout]:
    box = QGroupBox(title, parent)
    layout = QVBoxLayout(box)
    layout.setContentsMargins(8, 6, 8, 8)
    return box, layout


def _rich_label(parent: QWidget) -> QLabel:
    label = QLabel(parent)
    label.setWordWrap(True)
    label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class DeliverablesModel(RowsModel[DeliverableRow]):
    """The deliverables table: its state column paints as a coloured label, dates and «on time»
    in colour."""

    STATE, DUE, ON_TIME = 3, 4, 6

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0) -> Any:
        if role == STATE_ROLE and index.column() == self.STATE:
            return self.rows[index.row()].state.value
        if role == FOREGROUND:
            row = self.rows[index.row()]
            if index.column() == self.DUE and overdue(row):
                return QBrush(QColor(OVERDUE_COLOR))
            if index.column() == self.ON_TIME and row.on_time is not None:
                return QBrush(QColor(ON_TIME_COLOR if row.on_time else OVERDUE_COLOR))
            return None
        return super().data(index, role)


class StateDelegate(QStyledItemDelegate):
    """A deliverable's state as a rounded, coloured label (as the plan's state reads)."""

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        state = index.data(STATE_ROLE)
        if not state:
            super().paint(painter, option, index)
            return
        item = QStyleOptionViewItem(option)
        self.initStyleOption(item, index)
        text = item.text
        item.text = ""
        style = item.widget.style() if item.widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, item, painter, item.widget)
        background, color = STATE_COLORS[DeliverableState(state)]
        metrics = item.fontMetrics
        height = metrics.height() + 4
        width = min(metrics.horizontalAdvance(text) + 18, item.rect.width() - 8)
        rect = QRectF(item.rect.left() + 4, item.rect.center().y() - height / 2 + 1, width, height)
        painter.save()
        painter.setRenderHint(painter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(background))
        painter.drawRoundedRect(rect, height / 2, height / 2)
        painter.setPen(QColor(color))
        painter.drawText(
            rect,
            Qt.AlignmentFlag.AlignCenter,
            metrics.elidedText(text, Qt.TextElideMode.ElideRight, int(width) - 12),
        )
        painter.restore()


class DeliverablesPanel(QWidget):
    """The deliverables of the selected assistance: their list, and the selected one's
    description, results, files and photos, quality review, delivery and signed act."""

    def __init__(self, profile: Profile, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.profile = profile
        self.assistance: AssistanceRow | None = None
        self.data: DeliverablesData | None = None
        self.loaded = False
        self._latest = Latest(self)
        self._numbers: dict[str, int] = {}
        self._removed: tuple[str, str] | None = None  # (id, title) of the last removal
        self._thumbnails: dict[str, QImage | None] = {}  # by sha256
        self._loading_thumbnails: set[str] = set()
        self.last_dialog: QDialog | SubmissionDialog | None = None
        # Run once after the next load (select what was just added). A list, not a signal, as
        # in the plan panel.
        self._after_load: list[Callable[[], None]] = []

        self.stack = QStackedWidget(self)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.message.setContentsMargins(8, 8, 8, 8)
        self.stack.addWidget(self.message)
        self.stack.addWidget(self._main_page())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 6, 4, 4)
        layout.addWidget(self.stack)

        self.undo_shortcut = QShortcut(QKeySequence(QKeySequence.StandardKey.Undo), self)
        self.undo_shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.undo_shortcut.activated.connect(lambda: self.undo())
        self._show_message(_("Elija una asistencia de la lista para ver sus entregables."))

    # Building ------------------------------------------------------------------------------

    def _main_page(self) -> QWidget:
        page = QWidget(self)
        self.new_button = tool_button(
            _("&Nuevo…"), page, _("Un producto de la asistencia, con sus archivos y fotos (Insert)")
        )
        self.edit_button = tool_button(
            _("&Editar…"), page, _("Tipo, título, descripción, fecha y resultados (F2)")
        )
        self.remove_button = tool_button(_("Eli&minar…"), page, _("Eliminar el entregable (Supr)"))
        self.files_button = tool_button(
            _("Arc&hivos y fotos…"),
            page,
            _("Agregar, quitar, abrir y describir los archivos y fotos del producto"),
        )
        self.count_label = QLabel(page)
        self.count_label.setStyleSheet(f"color: {HINT_COLOR};")
        tools = QHBoxLayout()
        for button in (self.new_button, self.edit_button, self.remove_button, self.files_button):
            tools.addWidget(button)
        tools.addStretch(1)
        tools.addWidget(self.count_label)

        self.model = DeliverablesModel(
            [
                Column(_("N.º"), lambda r: f"E{self._numbers.get(r.id, 0)}"),
                Column(_("Tipo"), lambda r: _(r.kind_label), tooltip=lambda r: _(r.kind_label)),
                Column(_("Título"), lambda r: r.title, tooltip=lambda r: r.title),
                Column(_("Estado"), lambda r: _(r.state_label)),
                Column(_("Fecha límite"), lambda r: format_date(r.due_on), tooltip=self._due_tip),
                Column(_("Entregado"), lambda r: format_date(r.delivered_on)),
                Column(_("A tiempo"), on_time_text, tooltip=on_time_tooltip),
                Column(
                    _("Archivos"),
                    lambda r: str(len(shown_files(r))),
                    align_right=True,
                    tooltip=files_tooltip,
                ),
                Column(_("Encuesta"), self._survey_text),
            ],
            self,
        )
        self.table = QTableView(page)
        self.table.setModel(self.model)
        self.table.setAccessibleName(_("Entregables de la asistencia"))
        setup_table(
            self.table,
            (
                "N.º ",
                "Manual de procesos y procedimientos",
                40,
                "Devuelto con comentarios ",
                "Fecha límite",
                "00/00/0000",
                "A tiempo",
                "Archivos",
                "Sin iniciar ",
            ),
            sort_column=None,
        )
        stretch_columns(self.table, 2)
        self.table.setItemDelegateForColumn(DeliverablesModel.STATE, StateDelegate(self.table))
        self.table.setMinimumHeight(self.table.verticalHeader().defaultSectionSize() * 4 + 30)

        self.undo_bar = UndoBar(page)
        self.undo_label, self.undo_button = self.undo_bar.label, self.undo_bar.button

        top = QWidget(page)
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addLayout(tools)
        top_layout.addWidget(self.table, 1)
        top_layout.addWidget(self.undo_bar)

        self.detail_stack = QStackedWidget(page)
        self.detail_hint = QLabel(page)
        self.detail_hint.setWordWrap(True)
        self.detail_hint.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.detail_hint.setMaximumWidth(760)
        self.detail_hint.setContentsMargins(4, 8, 4, 4)
        self.detail_stack.addWidget(self.detail_hint)
        self.detail_stack.addWidget(self._detail_page())

        splitter = QSplitter(Qt.Orientation.Vertical, page)
        splitter.addWidget(top)
        splitter.addWidget(self.detail_stack)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 5)
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)

        self._make_actions()
        self.new_button.clicked.connect(lambda: self.new_deliverable())
        self.edit_button.clicked.connect(lambda: self.edit_selected())
        self.remove_button.clicked.connect(lambda: self.remove_selected())
        self.files_button.clicked.connect(lambda: self.manage_files())
        self.undo_button.clicked.connect(lambda: self.undo())
        self.table.activated.connect(lambda _index: self._activated())
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self._selection_changed())
        return page

    def _detail_page(self) -> QWidget:
        page = QWidget(self)
        self.title = QLabel(page)
        font = QFont(self.title.font())
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() + 2)
        self.title.setFont(font)
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.state_label = QLabel(page)
        self.state_label.setAccessibleName(_("Estado del entregable"))
        self.submit_button = tool_button(
            _("Enviar a re&visión…"),
            page,
            _("Enviar el producto a la revisión de calidad; mientras se revisa no se modifica"),
        )
        self.approve_button = tool_button(
            _("A&probar…"), page, _("Aprobar el producto enviado (revisores y coordinadores)")
        )
        self.return_button = tool_button(
            _("Devolver con c&omentarios…"),
            page,
            _(
                "Devolver el producto al equipo con comentarios por ítem (revisores y coordinadores)"
            ),
        )
        self.respond_button = tool_button(
            _("&Responder comentarios…"),
            page,
            _("Decir qué se hizo con cada comentario del revisor antes de enviarlo otra vez"),
        )
        self.deliver_button = tool_button(
            _("Registrar en&trega…"),
            page,
            _("Fecha, lugar, quién recibe en la alcaldía y quiénes del equipo estaban"),
        )
        self.survey_button = tool_button(
            _("Encuesta de &satisfacción…"),
            page,
            _("La encuesta de satisfacción de la alcaldía sobre este producto"),
        )
        self.print_button = tool_button(
            _("&Imprimir acta…"), page, _("El acta de entrega en PDF, para imprimir y firmar")
        )
        header = QHBoxLayout()
        header.addWidget(self.title, 1)
        header.addWidget(self.state_label)
        header.addSpacing(12)
        self.workflow_buttons = (
            self.respond_button,
            self.submit_button,
            self.approve_button,
            self.return_button,
            self.deliver_button,
            self.survey_button,
            self.print_button,
        )
        for button in self.workflow_buttons:
            header.addWidget(button)
        self.banner = QLabel(page)
        self.banner.setWordWrap(True)
        self.banner.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.banner.setAccessibleName(_("Estado de la revisión y la entrega"))
        self.banner.hide()

        # Left: what it is, whom it serves, its delivery and signed act.
        info_page = QWidget(page)
        self.info = _rich_label(info_page)
        self.info.setAccessibleName(_("Descripción del entregable"))
        self.delivery_box, delivery_layout = _box(_("Entrega a la alcaldía"), info_page)
        self.delivery_label = _rich_label(self.delivery_box)
        delivery_layout.addWidget(self.delivery_label)
        self.act_box, act_layout = _box(_("Acta de entrega firmada"), info_page)
        self.act_label = _rich_label(self.act_box)
        self.act_button = tool_button(
            _("Adjuntar acta &firmada…"),
            self.act_box,
            _("El acta de entrega firmada, escaneada (PDF o foto)"),
        )
        self.open_act_button = tool_button(
            _("Abrir acta"), self.act_box, _("Abrir el acta firmada")
        )
        act_buttons = QHBoxLayout()
        act_buttons.addWidget(self.act_button)
        act_buttons.addWidget(self.open_act_button)
        act_buttons.addStretch(1)
        act_layout.addWidget(self.act_label)
        act_layout.addLayout(act_buttons)
        info_layout = QVBoxLayout(info_page)
        info_layout.setContentsMargins(0, 0, 6, 0)
        info_layout.addWidget(self.info)
        info_layout.addWidget(self.delivery_box)
        info_layout.addWidget(self.act_box)
        info_layout.addStretch(1)
        info_scroll = QScrollArea(page)
        info_scroll.setWidget(info_page)
        info_scroll.setWidgetResizable(True)
        info_scroll.setFrameShape(QFrame.Shape.NoFrame)

        # Middle: files and photos, with thumbnails.
        self.files_box, files_layout = _box(_("Archivos y fotos"), page)
        self.file_list = QListWidget(self.files_box)
        self.file_list.setAccessibleName(_("Archivos y fotos del entregable"))
        self.file_list.setIconSize(THUMBNAIL)
        self.file_list.setSpacing(2)
        self.file_list.setWordWrap(True)
        self.file_list.setUniformItemSizes(False)
        self.file_list.setToolTip(_("Doble clic o Enter: abrir el archivo"))
        files_layout.addWidget(self.file_list)

        # Right: the quality review, every submission.
        self.history_box, history_layout = _box(_("Revisión de calidad"), page)
        self.history = QTextBrowser(self.history_box)
        self.history.setAccessibleName(_("Historial de la revisión de calidad"))
        self.history.setOpenLinks(False)
        self.history.setFrameShape(QFrame.Shape.NoFrame)
        history_layout.addWidget(self.history)

        columns = QSplitter(Qt.Orientation.Horizontal, page)
        columns.addWidget(info_scroll)
        columns.addWidget(self.files_box)
        columns.addWidget(self.history_box)
        columns.setStretchFactor(0, 4)
        columns.setStretchFactor(1, 3)
        columns.setStretchFactor(2, 4)
        columns.setChildrenCollapsible(False)

        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addLayout(header)
        layout.addWidget(self.banner)
        layout.addWidget(columns, 1)

        self.submit_button.clicked.connect(lambda: self.submit())
        self.approve_button.clicked.connect(lambda: self.decide(approve=True))
        self.return_button.clicked.connect(lambda: self.decide(approve=False))
        self.respond_button.clicked.connect(lambda: self.respond())
        self.deliver_button.clicked.connect(lambda: self.deliver())
        self.survey_button.clicked.connect(lambda: self.survey())
        self.print_button.clicked.connect(lambda: self.print_act())
        self.act_button.clicked.connect(lambda: self.attach_signed_act())
        self.open_act_button.clicked.connect(lambda: self.open_signed_act())
        self.file_list.itemActivated.connect(lambda item: self.open_file(item.data(ID_ROLE)))
        return page

    def _make_actions(self) -> None:
        """Keyboard shortcuts and the context menu of the table, doing what the buttons do."""

        def action(text: str, slot: Any, shortcut: QKeySequence | None = None) -> QAction:
            item = QAction(text, self.table)
            if shortcut is not None:
                item.setShortcut(shortcut)
                item.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
            item.triggered.connect(lambda _checked=False: slot())
            self.table.addAction(item)
            return item

        self.new_action = action(_("Nuevo…"), self.new_deliverable, QKeySequence(Qt.Key.Key_Insert))
        self.edit_action = action(_("Editar…"), self.edit_selected, QKeySequence(Qt.Key.Key_F2))
        self.remove_action = action(
            _("Eliminar…"), self.remove_selected, QKeySequence(QKeySequence.StandardKey.Delete)
        )
        self.files_action = action(_("Archivos y fotos…"), self.manage_files)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)

    # Loading -------------------------------------------------------------------------------

    def show_assistance(self, row: AssistanceRow | None) -> None:
        changed = (row.id if row else None) != (self.assistance.id if self.assistance else None)
        self.assistance = row
        if changed:
            self.data = None
            self.loaded = False
            self._set_removed(None)
            self.model.set_rows([])
            if row is None:
                self._show_message(_("Elija una asistencia de la lista para ver sus entregables."))
            else:
                self._show_message(_("Cargando los entregables…"))
        self.refresh()

    def refresh(self) -> None:
        """Read the deliverables again (after a change here, or one the window announces)."""
        row = self.assistance
        if row is None:
            return

        def done(data: DeliverablesData) -> None:
            current = self.assistance
            if current is not None and data.assistance_id == current.id:
                self.show_data(data)

        self._latest.run(load_deliverables, self.profile, row.id, then=done)

    def on_changes(self, changes: Changes) -> None:
        """For the window: refresh when deliverables, their reviews, files or surveys changed."""
        if changes.touches(*RELEVANT, PROFILE):
            self.refresh()

    def _show_message(self, text: str) -> None:
        self.message.setText(text)
        self.stack.setCurrentIndex(0)

    def show_data(self, data: DeliverablesData) -> None:
        selected = self.selected()
        self.data = data
        self.loaded = True
        self.stack.setCurrentIndex(1)
        self._numbers = {row.id: n for n, row in enumerate(data.rows, start=1)}
        self.model.set_rows(data.rows)
        delivered = sum(1 for r in data.rows if r.state is DeliverableState.DELIVERED)
        self.count_label.setText(
            " · ".join(
                (
                    ngettext("{n} entregable", "{n} entregables", len(data.rows)),
                    ngettext("{n} entregado", "{n} entregados", delivered),
                )
            )
            if data.rows
            else ""
        )
        if data.rows and (selected is None or not self.select(selected.id)):
            self.table.selectRow(0)
        self._selection_changed()
        callbacks, self._after_load = self._after_load, []
        for callback in callbacks:
            callback()

    def _survey_text(self, row: DeliverableRow) -> str:
        return survey_text(row, self.data.surveys if self.data is not None else {})

    @staticmethod
    def _due_tip(row: DeliverableRow) -> str:
        if overdue(row):
            return _("Vencido: debía entregarse el {date}.", date=format_date(row.due_on))
        return ""

    # Selection -----------------------------------------------------------------------------

    def selected(self) -> DeliverableRow | None:
        return self.model.row_at(current_row(self.table))

    def select(self, deliverable_id: str) -> bool:
        index = self.model.find(lambda r: r.id == deliverable_id)
        if index < 0:
            return False
        self.table.selectRow(index)
        self.table.scrollTo(self.model.index(index, 0))
        return True

    def row_texts(self) -> list[list[str]]:
        """What the table shows, row by row."""
        return [
            [self.model.columns[c].text(row) for c in range(len(self.model.columns))]
            for row in self.model.rows
        ]

    def _activated(self) -> None:
        row = self.selected()
        if row is not None and row.editable and self._team():
            self.edit_selected()

    def _selection_changed(self) -> None:
        self._show_selected()
        self._update_buttons()

    def _show_selected(self) -> None:
        row = self.selected()
        if self.data is None:
            return
        if row is None:
            self.detail_hint.setText(
                _(EMPTY_TEXT)
                if not self.data.rows
                else _("Elija un entregable de la lista para ver su detalle.")
            )
            self.detail_stack.setCurrentIndex(0)
            return
        self.detail_stack.setCurrentIndex(1)
        number = self._numbers.get(row.id, 0)
        self.title.setText(f"E{number}. {row.title}")
        self.title.setToolTip(row.title)
        background, color = STATE_COLORS[row.state]
        self.state_label.setText(_(row.state_label))
        self.state_label.setStyleSheet(
            f"QLabel {{ background: {background}; color: {color}; border-radius: 9px;"
            " padding: 2px 10px; font-weight: 600; }"
        )
        self._show_banner(row)
        self._show_info(row)
        self._show_delivery(row)
        self._show_files(row)
        self.history.setHtml(history_html(row))
        count = len(row.reviews)
        self.history_box.setTitle(
            ngettext("Revisión de calidad · {n} envío", "Revisión de calidad · {n} envíos", count)
            if count
            else _("Revisión de calidad")
        )

    def _show_banner(self, row: DeliverableRow) -> None:
        last = row.last_review
        role = self.data.role if self.data is not None else self.profile.role
        text, style = "", INFO_STYLE
        comments = open_comments(row)
        if row.state is DeliverableState.RETURNED and last is not None:
            style = RETURNED_STYLE
            addressed = sum(1 for c in comments if c.addressed)
            text = "<b>{}</b> {}".format(
                escape(
                    _(
                        "Devuelto con comentarios por {who} el {date}.",
                        who=last.decided_by or "—",
                        date=format_datetime(last.decided_at) or "—",
                    )
                ),
                escape(
                    ngettext(
                        "{addressed} de {n} comentario atendido: respóndalo, corrija el producto "
                        "y envíelo otra vez a revisión.",
                        "{addressed} de {n} comentarios atendidos: respóndalos, corrija el "
                        "producto y envíelo otra vez a revisión.",
                        len(comments),
                        addressed=addressed,
                    )
                    if comments
                    else _("Corrija el producto y envíelo otra vez a revisión.")
                ),
            )
        elif row.state is DeliverableState.SUBMITTED and last is not None:
            sent = _(
                "Enviado a revisión de calidad por {who} el {date}.",
                who=last.submitted_by or "—",
                date=format_datetime(last.submitted_at) or "—",
            )
            then = (
                _("Revíselo y apruébelo o devuélvalo al equipo con comentarios por ítem.")
                if role in DECIDERS
                else _(
                    "Mientras se revisa no se modifica; un revisor o un coordinador lo aprobará "
                    "o lo devolverá con comentarios."
                )
            )
            text = f"{escape(sent)} {escape(then)}"
        elif row.state is DeliverableState.APPROVED and last is not None:
            style = APPROVED_STYLE
            text = escape(
                _(
                    "Aprobado por {who} el {date}. Imprima el acta y registre la entrega a la "
                    "alcaldía.",
                    who=last.decided_by or "—",
                    date=format_datetime(last.decided_at) or "—",
                )
            )
            if last.comments:
                text += " " + escape(_("Comentarios: {text}", text=last.comments))
        elif row.state is DeliverableState.DELIVERED:
            style = APPROVED_STYLE
            text = escape(
                _(
                    "Entregado el {date}: ya no se modifica; solo se le agrega el acta firmada.",
                    date=format_date(row.delivered_on) or "—",
                )
            )
            if row.signed_act is None:
                style = WARNING_STYLE
                text += " " + escape(_("Falta adjuntar el acta firmada."))
        elif row.state is DeliverableState.DRAFT:
            if comments:
                text = escape(
                    _(
                        "Corregido después de la devolución: responda los comentarios y envíelo "
                        "otra vez a revisión."
                    )
                )
            elif not any(f.purpose == PRODUCT for f in row.files):
                style = WARNING_STYLE
                text = escape(
                    _(
                        "Para enviarlo a revisión agregue al menos un archivo del producto con "
                        "«Archivos y fotos…»."
                    )
                )
        self.banner.setStyleSheet(style)
        self.banner.setText(text)
        self.banner.setVisible(bool(text))

    def _show_info(self, row: DeliverableRow) -> None:
        due = format_date(row.due_on) or _("sin fecha")
        if overdue(row):
            due = f"<span style='color:{OVERDUE_COLOR};'>{escape(due)} ({escape(_('vencido'))})</span>"
        else:
            due = escape(due)
        lines = [
            f"<b>{escape(_('Tipo:'))}</b> {escape(_(row.kind_label))}",
            f"<b>{escape(_('Fecha límite:'))}</b> {due}",
        ]
        description = (
            escape(row.description).replace("\n", "<br>")
            if row.description
            else f"<span style='color:{HINT_COLOR};'>{escape(_('Sin descripción'))}</span>"
        )
        lines.append(f"<p style='margin:6px 0 0 0;'><b>{escape(_('Descripción'))}</b><br>")
        lines.append(f"{description}</p>")
        results = dict(self.data.results) if self.data is not None else {}
        served = [results[r] for r in row.result_ids if r in results]
        served.sort()
        lines.append(
            f"<p style='margin:6px 0 0 0;'><b>{escape(_('Resultados del plan que atiende'))}</b><br>"
        )
        if served:
            lines.append("<br>".join(escape(s) for s in served))
        else:
            lines.append(
                f"<span style='color:{HINT_COLOR};'>{escape(_('Ninguno vinculado'))}</span>"
            )
        lines.append("</p>")
        self.info.setText("<br>".join(lines[:2]) + "".join(lines[2:]))

    def _show_delivery(self, row: DeliverableRow) -> None:
        delivered = row.state is DeliverableState.DELIVERED
        self.delivery_box.setVisible(delivered)
        if delivered:
            lines = [
                escape(
                    _(
                        "Entregado el {date} en {place}.",
                        date=format_date(row.delivered_on) or "—",
                        place=row.delivery_place or "—",
                    )
                ),
                escape(
                    _(
                        "Recibió: {name}, {position}, {entity}.",
                        name=row.received_by or "—",
                        position=row.received_position or "—",
                        entity=row.received_entity or "—",
                    )
                ),
                escape(
                    _(
                        "Equipo presente: {names}.",
                        names=", ".join(row.team_present) or "—",
                    )
                ),
            ]
            if row.on_time is not None:
                lines.append(
                    f"<span style='color:{ON_TIME_COLOR if row.on_time else OVERDUE_COLOR};'>"
                    + escape(
                        (_("A tiempo ✓") if row.on_time else _("Fuera de tiempo ✗"))
                        + " · "
                        + _("fecha límite {date}", date=format_date(row.due_on))
                    )
                    + "</span>"
                )
            if row.delivered_by:
                lines.append(escape(_("Registró: {who}", who=row.delivered_by)))
            self.delivery_label.setText("<br>".join(lines))
        act = row.signed_act
        if act is not None:
            self.act_label.setText(
                f"{escape(act.file_name)} · {escape(size_text(act.size))}"
                + (f"<br>{escape(act.caption)}" if act.caption else "")
            )
        elif delivered:
            self.act_label.setText(
                f"<span style='color:#9a4a00;'>"
                f"{escape(_('Falta el acta firmada: imprímala, hágala firmar y escanéela.'))}"
                "</span>"
            )
        else:
            self.act_label.setText(
                f"<span style='color:{HINT_COLOR};'>"
                + escape(
                    _(
                        "Se adjunta después de registrar la entrega: imprima el acta, hágala "
                        "firmar por quien recibe y escanéela."
                    )
                )
                + "</span>"
            )
        self.act_button.setVisible(delivered)
        self.open_act_button.setVisible(act is not None)

    def _show_files(self, row: DeliverableRow) -> None:
        files = shown_files(row)
        self.file_list.clear()
        photos = sum(1 for f in files if f.purpose == PHOTO)
        counts = [
            text
            for n, text in (
                (len(files) - photos, ngettext("{n} archivo", "{n} archivos", len(files) - photos)),
                (photos, ngettext("{n} foto", "{n} fotos", photos)),
            )
            if n
        ]
        self.files_box.setTitle(
            _("Archivos y fotos · {counts}", counts=", ".join(counts))
            if files
            else _("Archivos y fotos")
        )
        missing = []
        for f in files:
            lines = [f.file_name]
            detail = " · ".join(
                p
                for p in (
                    _("Foto") if f.purpose == PHOTO else _("Producto"),
                    size_text(f.size),
                )
                if p
            )
            if f.caption:
                lines.append(f.caption)
            lines.append(detail)
            item = QListWidgetItem("\n".join(lines), self.file_list)
            item.setData(ID_ROLE, f.id)
            item.setData(SHA_ROLE, f.sha256)
            item.setToolTip(
                "\n".join(p for p in (f.file_name, f.caption, _("Doble clic: abrir")) if p)
            )
            item.setSizeHint(QSize(-1, THUMBNAIL.height() + 8))
            if is_image(f.file_name, f.media_type):
                image = self._thumbnails.get(f.sha256)
                if image is not None:
                    item.setIcon(QIcon(framed(image, THUMBNAIL)))
                else:
                    item.setIcon(QIcon(file_badge(f.file_name, THUMBNAIL)))  # until it loads
                    if f.sha256 not in self._thumbnails:
                        missing.append(f)
            else:
                item.setIcon(QIcon(file_badge(f.file_name, THUMBNAIL)))
        if not files:
            item = QListWidgetItem(_("Sin archivos todavía."), self.file_list)
            item.setFlags(Qt.ItemFlag.NoItemFlags)
        missing = [f for f in missing if f.sha256 not in self._loading_thumbnails]
        if missing:
            self._loading_thumbnails.update(f.sha256 for f in missing)
            Op(self, stored_thumbnails, self.profile, missing, THUMBNAIL * 2, quiet=True).success(
                self._thumbnails_loaded
            ).run()

    def _thumbnails_loaded(self, images: Mapping[str, QImage | None]) -> None:
        self._thumbnails.update(images)
        self._loading_thumbnails.difference_update(images)
        for index in range(self.file_list.count()):
            item = self.file_list.item(index)
            image = images.get(item.data(SHA_ROLE) or "")
            if image is not None:
                item.setIcon(QIcon(framed(image, THUMBNAIL)))

    def thumbnails_shown(self) -> int:
        """How many files show a picture of themselves (tests and the screenshot wait on it)."""
        return sum(
            1
            for index in range(self.file_list.count())
            if self._thumbnails.get(self.file_list.item(index).data(SHA_ROLE) or "") is not None
        )

    # Enabling ------------------------------------------------------------------------------

    def _team(self) -> bool:
        role = self.data.role if self.data is not None else self.profile.role
        return role in DELIVERERS

    def _decider(self) -> bool:
        role = self.data.role if self.data is not None else self.profile.role
        return role in DECIDERS

    @staticmethod
    def _locked_note(row: DeliverableRow) -> str:
        if row.state is DeliverableState.DELIVERED:
            return _("El entregable ya fue entregado: solo se le puede agregar el acta firmada.")
        if row.state is DeliverableState.APPROVED:
            return _("El entregable está aprobado: ya no se modifica; registre su entrega.")
        return _(
            "El entregable está en revisión de calidad: no se modifica hasta que un revisor lo "
            "apruebe o lo devuelva."
        )

    def _update_buttons(self) -> None:
        row = self.selected()
        ready = self.data is not None and self.assistance is not None
        team, decider = self._team(), self._decider()
        gate_button(self.new_button, ready and team, _(TEAM_NOTE))
        self.new_action.setEnabled(self.new_button.isEnabled())
        choose = _("Elija un entregable de la lista.")
        editable = row is not None and row.editable
        if row is None:
            why = choose
        elif not team:
            why = _(TEAM_NOTE)
        elif not row.editable:
            why = self._locked_note(row)
        else:
            why = ""
        for button, action in (
            (self.edit_button, self.edit_action),
            (self.remove_button, self.remove_action),
            (self.files_button, self.files_action),
        ):
            gate_button(button, editable and team, why)
            action.setEnabled(editable and team)
        if row is None:
            return
        state = row.state
        products = any(f.purpose == PRODUCT for f in row.files)
        self.submit_button.setVisible(row.editable)
        gate_button(
            self.submit_button,
            team and products,
            _(TEAM_NOTE)
            if not team
            else _("Agregue al menos un archivo del producto con «Archivos y fotos…»."),
        )
        self.respond_button.setVisible(row.editable and bool(open_comments(row)))
        gate_button(self.respond_button, team, _(TEAM_NOTE))
        submitted = state is DeliverableState.SUBMITTED
        self.approve_button.setVisible(submitted)
        self.return_button.setVisible(submitted)
        gate_button(self.approve_button, decider, _(REVIEW_NOTE))
        gate_button(self.return_button, decider, _(REVIEW_NOTE))
        self.deliver_button.setVisible(state is DeliverableState.APPROVED)
        gate_button(self.deliver_button, team, _(DELIVER_NOTE))
        delivered = state is DeliverableState.DELIVERED
        self.survey_button.setVisible(delivered)
        gate_button(self.survey_button, team or bool(row.survey_id), _(TEAM_NOTE))
        gate_button(self.act_button, team and delivered, _(TEAM_NOTE))
        printable = state in (DeliverableState.APPROVED, DeliverableState.DELIVERED)
        why = _("Disponible cuando el entregable esté aprobado o entregado.")
        gate_button(self.print_button, PRINT_ACT is not None and printable, why)

    # Actions: the deliverable --------------------------------------------------------------

    def _open(self, dialog: QDialog) -> QDialog:
        saved = getattr(dialog, "saved", None)
        if saved is not None:
            saved.connect(lambda *_args: self.refresh())
        self.last_dialog = dialog
        dialog.open()
        return dialog

    def new_deliverable(self) -> QDialog | None:
        if self.assistance is None or self.data is None or not self._team():
            return None
        dialog = DeliverableDialog(
            self.profile, self.assistance.id, self.data.results, None, self.window()
        )
        dialog.saved.connect(self._created)
        return self._open(dialog)

    def _created(self, result: object) -> None:
        if not isinstance(result, SavedDeliverable):
            return
        self._after_load.append(lambda: self.select(result.id))
        self._report_problems(result)

    def _report_problems(self, result: SavedDeliverable) -> None:
        if result.problems:
            QMessageBox.warning(
                self,
                _("Archivos sin guardar"),
                _(
                    "El entregable se guardó, pero estos archivos no: {files}. Agréguelos con "
                    "«Archivos y fotos…».",
                    files="; ".join(result.problems),
                ),
            )

    def edit_selected(self) -> QDialog | None:
        row = self.selected()
        if row is None or self.data is None or not row.editable or not self._team():
            return None
        dialog = DeliverableDialog(
            self.profile, row.assistance_id, self.data.results, row, self.window()
        )
        dialog.saved.connect(lambda result: self._report_problems(result))
        return self._open(dialog)

    def manage_files(self) -> QDialog | None:
        row = self.selected()
        if row is None or not row.editable or not self._team():
            return None
        return self._open(FilesDialog(self.profile, row, self.window()))

    def remove_selected(self) -> Op[Any] | None:
        row = self.selected()
        if row is None or not row.editable or not self._team():
            return None
        answer = QMessageBox.question(
            self,
            _("Eliminar entregable"),
            _(
                "¿Eliminar el entregable «{title}» con sus archivos y su historial de revisión? "
                "Puede deshacerlo enseguida con «Deshacer» (Ctrl+Z).",
                title=row.title,
            ),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return None

        def removed(_changes: object) -> None:
            self._set_removed((row.id, row.title))
            self.refresh()

        return (
            Op(self, deliverables.remove, self.profile, row.id, label=_("Eliminando…"))
            .success(removed)
            .run()
        )

    def _set_removed(self, removed: tuple[str, str] | None) -> None:
        self._removed = removed
        if removed is not None:
            self.undo_label.setText(_("Se eliminó el entregable «{title}».", title=removed[1]))
        self.undo_bar.setVisible(removed is not None)

    def undo(self) -> Op[Any] | None:
        """Bring back what the last «Eliminar» removed."""
        if self._removed is None:
            return None
        deliverable_id, _title = self._removed
        self._set_removed(None)
        self._after_load.append(lambda: self.select(deliverable_id))
        return self._run(deliverables.restore, deliverable_id, label=_("Deshaciendo…"))

    def _run(self, fn: Any, *args: object, label: str) -> Op[Any]:
        return (
            Op(self, fn, self.profile, *args, label=label).success(lambda _r: self.refresh()).run()
        )

    # Actions: review -----------------------------------------------------------------------

    def submit(self) -> QDialog | None:
        row = self.selected()
        if row is None or not row.editable or not self._team():
            return None
        return self._open(SubmitDialog(self.profile, row, self.window()))

    def decide(self, approve: bool) -> QDialog | None:
        row = self.selected()
        if row is None or row.state is not DeliverableState.SUBMITTED or not self._decider():
            return None
        return self._open(ReviewDialog(self.profile, row, approve, self.window()))

    def respond(self) -> QDialog | None:
        row = self.selected()
        if row is None or not open_comments(row) or not self._team():
            return None
        return self._open(RespondDialog(self.profile, row, self.window()))

    # Actions: delivery ---------------------------------------------------------------------

    def deliver(self) -> QDialog | None:
        row = self.selected()
        data = self.data
        if row is None or data is None or row.state is not DeliverableState.APPROVED:
            return None
        if not self._team():
            return None
        return self._open(
            DeliveryDialog(
                self.profile,
                row,
                data.counterparts,
                data.team,
                data.municipality,
                self.window(),
            )
        )

    def attach_signed_act(self, path: Path | None = None) -> Op[Any] | None:
        """Add the scanned signed act (a delivered deliverable's one change)."""
        row = self.selected()
        if row is None or row.state is not DeliverableState.DELIVERED or not self._team():
            return None
        if path is None:
            chosen, _filter = QFileDialog.getOpenFileName(
                self,
                _("Acta de entrega firmada"),
                "",
                _("Documentos escaneados (*.pdf *.jpg *.jpeg *.png *.tif *.tiff);;Todos (*)"),
            )
            if not chosen:
                return None
            path = Path(chosen)
        if row.signed_act is not None:
            answer = QMessageBox.question(
                self,
                _("Acta de entrega firmada"),
                _(
                    "El entregable ya tiene el acta firmada «{name}». ¿Adjuntar «{new}» como el "
                    "acta vigente? La anterior se conserva en el historial.",
                    name=row.signed_act.file_name,
                    new=path.name,
                ),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No,
            )
            if answer != QMessageBox.StandardButton.Yes:
                return None
        return self._run(
            deliverables.add_file,
            row.id,
            path,
            _("Acta de entrega firmada"),
            SIGNED_ACT,
            label=_("Guardando el acta firmada…"),
        )

    def open_signed_act(self) -> Op[Path] | None:
        row = self.selected()
        if row is None or row.signed_act is None:
            return None
        return open_attachment(self, self.profile, row.signed_act.id)

    def open_file(self, attachment_id: str | None) -> Op[Path] | None:
        if not attachment_id:
            return None
        return open_attachment(self, self.profile, attachment_id)

    def survey(self) -> Op[Any] | None:
        """Start the satisfaction survey of the delivered deliverable (or open the one started)
        in the form dialog."""
        row = self.selected()
        if row is None or row.state is not DeliverableState.DELIVERED:
            return None
        if not row.survey_id and not self._team():
            return None
        assistance = self.assistance
        subtitle = f"{assistance.code} · {row.title}" if assistance is not None else row.title

        def opened(result: tuple[str, object]) -> None:
            from fieldkit.ui.dialogs.submission import open_submission

            self.refresh()
            open_submission(self, self.profile, result[0], subtitle=subtitle, shown=self._shown)

        return (
            Op(
                self,
                deliverables.start_survey,
                self.profile,
                row.id,
                label=_("Abriendo la encuesta…"),
            )
            .success(opened)
            .run()
        )

    def _shown(self, dialog: SubmissionDialog) -> None:
        self.last_dialog = dialog

    def print_act(self) -> None:
        """«Imprimir acta…»: the acta de entrega, through the hook the reports module sets."""
        row = self.selected()
        hook = PRINT_ACT
        if row is None or hook is None:
            return
        if row.state not in (DeliverableState.APPROVED, DeliverableState.DELIVERED):
            return
        hook(self, self.profile, row)
