"""Start the GUI: the window appears at once while another thread opens the profile.

Opening a profile and reading the first table is pure Python and SQLite; building a Qt window is
mostly native code. Doing both at once, the window shows in about the time of a bare Qt program
and the municipalities fill it as soon as they are read.
"""

from __future__ import annotations

import os
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from PySide6.QtCore import QTranslator
    from PySide6.QtWidgets import QApplication

    from fieldkit.services.profile import Profile
    from fieldkit.ui.data import MunicipalitiesData

# Benchmarks and smoke tests: quit with 0 as soon as the first table is on screen, after printing
# "fieldkit-ready <unix time>" so a benchmark can time startup without the process's teardown.
EXIT_WHEN_READY = "FIELDKIT_GUI_EXIT_WHEN_READY"
EXIT_PROFILE_ERROR = 2


class _ProfileLoader(threading.Thread):
    """Open the profile and read the first view's data, off the GUI thread."""

    def __init__(self, data_dir: Path | None) -> None:
        super().__init__(name="fieldkit-open-profile", daemon=True)
        self.data_dir = data_dir
        self.profile: Profile | None = None
        self.data: MunicipalitiesData | None = None
        self.error: BaseException | None = None
        self.details = ""

    def run(self) -> None:
        try:
            from fieldkit.services.profile import Profile
            from fieldkit.ui.data import load_municipalities

            self.profile = Profile(self.data_dir)
            self.data = load_municipalities(self.profile)
        except BaseException as exc:  # reported on the GUI thread
            import traceback

            self.error = exc
            self.details = traceback.format_exc()


_qt_translator: QTranslator | None = None


def configure(app: QApplication) -> None:
    """Names, es_CO locale and Qt's own strings (standard buttons, dialogs) in the UI language."""
    from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator

    from fieldkit.i18n import get_language

    global _qt_translator
    app.setOrganizationName("fieldkit")
    app.setApplicationName("fieldkit")
    locale = QLocale("es_CO") if get_language() == "es" else QLocale("en_US")
    QLocale.setDefault(locale)
    if _qt_translator is not None:  # configured before, perhaps in another language
        app.removeTranslator(_qt_translator)
        _qt_translator.deleteLater()
        _qt_translator = None
    translator = QTranslator(app)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if translator.load(locale, "qtbase", "_", folder):
        app.installTranslator(translator)
        _qt_translator = translator


def run_gui(data_dir: Path | None = None) -> int:
    """Run the window until it closes; 2 when the profile cannot be opened (e.g. already open)."""
    loader = _ProfileLoader(data_dir)
    loader.start()

    from PySide6.QtCore import QEventLoop, QThreadPool, QTimer
    from PySide6.QtWidgets import QApplication

    app: Any = QApplication.instance() or QApplication(sys.argv[:1] or ["fieldkit"])
    configure(app)
    from fieldkit.ui.main_window import MainWindow

    window = MainWindow()
    window.show()
    while loader.is_alive():
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)
        loader.join(0.01)

    if loader.error is not None or loader.profile is None:
        window.hide()
        return _startup_failed(loader.error, loader.details)

    profile = loader.profile
    try:
        window.attach_profile(profile, loader.data)
        if os.environ.get(EXIT_WHEN_READY):
            QTimer.singleShot(0, lambda: _report_ready(app))
        code = int(app.exec())
    finally:
        window.close()
        QThreadPool.globalInstance().waitForDone()
        profile.close()
    return code


def _report_ready(app: Any) -> None:
    import time

    print(f"fieldkit-ready {time.time():.6f}", flush=True)
    app.quit()


def _startup_failed(error: BaseException | None, details: str) -> int:
    from PySide6.QtWidgets import QMessageBox

    from fieldkit.domain.errors import FieldkitError
    from fieldkit.i18n import _
    from fieldkit.ui.ops import show_error

    if isinstance(error, FieldkitError):
        QMessageBox.critical(
            None,
            _("fieldkit no puede abrir el perfil"),
            error.render(_),
        )
        return EXIT_PROFILE_ERROR
    show_error(None, error or RuntimeError("profile"), details)
    return 1
