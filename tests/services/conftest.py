"""Service tests: a seeded profile folder made once per module, copied for each test."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from fieldkit.services.profile import Profile


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A seeded, closed coordinator profile; copying it is much faster than seeding again.

    Coordinator, because some tests edit catalogs; refusals for other roles use set_role().
    """
    folder = tmp_path_factory.mktemp("plantilla") / "perfil"
    Profile(folder, device_name="Plantilla", role="coordinator").close()
    return folder


@pytest.fixture
def fresh(template: Path, tmp_path: Path) -> Iterator[Profile]:
    folder = tmp_path / "perfil"
    shutil.copytree(template, folder)
    p = Profile(folder)
    try:
        yield p
    finally:
        p.close()
