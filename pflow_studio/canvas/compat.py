"""Patches for NodeGraphQt 0.6.44 bugs we hit; `apply()` installs them once (idempotent).

1. `_NodeGroupBox.setTitleAlign` rebuilds and re-applies a stylesheet on every node redraw (a
   quarter of NodeGraphQt's load time with in-node widgets, FACTS.md): skip it when neither the
   alignment nor the "has a title" state changed since the last call.
2. `NodeViewer._combined_rect` (used by `zoom_to_nodes`, so by fit/frame) builds and destroys a
   QGraphicsItemGroup, which is O(n^2) in the scene's items (2 s for 500 nodes, ~30 s for 2,000):
   unite the items' scene rectangles, children included, instead (same result).

The canvas avoids the other bugs by design: it never uses NodeGraphQt sessions, groups, its undo
stack or `Port.connect_to`, and it adds nodes without the O(n) unique-name scan (`node_classes.attach`).
"""

from __future__ import annotations

from NodeGraphQt.widgets import node_widgets
from NodeGraphQt.widgets.viewer import NodeViewer
from PySide6.QtCore import QRectF

_applied = False


def apply() -> None:
    """Install every patch (safe to call many times)."""
    global _applied
    if _applied:
        return
    _applied = True
    _patch_title_align()
    _patch_combined_rect()


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
