"""GUI test setup: offscreen Qt, Spanish, real profiles, and recorders for modal message boxes."""

from __future__ import annotations

import os
import shutil

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox, QWidget
from ui_helpers import Boxes, Team, add_assistances, add_people

from fieldkit.i18n import set_language
from fieldkit.services.profile import Profile, set_role
from fieldkit.ui import ops
from fieldkit.ui.app import configure
from fieldkit.ui.main_window import MainWindow

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"


@pytest.fixture(autouse=True)
def spanish(qapp: QApplication) -> Iterator[None]:
    set_language("es")
    configure(qapp)
    yield
    set_language(None)


@pytest.fixture(scope="session")
def template_profile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh profile made once: creating one seeds 1,121 municipalities and takes a second."""
    folder = tmp_path_factory.mktemp("plantilla") / "perfil"
    Profile(folder, device_name="Portátil de prueba").close()
    return folder


@pytest.fixture
def new_profile(tmp_path: Path, template_profile: Path) -> Iterator[Callable[..., Profile]]:
    """Open copies of the template profile (a real SQLite file each) in this test's folder."""
    opened: list[Profile] = []

    def make(name: str = "perfil", **options: Any) -> Profile:
        target = tmp_path / name
        target.mkdir()
        for source in template_profile.glob("fieldkit.sqlite*"):
            shutil.copy2(source, target / source.name)
        opened.append(Profile(target, **options))
        return opened[-1]

    yield make
    for p in opened:
        p.close()


@pytest.fixture
def profile(new_profile: Callable[..., Profile]) -> Profile:
    """Overrides the shared fixture with a copy of the template: same content, much faster."""
    return new_profile()


@pytest.fixture
def wait_ops(qtbot: Any) -> Callable[[], None]:
    """Wait until every background operation has delivered its result on the GUI thread."""

    def wait() -> None:
        qtbot.waitUntil(lambda: not ops.busy(), timeout=10_000)

    return wait


@pytest.fixture
def boxes(monkeypatch: pytest.MonkeyPatch) -> Boxes:
    recorder = Boxes()

    def static(kind: str, result: Any = None) -> Any:
        def call(parent: QWidget | None, title: str, text: str = "", *args: Any) -> Any:
            recorder.calls.append((kind, text))
            return recorder.answer if kind == "question" else result

        return staticmethod(call)

    for kind in ("warning", "information", "critical", "about"):
        monkeypatch.setattr(QMessageBox, kind, static(kind, QMessageBox.StandardButton.Ok))
    monkeypatch.setattr(QMessageBox, "question", static("question"))

    def exec_box(self: QMessageBox) -> int:
        recorder.calls.append(("exec", f"{self.text()}\n{self.informativeText()}"))
        return int(QMessageBox.StandardButton.Ok.value)

    monkeypatch.setattr(QMessageBox, "exec", exec_box)
    monkeypatch.setattr(
        QFileDialog,
        "getOpenFileName",
        staticmethod(lambda *a, **k: (recorder.open_file, "")),
    )
    return recorder


def _window(profile: Profile, qtbot: Any, wait_ops: Callable[[], None]) -> Iterator[MainWindow]:
    win = MainWindow(profile)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: win.municipalities_view().loaded, timeout=10_000)
    wait_ops()
    yield win
    wait_ops()


@pytest.fixture
def window(profile: Profile, qtbot: Any, wait_ops: Callable[[], None]) -> Iterator[MainWindow]:
    """The main window on a fresh profile (role: field team), municipalities loaded."""
    yield from _window(profile, qtbot, wait_ops)


@pytest.fixture
def coordinator(profile: Profile) -> Profile:
    """The test's profile as a coordinator's: only coordinators edit catalogs."""
    set_role(profile, "coordinator")
    return profile


@pytest.fixture
def coordinator_window(
    coordinator: Profile, qtbot: Any, wait_ops: Callable[[], None]
) -> Iterator[MainWindow]:
    """The main window on a coordinator's profile, municipalities loaded."""
    yield from _window(coordinator, qtbot, wait_ops)


@pytest.fixture
def populated(profile: Profile) -> tuple[Profile, Team, list[str]]:
    team = add_people(profile)
    return profile, team, add_assistances(profile, team)
