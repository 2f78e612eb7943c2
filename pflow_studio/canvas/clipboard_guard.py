"""Putting pflow nodes on the system clipboard without crashing at exit.

PySide6 6.11 crashes (SIGSEGV) while the interpreter shuts down when the application clipboard still holds
a QMimeData set from Python (reproduced offscreen: set mime data, exit). `put` sets the data and, once per
process, registers an exit hook that clears the clipboard if it still holds our format; the crash is
avoided and nothing of another application's is cleared.
"""

from __future__ import annotations

import atexit

from PySide6.QtCore import QMimeData
from PySide6.QtGui import QGuiApplication

_guarded: list[str] = []


def put(mime: QMimeData, own_format: str) -> None:
    """Set `mime` (which carries `own_format`) as the clipboard's data."""
    if own_format not in _guarded:
        _guarded.append(own_format)
        atexit.register(_clear_if_ours, own_format)
    QGuiApplication.clipboard().setMimeData(mime)


def _clear_if_ours(own_format: str) -> None:
    app = QGuiApplication.instance()
    if app is None:
        return
    clipboard = QGuiApplication.clipboard()
    data = clipboard.mimeData()
    if data is not None and data.hasFormat(own_format):
        clipboard.clear()
