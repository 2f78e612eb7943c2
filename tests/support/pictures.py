"""Picture values as plot nodes and users make them: matplotlib figures (Agg, no pyplot), PNG bytes, arrays."""

from __future__ import annotations

import io

import matplotlib.image
import numpy
from matplotlib.figure import Figure
from PySide6.QtGui import QImage


def line_figure(number: int = 1) -> Figure:
    """A figure with one thick line (its slope follows `number`) and a title, as a plot node gives."""
    figure = Figure(figsize=(4, 3))
    axes = figure.add_subplot()
    xs = numpy.linspace(0, 1, 50)
    axes.plot(xs, xs * (number + 1), linewidth=4, color="tab:red")
    axes.set_title(f"element {number}")
    return figure


def png_bytes(width: int = 40, height: int = 20) -> bytes:
    """A PNG image: left half blue, right half yellow."""
    image = numpy.zeros((height, width, 3), numpy.uint8)
    image[:, : width // 2] = (0, 0, 255)
    image[:, width // 2 :] = (255, 255, 0)
    buffer = io.BytesIO()
    matplotlib.image.imsave(buffer, image, format="png")
    return buffer.getvalue()


def heat(number: int = 0, side: int = 8) -> numpy.ndarray:
    """A small 2-D array rising from the top-left corner (and by `number`)."""
    return numpy.add.outer(numpy.arange(side), numpy.arange(side)).astype(float) + number


def colours(image: QImage) -> set[int]:
    """The distinct RGB values of an image's pixels."""
    return {image.pixel(x, y) & 0xFFFFFF for x in range(image.width()) for y in range(image.height())}
