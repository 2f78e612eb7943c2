"""The run record (NAME.run.json beside a project, or where `--record` says) is private (0600); issue 11."""

from __future__ import annotations

import pytest

from pflow_studio.runtime import run_record
from tests.support.private import mode_of

pytestmark = [pytest.mark.fault, pytest.mark.usefixtures("umask_022")]


def test_a_run_record_is_written_0600_and_a_directory_it_makes_0700(tmp_path):
    path = run_record.RunRecord().write(tmp_path / "records" / "project.run.json")
    assert run_record.read(path)["maps"] == []
    assert mode_of(path) == 0o600
    assert mode_of(tmp_path / "records") == 0o700


def test_an_old_0644_record_becomes_0600_when_written_again(tmp_path):
    path = tmp_path / "project.run.json"
    path.write_text("{}")
    run_record.RunRecord().write(path)
    assert mode_of(path) == 0o600
