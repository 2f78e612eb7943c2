"""The cluster state file and its lock are private (0600), whatever the umask; issue 11."""

from __future__ import annotations

import pytest

from pflow_studio.cluster_panel import profiles
from pflow_studio.cluster_panel.processes import me
from pflow_studio.cluster_panel.state_file import FILE_NAME, OwnedRecord, StateFile
from tests.support.private import mode_of

pytestmark = [pytest.mark.fault, pytest.mark.usefixtures("umask_022")]


def test_the_state_file_and_its_lock_are_0600_in_a_0700_profile_directory(tmp_path):
    profile = profiles.profile_dir("default", tmp_path / "ipython")
    state = StateFile(profile)
    state.put(OwnedRecord(tag="t1", cluster_id="c1", owner=me()))
    assert state.load()["t1"].cluster_id == "c1"
    assert mode_of(profile / FILE_NAME) == 0o600
    assert mode_of(profile / (FILE_NAME + ".lock")) == 0o600
    assert mode_of(tmp_path / "ipython") == 0o700


def test_files_of_an_older_version_left_0644_are_tightened_on_the_next_update(tmp_path):
    for name in (FILE_NAME, FILE_NAME + ".lock"):
        (tmp_path / name).write_text("")
        assert mode_of(tmp_path / name) == 0o644
    StateFile(tmp_path).put(OwnedRecord(tag="t1", cluster_id="c1", owner=None, detached=True))
    assert [mode_of(tmp_path / name) for name in (FILE_NAME, FILE_NAME + ".lock")] == [0o600, 0o600]
