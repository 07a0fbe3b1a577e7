"""The Entregables panel: create a deliverable with files and photos through its dialogs, review
it (return with comments per item, answer them, approve), deliver it with the prefilled official,
attach the signed act and start the satisfaction survey; what each role may do."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDialog, QVBoxLayout, QWidget
from ui_helpers import Boxes, Team, closed, write_png

from fieldkit.domain.deliverables import DeliverableState
from fieldkit.services import deliverables, forms, plans
from fieldkit.services.assistances import AssistanceRow, get_assistance
from fieldkit.services.deliverables import (
    PHOTO,
    PRODUCT,
    SIGNED_ACT,
    DeliverableInput,
    DeliveryInput,
    ItemComment,
)
from fieldkit.services.plans import PlanInput, ResultInput
from fieldkit.services.profile import Profile, rename_device, set_role
from fieldkit.ui.dialogs.deliverable_items import (
    DeliverableDialog,
    DeliveryDialog,
    FilesDialog,
    RespondDialog,
    ReviewDialog,
    SubmitDialog,
)
from fieldkit.ui.dialogs.form_parts import set_checked
from fieldkit.ui.dialogs.submission import SubmissionDialog
from fieldkit.ui.views import deliverables as panel_module
from fieldkit.ui.views.deliverables import DeliverablesPanel

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
LEFT = Qt.MouseButton.LeftButton
TODAY = dt.date.today()
TITLE = "Manual de contratación de la Alcaldía de Tumaco"
DESCRIPTION = (
    "Manual de procesos y procedimientos de contratación directa y de mínima cuantía, con los "
    "formatos del SECOP II y la matriz de riesgos."
)
RESULTS = (
    "La alcaldía publica en el SECOP II todos sus procesos de contratación",
    "Las secretarías aplican el manual de contratación actualizado",
)


# Fixtures and helpers -------------------------------------------------------------------------


@pytest.fixture
def tumaco(populated: tuple[Profile, Team, list[str]]) -> tuple[Profile, AssistanceRow, list[str]]:
    """The Tumaco assistance (in execution) with a plan of two expected results."""
    profile, _team, codes = populated
    plan_id, _c = plans.create_plan(
        profile,
        codes[0],
        PlanInput(
            "La alcaldía no publica sus contratos a tiempo.",
            "Mejorar la transparencia de la contratación municipal.",
            "Acompañar la actualización del manual de contratación.",
        ),
    )
    result_ids = [
        plans.add_result(profile, plan_id, ResultInput(statement=s, unit="%", target=100))[0]
        for s in RESULTS
    ]
    return profile, get_assistance(profile, codes[0]).row, result_ids


@pytest.fixture
def shown(
    tumaco: tuple[Profile, AssistanceRow, list[str]], qtbot: Any, wait_ops: Callable[[], None]
) -> Iterator[tuple[Profile, AssistanceRow, list[str], DeliverablesPanel]]:
    profile, row, result_ids = tumaco
    _host, panel = open_panel(qtbot, profile)
    panel.show_assistance(row)
    wait_ops()
    assert panel.loaded
    yield profile, row, result_ids, panel
    wait_ops()


def open_panel(qtbot: Any, profile: Profile) -> tuple[QWidget, DeliverablesPanel]:
    """The panel alone in a window, at the size of a laptop screen."""
    host = QWidget()
    qtbot.addWidget(host)
    panel = DeliverablesPanel(profile, host)
    layout = QVBoxLayout(host)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(panel)
    host.resize(1280, 800)
    host.show()
    host.activateWindow()
    qtbot.waitExposed(host)
    return host, panel


def save(dialog: QDialog | None, wait_ops: Callable[[], None]) -> None:
    """Save the dialog as its «Guardar» button does, and wait for it to close."""
    assert dialog is not None and dialog.isVisible()
    dialog.save()  # type: ignore[attr-defined]
    wait_ops()
    error = getattr(dialog, "error", None)
    assert closed(dialog), error.text() if error is not None else ""
    wait_ops()  # the panel's refresh


def click(qtbot: Any, panel: DeliverablesPanel, button: Any) -> QDialog:
    panel.last_dialog = None
    assert button.isVisible() and button.isEnabled(), button.toolTip()
    qtbot.mouseClick(button, LEFT)
    dialog = panel.last_dialog
    assert dialog is not None
    return dialog  # type: ignore[return-value]


PEOPLE = {"field": "Ana María Quiñones", "reviewer": "Carlos Benavides"}


def act_as(profile: Profile, role: str) -> None:
    """The laptop changes hands: the team's, or the central expert's who reviews."""
    set_role(profile, role)
    rename_device(profile, "Portátil de prueba", PEOPLE[role])


def as_role(panel: DeliverablesPanel, role: str, wait_ops: Callable[[], None]) -> None:
    act_as(panel.profile, role)
    panel.refresh()
    wait_ops()


def write_pdf(path: Path, text: str) -> Path:
    """A real one-page PDF, as a team exports its document."""
    from reportlab.pdfgen.canvas import Canvas

    canvas = Canvas(str(path))
    canvas.drawString(72, 720, text)
    canvas.save()
    return path


def write_xlsx(path: Path) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.append(["Riesgo", "Probabilidad", "Impacto", "Control"])
    sheet.append(["Fraccionamiento de contratos", "Media", "Alto", "Revisión del plan anual"])
    book.save(path)
    return path


def screenshot(widget: QWidget, name: str) -> Path:
    QTest.qWait(50)
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    assert widget.grab().save(str(path))
    return path


# The whole arc through the panel ---------------------------------------------------------------


def test_create_review_deliver_and_survey_a_deliverable_through_the_panel(
    shown: tuple[Profile, AssistanceRow, list[str], DeliverablesPanel],
    qtbot: Any,
    boxes: Boxes,
    wait_ops: Callable[[], None],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    profile, row, result_ids, panel = shown

    # Nothing yet: what a deliverable is, and «Nuevo…».
    assert panel.stack.currentIndex() == 1
    assert panel.detail_stack.currentIndex() == 0
    assert "todavía no tiene entregables" in panel.detail_hint.text()
    assert panel.new_button.isEnabled()
    assert not panel.edit_button.isEnabled()

    # Create it through the dialog with two files and a captioned photo.
    dialog = click(qtbot, panel, panel.new_button)
    assert isinstance(dialog, DeliverableDialog)
    assert [dialog.results.item(i).text() for i in range(dialog.results.count())] == [
        f"R1. {RESULTS[0]}",
        f"R2. {RESULTS[1]}",
    ]
    dialog.kind.setCurrentIndex(dialog.kind.findData("procedure_manual"))
    dialog.title_edit.setText(TITLE)
    dialog.description.setPlainText(DESCRIPTION)
    due = TODAY + dt.timedelta(days=10)
    dialog.due_on.set_date(due)
    set_checked(dialog.results, result_ids[1])
    manual = write_pdf(tmp_path / "Manual_contratacion_v1.pdf", TITLE)
    matrix = write_xlsx(tmp_path / "Matriz_riesgos.xlsx")
    photo = write_png(tmp_path / "taller_secop.png")
    assert dialog.files is not None
    dialog.files.add_files([manual, matrix])
    dialog.files.add_files([photo], PHOTO)
    dialog.files.set_caption(2, "Taller de contratación con la Secretaría de Gobierno")
    assert dialog.files.names() == [manual.name, matrix.name, photo.name]
    save(dialog, wait_ops)

    current = panel.selected()
    assert current is not None and current.title == TITLE
    assert current.state is DeliverableState.DRAFT
    assert current.kind == "procedure_manual" and current.description == DESCRIPTION
    assert current.due_on == due and current.result_ids == (result_ids[1],)
    assert [(f.file_name, f.purpose, f.caption) for f in current.files] == [
        (manual.name, PRODUCT, ""),
        (matrix.name, PRODUCT, ""),
        (photo.name, PHOTO, "Taller de contratación con la Secretaría de Gobierno"),
    ]
    assert panel.row_texts() == [
        [
            "E1",
            "Manual de procesos y procedimientos",
            TITLE,
            "Borrador",
            due.strftime("%d/%m/%Y"),
            "",
            "",
            "3",
            "—",
        ]
    ]
    assert f"R2. {RESULTS[1]}" in panel.info.text()
    assert RESULTS[0] not in panel.info.text()
    qtbot.waitUntil(lambda: panel.thumbnails_shown() == 1)  # the photo, decoded off the GUI
    assert panel.file_list.count() == 3
    assert "Taller de contratación" in panel.file_list.item(2).text()
    assert not panel.approve_button.isVisible()

    # Submit it with a note.
    dialog = click(qtbot, panel, panel.submit_button)
    assert isinstance(dialog, SubmitDialog)
    dialog.note.setPlainText("Primera versión completa del manual.")
    save(dialog, wait_ops)
    current = panel.selected()
    assert current is not None and current.state is DeliverableState.SUBMITTED
    assert current.reviews[0].note == "Primera versión completa del manual."
    # The field team cannot approve, nor edit while it is under review.
    assert panel.approve_button.isVisible() and not panel.approve_button.isEnabled()
    assert "Solo un revisor o un coordinador" in panel.approve_button.toolTip()
    assert not panel.return_button.isEnabled()
    assert not panel.edit_button.isEnabled()
    assert "en revisión de calidad" in panel.edit_button.toolTip()
    assert panel.decide(approve=True) is None

    # The reviewer returns it with two comments per item.
    as_role(panel, "reviewer", wait_ops)
    assert not panel.new_button.isEnabled()
    assert "Solo el equipo de la asistencia" in panel.new_button.toolTip()
    dialog = click(qtbot, panel, panel.return_button)
    assert isinstance(dialog, ReviewDialog) and dialog.items is not None
    combo = dialog.items.combo(0)
    assert [combo.itemText(i) for i in range(combo.count())] == [
        "General",
        manual.name,
        matrix.name,
        photo.name,
    ]
    dialog.comments.setPlainText("Buen avance; faltan los controles de la matriz.")
    dialog.items.set_comment(
        0, manual.name, "El capítulo 3 no incluye la contratación de mínima cuantía."
    )
    second = dialog.items.add_comment()
    dialog.items.set_comment(
        second, matrix.name, "Agregue los controles de cada riesgo y su responsable."
    )
    third = dialog.items.add_comment()  # an empty row does not count
    assert third == 2
    save(dialog, wait_ops)
    current = panel.selected()
    assert current is not None and current.state is DeliverableState.RETURNED
    review = current.reviews[-1]
    assert review.comments == "Buen avance; faltan los controles de la matriz."
    assert [(c.item, c.comment) for c in review.items] == [
        (manual.name, "El capítulo 3 no incluye la contratación de mínima cuantía."),
        (matrix.name, "Agregue los controles de cada riesgo y su responsable."),
    ]
    history = panel.history.toPlainText()
    assert "Devuelto con comentarios" in history
    assert "El capítulo 3 no incluye" in history
    assert panel.respond_button.isVisible() and not panel.respond_button.isEnabled()

    # The field team answers the comments, replaces the manual and submits again.
    as_role(panel, "field", wait_ops)
    assert "0 de 2 comentarios atendidos" in panel.banner.text()
    dialog = click(qtbot, panel, panel.respond_button)
    assert isinstance(dialog, RespondDialog)
    dialog.respond(0, "Se agregó el capítulo 3.4 sobre mínima cuantía.")
    dialog.respond(1, "La matriz tiene ahora controles y responsables.")
    save(dialog, wait_ops)
    current = panel.selected()
    assert current is not None
    assert [(c.addressed, c.response) for c in current.reviews[-1].items] == [
        (True, "Se agregó el capítulo 3.4 sobre mínima cuantía."),
        (True, "La matriz tiene ahora controles y responsables."),
    ]
    assert "Se agregó el capítulo 3.4" in panel.history.toPlainText()

    dialog = click(qtbot, panel, panel.files_button)
    assert isinstance(dialog, FilesDialog)
    version_2 = write_pdf(tmp_path / "Manual_contratacion_v2.pdf", TITLE)
    dialog.files.table.selectRow(0)
    dialog.files.remove_selected()
    dialog.files.add_files([version_2])
    dialog.files.set_caption(0, "Matriz con controles")
    save(dialog, wait_ops)
    current = panel.selected()
    assert current is not None
    assert [(f.file_name, f.caption) for f in current.files] == [
        (matrix.name, "Matriz con controles"),
        (photo.name, "Taller de contratación con la Secretaría de Gobierno"),
        (version_2.name, ""),
    ]

    dialog = click(qtbot, panel, panel.submit_button)
    assert isinstance(dialog, SubmitDialog)
    assert "2 de 2 comentarios del revisor atendidos" in dialog.summary.text()
    save(dialog, wait_ops)
    current = panel.selected()
    assert current is not None and current.state is DeliverableState.SUBMITTED
    assert len(current.reviews) == 2

    # The reviewer approves it; a reviewer does not deliver.
    as_role(panel, "reviewer", wait_ops)
    dialog = click(qtbot, panel, panel.approve_button)
    assert isinstance(dialog, ReviewDialog) and dialog.items is None
    dialog.comments.setPlainText("Listo para entregar.")
    save(dialog, wait_ops)
    current = panel.selected()
    assert current is not None and current.state is DeliverableState.APPROVED
    assert panel.deliver_button.isVisible() and not panel.deliver_button.isEnabled()
    assert "registra la entrega" in panel.deliver_button.toolTip()
    assert panel.deliver() is None
    # Approved: the acta de entrega can be printed for the delivery.
    assert panel.print_button.isEnabled()

    # The field team delivers it to the official the dialog offers.
    as_role(panel, "field", wait_ops)
    dialog = click(qtbot, panel, panel.deliver_button)
    assert isinstance(dialog, DeliveryDialog)
    assert dialog.received_by.currentText() == "Luz Dary Angulo"
    assert dialog.position.text() == "Secretaria de Planeación"
    assert dialog.entity.text() == f"Alcaldía de {row.municipality}"
    assert dialog.delivered_on.date().toPython() == TODAY
    members = [dialog.team.item(i).text() for i in range(dialog.team.count())]
    assert members == ["Ana María Quiñones", "Valentina Ortiz Nupan"]
    dialog.received_by.setCurrentIndex(1)  # another counterpart brings their position
    assert dialog.position.text() == "Jefe de Control Interno"
    dialog.received_by.setCurrentIndex(0)
    assert dialog.position.text() == "Secretaria de Planeación"
    dialog.place.setText("Despacho del alcalde, Palacio municipal")
    save(dialog, wait_ops)
    current = panel.selected()
    assert current is not None and current.state is DeliverableState.DELIVERED
    assert current.delivered_on == TODAY and current.on_time is True
    assert (current.received_by, current.received_position, current.received_entity) == (
        "Luz Dary Angulo",
        "Secretaria de Planeación",
        f"Alcaldía de {row.municipality}",
    )
    assert current.team_present == ("Ana María Quiñones", "Valentina Ortiz Nupan")
    texts = panel.row_texts()[0]
    assert texts[3:] == [
        "Entregado",
        due.strftime("%d/%m/%Y"),
        TODAY.strftime("%d/%m/%Y"),
        "✓",
        "3",
        "Sin iniciar",
    ]
    assert "Recibió: Luz Dary Angulo" in panel.delivery_label.text()
    # Delivered: read-only but for the signed act.
    assert not panel.edit_button.isEnabled()
    assert "ya fue entregado" in panel.edit_button.toolTip()
    assert not panel.files_button.isEnabled() and not panel.remove_button.isEnabled()
    assert panel.edit_selected() is None

    # The scanned signed act.
    scan = write_pdf(tmp_path / "Acta_entrega_firmada.pdf", "Acta firmada")
    boxes.open_file = str(scan)
    assert panel.act_button.isVisible() and panel.act_button.isEnabled()
    qtbot.mouseClick(panel.act_button, LEFT)
    wait_ops()
    wait_ops()
    current = panel.selected()
    assert current is not None and current.signed_act is not None
    assert current.signed_act.file_name == scan.name
    assert current.signed_act.purpose == SIGNED_ACT
    assert panel.open_act_button.isVisible()
    assert scan.name in panel.act_label.text()

    # The satisfaction survey opens in the form dialog, about this deliverable.
    qtbot.mouseClick(panel.survey_button, LEFT)
    qtbot.waitUntil(lambda: isinstance(panel.last_dialog, SubmissionDialog), timeout=10_000)
    survey = panel.last_dialog
    assert isinstance(survey, SubmissionDialog)
    assert survey.row.form_id == "encuesta_satisfaccion"
    assert survey.row.subject_id == current.id
    wait_ops()
    assert panel.row_texts()[0][-1] == "En curso"
    survey.reject()
    assert forms.get_submission(profile, survey.row.id).subject_id == current.id

    # Once the reports module connects its hook, «Imprimir acta…» prints the act.
    printed: list[tuple[QWidget, Profile, str]] = []
    monkeypatch.setattr(
        panel_module, "PRINT_ACT", lambda parent, p, r: printed.append((parent, p, r.id))
    )
    panel.refresh()
    wait_ops()
    assert panel.print_button.isEnabled()
    qtbot.mouseClick(panel.print_button, LEFT)
    assert printed == [(panel, profile, current.id)]
    assert not boxes.texts("warning")


# Removing, undoing, the keyboard -------------------------------------------------------------


def test_remove_and_undo_with_the_keyboard(
    shown: tuple[Profile, AssistanceRow, list[str], DeliverablesPanel],
    qtbot: Any,
    boxes: Boxes,
    wait_ops: Callable[[], None],
) -> None:
    profile, row, _results, panel = shown
    first, _c = deliverables.create(
        profile, row.id, DeliverableInput("guide", "Guía de presupuestos participativos")
    )
    deliverables.create(profile, row.id, DeliverableInput("training", "Taller de rendición"))
    panel.refresh()
    wait_ops()
    assert [texts[2] for texts in panel.row_texts()] == [
        "Guía de presupuestos participativos",
        "Taller de rendición",
    ]
    assert panel.select(first)
    panel.window().activateWindow()
    panel.table.setFocus()
    qtbot.waitUntil(panel.table.hasFocus)

    # Supr asks, removes, and offers «Deshacer».
    QTest.keyClick(panel.table, Qt.Key.Key_Delete)
    wait_ops()
    wait_ops()
    assert any("Guía de presupuestos participativos" in t for t in boxes.texts("question"))
    assert [texts[2] for texts in panel.row_texts()] == ["Taller de rendición"]
    assert panel.undo_bar.isVisible()
    assert "Guía de presupuestos participativos" in panel.undo_label.text()

    # Ctrl+Z brings it back, selected.
    panel.table.setFocus()
    QTest.keyClick(panel.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    wait_ops()
    wait_ops()
    assert not panel.undo_bar.isVisible()
    assert len(panel.row_texts()) == 2
    current = panel.selected()
    assert current is not None and current.id == first

    # Insert opens «Nuevo entregable», F2 edits the selected one.
    panel.table.setFocus()
    QTest.keyClick(panel.table, Qt.Key.Key_Insert)
    dialog = panel.last_dialog
    assert isinstance(dialog, DeliverableDialog) and dialog.deliverable is None
    dialog.reject()
    panel.table.setFocus()
    QTest.keyClick(panel.table, Qt.Key.Key_F2)
    dialog = panel.last_dialog
    assert isinstance(dialog, DeliverableDialog) and dialog.deliverable is not None
    assert dialog.title_edit.text() == "Guía de presupuestos participativos"
    dialog.title_edit.setText("Guía de presupuestos participativos 2027")
    save(dialog, wait_ops)
    assert panel.row_texts()[0][2] == "Guía de presupuestos participativos 2027"

    # Submitting without a product file is refused before the dialog opens.
    assert panel.submit_button.isVisible() and not panel.submit_button.isEnabled()
    assert "al menos un archivo del producto" in panel.submit_button.toolTip()


def test_errors_show_in_the_dialog(
    shown: tuple[Profile, AssistanceRow, list[str], DeliverablesPanel],
    qtbot: Any,
    wait_ops: Callable[[], None],
) -> None:
    _profile, _row, _results, panel = shown
    dialog = click(qtbot, panel, panel.new_button)
    assert isinstance(dialog, DeliverableDialog)
    dialog.save()  # no title
    wait_ops()
    assert dialog.isVisible()
    assert "Escriba el título del entregable" in dialog.error.text()
    dialog.reject()


# What it looks like --------------------------------------------------------------------------


def _realistic(profile: Profile, row: AssistanceRow, results: list[str], folder: Path) -> str:
    """Four deliverables of the Tumaco assistance in different states, through the services;
    returns the one delivered after a return and a re-submission."""
    folder.mkdir()
    act_as(profile, "field")
    manual, _c = deliverables.create(
        profile,
        row.id,
        DeliverableInput(
            "procedure_manual",
            TITLE,
            DESCRIPTION,
            TODAY + dt.timedelta(days=5),
            results,
        ),
    )
    files = [
        (write_pdf(folder / "Manual_contratacion_v2.pdf", TITLE), "", PRODUCT),
        (write_xlsx(folder / "Matriz_riesgos_contratacion.xlsx"), "", PRODUCT),
        (
            write_png(folder / "taller_secop_ii.png", 1600, 1200),
            "Taller del SECOP II con la Secretaría de Gobierno",
            PHOTO,
        ),
        (
            write_png(folder / "mesa_tecnica.png", 1200, 1600),
            "Mesa técnica con la oficina jurídica",
            PHOTO,
        ),
    ]
    for path, caption, purpose in files:
        deliverables.add_file(profile, manual, path, caption, purpose)
    deliverables.submit(profile, manual, "Primera versión del manual para revisión.")
    act_as(profile, "reviewer")
    deliverables.return_for_changes(
        profile,
        manual,
        "El manual está bien estructurado; faltan dos ajustes.",
        [
            ItemComment(
                "Manual_contratacion_v2.pdf",
                "El capítulo 3 no trata la contratación de mínima cuantía.",
            ),
            ItemComment(
                "Matriz_riesgos_contratacion.xlsx",
                "Agregue los controles de cada riesgo y su responsable.",
            ),
        ],
    )
    act_as(profile, "field")
    for comment, answer in zip(
        deliverables.get(profile, manual).reviews[-1].items,
        (
            "Se agregó el capítulo 3.4 sobre mínima cuantía.",
            "La matriz tiene ahora controles y responsables.",
        ),
        strict=True,
    ):
        deliverables.address_comment(profile, comment.id, answer)
    deliverables.submit(profile, manual, "Versión corregida según los comentarios.")
    act_as(profile, "reviewer")
    deliverables.approve(profile, manual, "Listo para entregar a la alcaldía.")
    act_as(profile, "field")
    deliverables.deliver(
        profile,
        manual,
        DeliveryInput(
            TODAY,
            "Despacho del alcalde, Palacio municipal",
            "Luz Dary Angulo",
            "Secretaria de Planeación",
            f"Alcaldía de {row.municipality}",
            ["Ana María Quiñones", "Valentina Ortiz Nupan"],
        ),
    )
    deliverables.add_file(
        profile,
        manual,
        write_pdf(folder / "Acta_entrega_firmada.pdf", "Acta"),
        "Acta de entrega firmada",
        SIGNED_ACT,
    )

    guide, _c = deliverables.create(
        profile,
        row.id,
        DeliverableInput(
            "guide",
            "Guía de publicación en el SECOP II para las secretarías",
            "Paso a paso para publicar los procesos y sus documentos.",
            TODAY - dt.timedelta(days=3),
            results[:1],
        ),
    )
    deliverables.add_file(profile, guide, write_pdf(folder / "Guia_SECOP_II.pdf", "Guía"))
    deliverables.submit(profile, guide)
    act_as(profile, "reviewer")
    deliverables.return_for_changes(
        profile, guide, "", [ItemComment("general", "Incluya ejemplos con capturas de pantalla.")]
    )
    act_as(profile, "field")

    training, _c = deliverables.create(
        profile,
        row.id,
        DeliverableInput(
            "training",
            "Capacitación en supervisión de contratos",
            "Dos sesiones para supervisores de las secretarías.",
            TODAY + dt.timedelta(days=30),
        ),
    )
    deliverables.add_file(profile, training, write_pdf(folder / "Presentacion.pdf", "Taller"))
    deliverables.submit(profile, training)
    deliverables.create(
        profile,
        row.id,
        DeliverableInput(
            "programme",
            "Programa de transparencia y acceso a la información",
            due_on=TODAY + dt.timedelta(days=60),
        ),
    )
    return manual


def test_screenshot_of_the_panel(
    tumaco: tuple[Profile, AssistanceRow, list[str]],
    qtbot: Any,
    wait_ops: Callable[[], None],
    tmp_path: Path,
) -> None:
    profile, row, results = tumaco
    manual = _realistic(profile, row, results, tmp_path / "archivos")
    host, panel = open_panel(qtbot, profile)
    panel.show_assistance(row)
    wait_ops()
    assert panel.select(manual)
    qtbot.waitUntil(lambda: panel.thumbnails_shown() == 2)
    wait_ops()
    states = [texts[3] for texts in panel.row_texts()]
    assert states == ["Entregado", "Devuelto con comentarios", "En revisión de calidad", "Borrador"]
    assert panel.row_texts()[1][4] == (TODAY - dt.timedelta(days=3)).strftime("%d/%m/%Y")
    assert "Envío 2" in panel.history.toPlainText() and "Envío 1" in panel.history.toPlainText()
    assert host.size().width() == 1280 and host.size().height() == 800
    path = screenshot(host, "deliverables_panel")
    assert path.stat().st_size > 20_000
