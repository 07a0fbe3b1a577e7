"""Enrolment from the Sincronizar menu: request, accept (coordinator only), complete."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from ui_helpers import Boxes, closed, device, open_window, save_as

from fieldkit.services import catalog
from fieldkit.services.profile import Profile, set_role
from fieldkit.services.sync import fingerprint, list_peers


def test_request_accept_and_complete_show_fingerprints(
    new_profile: Callable[..., Profile],
    qtbot: Any,
    wait_ops: Callable[[], None],
    boxes: Boxes,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    office = device(new_profile, "oficina", "Coordinación Nariño")
    team = device(new_profile, "equipo", "Portátil Tumaco")
    set_role(office, "coordinator")
    set_role(team, "field")
    catalog.import_directorates(office)

    team_win = open_window(team, qtbot, wait_ops)
    assert not team_win.enrol_accept_action.isEnabled()  # a field team does not accept
    assert "coordinador" in team_win.enrol_accept_action.toolTip()
    save_as(monkeypatch, tmp_path / "solicitud")
    team_win.enrol_request_action.trigger()
    wait_ops()
    assert (tmp_path / "solicitud.fkb").exists()
    assert fingerprint(team) in boxes.texts("information")[-1]

    office_win = open_window(office, qtbot, wait_ops)
    assert office_win.enrol_accept_action.isEnabled()
    boxes.open_file = str(tmp_path / "solicitud.fkb")
    dialog = office_win.accept_enrol_request()
    assert dialog is not None
    dialog.directorates.setText("ZZZ")  # unknown: the error shows in the dialog
    save_as(monkeypatch, tmp_path / "respuesta.fkb")
    dialog.save()
    wait_ops()
    assert "ZZZ" in dialog.error.text() and dialog.isVisible()
    dialog.directorates.setText("nar")
    dialog.save()
    wait_ops()
    assert closed(dialog)
    assert [(p.name, p.role, p.directorates) for p in list_peers(office)] == [
        ("Portátil Tumaco", "field", "NAR")
    ]
    assert fingerprint(team) in boxes.texts("information")[-1]

    boxes.open_file = str(tmp_path / "respuesta.fkb")
    team_win.enrol_complete_action.trigger()
    wait_ops()
    text = boxes.texts("information")[-1]
    assert "Coordinación Nariño" in text and fingerprint(office) in text
    assert team.values.get("scope_directorates") == "NAR"
    assert [p.relation for p in list_peers(team)] == ["coordinator"]
