"""The built-in viewer families and the app's registry (built-ins plus the plug-ins' entry points). No viewer
module imports numpy, pandas or matplotlib at import time: the app starts without paying for them."""

from __future__ import annotations

import functools
from typing import Any

from PySide6.QtWidgets import QWidget

from pflow_studio.app.viewers import kinds
from pflow_studio.app.viewers.arrays import ArrayViewer
from pflow_studio.app.viewers.frames import FrameViewer
from pflow_studio.app.viewers.images import FigureViewer, ImageViewer
from pflow_studio.app.viewers.registry import ViewerEntry, ViewerRegistry
from pflow_studio.app.viewers.tables import SequenceViewer
from pflow_studio.app.viewers.text import LongTextViewer, ReprViewer, ScalarViewer
from pflow_studio.app.viewers.tree import TreeViewer


def _records(value: Any, parent: QWidget | None) -> QWidget:
    return SequenceViewer(value, parent, records=True)


BUILTIN = (
    ViewerEntry("scalar", kinds.is_scalar, ScalarViewer, 10),
    ViewerEntry("text", lambda value: isinstance(value, str), LongTextViewer, 5),
    ViewerEntry("list", lambda value: isinstance(value, (list, tuple)), SequenceViewer, 5),
    ViewerEntry("tree", kinds.is_nested, TreeViewer, 10),
    ViewerEntry("records", kinds.is_records, _records, 20),
    ViewerEntry("array", kinds.is_array, ArrayViewer, 10),
    ViewerEntry("image", lambda value: kinds.is_image_bytes(value) or kinds.is_image_array(value), ImageViewer, 20),
    ViewerEntry("figure", kinds.is_figure, FigureViewer, 20),
    ViewerEntry("frame", kinds.is_frame, FrameViewer, 10),
)
FALLBACK = ViewerEntry("text of repr()", lambda _value: True, ReprViewer, -1)


def builtin_registry() -> ViewerRegistry:
    """The built-in viewers, no plug-ins."""
    registry = ViewerRegistry(FALLBACK)
    for entry in BUILTIN:
        registry.register(entry)
    return registry


@functools.cache
def default_registry() -> ViewerRegistry:
    """The built-in viewers and the installed plug-ins' (read once per process)."""
    registry = builtin_registry()
    registry.load_entry_points()
    return registry
