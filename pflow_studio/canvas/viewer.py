"""The canvas's NodeGraphQt viewer (Tab reserved for quick add, the right button for our context menu, a
left click on a work-items badge for `badge_clicked`) and the reading of its port items as model port refs."""

from __future__ import annotations

from NodeGraphQt.widgets.viewer import NodeViewer
from PySide6.QtCore import QEvent, QPoint, Qt, Signal
from PySide6.QtGui import QContextMenuEvent, QGuiApplication, QMouseEvent

from pflow_studio.canvas.store_badge import badge_at
from pflow_studio.runtime.model import PortRef


class CanvasViewer(NodeViewer):
    """NodeGraphQt's viewer with Tab reserved for quick add (instead of focus change), and the right
    button reserved for our context menu: `context_requested(viewport pos, from keyboard)` is emitted
    on a right press (right release where the platform opens menus on release) or the Menu key.
    NodeGraphQt never sees right presses (it would start a wire from a port under the cursor) and its
    own context menus never open."""

    tab_pressed = Signal()
    context_requested = Signal(QPoint, bool)
    badge_clicked = Signal(tuple)  # the node path of a work-items badge clicked (NodeGraphQt never sees it)

    def event(self, event: QEvent) -> bool:
        if (event.type() == QEvent.Type.KeyPress and event.key() == Qt.Key.Key_Tab
                and event.modifiers() == Qt.KeyboardModifier.NoModifier):
            self.tab_pressed.emit()
            return True
        return super().event(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.RightButton:
            event.accept()
            if _menu_on_press():
                self.context_requested.emit(event.position().toPoint(), False)
            return
        badge = badge_at(self.itemAt(event.position().toPoint()))
        if badge is not None and event.button() == Qt.MouseButton.LeftButton:
            event.accept()
            self.badge_clicked.emit(badge.path)
            return
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.RightButton:
            event.accept()
            if not _menu_on_press():
                self.context_requested.emit(event.position().toPoint(), False)
            return
        super().mouseReleaseEvent(event)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        event.accept()  # mouse-made ones were handled on the press / release itself
        if event.reason() != QContextMenuEvent.Reason.Mouse:
            self.context_requested.emit(self.viewport().mapFromGlobal(event.globalPos()), True)


def _menu_on_press() -> bool:
    """Whether this platform opens context menus on the right press (else on the release)."""
    return QGuiApplication.styleHints().contextMenuTrigger() == Qt.ContextMenuTrigger.Press


def port_pair(a, b) -> tuple[PortRef, PortRef]:
    """(output ref, input ref) from two NodeGraphQt port items in either order."""
    out, inp = (a, b) if a.port_type == "out" else (b, a)
    return PortRef(out.node.id, out.name), PortRef(inp.node.id, inp.name)
