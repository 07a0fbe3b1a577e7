"""Shared test setup: offscreen Qt, Spanish messages, and real profiles in temporary folders."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.pop("FIELDKIT_LANG", None)
# The user's own settings (language) must not leak into tests, nor tests into them.
os.environ["FIELDKIT_CONFIG_DIR"] = __import__("tempfile").mkdtemp(prefix="fieldkit-config-")

from collections.abc import Iterator
from pathlib import Path

import pytest

from fieldkit.services.profile import Profile


@pytest.fixture
def profile(tmp_path: Path) -> Iterator[Profile]:
    """A fresh profile (database, lock, catalogs) in its own folder."""
    p = Profile(tmp_path / "perfil", device_name="Portátil de prueba")
    try:
        yield p
    finally:
        p.close()
