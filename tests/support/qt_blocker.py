"""Making Qt unimportable in a subprocess or on engines, as on a headless machine without PySide6."""

from __future__ import annotations

import pathlib

from tests.support import import_blocker

BLOCKED = ("PySide6", "shiboken6", "NodeGraphQt", "Qt", "PyQt5", "PyQt6")

SOURCE = import_blocker.blocker_source(BLOCKED, "ImportError", "Qt is not importable here: {name}")
"""Python source that makes every Qt binding unimportable in the interpreter that runs it."""


def blocker_dir(parent: pathlib.Path) -> pathlib.Path:
    """A directory holding a `sitecustomize.py` that blocks Qt: put it first on a process's PYTHONPATH."""
    return import_blocker.blocker_dir(parent, "qt_blocker", SOURCE)
