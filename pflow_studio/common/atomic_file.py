"""Atomic file writes: a crash or an error mid-write never leaves a truncated file behind."""

from __future__ import annotations

import contextlib
import os
import pathlib
import tempfile

from pflow_studio.common.temp_files import remove_stale_temps, target_of, temp_prefix


def _current_umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


_UMASK = _current_umask()  # read once at import, when no other thread can be racing on it


def write_atomic(path: str | os.PathLike[str], text: str, *, mode: int | None = None) -> None:
    """Write `text` (UTF-8, newlines as given) to `path` through a temp file in the same directory,
    fsync and `os.replace`. On any failure the old file is untouched and the temp file is removed
    (the exception propagates). A symlink is followed. Permissions: `mode` when given (the app's own files
    pass 0600); else the target keeps its permission bits, and a new file gets the usual ones (0o666 minus
    the umask: a project is a document the user may share). The temp file is named `.NAME.<pid>.<host>.<random>.tmp`;
    those that killed writers left beside `path` are removed first (`temp_files.remove_stale_temps`)."""
    target = target_of(path)
    directory = target.parent
    remove_stale_temps(target)
    fd, temp = tempfile.mkstemp(prefix=temp_prefix(target), suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        if mode is None:
            try:
                mode = target.stat().st_mode & 0o7777
            except FileNotFoundError:
                mode = 0o666 & ~_UMASK
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
