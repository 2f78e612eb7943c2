"""Drops onto the canvas view: a palette node type adds that node at the drop point; a `.pflow`
file (from a file manager) asks the window to open it. Installed as an event filter on the view's
viewport, so NodeGraphQt's own drop handling never sees these drops."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPointF, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QGraphicsView, QWidget

from pflow_studio.app.palette import NODE_TYPE_MIME

PROJECT_SUFFIX = ".pflow"


def graphics_view(widget: QWidget) -> QGraphicsView | None:
    """The QGraphicsView of the canvas widget (the widget itself or its first child view)."""
    if isinstance(widget, QGraphicsView):
        return widget
    return widget.findChild(QGraphicsView)


def project_files(event: QDropEvent | QDragEnterEvent) -> list[str]:
    """Local `.pflow` files carried by a drag."""
    data = event.mimeData()
    if not data.hasUrls():
        return []
    return [url.toLocalFile() for url in data.urls()
            if url.isLocalFile() and url.toLocalFile().lower().endswith(PROJECT_SUFFIX)]


class CanvasDropTarget(QObject):
    """Emits `node_dropped(type_name, (x, y) scene position)` and `file_dropped(path)`."""

    node_dropped = Signal(str, tuple)
    file_dropped = Signal(str)

    def __init__(self, view: QGraphicsView, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.view = view
        view.setAcceptDrops(True)
        view.viewport().setAcceptDrops(True)
        view.viewport().installEventFilter(self)

    def _wanted(self, event: QDropEvent) -> bool:
        return event.mimeData().hasFormat(NODE_TYPE_MIME) or bool(project_files(event))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in (QEvent.Type.DragEnter, QEvent.Type.DragMove) and self._wanted(event):
            event.acceptProposedAction()
            return True
        if kind == QEvent.Type.Drop and self._wanted(event):
            event.acceptProposedAction()
            files = project_files(event)
            if files:
                self.file_dropped.emit(files[0])
            else:
                type_name = bytes(event.mimeData().data(NODE_TYPE_MIME)).decode("utf-8")
                self.node_dropped.emit(type_name, self.scene_pos(event.position()))
            return True
        return super().eventFilter(watched, event)

    def scene_pos(self, viewport_pos: QPointF) -> tuple[float, float]:
        point = self.view.mapToScene(viewport_pos.toPoint())
        return (point.x(), point.y())
