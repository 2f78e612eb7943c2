"""Persistent settings: a QSettings the tests can point at a temporary file, and recent files.

`make_settings(path=None)`: an INI-file QSettings at `path` when given (or when the environment
variable PFLOW_STUDIO_SETTINGS names a file), else the user's native "pflow-studio" settings. A settings
file (INI, and the native one on Linux) is private: 0600, in a directory made 0700 (it lists recent files).
"""

from __future__ import annotations

import os
import sys

from PySide6.QtCore import QSettings

from pflow_studio.common.private_files import private_directory, private_file

ENV_VAR = "PFLOW_STUDIO_SETTINGS"
RECENT_KEY = "files/recent"
MAX_RECENT = 10


def make_settings(path: str | os.PathLike[str] | None = None) -> QSettings:
    """The settings store (see the module docstring)."""
    chosen = path if path is not None else os.environ.get(ENV_VAR)
    if chosen:
        settings = QSettings(os.fspath(chosen), QSettings.Format.IniFormat)
    else:
        settings = QSettings("pflow-studio", "pflow-studio")
    if chosen or sys.platform not in ("darwin", "win32"):
        _make_private(settings.fileName())
    return settings


def _make_private(file_name: str) -> None:
    """Create the settings file 0600 before Qt writes it (Qt keeps an existing file's permissions)."""
    try:
        private_directory(os.path.dirname(file_name) or ".")
        os.close(private_file(file_name))
    except OSError:
        pass  # Qt reports what it cannot write; settings are not worth failing the app for


def recent_files(settings: QSettings) -> list[str]:
    """The recent files, most recent first."""
    value = settings.value(RECENT_KEY, [])
    if isinstance(value, str):  # QSettings gives a lone string for a one-item list in INI files
        value = [value]
    return [str(v) for v in value or [] if v]


def add_recent_file(settings: QSettings, path: str) -> list[str]:
    """Put `path` (made absolute) first in the recent files; returns the new list."""
    path = os.path.abspath(path)
    files = [path, *(f for f in recent_files(settings) if f != path)][:MAX_RECENT]
    settings.setValue(RECENT_KEY, files)
    return files


def remove_recent_file(settings: QSettings, path: str) -> list[str]:
    """Drop `path` from the recent files (e.g. it no longer opens); returns the new list."""
    files = [f for f in recent_files(settings) if f != path]
    settings.setValue(RECENT_KEY, files)
    return files
