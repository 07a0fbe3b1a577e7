"""A second fieldkit process on the same profile is refused with a clear message."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from fieldkit.domain.errors import ProfileError
from fieldkit.services.profile import Profile, dump


def test_second_profile_in_the_same_process_is_refused(profile: Profile) -> None:
    before = dump(profile)
    with pytest.raises(ProfileError, match="Otro proceso de fieldkit"):
        Profile(profile.data_dir)
    assert dump(profile) == before


def test_second_process_is_refused_and_the_first_keeps_working(profile: Profile) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "fieldkit", "--data-dir", str(profile.data_dir), "status"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2
    assert "Otro proceso de fieldkit" in result.stderr
    assert "--data-dir" in result.stderr
    assert "device" not in result.stdout
    assert profile.values["device_id"]


def test_lock_is_released_on_close(tmp_path: Path) -> None:
    Profile(tmp_path / "p").close()
    with Profile(tmp_path / "p") as again:
        assert again.device_id
