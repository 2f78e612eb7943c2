"""The temp files of atomic writes, and removing the ones a killed writer left behind.

An atomic write of `DIR/NAME` goes through `DIR/.NAME.<pid>.<host>.<random>.tmp` (`temp_prefix`):
`<pid>` is the writer's process id, `<host>` 8 hex digits naming its machine. A writer killed midway
(SIGKILL, power loss) leaves that file behind; `remove_stale_temps(path)`, called at every save and
open of NAME, removes the temp files of NAME whose writer is gone:
- written on this machine, and no process has that pid any more (or it is a zombie, or it started
  after the file was last written: the pid was reused);
- written on another machine (a shared directory), or named the older way `.NAME.<random>.tmp` (no
  pid), and not modified for `STALE_AFTER` seconds (6 hours).
A live writer's temp file is never touched, nor any file that does not follow these patterns.
Best effort: it never raises (a read-only or vanished directory is simply left as it is).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pathlib
import re
import socket
import time

import psutil

STALE_AFTER = 6 * 3600
HOST = hashlib.sha1(socket.gethostname().encode("utf-8", "replace")).hexdigest()[:8]
_RANDOM = r"[a-z0-9_]{8}"  # what tempfile.mkstemp puts in its names
_CURRENT = re.compile(rf"(?P<pid>[0-9]{{1,10}})\.(?P<host>[0-9a-f]{{8}})\.{_RANDOM}")
_OLDER = re.compile(_RANDOM)
_CLOCK_SLACK = 2.0  # seconds: psutil's process start times are computed from the boot time, not exact


def target_of(path: str | os.PathLike[str]) -> pathlib.Path:
    """The file a write of `path` replaces: a symlink is followed (the link stays, its target is written);
    a symlink loop is the link itself."""
    target = pathlib.Path(path)
    return pathlib.Path(os.path.realpath(target)) if target.is_symlink() else target


def temp_prefix(target: pathlib.Path) -> str:
    """The start of this process's temp file names for `target` (`tempfile.mkstemp` adds the random part)."""
    return f".{target.name}.{os.getpid()}.{HOST}."


def remove_stale_temps(path: str | os.PathLike[str]) -> list[pathlib.Path]:
    """Remove the temp files of `path` left by dead writers (see the module docstring); returns them."""
    removed: list[pathlib.Path] = []
    with contextlib.suppress(OSError):
        target = target_of(path)
        prefix = f".{target.name}."
        with os.scandir(target.parent) as entries:
            for entry in entries:
                if entry.name.startswith(prefix) and entry.name.endswith(".tmp") and _stale(entry, prefix):
                    with contextlib.suppress(OSError):
                        os.unlink(entry.path)
                        removed.append(pathlib.Path(entry.path))
    return removed


def _stale(entry: os.DirEntry[str], prefix: str) -> bool:
    middle = entry.name[len(prefix):-len(".tmp")]
    current, older = _CURRENT.fullmatch(middle), _OLDER.fullmatch(middle)
    if not (current or older) or not entry.is_file(follow_symlinks=False):
        return False
    modified = entry.stat(follow_symlinks=False).st_mtime
    if current and current["host"] == HOST:
        return _writer_gone(int(current["pid"]), modified)
    return time.time() - modified > STALE_AFTER


def _writer_gone(pid: int, modified: float) -> bool:
    """Whether the process that last wrote a file at time `modified` under `pid` has ended."""
    try:
        process = psutil.Process(pid)
        if process.status() == psutil.STATUS_ZOMBIE:
            return True
        return process.create_time() > modified + _CLOCK_SLACK
    except (psutil.NoSuchProcess, ValueError, OverflowError):
        return True
    except psutil.AccessDenied:
        return False
