"""Plots of arrays with matplotlib, embedded through its Qt canvas (zoom and pan on the toolbar), or as a
rendered picture where the Qt canvas cannot be had. Long lines are down-sampled to the min and max of each
pixel column, big heatmaps to every k-th row and column, so a 10^7-element array plots at once."""

from __future__ import annotations

import io
import logging
import math
from typing import Any

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QPixmap, QResizeEvent
from PySide6.QtWidgets import QBoxLayout, QLabel, QToolBar, QWidget

LINE_COLUMNS = 2_000  # pixel columns a long line is reduced to (two points, min and max, each)
HEATMAP_SIDE = 800  # a heatmap shows at most this many rows and columns (about its width in pixels)
WIDE = 1.3  # a figure view this much wider than high has its toolbar beside the figure
SIDE_ICONS = QSize(16, 16)
log = logging.getLogger(__name__)


def downsample_minmax(values: Any, columns: int = LINE_COLUMNS) -> tuple[Any, Any]:
    """(x, y) drawing the same envelope as `values`: each of `columns` runs of points becomes its min and max
    (NaN ignored). Short inputs come back whole."""
    import numpy as np

    values = np.asarray(values)
    if values.dtype.kind == "b":
        values = values.astype(np.int8)
    if len(values) <= 2 * columns:
        return np.arange(len(values)), values
    step = math.ceil(len(values) / columns)
    starts = np.arange(0, len(values), step)
    low, high = np.fmin.reduceat(values, starts), np.fmax.reduceat(values, starts)
    x = np.column_stack([starts, np.minimum(starts + step // 2, len(values) - 1)]).ravel()
    return x, np.column_stack([low, high]).ravel()


def decimate(image: Any, side: int = HEATMAP_SIDE) -> tuple[Any, tuple[int, int]]:
    """(every k-th row and every m-th column of a 2-D array so that neither side exceeds `side`, (k, m))."""
    steps = (max(1, math.ceil(image.shape[0] / side)), max(1, math.ceil(image.shape[1] / side)))
    return image[::steps[0], ::steps[1]], steps


def line_figure(values: Any) -> Any:
    """A matplotlib Figure of a 1-D array against its index."""
    from matplotlib.figure import Figure

    x, y = downsample_minmax(values)
    figure = Figure(figsize=(6, 3.5), layout="constrained")
    axes = figure.add_subplot()
    axes.plot(x, y, linewidth=0.8)
    axes.set_xlabel("index")
    if len(y) < len(values):
        axes.set_title(f"{len(values):,} points (min/max per pixel column)", fontsize=9)
    return figure


def heatmap_figure(image: Any) -> Any:
    """A matplotlib Figure of a 2-D array as a heatmap with a colour bar."""
    from matplotlib.figure import Figure

    shown, steps = decimate(image)
    figure = Figure(figsize=(6, 4), layout="constrained")
    axes = figure.add_subplot()
    picture = axes.imshow(shown, aspect="auto", interpolation="nearest",
                          extent=(-0.5, image.shape[1] - 0.5, image.shape[0] - 0.5, -0.5))
    figure.colorbar(picture, ax=axes)
    if steps != (1, 1):
        axes.set_title(f"every {steps[0]:,}. row, every {steps[1]:,}. column", fontsize=9)
    return figure


def png_bytes(figure: Any) -> bytes:
    """The figure rendered to PNG at its own size and dpi."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi="figure")
    return buffer.getvalue()


class FigureView(QWidget):
    """A matplotlib Figure on a Qt canvas with the navigation toolbar; a PNG if the Qt canvas cannot be had.
    The figure becomes this view's: show a copy if it must stay untouched."""

    def __init__(self, figure: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.figure = figure
        self.toolbar: QToolBar | None = None
        layout = QBoxLayout(QBoxLayout.Direction.TopToBottom, self)
        layout.setContentsMargins(0, 0, 0, 0)
        try:
            from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg, NavigationToolbar2QT
        except ImportError as exc:
            log.info("matplotlib's Qt canvas is not available (%s): showing a picture", exc)
            self.canvas = QLabel(self)
            self.canvas.setPixmap(QPixmap.fromImage(_image(png_bytes(figure))))
            layout.addWidget(self.canvas)
            return
        self.canvas = FigureCanvasQTAgg(figure)
        self.canvas.setParent(self)
        self.toolbar = NavigationToolbar2QT(self.canvas, self)
        layout.addWidget(self.toolbar)
        layout.addWidget(self.canvas, 1)

    def resizeEvent(self, event: QResizeEvent) -> None:
        """In a pane much wider than high the toolbar stands beside the figure, leaving it the height."""
        super().resizeEvent(event)
        if self.toolbar is None:
            return
        wide = event.size().width() > WIDE * event.size().height()
        self.toolbar.setOrientation(Qt.Orientation.Vertical if wide else Qt.Orientation.Horizontal)
        self.toolbar.setIconSize(SIDE_ICONS if wide else QSize(24, 24))  # beside: all its buttons fit
        self.layout().setDirection(QBoxLayout.Direction.LeftToRight if wide else QBoxLayout.Direction.TopToBottom)


def _image(data: bytes) -> Any:
    from PySide6.QtGui import QImage

    return QImage.fromData(data)
