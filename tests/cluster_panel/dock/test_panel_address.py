"""The Cluster dock's address rows on a real local cluster: "Listen on" and "Engines reach it at" reach the
manager when Start Engines starts a controller, the engine file's path is shown and copied (the path, not
the file), and a connected cluster that listens elsewhere is not silently used."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication

from pflow_studio.cluster_panel.discovery import engine_file
from tests.cluster_panel.dock.test_panel_cluster import dock, idle, start  # noqa: F401 (fixture)
from tests.support.dock import button_of


@pytest.mark.timeout(300)
def test_address_fields_reach_the_manager_and_the_engine_file_is_shown(qtbot, dock, ipython_dir):  # noqa: F811
    assert not dock.address.copy_button.isEnabled() and dock.address.engine_file.text() == ""
    qtbot.keyClicks(dock.address.listen, "127.0.0.6")
    qtbot.keyClicks(dock.address.location, "127.0.0.6 ")
    start(qtbot, dock, 1)
    path = engine_file(dock.manager.profile_dir, dock.info.cluster_id)
    written = json.loads(path.read_text())
    assert (written["interface"], written["location"]) == ("tcp://127.0.0.6", "127.0.0.6")
    assert "listening on 127.0.0.6, reached at 127.0.0.6" in dock.log_view.toPlainText()
    assert dock.address.engine_file.text() == str(path) and str(path) in dock.address.engine_file.toolTip()
    qtbot.mouseClick(dock.address.copy_button, Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == str(path)  # the path: the file itself holds the key
    assert f"Copied the engine file's path: {path}" in dock.log_view.toPlainText()

    dock.address.listen.setText("127.0.0.7")  # the connected cluster listens on .6: not used silently
    qtbot.mouseClick(button_of(dock, "start"), Qt.MouseButton.LeftButton)
    idle(qtbot, dock)
    assert "listens on 127.0.0.6" in dock.status_text and "cannot listen on 127.0.0.7" in dock.status_text
    assert len(dock.table.engine_ids) == 1
