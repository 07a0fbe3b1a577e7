"""Where profiles live (platformdirs) and the user's own settings (language), kept per user."""

from __future__ import annotations

import json
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


def config_dir() -> Path:
    """FIELDKIT_CONFIG_DIR, else the user's configuration directory (e.g. ~/.config/fieldkit)."""
    env = os.environ.get("FIELDKIT_CONFIG_DIR")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_config_dir

    return Path(user_config_dir(APP_NAME, appauthor=False))


def load_user_settings() -> dict[str, object]:
    """The user's settings; a missing or unreadable file means defaults (never an error at start)."""
    try:
        data = json.loads((config_dir() / "settings.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def save_user_settings(**values: object) -> Path:
    """Merge values into the settings file, written whole to a temporary name then renamed."""
    folder = config_dir()
    folder.mkdir(parents=True, exist_ok=True)
    data = load_user_settings()
    data.update(values)
    target = folder / "settings.json"
    partial = target.with_suffix(".json.partial")
    partial.write_text(
        json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True), encoding="utf-8"
    )
    partial.replace(target)
    return target


def preferred_language() -> str | None:
    value = load_user_settings().get("language")
    return value if isinstance(value, str) else None
