"""The Qt binding itself: PySide6 6.12.0 dropped a reference to True on every signal emitted to a
Python slot, and a session of a few thousand emits aborted the interpreter (bool_dealloc).
pyproject.toml excludes that version; this keeps any other with the same fault out."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal


class _Emitter(QObject):
    plain = Signal()
    carrying = Signal(object)
    flag = Signal(bool)


def test_emitting_signals_leaves_the_reference_counts_of_true_and_false_alone(qapp) -> None:  # type: ignore[no-untyped-def]
    emitter = _Emitter()
    received: list[object] = []
    emitter.plain.connect(lambda: received.append(None))
    emitter.carrying.connect(received.append)
    emitter.flag.connect(received.append)
    before = sys.getrefcount(True), sys.getrefcount(False)
    for _ in range(200):
        emitter.plain.emit()
        emitter.carrying.emit(1)
        emitter.flag.emit(False)
    received.clear()  # the Falses it kept are references too
    assert (sys.getrefcount(True), sys.getrefcount(False)) == before
