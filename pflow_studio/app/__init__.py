"""The desktop app: `main(argv)` opens the main window (with a project file when given)."""

from __future__ import annotations

import sys
from collections.abc import Sequence


def create_application(argv: Sequence[str] = ()):  # -> QApplication
    """The QApplication (created once), with the app's names, Fusion style and stylesheet."""
    from PySide6.QtWidgets import QApplication

    from pflow_studio.app.resources import stylesheet

    app = QApplication.instance()
    if app is None:
        app = QApplication([sys.argv[0] if sys.argv else "pflow-studio", *argv])
    app.setOrganizationName("pflow-studio")
    app.setApplicationName("pflow-studio")
    app.setStyle("Fusion")
    app.setStyleSheet(stylesheet())
    return app


def main(argv: Sequence[str] = ()) -> int:
    """Open the app; `argv` may hold one project file. Returns the exit code."""
    from pflow_studio.app.main_window import MainWindow

    argv = list(argv)
    app = create_application()
    window = MainWindow()
    window.show()
    if argv:
        window.files.load(argv[0])
    return app.exec()


__all__ = ["create_application", "main"]
