"""Images: PNG / JPEG bytes and HxW or HxWx3/4 uint8 arrays, scaled to fit (never up beyond 4x), and matplotlib
Figure values (a copy on matplotlib's Qt canvas: the value itself is left as the node made it)."""

from __future__ import annotations

import pickle
from typing import Any

from PySide6.QtCore import QRect
from PySide6.QtGui import QImage, QPainter, QPaintEvent
from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from pflow_studio.app.viewers.arrays import ArrayViewer
from pflow_studio.app.viewers.kinds import is_array
from pflow_studio.app.viewers.plots import FigureView

MAX_ZOOM = 4.0
_FORMATS = {1: QImage.Format.Format_Grayscale8, 3: QImage.Format.Format_RGB888, 4: QImage.Format.Format_RGBA8888}


def to_qimage(value: Any) -> QImage:
    """A QImage of image bytes or of an HxW / HxWx3 / HxWx4 uint8 array (copied: the array may go)."""
    if isinstance(value, (bytes, bytearray)):
        return QImage.fromData(bytes(value))
    import numpy as np

    pixels = np.ascontiguousarray(value)
    height, width = pixels.shape[:2]
    channels = 1 if pixels.ndim == 2 else pixels.shape[2]
    return QImage(pixels.data, width, height, width * channels, _FORMATS[channels]).copy()


class ImageView(QWidget):
    """An image drawn scaled to fit the widget, keeping its aspect ratio."""

    def __init__(self, image: QImage, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.image = image
        self.setMinimumSize(64, 64)

    def paintEvent(self, event: QPaintEvent) -> None:
        if self.image.isNull():
            return
        scale = min(self.width() / self.image.width(), self.height() / self.image.height(), MAX_ZOOM)
        width, height = int(self.image.width() * scale), int(self.image.height() * scale)
        target = QRect((self.width() - width) // 2, (self.height() - height) // 2, width, height)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, scale < 1)
        painter.drawImage(target, self.image)


class ImageViewer(QTabWidget):
    """The picture; for an array, a second tab with the array viewer."""

    def __init__(self, value: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.value = value
        self.view = ImageView(to_qimage(value), self)
        self.addTab(self.view, "Image")
        if is_array(value):
            self.addTab(ArrayViewer(value, self), "Array")


class FigureViewer(QWidget):
    """A matplotlib Figure value, shown through a copy so the value keeps its own canvas."""

    def __init__(self, value: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.value = value
        self.view = FigureView(pickle.loads(pickle.dumps(value)), self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)
