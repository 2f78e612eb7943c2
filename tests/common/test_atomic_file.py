"""atomic_file.write_atomic: all or nothing, no temp files left, permissions and symlinks kept."""

from __future__ import annotations

import os

import pytest

from pflow_studio.common.atomic_file import write_atomic


def leftovers(directory) -> list[str]:
    return [p.name for p in directory.iterdir() if p.name.endswith(".tmp")]


def test_writes_and_replaces(tmp_path):
    path = tmp_path / "out.txt"
    write_atomic(path, "one\n")
    write_atomic(str(path), "two\r\nlines ✓\n")
    assert path.read_bytes() == "two\r\nlines ✓\n".encode()  # newlines are written as given
    assert leftovers(tmp_path) == []


def test_a_symlink_is_followed_not_replaced(tmp_path):
    real = tmp_path / "real.txt"
    real.write_text("old")
    link = tmp_path / "link.txt"
    link.symlink_to(real)
    write_atomic(link, "new")
    assert link.is_symlink() and real.read_text() == "new"


def test_interrupted_write_keeps_the_old_file(tmp_path, monkeypatch):
    path = tmp_path / "out.txt"
    path.write_text("old")

    def interrupted(src, dst):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(path, "new")
    assert path.read_text() == "old" and leftovers(tmp_path) == []


def test_text_that_cannot_be_encoded_fails_without_a_trace(tmp_path):
    path = tmp_path / "out.txt"
    path.write_text("old")
    with pytest.raises(UnicodeEncodeError):
        write_atomic(path, "\udcff")
    assert path.read_text() == "old" and leftovers(tmp_path) == []
