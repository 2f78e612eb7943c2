"""Checking that files are private: the `umask_022` fixture (the usual umask, under which a plain `open` makes
0644 files and `mkdir` 0755 directories) and `mode_of(path)`."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator

import pytest


@pytest.fixture
def umask_022() -> Iterator[None]:
    """Run the test under umask 022, whatever the suite's; the old umask comes back after it."""
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


def mode_of(path: str | os.PathLike[str]) -> int:
    """The permission bits of `path` (e.g. 0o600)."""
    return stat.S_IMODE(os.stat(path).st_mode)
