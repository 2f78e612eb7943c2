"""The app's run and cluster preferences, kept in the window's QSettings.

- "Run Maps in this process (serial)": `serial_maps(settings)` / `set_serial_maps(settings, on)`;
  off by default (Maps run on a cluster).
- The cluster profile the app starts with: `cluster_profile(settings)` / `set_cluster_profile(...)`;
  "default" unless changed in the Cluster dock.
"""

from __future__ import annotations

from PySide6.QtCore import QSettings

SERIAL_KEY = "run/serial_maps"
PROFILE_KEY = "cluster/profile"
DEFAULT_PROFILE = "default"


def _flag(value: object) -> bool:
    """QSettings gives INI booleans back as strings."""
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "yes", "on")
    return bool(value)


def serial_maps(settings: QSettings) -> bool:
    """True when Maps run in this process (serially) instead of on a cluster."""
    return _flag(settings.value(SERIAL_KEY, False))


def set_serial_maps(settings: QSettings, on: bool) -> None:
    settings.setValue(SERIAL_KEY, bool(on))
    settings.sync()


def cluster_profile(settings: QSettings) -> str:
    """The IPython profile of the app's cluster manager."""
    value = settings.value(PROFILE_KEY, DEFAULT_PROFILE)
    return str(value).strip() or DEFAULT_PROFILE if value else DEFAULT_PROFILE


def set_cluster_profile(settings: QSettings, profile: str) -> None:
    settings.setValue(PROFILE_KEY, profile)
    settings.sync()
