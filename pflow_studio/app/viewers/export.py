"""Export of a value to a file: JSON (plain values; arrays as nested lists, frames as records), CSV (lists,
records, 1-D / 2-D arrays, frames), .npy (arrays) and PNG (images and figures). `formats(value)` lists the
formats a value offers; `export(value, path, fmt)` writes it (the file dialog is the Results dock's)."""

from __future__ import annotations

import csv
import json
import pathlib
from typing import Any

from pflow_studio.app.viewers import kinds
from pflow_studio.common.atomic_file import write_atomic

JSON, CSV, NPY, PNG = "json", "csv", "npy", "png"
FILTERS = {JSON: "JSON (*.json)", CSV: "CSV (*.csv)", NPY: "NumPy array (*.npy)", PNG: "PNG image (*.png)"}


def formats(value: Any) -> list[str]:
    """The formats `value` can be exported to, the most natural first."""
    if kinds.is_figure(value) or kinds.is_image_bytes(value):
        return [PNG]
    if kinds.is_array(value):
        tabular = [CSV] if value.ndim in (1, 2) else []
        return ([PNG] if kinds.is_image_array(value) else []) + [NPY, *tabular, JSON]
    if kinds.is_frame(value):
        return [CSV, JSON]
    if isinstance(value, (list, tuple)):
        return [JSON, CSV]
    return [JSON]


def _plain(value: Any) -> Any:
    """`json.dumps`' default: arrays and numpy scalars as Python values, frames as records, sets as lists."""
    if kinds.is_array(value) or (hasattr(value, "dtype") and getattr(value, "ndim", None) == 0):
        return value.tolist()
    if kinds.is_frame(value):
        return json.loads(value.to_json(orient="records" if value.ndim == 2 else "index"))
    if isinstance(value, (set, frozenset)):
        return sorted(value, key=repr)
    raise TypeError(f"{type(value).__name__} values cannot be written as JSON")


def csv_rows(value: Any) -> list[list[Any]]:
    """The rows of a list, tuple, list of records or 1-D / 2-D array, a header row first."""
    if kinds.is_records(value):
        keys = list(dict.fromkeys(key for record in value for key in record))
        return [keys, *[[record.get(key, "") for key in keys] for record in value]]
    if kinds.is_array(value) and value.ndim == 2:
        return [[str(column) for column in range(value.shape[1])], *value.tolist()]
    items = value.tolist() if kinds.is_array(value) else value
    if all(isinstance(item, (list, tuple)) for item in items):
        width = max((len(item) for item in items), default=0)
        return [[str(column) for column in range(width)], *[list(item) for item in items]]
    return [["index", "value"], *([index, item] for index, item in enumerate(items))]


def export(value: Any, path: str | pathlib.Path, fmt: str) -> None:
    """Write `value` to `path` in `fmt` (one of `formats(value)`); ValueError if the value has no such form."""
    path = pathlib.Path(path)
    if fmt not in formats(value):
        raise ValueError(f"a {kinds.summary(value)} cannot be exported as {fmt.upper()}")
    if fmt == JSON:
        write_atomic(path, json.dumps(value, default=_plain, indent=1))
    elif fmt == CSV and kinds.is_frame(value):
        write_atomic(path, value.to_csv())
    elif fmt == CSV:
        with path.open("w", newline="", encoding="utf-8") as stream:
            csv.writer(stream).writerows(csv_rows(value))
    elif fmt == NPY:
        import numpy as np

        with path.open("wb") as stream:
            np.save(stream, value, allow_pickle=False)
    else:
        path.write_bytes(png_of(value))


def png_of(value: Any) -> bytes:
    """PNG bytes of a figure, image bytes (JPEG converted) or an image array."""
    from pflow_studio.app.viewers.plots import png_bytes

    if kinds.is_figure(value):
        return png_bytes(value)
    if isinstance(value, (bytes, bytearray)) and value.startswith(kinds.PNG_MAGIC):
        return bytes(value)
    from PySide6.QtCore import QBuffer, QIODevice

    from pflow_studio.app.viewers.images import to_qimage

    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    to_qimage(value).save(buffer, "PNG")
    return bytes(buffer.data())
