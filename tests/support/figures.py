"""Looking at matplotlib figures in tests: their pixels, and whether two figures draw the same."""

from __future__ import annotations

from typing import Any

import numpy as np


def pixels(figure: Any) -> np.ndarray:
    """The figure drawn by Agg, as an H x W x 4 array of bytes (whatever canvas it has now: a copy is drawn)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas = FigureCanvasAgg(figure)
    canvas.draw()
    return np.asarray(canvas.buffer_rgba()).copy()


def drawn_fraction(figure: Any) -> float:
    """The fraction of the figure's pixels that differ from its background colour (the top-left pixel)."""
    image = pixels(figure)
    return float(np.any(image != image[0, 0], axis=2).mean())


def same_values(a: Any, b: Any) -> bool:
    """Equality of run outputs that may hold arrays (equal dtype, shape, elements) and figures (equal pixels),
    anywhere in lists and dicts."""
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same_values(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(same_values(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return type(a) is type(b) and a.dtype == b.dtype and np.array_equal(a, b)
    if hasattr(a, "savefig") or hasattr(b, "savefig"):
        return hasattr(a, "savefig") and hasattr(b, "savefig") and np.array_equal(pixels(a), pixels(b))
    return a == b
