"""Patches for NodeGraphQt 0.6.44 bugs we hit; `apply()` installs them once (idempotent).

1. `_NodeGroupBox.setTitleAlign` rebuilds and re-applies a stylesheet on every node redraw (a
   quarter of NodeGraphQt's load time with in-node widgets, FACTS.md): skip it when neither the
   alignment nor the "has a title" state changed since the last call.
2. `NodeViewer._combined_rect` (used by `zoom_to_nodes`, so by fit/frame) builds and destroys a
   QGraphicsItemGroup, which is O(n^2) in the scene's items (2 s for 500 nodes, ~30 s for 2,000):
   unite the items' scene rectangles, children included, instead (same result).
3. `NodeItem.itemChange` resets and re-highlights every wire of a node whose selection changes (each
   reset redraws the wire's arrow): selecting 2,000 chained nodes restyles ~8,000 wires. Inside
   `bulk_selection()` node selection changes only note the node; on leaving, each wire touching a
   noted node is restyled once, and only when its highlight must change.

The canvas avoids the other bugs by design: it never uses NodeGraphQt sessions, groups, its undo
stack or `Port.connect_to`, and it adds nodes without the O(n) unique-name scan (`node_classes.attach`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager

import shiboken6
from NodeGraphQt.constants import Z_VAL_NODE
from NodeGraphQt.qgraphics.node_base import NodeItem
from NodeGraphQt.widgets import node_widgets
from NodeGraphQt.widgets.viewer import NodeViewer
from PySide6.QtCore import QRectF
from PySide6.QtWidgets import QGraphicsItem

_applied = False
_bulk: set | None = None  # node items whose selection changed inside bulk_selection()


def apply() -> None:
    """Install every patch (safe to call many times)."""
    global _applied
    if _applied:
        return
    _applied = True
    _patch_title_align()
    _patch_combined_rect()
    _patch_selection_change()


def _patch_title_align() -> None:
    cls = node_widgets._NodeGroupBox
    original = cls.setTitleAlign

    def setTitleAlign(self, align: str = "center") -> None:
        key = (align, bool(self.title()))
        if getattr(self, "_pflow_title_align", None) == key:
            return
        self._pflow_title_align = key
        original(self, align)

    original_set_title = cls.setTitle

    def setTitle(self, text: str) -> None:
        self._pflow_title_align = None  # padding depends on the title; recompute next time
        original_set_title(self, text)

    cls.setTitleAlign = setTitleAlign
    cls.setTitle = setTitle
    cls._pflow_original_setTitleAlign = original


def _patch_combined_rect() -> None:
    def _combined_rect(self, nodes) -> QRectF:
        rect = QRectF()
        for node in nodes:
            rect = rect.united(node.mapRectToScene(node.boundingRect().united(node.childrenBoundingRect())))
        return rect

    NodeViewer._pflow_original_combined_rect = NodeViewer._combined_rect
    NodeViewer._combined_rect = _combined_rect


def _patch_selection_change() -> None:
    original = NodeItem.itemChange
    selected_change = QGraphicsItem.GraphicsItemChange.ItemSelectedChange

    def itemChange(self, change, value):
        if _bulk is not None and change == selected_change and self.scene():
            _bulk.add(self)
            self.setZValue(Z_VAL_NODE if self.selected else Z_VAL_NODE + 1)  # as NodeItem does
            return QGraphicsItem.itemChange(self, change, value)
        return original(self, change, value)

    NodeItem._pflow_original_itemChange = original
    NodeItem.itemChange = itemChange


@contextmanager
def bulk_selection() -> Iterator[None]:
    """Select / deselect many node items inside: their wires are restyled once, on leaving
    (nested uses join the outermost one)."""
    global _bulk
    if _bulk is not None:
        yield
        return
    changed: set = set()
    _bulk = changed
    try:
        yield
    finally:
        _bulk = None
        update_wires(changed)


def update_wires(nodes: Iterable) -> None:
    """Give each wire touching `nodes` the look NodeGraphQt gives it: highlighted when it or a node
    at either end is selected, else plain (restyled only when that changes)."""
    seen: set[int] = set()
    for node in nodes:
        if not shiboken6.isValid(node):
            continue
        for port in (*node.inputs, *node.outputs):
            for pipe in port.connected_pipes:
                if id(pipe) in seen or not shiboken6.isValid(pipe):
                    continue
                seen.add(id(pipe))
                ends = (pipe.input_port, pipe.output_port)
                wanted = pipe.isSelected() or any(end is not None and end.node.isSelected() for end in ends)
                if wanted and not pipe.highlighted():
                    pipe.highlight()
                elif not wanted and (pipe.highlighted() or pipe.active()):
                    pipe.reset()
