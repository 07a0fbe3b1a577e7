"""Quarantined bundles: listed with their sender's enrolment, and discarded only by a coordinator."""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from fieldkit.domain.errors import AuthorizationError, ValidationError
from fieldkit.services import catalog, persons
from fieldkit.services.profile import Profile, dump, set_role
from fieldkit.services.quarantine import discard_quarantined, waiting
from fieldkit.services.sync import accept_quarantined, enrol_request, import_bundles


def device(template: Path, folder: Path, name: str) -> Profile:
    shutil.copytree(template, folder)
    p = Profile(folder, device_name=name)
    p.store.set_profile(device_id=str(uuid.uuid4()), seq=0, hlc=None, keys=None)
    return p


def changes_bundle(sender: Profile, out: Path) -> Path:
    """Everything ``sender`` holds, for nobody in particular (as test_sync_service makes one)."""
    from fieldkit.services.sync import _write
    from fieldkit.store.merge import operations_after

    with sender.read() as session:
        ops = list(operations_after(session, {}))
    _write(sender, out, recipient=None, operations=ops, vector={}, kind="changes")
    return out


@pytest.fixture
def office(template: Path, tmp_path: Path) -> Iterator[Profile]:
    p = device(template, tmp_path / "oficina", "Coordinación Nariño")
    catalog.import_directorates(p)  # the example grouping: NAR and the rest
    try:
        yield p
    finally:
        p.close()


@pytest.fixture
def stranger(template: Path, tmp_path: Path) -> Iterator[Profile]:
    p = device(template, tmp_path / "extraño", "Portátil Ipiales")
    set_role(p, "field")
    try:
        yield p
    finally:
        p.close()


def test_waiting_lists_bundles_and_whether_the_sender_was_accepted_since(
    office: Profile, stranger: Profile, tmp_path: Path
) -> None:
    persons.save_person(stranger, name="Nadie", role="student")
    first = changes_bundle(stranger, tmp_path / "uno.fkb")
    persons.save_person(stranger, name="Otra", role="student")
    second = changes_bundle(stranger, tmp_path / "dos.fkb")
    import_bundles(office, [first, second])
    rows = waiting(office)
    assert [(r.bundle.file, r.bundle.sender, r.peer) for r in rows] == [
        ("dos.fkb", "Portátil Ipiales", None),
        ("uno.fkb", "Portátil Ipiales", None),
    ]
    assert rows[0].bundle.operations > rows[1].bundle.operations > 0

    result = accept_quarantined(office, "uno.fkb", role="field", directorates=["NAR"])
    assert result.status == "applied"
    [left] = waiting(office)
    assert left.bundle.file == "dos.fkb"
    assert left.peer is not None
    assert (left.peer.name, left.peer.role, left.peer.directorates) == (
        "Portátil Ipiales",
        "field",
        "NAR",
    )


def test_discard_deletes_only_the_quarantined_file_and_changes_no_data(
    office: Profile, stranger: Profile, tmp_path: Path
) -> None:
    request = enrol_request(stranger, tmp_path / "x.fkb")
    import_bundles(office, [request])
    quarantined = office.data_dir / "cuarentena" / "x.fkb"
    assert quarantined.is_file() and request.is_file()
    before = dump(office)

    set_role(office, "field")
    with pytest.raises(AuthorizationError):
        discard_quarantined(office, "x.fkb")
    assert quarantined.is_file()
    set_role(office, "coordinator")

    assert discard_quarantined(office, "x.fkb") == quarantined
    assert not quarantined.exists()
    assert request.is_file()  # the file the person chose to import is theirs: untouched
    assert waiting(office) == []
    assert dump(office) == before
    with pytest.raises(ValidationError, match=r"x\.fkb"):
        discard_quarantined(office, "x.fkb")  # already gone: said, not crashed


@pytest.mark.parametrize(
    "name", ["../fieldkit.sqlite", "fieldkit.sqlite", "sub/x.fkb", "", "cuarentena"]
)
def test_discard_refuses_anything_but_a_quarantined_bundle(office: Profile, name: str) -> None:
    folder = office.data_dir / "cuarentena"
    folder.mkdir(exist_ok=True)
    (folder / "fieldkit.sqlite").write_text("not a bundle")
    with pytest.raises(ValidationError):
        discard_quarantined(office, name)
    assert (office.data_dir / "fieldkit.sqlite").is_file()
    assert (folder / "fieldkit.sqlite").is_file()
