"""Framing the view on nodes with their text readable: NodeGraphQt's `zoom_to_nodes` fits any graph by
zooming out as far as it takes, which leaves port labels a few pixels high. `frame_nodes` zooms back in
until port labels are MIN_LABEL_PX high on screen; a graph too big for that stays centred and the rest is
reached by panning or the wheel."""

from __future__ import annotations

from collections.abc import Sequence

from NodeGraphQt.widgets.viewer import NodeViewer
from PySide6.QtGui import QFont, QFontInfo
from PySide6.QtWidgets import QGraphicsItem, QGraphicsTextItem

MIN_LABEL_PX = 9.0
"""The smallest height (font pixel size) port labels get on screen by framing."""


def label_font(items: Sequence[QGraphicsItem]) -> QFont:
    """The font of the nodes' port labels (their first text child; the default font when there is none)."""
    for item in items:
        for child in item.childItems():
            if isinstance(child, QGraphicsTextItem) and child.isVisible():
                return child.font()
    return QFont()


def label_pixels(viewer: NodeViewer, items: Sequence[QGraphicsItem]) -> float:
    """How many screen pixels high the port labels of `items` are drawn at the view's zoom."""
    return QFontInfo(label_font(items)).pixelSize() * viewer.transform().m11()


def frame_nodes(viewer: NodeViewer, items: Sequence[QGraphicsItem]) -> None:
    """Show `items` (node items) as NodeGraphQt frames them, zoomed in when labels would be smaller than
    MIN_LABEL_PX."""
    viewer.zoom_to_nodes(list(items))
    shown = label_pixels(viewer, items)
    if 0 < shown < MIN_LABEL_PX:
        factor = MIN_LABEL_PX / shown
        viewer.scale(factor, factor)  # NodeGraphQt's scale: about the framed rect's centre
