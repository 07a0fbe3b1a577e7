"""Where profiles live (platformdirs) and which one to open."""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "fieldkit"


def default_data_dir() -> Path:
    """FIELDKIT_DATA_DIR, else the user's data directory (e.g. ~/.local/share/fieldkit)."""
    env = os.environ.get("FIELDKIT_DATA_DIR")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME, appauthor=False))
