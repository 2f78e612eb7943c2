"""Files for the file-reading fault tests."""

from __future__ import annotations

import pathlib


def sparse_file(path: pathlib.Path, size: int) -> pathlib.Path:
    """A file of `size` bytes that holds no data on disk (all zeros, a hole): a huge file at no cost."""
    with open(path, "wb") as handle:
        handle.truncate(size)
    return path
