"""Private files and directories: what pflow-studio writes for its user is readable by that user only.

Directories we create are 0700 (every missing level, not only the last, as `mkdir -p` would leave 0755),
files 0600, whatever the umask. A directory or file that already exists and that we own is tightened to
those bits by the `tighten` variants; others are left as they are (a shared directory is not ours to change).
"""

from __future__ import annotations

import contextlib
import os
import pathlib

DIRECTORY_MODE = 0o700
FILE_MODE = 0o600


def private_directory(path: str | os.PathLike[str], *, tighten: bool = False) -> pathlib.Path:
    """Make `path` and its missing parents with mode 0700; with `tighten`, an existing `path` we own gets
    0700 too. Returns the path; raises OSError when it cannot be made."""
    directory = pathlib.Path(path)
    missing = []
    for level in (directory, *directory.parents):
        if level.exists():
            break
        missing.append(level)
    for level in reversed(missing):
        with contextlib.suppress(FileExistsError):  # another process made it meanwhile
            level.mkdir(mode=DIRECTORY_MODE)
        _chmod_if_ours(level, DIRECTORY_MODE)  # mkdir's mode is reduced by the umask
    if tighten and not missing:
        _chmod_if_ours(directory, DIRECTORY_MODE)
    return directory


def private_file(path: str | os.PathLike[str]) -> int:
    """Open `path` for reading and writing, created with mode 0600 when missing (an existing file we own is
    set to 0600); returns the file descriptor (the caller closes it)."""
    fd = os.open(path, os.O_CREAT | os.O_RDWR | getattr(os, "O_CLOEXEC", 0), FILE_MODE)
    try:
        if os.fstat(fd).st_uid == os.getuid():
            os.fchmod(fd, FILE_MODE)
    except OSError:
        os.close(fd)
        raise
    return fd


def _chmod_if_ours(path: pathlib.Path, mode: int) -> None:
    with contextlib.suppress(OSError):
        if path.stat().st_uid == os.getuid():
            path.chmod(mode)
