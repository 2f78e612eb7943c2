"""The app's run and cluster preferences, kept in the window's QSettings.

- "Run Maps in this process (serial)": `serial_maps(settings)` / `set_serial_maps(settings, on)`;
  off by default (Maps run on a cluster).
- The cluster profile the app starts with: `cluster_profile(settings)` / `set_cluster_profile(...)`;
  "default" unless changed in the Cluster dock.
- Where a controller the dock starts listens and is reached: `cluster_address(settings)` -> (ip, location) /
  `set_cluster_address(...)`; ("", "") at first (the profile's setting, else 127.0.0.1).
- Whether the dock's "Other machines" section was left open: `other_machines_open(settings)` /
  `set_other_machines_open(...)`; closed at first.
- The element store: its directory (`store_directory_choice`, "" for the default of
  `runtime.element_store.location`) and size cap (`store_cap`, 2 GiB by default); `open_element_store`
  opens the store they name (`PFLOW_STUDIO_CACHE_DIR`, when set, wins over the directory, as in the CLI).
"""

from __future__ import annotations

import os
from collections.abc import Callable

from PySide6.QtCore import QSettings

from pflow_studio.runtime.element_store.location import DEFAULT_MAX_BYTES, ENV_VAR
from pflow_studio.runtime.element_store.store import ElementStore

SERIAL_KEY = "run/serial_maps"
PROFILE_KEY = "cluster/profile"
DEFAULT_PROFILE = "default"
ADDRESS_KEYS = ("cluster/listen_ip", "cluster/location")
OTHER_MACHINES_KEY = "cluster/other_machines_open"
STORE_DIR_KEY = "elements/directory"
STORE_CAP_KEY = "elements/max_bytes"


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


def cluster_address(settings: QSettings) -> tuple[str, str]:
    """(the address a controller the dock starts listens on, the one engines reach it at); "" when unset."""
    ip, location = (str(settings.value(key, "") or "").strip() for key in ADDRESS_KEYS)
    return ip, location


def set_cluster_address(settings: QSettings, ip: str, location: str) -> None:
    for key, value in zip(ADDRESS_KEYS, (ip, location), strict=True):
        settings.setValue(key, value)
    settings.sync()


def other_machines_open(settings: QSettings) -> bool:
    """Whether the user left the Cluster dock's "Other machines" section open."""
    return _flag(settings.value(OTHER_MACHINES_KEY, False))


def set_other_machines_open(settings: QSettings, on: bool) -> None:
    settings.setValue(OTHER_MACHINES_KEY, bool(on))
    settings.sync()


def store_directory_choice(settings: QSettings) -> str:
    """The element store directory the user chose ("" for the default)."""
    return str(settings.value(STORE_DIR_KEY, "") or "").strip()


def set_store_directory_choice(settings: QSettings, directory: str) -> None:
    settings.setValue(STORE_DIR_KEY, directory.strip())
    settings.sync()


def store_cap(settings: QSettings) -> int:
    """The element store's size cap in bytes."""
    try:
        cap = int(settings.value(STORE_CAP_KEY, DEFAULT_MAX_BYTES))
    except (TypeError, ValueError):
        return DEFAULT_MAX_BYTES
    return cap if cap > 0 else DEFAULT_MAX_BYTES


def set_store_cap(settings: QSettings, max_bytes: int) -> None:
    settings.setValue(STORE_CAP_KEY, int(max_bytes))
    settings.sync()


def store_directory_fixed() -> bool:
    """Whether `PFLOW_STUDIO_CACHE_DIR` names the store directory (the preference is then not used)."""
    return bool(os.environ.get(ENV_VAR))


def open_element_store(settings: QSettings, warn: Callable[[str], None]) -> ElementStore:
    """The element store the preferences name (opened lazily: nothing is touched until it is used)."""
    chosen = None if store_directory_fixed() else store_directory_choice(settings) or None
    return ElementStore(chosen, max_bytes=store_cap(settings), warn=warn)
