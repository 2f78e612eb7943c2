"""The desktop app: `main(argv)` opens the main window (with a project file when given).

The window gets one `ClusterManager` (profile from the settings, "default" at first) and its Cluster dock;
Maps run on that cluster (a local one the app starts and owns when none is connected) unless Run > "Run
Maps in this process (serial)" is on. SIGTERM and SIGHUP close the window as closing it does (no prompt:
unsaved changes go to a recovery copy), and the cluster the app owns is stopped. `main(argv, manager=...,
settings=...)` lets tests (or scripts) pass their own manager and settings.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Any


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


def create_window(argv: Sequence[str] = (), *, manager: Any = None, settings: Any = None):  # -> MainWindow
    """The main window with its cluster (a manager made from the settings' profile unless given), shown,
    with the project `argv[0]` loaded when given, and SIGTERM/SIGHUP closing it (`window.exit_signals`)."""
    from pflow_studio.app.cluster_signals import ExitSignals
    from pflow_studio.app.main_window import MainWindow
    from pflow_studio.app.preferences import cluster_profile
    from pflow_studio.app.settings import make_settings

    settings = settings if settings is not None else make_settings()
    if manager is None:
        from pflow_studio.cluster_panel.manager import ClusterManager

        manager = ClusterManager(cluster_profile(settings))
    window = MainWindow(settings=settings, cluster_manager=manager)
    window.exit_signals = ExitSignals(window.close_for_signal, window)
    window.show()
    if argv:
        window.files.load(argv[0])
    return window


def main(argv: Sequence[str] = (), *, manager: Any = None, settings: Any = None) -> int:
    """Open the app; `argv` may hold one project file. Returns the exit code (128 + the signal number
    when SIGTERM/SIGHUP closed it)."""
    app = create_application()
    window = create_window(list(argv), manager=manager, settings=settings)
    code = app.exec()
    received = window.exit_signals.received
    window.exit_signals.uninstall()
    return 128 + received if received is not None else code


__all__ = ["create_application", "create_window", "main"]
