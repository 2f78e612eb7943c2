"""Cluster dock helpers."""

from __future__ import annotations

from PySide6.QtWidgets import QToolButton

from pflow_studio.cluster_panel.dock.panel import ClusterDock


def button_of(dock: ClusterDock, name: str) -> QToolButton:
    """The tool button of the dock's action `name`."""
    (button,) = [b for b in dock.findChildren(QToolButton) if b.defaultAction() is dock.action(name)]
    return button
