"""The work-items badge of a Map (or Filter) on the canvas: a small clickable tag above the node's top-right
corner saying what its last run left in the element store ("12 failed" in the failure colour, "1,000 stored"
in the cached colour). The app decides the text; a click reaches the canvas through the viewer
(`CanvasViewer.badge_clicked`), which knows the node path the badge stands for (`StoreBadge.path`)."""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QPen
from PySide6.QtWidgets import QGraphicsItem, QGraphicsRectItem, QGraphicsSimpleTextItem

from pflow_studio.canvas.node_classes import PflowViewNode
from pflow_studio.canvas.run_state import STATE_COLORS

PADDING_X, PADDING_Y = 6.0, 2.0
CORNER_GAP = 14.0  # keeps the failure mark ("!") on the corner visible


class StoreBadge(QGraphicsRectItem):
    """The tag itself (a child of the node's item); `path` is the node path it opens the work items of."""

    def __init__(self, parent: QGraphicsItem) -> None:
        super().__init__(parent)
        self.path: tuple[str, ...] = ()
        self.setPen(QPen(Qt.PenStyle.NoPen))
        self.setZValue(7)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.label = QGraphicsSimpleTextItem(self)
        font = QFont()
        font.setPointSizeF(7.5)
        font.setBold(True)
        self.label.setFont(font)
        self.label.setBrush(QBrush(QColor(255, 255, 255)))

    def show_text(self, text: str, failed: bool, path: tuple[str, ...], width: float) -> None:
        self.path = tuple(path)
        self.label.setText(text)
        size = self.label.boundingRect()
        box = QRectF(0.0, 0.0, size.width() + 2 * PADDING_X, size.height() + 2 * PADDING_Y)
        self.setRect(box)
        self.label.setPos(PADDING_X, PADDING_Y)
        self.setBrush(QBrush(QColor(*STATE_COLORS["failed" if failed else "cached"])))
        self.setPos(max(width - CORNER_GAP - box.width(), 0.0), -box.height() - 3.0)
        self.setToolTip(f"{text} in the last run: click to see its work items")
        self.show()


def apply_store_badge(node: PflowViewNode, text: str, failed: bool, path: tuple[str, ...]) -> None:
    """Show the badge on `node` (an empty text hides it)."""
    item = node.view
    badge = getattr(item, "_pf_store_badge", None)
    if not text:
        if badge is not None:
            badge.hide()
        return
    if badge is None:
        badge = item._pf_store_badge = StoreBadge(item)
    badge.show_text(text, failed, path, item.width)


def store_badge_text(node: PflowViewNode) -> str:
    badge = getattr(node.view, "_pf_store_badge", None)
    return badge.label.text() if badge is not None and badge.isVisible() else ""


def badge_at(item: QGraphicsItem | None) -> StoreBadge | None:
    """The badge `item` is (or is part of), else None."""
    while item is not None:
        if isinstance(item, StoreBadge):
            return item
        item = item.parentItem()
    return None
