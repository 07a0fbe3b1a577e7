"""Run a service call off the GUI thread, with progress, error display and change notification.

The one door between widgets and slow work, as Anki's CollectionOp/QueryOp::

    Op(self, catalog.import_categories, profile, path, label=_("Importando…")).success(done).run()

The call runs on ``QThreadPool``; a progress dialog appears only if it takes longer than
``SHOW_AFTER_MS``. A call with a ``progress`` parameter receives a :class:`Progress` (and the
dialog gets a cancel button). The success callback runs on the GUI thread; a ``FieldkitError``
is shown as a warning in the user's language, anything else as an error with the traceback in the
details. A ``Changes`` value in the result goes to the nearest window that has ``apply_changes``
(the main window), which tells each view so it refreshes only when relevant. A refusal for the
role (``AuthorizationError``) also announces ``PROFILE_CHANGED``: the role on screen was stale.
"""

from __future__ import annotations

import contextlib
import inspect
import threading
import traceback
from collections.abc import Callable
from typing import Any, Generic, TypeVar

import shiboken6
from PySide6.QtCore import SIGNAL, SLOT, QObject, QRunnable, Qt, QThreadPool, QTimer, Signal
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QWidget

from fieldkit.domain.errors import AuthorizationError, FieldkitError
from fieldkit.i18n import _
from fieldkit.services.changes import Changes

T = TypeVar("T")

SHOW_AFTER_MS = 300
POLL_MS = 100
# Not a table: the device's name or role changed. Windows re-read the identity and what the role
# may do; views ignore it.
PROFILE = "profile"
PROFILE_CHANGED = Changes.of(PROFILE)

_running: set[Op[Any]] = set()


def busy() -> bool:
    """True while any operation has not yet delivered its result (tests wait on this)."""
    return bool(_running)


class Progress:
    """What a long service call may take to report progress and notice a cancel request.

    Thread-safe and Qt-free from the caller's side: ``report(done, total, text)`` and
    ``cancelled``. It is also callable as ``progress(done, total, text) -> bool`` (True means
    "stop"), the callback convention of ``fieldkit.services.demo``.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._cancel = threading.Event()
        self._state: tuple[int, int, str] = (0, 0, "")

    def report(self, done: int, total: int = 0, text: str = "") -> None:
        with self._lock:
            self._state = (int(done), int(total), text)

    def __call__(self, done: int, total: int = 0, text: str = "") -> bool:
        self.report(done, total, text)
        return self.cancelled

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def cancel(self) -> None:
        self._cancel.set()

    def snapshot(self) -> tuple[int, int, str]:
        with self._lock:
            return self._state


def accepts_progress(fn: Callable[..., object]) -> bool:
    try:
        return "progress" in inspect.signature(fn).parameters
    except (TypeError, ValueError):  # builtins without a signature
        return False


def changes_in(result: object) -> Changes | None:
    """The Changes a service returned: itself, inside a tuple, or as a ``changes`` attribute."""
    if isinstance(result, Changes):
        return result
    if isinstance(result, tuple):
        found = [item for item in result if isinstance(item, Changes)]
        return found[0] if found else None
    value = getattr(result, "changes", None)
    return value if isinstance(value, Changes) else None


def show_error(parent: QWidget | None, error: BaseException, details: str = "") -> None:
    """A FieldkitError as a warning (the user can act on it); anything else as an error."""
    if isinstance(error, FieldkitError):
        QMessageBox.warning(parent, _("fieldkit"), error.render(_))
        return
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Critical)
    box.setWindowTitle(_("fieldkit: error inesperado"))
    box.setText(
        _(
            "Ocurrió un error inesperado; sus datos guardados no se perdieron. "
            "Si se repite, envíe los detalles a soporte."
        )
    )
    box.setInformativeText(f"{type(error).__name__}: {error}")
    if details:
        box.setDetailedText(details)
    box.exec()


def _listener_of(widget: QWidget | None) -> QObject | None:
    """The nearest ancestor that takes Changes (the main window), through dialog parents too."""
    node: QObject | None = widget
    while node is not None:
        if hasattr(node, "apply_changes"):
            return node
        node = node.parent()
    return None


class _Relay(QObject):
    """Lives on the GUI thread; the worker emits on it, so callbacks run on the GUI thread."""

    finished = Signal(object)


class _Runnable(QRunnable):
    def __init__(self, call: Callable[[], object], relay: _Relay) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._call = call
        self._relay = relay

    def run(self) -> None:
        try:
            outcome: tuple[object, ...] = (True, self._call())
        except BaseException as exc:  # every failure must reach the GUI thread
            outcome = (False, exc, traceback.format_exc())
        # RuntimeError: the application is shutting down and nobody is left to tell.
        with contextlib.suppress(RuntimeError):
            self._relay.finished.emit(outcome)


class _ProgressDialog(QProgressDialog):
    """A progress dialog that Escape or the close button cannot hide while work goes on."""

    cancel_requested = Signal()

    def __init__(self, label: str, cancellable: bool, parent: QWidget | None) -> None:
        super().__init__(parent)
        self._cancellable = cancellable
        self.setWindowTitle(_("fieldkit"))
        self.setLabelText(label)
        self.setAutoClose(False)
        self.setAutoReset(False)
        self.setMinimumDuration(0)
        self.setRange(0, 0)
        self.setMinimumWidth(380)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        if cancellable:
            self.setCancelButtonText(_("Cancelar"))
            # Qt's own canceled -> cancel() would only hide the dialog while the work went on.
            QObject.disconnect(self, SIGNAL("canceled()"), self, SLOT("cancel()"))
            self.canceled.connect(self.reject)
        else:
            self.setCancelButton(None)  # type: ignore[arg-type]

    def reject(self) -> None:
        if self._cancellable:
            self.setLabelText(_("Cancelando…"))
            self.cancel_requested.emit()

    def closeEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        event.ignore()
        self.reject()

    def finish(self) -> None:
        self.hide()
        self.deleteLater()


class Op(Generic[T]):
    """One background call of ``fn(*args, **kwargs)``; configure, then ``run()``.

    ``label``: text of the progress dialog. ``quiet``: never show a progress dialog (reads that
    refresh a view). ``changes``: what to announce when the result carries no Changes of its own
    (e.g. a restore changes everything). Other keyword arguments go to ``fn``.
    """

    def __init__(
        self,
        parent: QWidget | None,
        fn: Callable[..., T],
        *args: object,
        label: str = "",
        quiet: bool = False,
        changes: Changes | None = None,
        **kwargs: object,
    ) -> None:
        self.parent = parent
        self._fn = fn
        self._args = args
        self._kwargs = kwargs
        self._label = label or _("Trabajando…")
        self._quiet = quiet
        self._changes = changes
        self._on_success: Callable[[T], None] | None = None
        self._on_failure: Callable[[BaseException], bool | None] | None = None
        self._on_finally: Callable[[], None] | None = None
        self.progress: Progress | None = Progress() if accepts_progress(fn) else None
        self.done = False
        self.result: T | None = None
        self.error: BaseException | None = None
        self._dialog: _ProgressDialog | None = None
        self._timer: QTimer | None = None

    def success(self, callback: Callable[[T], None]) -> Op[T]:
        self._on_success = callback
        return self

    def failure(self, callback: Callable[[BaseException], bool | None]) -> Op[T]:
        """``callback(error)`` returning True means it showed the error itself (e.g. inline)."""
        self._on_failure = callback
        return self

    def finally_(self, callback: Callable[[], None]) -> Op[T]:
        """Runs after success or failure (re-enable buttons, hide a busy label…)."""
        self._on_finally = callback
        return self

    def run(self) -> Op[T]:
        self._relay = _Relay()
        self._relay.finished.connect(self._finished, Qt.ConnectionType.QueuedConnection)
        self._listener = _listener_of(self.parent)
        kwargs = dict(self._kwargs)
        if self.progress is not None:
            kwargs["progress"] = self.progress
        fn, args = self._fn, self._args
        _running.add(self)
        if not self._quiet:
            self._timer = QTimer()
            self._timer.setInterval(SHOW_AFTER_MS)
            self._timer.timeout.connect(self._tick)
            self._timer.start()
        QThreadPool.globalInstance().start(_Runnable(lambda: fn(*args, **kwargs), self._relay))
        return self

    # GUI thread --------------------------------------------------------------------------

    def _tick(self) -> None:
        if self.done:
            return
        if self._dialog is None:
            parent = self.parent if _alive(self.parent) else None
            self._dialog = _ProgressDialog(self._label, self.progress is not None, parent)
            self._dialog.cancel_requested.connect(self._cancel)
            self._dialog.show()
            assert self._timer is not None
            self._timer.setInterval(POLL_MS)
        if self.progress is not None:
            done, total, text = self.progress.snapshot()
            if total > 0:
                self._dialog.setRange(0, total)
                self._dialog.setValue(min(done, total))
            if text and not self.progress.cancelled:
                self._dialog.setLabelText(text)

    def _cancel(self) -> None:
        if self.progress is not None:
            self.progress.cancel()

    def _finished(self, outcome: tuple[object, ...]) -> None:
        self.done = True
        if self._timer is not None:
            self._timer.stop()
        if self._dialog is not None:
            self._dialog.finish()
            self._dialog = None
        try:
            if outcome[0]:
                self.result = outcome[1]  # type: ignore[assignment]
                self._succeeded()
            else:
                error = outcome[1]
                assert isinstance(error, BaseException)
                self.error = error
                self._failed(error, str(outcome[2]))
            if self._on_finally is not None and _alive(self.parent):
                self._on_finally()
        finally:
            _running.discard(self)

    def _succeeded(self) -> None:
        changes = changes_in(self.result) or self._changes
        if changes is not None and _alive(self._listener):
            self._listener.apply_changes(changes)  # type: ignore[union-attr]
        if self._on_success is not None and _alive(self.parent):
            self._on_success(self.result)  # type: ignore[arg-type]

    def _failed(self, error: BaseException, details: str) -> None:
        if self.progress is not None and self.progress.cancelled:
            return  # the person asked to stop; the service gave up as asked
        if isinstance(error, AuthorizationError) and _alive(self._listener):
            self._listener.apply_changes(PROFILE_CHANGED)  # type: ignore[union-attr]
        if self._on_failure is not None and _alive(self.parent) and self._on_failure(error):
            return
        show_error(self.parent if _alive(self.parent) else None, error, details)


def _alive(obj: QObject | None) -> bool:
    return obj is not None and shiboken6.isValid(obj)


class Latest:
    """Background reads of which only the newest answer counts: a view reloading, a panel
    following the selection. A read started before another one is dropped when it ends."""

    def __init__(self, parent: QWidget) -> None:
        self.parent = parent
        self.generation = 0

    def drop(self) -> None:
        """Whatever is on its way is out of date (e.g. newer data arrived another way)."""
        self.generation += 1

    def run(self, fn: Callable[..., T], *args: object, then: Callable[[T], None]) -> Op[T]:
        self.generation += 1
        generation = self.generation

        def done(result: T) -> None:
            if generation == self.generation:
                then(result)

        return Op(self.parent, fn, *args, quiet=True).success(done).run()
