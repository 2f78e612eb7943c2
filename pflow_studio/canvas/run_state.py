"""Run-state visuals on view nodes: a coloured bar and border, a failure badge with the traceback as
tooltip, and `n/N` progress text (or what will run); the work-items badge is `store_badge`. A state from
before an edit (`apply_stale`) is shown faded: a hatched bar, a dimmed border, a dashed outline and
`STALE_TEXT` in the tooltip. Plain child QGraphicsItems, never undo entries."""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QPen
from PySide6.QtWidgets import QGraphicsEllipseItem, QGraphicsItem, QGraphicsRectItem, QGraphicsSimpleTextItem

from pflow_studio.canvas.node_classes import PflowViewNode

STATE_COLORS: dict[str, tuple[int, int, int]] = {
    "queued": (120, 120, 140),
    "started": (240, 180, 40),
    "running": (240, 180, 40),
    "finished": (70, 190, 90),
    "cached": (70, 150, 200),
    "failed": (230, 60, 60),
    "skipped": (100, 100, 100),
    "cancelled": (170, 110, 60),
    "warning": (245, 130, 20),  # finished, but some Map elements failed (on_error skip / none)
}
WARNING_TEXT = (255, 170, 60)
STALE_TEXT = "result from before your edit"
STALE_GREY = (110, 110, 110)


def state_color(state: str) -> tuple[int, int, int] | None:
    return STATE_COLORS.get(state)


def apply_state(node: PflowViewNode, state: str, message: str = "") -> None:
    """Show `state` on the node (an unknown state clears it)."""
    item = node.view
    if not hasattr(item, "_pf_base_border"):
        item._pf_base_border = tuple(item.border_color)
        item._pf_base_tooltip = item.toolTip()
    color = state_color(state)
    bar = getattr(item, "_pf_bar", None)
    if color is None:
        clear_state(node)
        return
    if bar is None:
        bar = item._pf_bar = QGraphicsRectItem(item)
        bar.setPen(QPen(Qt.PenStyle.NoPen))
        bar.setZValue(5)
    bar.setRect(2.0, 1.0, max(item.width - 4.0, 4.0), 4.0)
    bar.setBrush(QBrush(QColor(*color)))
    bar.show()
    item.border_color = (*color, 255)
    item._pf_state = state
    outline = getattr(item, "_pf_stale", None)
    if outline is not None:
        outline.hide()
    badge = getattr(item, "_pf_badge", None)
    if state == "failed":
        if badge is None:
            badge = item._pf_badge = QGraphicsEllipseItem(-9.0, -9.0, 18.0, 18.0, item)
            badge.setBrush(QBrush(QColor(*STATE_COLORS["failed"])))
            badge.setPen(QPen(QColor(255, 255, 255), 1.5))
            badge.setZValue(6)
            exclamation_mark(badge, (255, 255, 255))
        badge.setPos(item.width - 2.0, 0.0)
        badge.setToolTip(message)
        badge.show()
        item.setToolTip(message or "failed")
    else:
        if badge is not None:
            badge.hide()
        item.setToolTip(f"{item._pf_base_tooltip}\n{state}" if item._pf_base_tooltip else state)
    item.update()


def exclamation_mark(parent: QGraphicsItem, color: tuple[int, int, int], lower: float = 0.0) -> None:
    """A bold "!" in `color` centred on `parent`'s origin (`lower` pixels below it)."""
    mark = QGraphicsSimpleTextItem("!", parent)
    font = QFont()
    font.setBold(True)
    mark.setFont(font)
    mark.setBrush(QBrush(QColor(*color)))
    rect = mark.boundingRect()
    mark.setPos(-rect.width() / 2, -rect.height() / 2 + lower)


def apply_stale(node: PflowViewNode, stale: bool = True) -> None:
    """Show the node's state as from before an edit (`stale`), or as current again; nothing without a state.
    The dashed outline covers the node, so its tooltip (the node's, then `STALE_TEXT`) is the one shown."""
    item = node.view
    color = state_color(getattr(item, "_pf_state", ""))
    if color is None or stale == is_stale(node):
        return
    if stale:
        color = tuple((part + grey) // 2 for part, grey in zip(color, STALE_GREY, strict=True))
        outline = getattr(item, "_pf_stale", None)
        if outline is None:
            outline = item._pf_stale = QGraphicsRectItem(item)
            outline.setBrush(QBrush(Qt.BrushStyle.NoBrush))
            outline.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
            outline.setZValue(4)
        outline.setPen(QPen(QColor(*color), 1.5, Qt.PenStyle.DashLine))
        outline.setRect(QRectF(-3.0, -3.0, item.width + 6.0, item.height + 6.0))
        tip = item.toolTip()
        outline.setToolTip(f"{tip}\n({STALE_TEXT})" if tip else STALE_TEXT)
        outline.show()
    else:
        item._pf_stale.hide()
    item._pf_bar.setBrush(QBrush(QColor(*color), Qt.BrushStyle.BDiagPattern if stale else Qt.BrushStyle.SolidPattern))
    item.border_color = (*color, 255)


def stale_tooltip(node: PflowViewNode) -> str:
    """The tooltip a stale node shows ("" when it is not stale)."""
    return node.view._pf_stale.toolTip() if is_stale(node) else ""


def is_stale(node: PflowViewNode) -> bool:
    outline = getattr(node.view, "_pf_stale", None)
    return outline is not None and outline.isVisible()


def apply_progress(node: PflowViewNode, done: int, total: int, will_run: bool = False) -> None:
    """Show `done/total` under the node (with `will_run`: "`done` of `total` will run", before a Map's elements
    run, `done` then being how many of them will run)."""
    item = node.view
    text = getattr(item, "_pf_progress", None)
    if text is None:
        text = item._pf_progress = QGraphicsSimpleTextItem(item)
        text.setBrush(QBrush(QColor(230, 230, 230)))
        text.setZValue(6)
    text.setBrush(QBrush(QColor(230, 230, 230)))
    text.setText(f"{done:,} of {total:,} will run" if will_run else f"{done}/{total}")
    text.setPos(4.0, item.height + 2.0)
    text.show()


def apply_item_failures(node: PflowViewNode, failed: int, total: int) -> None:
    """Show `failed of total failed` under the node in the warning colour (replaces `n/N`)."""
    apply_progress(node, total - failed, total)
    text = node.view._pf_progress
    text.setText(f"{failed} of {total} failed")
    text.setBrush(QBrush(QColor(*WARNING_TEXT)))


def progress_text(node: PflowViewNode) -> str:
    text = getattr(node.view, "_pf_progress", None)
    return text.text() if text is not None and text.isVisible() else ""


def shown_state(node: PflowViewNode) -> str:
    return getattr(node.view, "_pf_state", "")


def clear_state(node: PflowViewNode) -> None:
    """Remove every run-state visual from the node."""
    item = node.view
    for name in ("_pf_bar", "_pf_badge", "_pf_progress", "_pf_store_badge", "_pf_stale"):
        child = getattr(item, name, None)
        if child is not None:
            child.hide()
    if hasattr(item, "_pf_base_border"):
        item.border_color = item._pf_base_border
        item.setToolTip(item._pf_base_tooltip)
    item._pf_state = ""
    item.update()
