"""Rename a Group's boundary port in place, on the canvas.

A double-click on a port's name on a Group, on a Map (or Filter) over a Group, or on a Group's boundary
node inside it opens a small line edit over the name: Enter (or clicking elsewhere) renames the port
through `Canvas.rename_port` (one undo step, also renaming what names it above), Escape keeps the name.
A port that cannot be renamed (a Map over a plain node, the "+" handle) says why in `Canvas.message`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent
from PySide6.QtWidgets import QLineEdit, QWidget

from pflow_studio.canvas import boundaries, levels
from pflow_studio.canvas.viewer import CanvasViewer, port_label_item
from pflow_studio.runtime.model import ModelError

if TYPE_CHECKING:
    from pflow_studio.canvas.canvas import Canvas

EDITOR_NAME = "portNameEditor"
"""The object name of the line edit (tests and style sheets find it by this name)."""


class NameEdit(QLineEdit):
    """A line edit that reports once: `finished(text)` on Enter or focus out, `cancelled()` on Escape."""

    finished = Signal(str)
    cancelled = Signal()

    def __init__(self, text: str, parent: QWidget) -> None:
        super().__init__(text, parent)
        self.setObjectName(EDITOR_NAME)
        self._done = False

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._finish(True)
        elif event.key() == Qt.Key.Key_Escape:
            self._finish(False)
        else:
            super().keyPressEvent(event)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self._finish(True)

    def _finish(self, keep: bool) -> None:
        if self._done:
            return
        self._done = True
        self.hide()
        self.deleteLater()
        if keep:
            self.finished.emit(self.text())
        else:
            self.cancelled.emit()


class PortNameEditor(QObject):
    """Opens the in-place editor of a port's name (see the module docstring)."""

    def __init__(self, canvas: Canvas, viewer: CanvasViewer) -> None:
        super().__init__(canvas)
        self._canvas = canvas
        self._viewer = viewer

    def start(self, node_id: str, side: str, port: str) -> bool:
        """Edit the name of the `side` ("input" / "output") port `port` of the shown node `node_id`.
        False when the node is a plain node (whose ports are its type's): nothing happened."""
        canvas = self._canvas
        path = canvas.level_path()
        if node_id not in levels.PSEUDO_NODES:
            node = canvas.document.level(path).nodes.get(node_id)
            if node is None or node.body is None:
                return False
        try:
            boundaries.port_owner(canvas.workflow(), path, node_id, side, port)
        except ModelError as exc:
            canvas.message.emit(str(exc))
            return True
        view = canvas.view_node(node_id)
        label = port_label_item(view.view, side, port) if view is not None else None
        if label is None:
            return True
        edit = NameEdit(port, self._viewer.viewport())
        rect = self._viewer.mapFromScene(label.sceneBoundingRect()).boundingRect()
        width = max(rect.width() + 24, 110)
        left = rect.left() if side == "input" else rect.right() - width
        edit.setGeometry(left, rect.center().y() - edit.sizeHint().height() // 2, width, edit.sizeHint().height())
        edit.setToolTip("Enter: rename the port (also where it is used); Esc: keep the name")
        edit.finished.connect(lambda text: self._rename(node_id, side, port, text.strip()))
        edit.show()
        edit.selectAll()
        edit.setFocus()
        return True

    def _rename(self, node_id: str, side: str, old: str, new: str) -> None:
        if new and new != old:
            self._canvas.rename_port(node_id, side, old, new)
        elif not new:
            self._canvas.message.emit(f"a port needs a name: '{old}' kept")
