"""Report tests: one profile with a whole assistance written through the services, made once per
module (reports only read it)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from report_helpers import Populated, populate

from fieldkit.services.profile import Profile


@pytest.fixture(scope="module")
def populated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Populated]:
    folder = tmp_path_factory.mktemp("informes")
    profile = Profile(folder / "perfil", device_name="Portátil de Tumaco", role="coordinator")
    try:
        scenario = populate(profile, folder / "archivos")
        yield Populated(profile, scenario)
    finally:
        profile.close()


@pytest.fixture
def out(tmp_path: Path) -> Path:
    folder = tmp_path / "salida"
    folder.mkdir()
    return folder
