"""The settings file (it lists the recent projects) is private (0600), whatever the umask; issue 11."""

from __future__ import annotations

import pytest

from pflow_studio.app.settings import add_recent_file, make_settings
from tests.support.private import mode_of

pytestmark = [pytest.mark.fault, pytest.mark.usefixtures("umask_022")]


def test_the_settings_file_is_0600_in_a_0700_directory(tmp_path):
    path = tmp_path / "config" / "pflow-studio.ini"
    settings = make_settings(path)
    add_recent_file(settings, str(tmp_path / "secret-project.pflow"))
    settings.sync()
    assert "secret-project" in path.read_text()
    assert mode_of(path) == 0o600
    assert mode_of(tmp_path / "config") == 0o700
