"""Atomic file writes: a crash or an error mid-write never leaves a truncated file behind."""

from __future__ import annotations

import contextlib
import os
import pathlib
import tempfile

from pflow_studio.common.private_files import FILE_MODE


def write_atomic(path: str | os.PathLike[str], text: str, *, mode: int | None = None) -> None:
    """Write `text` (UTF-8, newlines as given) to `path` through a temp file in the same directory,
    fsync and `os.replace`. On any failure the old file is untouched and the temp file is removed
    (the exception propagates). A symlink is followed. Permissions: `mode` when given; else the target
    keeps its permission bits, and a new file is private (0600, whatever the umask)."""
    target = pathlib.Path(path)
    if target.is_symlink():
        target = target.resolve()
    directory = target.parent
    fd, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        if mode is None:
            try:
                mode = target.stat().st_mode & 0o7777
            except FileNotFoundError:
                mode = FILE_MODE
        os.chmod(temp, mode)
        os.replace(temp, target)
    except BaseException:
        pathlib.Path(temp).unlink(missing_ok=True)
        raise
    _fsync_directory(directory)


def _fsync_directory(directory: pathlib.Path) -> None:
    """Make the rename itself durable where the platform allows it (POSIX); best effort."""
    with contextlib.suppress(OSError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
