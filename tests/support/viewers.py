"""Helpers for viewer tests: a shown ViewerFrame, and the colours of a widget's pixels."""

from __future__ import annotations

import collections
from typing import Any

from PySide6.QtWidgets import QWidget


def shown_frame(qtbot, value: Any, title: str = "value", size: tuple[int, int] = (800, 500)):
    """A ViewerFrame of `value`, shown at `size` and painted."""
    from pflow_studio.app.viewers.frame import ViewerFrame

    frame = ViewerFrame(title, value)
    qtbot.addWidget(frame)
    frame.resize(*size)
    frame.show()
    qtbot.waitExposed(frame)
    return frame


def colour_counts(widget: QWidget) -> collections.Counter:
    """How many pixels of each colour the widget's grab() has (every 3rd pixel on each axis)."""
    image = widget.grab().toImage()
    return collections.Counter(image.pixel(x, y) for x in range(0, image.width(), 3)
                               for y in range(0, image.height(), 3))


def drawn_share(widget: QWidget) -> float:
    """The share of sampled pixels that are not the most common (background) colour."""
    counts = colour_counts(widget)
    total = sum(counts.values())
    return 1 - counts.most_common(1)[0][1] / total if total else 0.0
