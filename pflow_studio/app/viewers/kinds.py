"""What kind of value this is, without importing numpy, pandas or matplotlib when the value cannot be theirs
(a module not yet imported cannot have made the value)."""

from __future__ import annotations

import sys
from typing import Any

SHORT_TEXT = 200  # characters; longer texts, or texts with line breaks, get the long-text viewer
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
JPEG_MAGIC = b"\xff\xd8\xff"


def _module_type(module: str, name: str) -> type | None:
    loaded = sys.modules.get(module)
    return getattr(loaded, name, None) if loaded is not None else None


def is_array(value: Any) -> bool:
    ndarray = _module_type("numpy", "ndarray")
    return ndarray is not None and isinstance(value, ndarray)


def is_frame(value: Any) -> bool:
    frame, series = _module_type("pandas", "DataFrame"), _module_type("pandas", "Series")
    return frame is not None and isinstance(value, (frame, series))


def is_figure(value: Any) -> bool:
    figure = _module_type("matplotlib.figure", "Figure")
    return figure is not None and isinstance(value, figure)


def is_image_bytes(value: Any) -> bool:
    return isinstance(value, (bytes, bytearray)) and (value.startswith(PNG_MAGIC) or value.startswith(JPEG_MAGIC))


def is_image_array(value: Any) -> bool:
    """An HxW or HxWx3/4 uint8 array."""
    if not is_array(value) or value.dtype.name != "uint8" or value.size == 0:
        return False
    return value.ndim == 2 or (value.ndim == 3 and value.shape[2] in (3, 4))


def is_scalar(value: Any) -> bool:
    """None, bools, numbers and short one-line texts."""
    if isinstance(value, str):
        return len(value) <= SHORT_TEXT and "\n" not in value
    number = _module_type("numpy", "generic")
    return value is None or isinstance(value, (bool, int, float, complex)) or \
        (number is not None and isinstance(value, number))


def is_records(value: Any) -> bool:
    """A non-empty list or tuple whose first items are dicts (rows of named columns)."""
    return isinstance(value, (list, tuple)) and bool(value) and \
        all(isinstance(item, dict) for item in value[:20])


def is_nested(value: Any) -> bool:
    """A dict, or a list or tuple holding lists, tuples or dicts among its first items."""
    if isinstance(value, dict):
        return True
    return isinstance(value, (list, tuple)) and any(isinstance(item, (list, tuple, dict)) for item in value[:20])


def summary(value: Any) -> str:
    """One line saying what the value is: its type and size."""
    kind = type(value).__name__
    if is_array(value):
        shape = " x ".join(f"{side:,}" for side in value.shape) or "scalar"
        return f"ndarray {value.dtype}, {shape}" + (f" ({value.size:,} elements)" if value.ndim > 1 else "")
    if is_frame(value):
        rows = f"{len(value):,} rows"
        return f"{kind}, {rows}" + (f" x {value.shape[1]} columns" if value.ndim == 2 else "")
    if isinstance(value, str):
        return f"str, {len(value):,} chars"
    if isinstance(value, (bytes, bytearray)):
        return f"{kind}, {len(value):,} bytes"
    if isinstance(value, (list, tuple, dict, set, frozenset)):
        return f"{kind}, {len(value):,} item{'s' if len(value) != 1 else ''}"
    return kind
