"""The canvas's NodeGraphQt viewer (Tab reserved for quick add, the right button for our context menu, a
left click on a work-items badge for `badge_clicked`, a double-click on a port's name for
`port_name_double_clicked`) and the reading of its port items as model port refs."""

from __future__ import annotations

from NodeGraphQt.widgets.viewer import NodeViewer
from PySide6.QtCore import QEvent, QPoint, Qt, Signal
from PySide6.QtGui import QContextMenuEvent, QGuiApplication, QMouseEvent
from PySide6.QtWidgets import QGraphicsItem

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
    port_name_double_clicked = Signal(str, str, str)
    """(node id, "input" / "output", port name): a double-click on a port's name (NodeGraphQt never sees it)."""

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

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        hit = port_label_at(self.items(event.position().toPoint()))
        if hit is not None and event.button() == Qt.MouseButton.LeftButton:
            event.accept()
            self.port_name_double_clicked.emit(*hit)
            return
        super().mouseDoubleClickEvent(event)

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


def port_label_at(items: list[QGraphicsItem]) -> tuple[str, str, str] | None:
    """(node id, "input" / "output", port name) of the first port name label among `items`, else None."""
    for item in items:
        node = item.parentItem()
        for side, labels in (("input", "_input_items"), ("output", "_output_items")):
            for port, text in getattr(node, labels, {}).items():
                if text is item:
                    return node.id, side, port.name
    return None


def port_label_item(node_item: QGraphicsItem, side: str, name: str) -> QGraphicsItem | None:
    """The text item showing the name of a node item's `side` port `name` (None when not shown)."""
    labels = node_item._input_items if side == "input" else node_item._output_items
    return next((text for port, text in labels.items() if port.name == name), None)


def port_pair(a, b) -> tuple[PortRef, PortRef]:
    """(output ref, input ref) from two NodeGraphQt port items in either order."""
    out, inp = (a, b) if a.port_type == "out" else (b, a)
    return PortRef(out.node.id, out.name), PortRef(inp.node.id, inp.name)
