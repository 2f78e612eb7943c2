"""Where the element store lives and how big it may grow."""

from __future__ import annotations

import os
import pathlib

import platformdirs

ENV_VAR = "PFLOW_STUDIO_CACHE_DIR"
FILE_NAME = "elements.sqlite3"
DEFAULT_MAX_BYTES = 2 * 1024**3
"""The default size cap (2 GiB); least recently used elements go first when it is exceeded."""


def store_directory(chosen: str | os.PathLike[str] | None = None) -> pathlib.Path:
    """The store's directory: `chosen` when given, else `PFLOW_STUDIO_CACHE_DIR`, else the user's cache
    directory for pflow-studio (e.g. ~/.cache/pflow-studio on Linux)."""
    if chosen:
        return pathlib.Path(chosen).expanduser()
    if os.environ.get(ENV_VAR):
        return pathlib.Path(os.environ[ENV_VAR]).expanduser()
    return pathlib.Path(platformdirs.user_cache_dir("pflow-studio", appauthor=False))


def parse_size(text: str) -> int:
    """Bytes from a size like '2G', '500M', '64k' or '1000000' (binary units); ValueError when it is not one."""
    units = {"": 1, "k": 1024, "m": 1024**2, "g": 1024**3, "t": 1024**4}
    cleaned = text.strip().lower().removesuffix("ib").removesuffix("b")
    number, unit = (cleaned[:-1], cleaned[-1]) if cleaned[-1:] in units and cleaned[-1:] else (cleaned, "")
    try:
        size = float(number) * units[unit]
    except (ValueError, KeyError):
        raise ValueError(f"not a size: {text!r} (use e.g. 500M or 2G)") from None
    if size < 0:
        raise ValueError(f"a size cannot be negative: {text!r}")
    return int(size)
