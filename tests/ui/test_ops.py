"""ops.Op: background calls, progress with cancel, errors shown instead of crashes, Changes routed."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QPushButton, QWidget
from ui_helpers import Boxes

from fieldkit.services import assistances
from fieldkit.services.assistances import AssistanceInput
from fieldkit.services.changes import Changes
from fieldkit.services.profile import Profile
from fieldkit.ui import ops
from fieldkit.ui.ops import Op, Progress


class Listener(QWidget):
    def __init__(self) -> None:
        super().__init__()
        self.received: list[Changes] = []

    def apply_changes(self, changes: Changes) -> None:
        self.received.append(changes)


def test_runs_off_the_gui_thread_and_returns_on_it(qtbot: Any) -> None:
    parent = Listener()
    qtbot.addWidget(parent)
    seen: dict[str, object] = {}

    def work(a: int, b: int) -> int:
        seen["worker"] = threading.current_thread()
        return a + b

    op = Op(parent, work, 2, 3).success(
        lambda r: seen.update(result=r, gui=threading.current_thread())
    )
    op.run()
    qtbot.waitUntil(lambda: op.done)
    assert seen["result"] == 5
    assert seen["worker"] is not threading.main_thread()
    assert seen["gui"] is threading.main_thread()
    assert not ops.busy()


def test_service_changes_reach_the_window(profile: Profile, qtbot: Any) -> None:
    window = Listener()
    child = QWidget(window)  # a view inside the window launches the op
    qtbot.addWidget(window)
    op = Op(child, assistances.create_assistance, profile, AssistanceInput("52835", "PAZ")).run()
    qtbot.waitUntil(lambda: op.done)
    assert window.received and window.received[0].touches("assistance")
    code, _changes = op.result  # type: ignore[misc]
    assert code.startswith("AT-")

    explicit = Op(child, lambda: "hecho", changes=Changes.of("directorate")).run()
    qtbot.waitUntil(lambda: explicit.done)
    assert window.received[-1] == Changes.of("directorate")


def test_fieldkit_error_becomes_a_spanish_warning(
    profile: Profile, qtbot: Any, boxes: Boxes
) -> None:
    parent = Listener()
    qtbot.addWidget(parent)
    called: list[object] = []
    op = Op(
        parent, assistances.create_assistance, profile, AssistanceInput("99999", "PAZ")
    ).success(called.append)
    op.run()
    qtbot.waitUntil(lambda: op.done)
    assert called == []
    assert parent.received == []
    [text] = boxes.texts("warning")
    assert text.startswith("No existe el municipio con código DIVIPOLA 99999.")


def test_unexpected_error_shows_details_instead_of_crashing(qtbot: Any, boxes: Boxes) -> None:
    parent = Listener()
    qtbot.addWidget(parent)

    def broken() -> None:
        raise ZeroDivisionError("division by zero")

    op = Op(parent, broken).run()
    qtbot.waitUntil(lambda: op.done)
    [text] = boxes.texts("exec")
    assert "error inesperado" in text
    assert "ZeroDivisionError: division by zero" in text


def test_failure_callback_can_show_the_error_itself(qtbot: Any, boxes: Boxes) -> None:
    parent = Listener()
    qtbot.addWidget(parent)
    shown: list[BaseException] = []

    def fail() -> None:
        raise ValueError("x")

    op = Op(parent, fail).failure(lambda e: shown.append(e) or True).run()
    qtbot.waitUntil(lambda: op.done)
    assert isinstance(shown[0], ValueError)
    assert boxes.calls == []


def test_slow_call_shows_progress_and_can_be_cancelled(
    qtbot: Any, boxes: Boxes, wait_ops: Callable[[], None]
) -> None:
    parent = Listener()
    qtbot.addWidget(parent)
    parent.show()
    steps: list[int] = []

    def long_import(progress: Progress) -> int:
        for i in range(200):
            if progress(i, 200, f"Fila {i}"):
                raise RuntimeError("stopped")  # whatever a service raises when asked to stop
            steps.append(i)
            time.sleep(0.01)
        return len(steps)

    success: list[object] = []
    op = Op(parent, long_import, label="Importando…").success(success.append).run()
    assert op.progress is not None
    qtbot.waitUntil(lambda: op._dialog is not None and op._dialog.isVisible(), timeout=3000)
    dialog = op._dialog
    assert dialog.labelText().startswith("Fila")
    assert dialog.maximum() == 200
    [cancel] = dialog.findChildren(QPushButton)
    assert cancel.text() == "Cancelar"
    # Qt's own button would only hide the dialog and let the work go on: it must ask to stop.
    qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and dialog.labelText() == "Cancelando…"
    wait_ops()
    assert op.progress.cancelled
    assert len(steps) < 200
    assert success == []
    assert boxes.calls == []  # the person asked to stop: no error box


def test_escape_asks_a_slow_call_to_stop_too(qtbot: Any, wait_ops: Callable[[], None]) -> None:
    parent = Listener()
    qtbot.addWidget(parent)
    parent.show()

    def long_job(progress: Progress) -> str:
        while not progress(0, 0, "Trabajando"):
            time.sleep(0.01)
        return "detenido"

    op = Op(parent, long_job).run()
    qtbot.waitUntil(lambda: op._dialog is not None and op._dialog.isVisible(), timeout=3000)
    QTest.keyClick(op._dialog, Qt.Key.Key_Escape)
    wait_ops()
    assert op.result == "detenido"


def test_fast_call_shows_no_progress_dialog(qtbot: Any) -> None:
    parent = Listener()
    qtbot.addWidget(parent)
    op = Op(parent, lambda: 1).run()
    qtbot.waitUntil(lambda: op.done)
    qtbot.wait(ops.SHOW_AFTER_MS + 50)
    assert op._dialog is None


def test_progress_is_callable_like_the_demo_service_expects() -> None:
    progress = Progress()
    assert progress(3, 10, "tres") is False
    assert progress.snapshot() == (3, 10, "tres")
    progress.cancel()
    assert progress(4, 10) is True
    assert ops.accepts_progress(lambda progress: None)
    assert not ops.accepts_progress(lambda: None)
