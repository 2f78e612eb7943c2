"""Private files: what pflow-studio writes is 0600 in 0700 directories, whatever the umask (issue 11)."""

from __future__ import annotations

import os

import pytest

from pflow_studio.common.atomic_file import write_atomic
from pflow_studio.common.private_files import private_directory, private_file
from tests.support.private import mode_of

pytestmark = [pytest.mark.fault, pytest.mark.usefixtures("umask_022")]


def test_a_new_file_written_atomically_is_private(tmp_path):
    write_atomic(tmp_path / "new.txt", "x")
    assert mode_of(tmp_path / "new.txt") == 0o600


def test_an_existing_file_keeps_its_permissions_unless_a_mode_is_given(tmp_path):
    path = tmp_path / "shared.pflow"
    path.write_text("old")
    path.chmod(0o644)
    write_atomic(path, "new")
    assert mode_of(path) == 0o644  # the user's choice for a document stays
    write_atomic(path, "newer", mode=0o600)
    assert mode_of(path) == 0o600


def test_every_missing_level_of_a_private_directory_is_0700(tmp_path):
    made = private_directory(tmp_path / "a" / "b" / "c")
    assert made.is_dir()
    assert [mode_of(tmp_path / part) for part in ("a", "a/b", "a/b/c")] == [0o700] * 3


def test_an_existing_directory_is_tightened_only_when_asked(tmp_path):
    directory = tmp_path / "d"
    directory.mkdir(mode=0o755)
    private_directory(directory)
    assert mode_of(directory) == 0o755
    private_directory(directory, tighten=True)
    assert mode_of(directory) == 0o700


def test_a_private_file_is_made_0600_and_an_old_0644_one_tightened(tmp_path):
    os.close(private_file(tmp_path / "new.lock"))
    old = tmp_path / "old.lock"
    old.write_text("")
    assert mode_of(old) == 0o644
    os.close(private_file(old))
    assert (mode_of(tmp_path / "new.lock"), mode_of(old)) == (0o600, 0o600)
