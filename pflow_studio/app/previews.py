"""Small pictures of values (thumbnails) for tables and grids, and a cache that makes them a few at a time.

`thumbnail(value, size)` is a `QImage` of `value` fitting in `size` (aspect kept), or None when `value` is not a
picture: a matplotlib `Figure` (saved as PNG at a small dpi), PNG or JPEG bytes, a 2-D numeric numpy array (a
heatmap, viridis, NaN transparent), an HxWx3 or HxWx4 array (an image: uint8, or floats in [0, 1]).
`picture_of(value)` is what a thumbnail of an element's outputs shows: the value, or the first picture among a
dict's values. Neither imports numpy or matplotlib unless the value is theirs (they are loaded by then).

`ThumbnailCache(size)` makes thumbnails on the GUI thread in small batches (`BATCH_SECONDS` per event-loop turn,
at least one): `icon(key, source)` gives the icon of `key` when made, else queues `source` (a callable giving the
value, called when its turn comes) and gives None; `ready(key)` is emitted when it is made (also when the value
turned out not to be a picture: `is_picture(key)` says which). At most `KEPT` icons are kept (least recently used
dropped); at most `QUEUED` wait (the oldest asked dropped: scrolled past). `renders` counts the pictures drawn.
"""

from __future__ import annotations

import collections
import io
import sys
import time
from collections.abc import Callable, Hashable
from typing import Any

from PySide6.QtCore import QObject, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QIcon, QImage, QPixmap

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
JPEG_MAGIC = b"\xff\xd8\xff"
FIGURE_DPI = 40  # enough for a thumbnail's lines; text is unreadable at this size anyway
MAX_ARRAY_SIDE = 512  # a bigger array is strided down before it is coloured
BATCH_SECONDS = 0.03
KEPT = 512
QUEUED = 256


def is_picture(value: Any) -> bool:
    """Whether `thumbnail` can draw `value` (cheap: no drawing)."""
    if isinstance(value, (bytes, bytearray, memoryview)):
        head = bytes(value[:8])
        return head.startswith(PNG_MAGIC) or head.startswith(JPEG_MAGIC)
    figure = sys.modules.get("matplotlib.figure")
    if figure is not None and isinstance(value, figure.Figure):
        return True
    numpy = sys.modules.get("numpy")
    if numpy is None or not isinstance(value, numpy.ndarray) or value.size == 0:
        return False
    if value.ndim == 2:
        return value.dtype.kind in "biuf"
    return value.ndim == 3 and value.shape[2] in (3, 4) and value.dtype.kind in "uf"


def picture_of(value: Any) -> Any:
    """The picture an element's outputs show: `value` itself, or the first picture among a dict's values (None)."""
    if isinstance(value, dict):
        return next((item for item in value.values() if is_picture(item)), None)
    return value if is_picture(value) else None


def thumbnail(value: Any, size: QSize) -> QImage | None:
    """A picture of `value` fitting in `size`, or None (see the module docstring)."""
    if not is_picture(value):
        return None
    if isinstance(value, (bytes, bytearray, memoryview)):
        image = QImage.fromData(bytes(value))
    elif isinstance(value, sys.modules["numpy"].ndarray):
        image = _array_image(value)
    else:
        buffer = io.BytesIO()
        value.savefig(buffer, format="png", dpi=FIGURE_DPI)
        image = QImage.fromData(buffer.getvalue())
    if image.isNull():
        return None
    return image.scaled(size, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation)


def _array_image(array: Any) -> QImage:
    """An image array as it is, a 2-D array as a heatmap (viridis from its min to its max)."""
    import numpy

    step = max(1, -(-max(array.shape[:2]) // MAX_ARRAY_SIDE))
    array = array[::step, ::step]
    if array.ndim == 3:
        scaled = array * 255.0 if array.dtype.kind == "f" else array
        rgba = numpy.clip(numpy.nan_to_num(scaled), 0, 255).astype(numpy.uint8)
        if rgba.shape[2] == 3:
            rgba = numpy.dstack([rgba, numpy.full(rgba.shape[:2], 255, numpy.uint8)])
    else:
        rgba = _heatmap(array.astype(float))
    rgba = numpy.ascontiguousarray(rgba)
    height, width = rgba.shape[:2]
    return QImage(rgba.data, width, height, 4 * width, QImage.Format.Format_RGBA8888).copy()


def _heatmap(array: Any) -> Any:
    import matplotlib
    import numpy

    finite = numpy.isfinite(array)
    low, high = (float(array[finite].min()), float(array[finite].max())) if finite.any() else (0.0, 0.0)
    norm = (array - low) / (high - low) if high > low else numpy.full(array.shape, 0.5)
    rgba = matplotlib.colormaps["viridis"](numpy.where(finite, norm, 0.0), bytes=True)
    rgba[..., 3] = numpy.where(finite, 255, 0)
    return rgba


class ThumbnailCache(QObject):
    """See the module docstring."""

    ready = Signal(object)  # the key whose thumbnail was made (or found not to be a picture)

    def __init__(self, size: QSize, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.size = size
        self.renders = 0
        self._icons: collections.OrderedDict[Hashable, QIcon | None] = collections.OrderedDict()
        self._queue: collections.OrderedDict[Hashable, Callable[[], Any]] = collections.OrderedDict()
        self._timer = QTimer(self, singleShot=True, interval=0)
        self._timer.timeout.connect(self._work)

    def icon(self, key: Hashable, source: Callable[[], Any]) -> QIcon | None:
        """The thumbnail of `key` when made; else None, and `source()` is drawn soon (newest asked first)."""
        if key in self._icons:
            self._icons.move_to_end(key)
            return self._icons[key]
        self._queue[key] = source
        self._queue.move_to_end(key, last=False)
        while len(self._queue) > QUEUED:  # asked long ago: scrolled past (asked again when shown again)
            self._queue.popitem(last=True)
        if not self._timer.isActive():
            self._timer.start()
        return None

    def is_picture(self, key: Hashable) -> bool:
        return self._icons.get(key) is not None

    def known(self, key: Hashable) -> bool:
        """Whether `key` was looked at (a picture or not)."""
        return key in self._icons

    def forget(self) -> None:
        """Drop what is queued (the rows asking for it are gone); made thumbnails stay."""
        self._queue.clear()

    def _work(self) -> None:
        deadline = time.monotonic() + BATCH_SECONDS
        while self._queue:
            key, source = self._queue.popitem(last=False)
            self._icons[key] = self._draw(source)
            while len(self._icons) > KEPT:
                self._icons.popitem(last=False)
            self.ready.emit(key)
            if time.monotonic() > deadline:
                break
        if self._queue:
            self._timer.start()

    def _draw(self, source: Callable[[], Any]) -> QIcon | None:
        try:
            value = picture_of(source())
            image = thumbnail(value, self.size) if value is not None else None
        except Exception:  # a value that cannot be drawn is shown as text
            return None
        if image is None:
            return None
        self.renders += 1
        return QIcon(QPixmap.fromImage(image))
