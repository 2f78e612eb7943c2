"""Reading a file a user points at (a project, a run record) without hanging or running out of memory.

`read_regular(path, limit)` looks at `path` with `os.stat` before opening it (so a FIFO cannot block),
refuses what is not a regular file (a FIFO, a device such as /dev/zero, a socket, a directory) and a
file larger than `limit` bytes, then reads at most `limit` bytes: a file that grows past the limit
between the check and the read is refused too. Symlinks are followed. A refusal raises `FileRefused`
(a ValueError) whose `problem` is one line; a missing or unreadable file raises the usual `OSError`.
"""

from __future__ import annotations

import os
import stat

_KINDS = ((stat.S_ISFIFO, "a FIFO"), (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
          (stat.S_ISSOCK, "a socket"), (stat.S_ISDIR, "a directory"))
_CHUNK = 1 << 20
# O_NONBLOCK: should a FIFO replace the file between the stat and the open, opening it does not wait for a writer.
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)


class FileRefused(ValueError):
    """A file that is not read: `path` as given, `problem` one line ("not a regular file (a FIFO)")."""

    def __init__(self, path: str, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.path = path
        self.problem = problem


def read_regular(path: str | os.PathLike[str], limit: int) -> bytes:
    """The bytes of the regular file at `path`, at most `limit` of them (see the module docstring)."""
    shown = os.fsdecode(os.fspath(path))
    _check(shown, os.stat(path), limit)
    fd = os.open(path, _OPEN_FLAGS)
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(fd)
        _check(shown, info, limit)
        parts: list[bytes] = []
        total, step = 0, min(info.st_size, limit) + 1
        while total <= limit:
            part = handle.read(step)
            if not part:
                return b"".join(parts)
            parts.append(part)
            total += len(part)
            step = min(_CHUNK, limit + 1 - total)
    raise FileRefused(shown, f"too large (it grew past the {size_text(limit)} limit while being read)")


def size_text(size: int) -> str:
    """A size in bytes for messages: "64 MB", "1.5 GB", "912 bytes"."""
    for unit, factor in (("GB", 1 << 30), ("MB", 1 << 20), ("kB", 1 << 10)):
        if size >= factor:
            return f"{size / factor:.1f}".removesuffix(".0") + f" {unit}"
    return f"{size} bytes"


def _check(shown: str, info: os.stat_result, limit: int) -> None:
    if not stat.S_ISREG(info.st_mode):
        kind = next((name for test, name in _KINDS if test(info.st_mode)), "of an unknown kind")
        raise FileRefused(shown, f"not a regular file ({kind})")
    if info.st_size > limit:
        size, most = size_text(info.st_size), size_text(limit)
        if size == most:
            size, most = f"{info.st_size} bytes", f"{limit} bytes"
        raise FileRefused(shown, f"too large ({size}; the limit is {most})")
