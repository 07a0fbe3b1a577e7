"""Helpers for the GUI tests: a recorder for modal boxes and realistic people and assistances."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import shiboken6
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from fieldkit.services import assistances, catalog, persons
from fieldkit.services.assistances import AssistanceInput, CounterpartInput
from fieldkit.services.profile import Profile, set_role
from fieldkit.ui.main_window import MainWindow


@dataclass
class Boxes:
    """Message boxes and file dialogs that would block the test, answered and recorded."""

    calls: list[tuple[str, str]] = field(default_factory=list)
    answer: QMessageBox.StandardButton = QMessageBox.StandardButton.Yes
    open_file: str = ""

    def texts(self, kind: str) -> list[str]:
        return [text for k, text in self.calls if k == kind]


@dataclass(frozen=True)
class Team:
    lead: str
    member: str
    student: str


def add_people(profile: Profile) -> Team:
    lead, _c = persons.save_person(
        profile,
        name="Ana María Quiñones",
        role="field_professional",
        email="ana.quinones@esap.gov.co",
        phone="3104567890",
    )
    member, _c = persons.save_person(
        profile, name="Jhon Jairo Cuero", role="field_professional", phone="3157771212"
    )
    student, _c = persons.save_person(
        profile, name="Valentina Ortiz Nupan", role="student", email="vortiz@esap.edu.co"
    )
    persons.save_person(profile, name="Carlos Benavides", role="reviewer", active=False)
    return Team(lead, member, student)


def add_assistances(profile: Profile, team: Team) -> list[str]:
    """A handful of assistances in different states, through the services."""
    mayor_office = [
        CounterpartInput("Luz Dary Angulo", "Secretaria de Planeación", "planeacion@tumaco.gov.co"),
        CounterpartInput("Wilmer Castillo", "Jefe de Control Interno", phone="3201112233"),
    ]
    specs = [
        ("52835", "PAZ", [team.lead, team.student], mayor_office, "in_execution"),
        ("19050", "CONTRATACION", [team.member], mayor_office[:1], "concerted"),
        ("27001", "ETNICOS", [team.lead], mayor_office[1:], "diagnosed"),
        ("52001", "INNOVACION", [], [], "requested"),
        ("05001", "ORDENAMIENTO", [team.member, team.student], mayor_office, "cancelled"),
    ]
    codes = []
    flow = ["concerted", "diagnosed", "planned", "in_execution"]
    for municipality, line, members, counterparts, state in specs:
        code, _c = assistances.create_assistance(
            profile,
            AssistanceInput(
                municipality_code=municipality,
                thematic_line_code=line,
                team=members,
                counterparts=counterparts,
                requested_on=dt.date(2026, 2, 3),
                start_on=dt.date(2026, 3, 2) if state != "requested" else None,
                end_on=dt.date(2026, 8, 28) if state != "requested" else None,
                notes="Prioridad del plan de desarrollo municipal.",
            ),
        )
        if state == "cancelled":
            assistances.transition(profile, code, "cancelled", "La alcaldía cambió de prioridades.")
        else:
            for target in flow[: flow.index(state) + 1] if state in flow else []:
                assistances.transition(profile, code, target)
        codes.append(code)
    return codes


def closed(widget: QWidget) -> bool:
    """True once a dialog is gone (dialogs delete themselves when they close)."""
    return not shiboken6.isValid(widget) or not widget.isVisible()


def device(new_profile: Callable[..., Profile], folder: str, name: str) -> Profile:
    """A profile with its own identity (device id, clock, keys), as a second laptop has."""
    p = new_profile(folder, device_name=name)
    p.store.set_profile(device_id=str(uuid.uuid4()), seq=0, hlc=None, keys=None)
    return p


def enrolled_pair(new_profile: Callable[..., Profile], tmp_path: Path) -> tuple[Profile, Profile]:
    """A coordinator's office and a field team's laptop, enrolled through the services."""
    from fieldkit.services.sync import enrol_accept, enrol_complete, enrol_request

    office = device(new_profile, "oficina", "Coordinación Nariño")
    team = device(new_profile, "equipo", "Portátil Tumaco")
    set_role(office, "coordinator")
    set_role(team, "field")
    catalog.import_directorates(office)
    request = enrol_request(team, tmp_path / "solicitud.fkb")
    enrol_accept(office, request, tmp_path / "respuesta.fkb", directorates=["NAR"])
    enrol_complete(team, tmp_path / "respuesta.fkb")
    return office, team


def open_window(profile: Profile, qtbot: Any, wait_ops: Callable[[], None]) -> MainWindow:
    win = MainWindow(profile)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: win.municipalities_view().loaded, timeout=10_000)
    wait_ops()
    return win


def save_as(monkeypatch: pytest.MonkeyPatch, path: Path | str) -> None:
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(path), ""))
    )


def write_png(path: Path, width: int = 640, height: int = 480) -> Path:
    """A real photo-sized PNG (a gradient with a frame), as a team attaches from its camera."""
    from PySide6.QtGui import QColor, QImage, QPainter

    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(QColor("#2e7d32"))
    painter = QPainter(image)
    for y in range(0, height, 8):
        painter.fillRect(0, y, width, 4, QColor(30 + y % 200, 120, 200 - y % 150))
    painter.setPen(QColor("white"))
    painter.drawRect(8, 8, width - 16, height - 16)
    painter.end()
    assert image.save(str(path))
    return path


def key_clicks(widget: QWidget, text: str) -> None:
    """Type ``text`` into ``widget`` key by key, accents and «ñ» included (QTest.keyClicks only
    takes ASCII): a key event that carries the character, as a keyboard layout sends it."""
    from PySide6.QtCore import QEvent, Qt
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    for char in text:
        if char == "\n":
            QTest.keyClick(widget, Qt.Key.Key_Return)
            continue
        if char.isascii() and char.isprintable():
            QTest.keyClick(widget, char)
            continue
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            event = QKeyEvent(kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, char)
            QApplication.sendEvent(widget, event)
