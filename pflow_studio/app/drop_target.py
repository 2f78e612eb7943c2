"""Drops: finding the canvas's graphics view, and the `.pflow` files a drag carries.

Palette items dropped on the canvas are handled by the canvas itself (it reads `NODE_TYPE_MIME`
and adds the node at the drop point); files dropped on it come back as `Canvas.files_dropped`, and
files dropped elsewhere on the window reach `MainWindow.dropEvent`.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QGraphicsView, QWidget

PROJECT_SUFFIX = ".pflow"


def graphics_view(widget: QWidget) -> QGraphicsView | None:
    """The QGraphicsView of the canvas widget (the widget itself or its first child view)."""
    if isinstance(widget, QGraphicsView):
        return widget
    return widget.findChild(QGraphicsView)


def project_paths(paths: Iterable[str]) -> list[str]:
    """The `.pflow` files among local paths."""
    return [path for path in paths if path and path.lower().endswith(PROJECT_SUFFIX)]


def project_files(event: QDropEvent | QDragEnterEvent) -> list[str]:
    """Local `.pflow` files carried by a drag."""
    data = event.mimeData()
    if not data.hasUrls():
        return []
    return project_paths(url.toLocalFile() for url in data.urls() if url.isLocalFile())
