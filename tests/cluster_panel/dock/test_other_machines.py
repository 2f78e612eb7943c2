"""The Cluster dock's "Other machines" section: collapsed at first, its toggle shows and hides the five rows
and Test Connection, a field with a value opens it, and so does a newly seen cluster listening beyond
loopback (once: the user may close it again)."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt

from pflow_studio.cluster_panel.discovery import engine_file
from pflow_studio.cluster_panel.dock.other_machines import beyond_loopback
from pflow_studio.cluster_panel.dock.panel import ClusterDock


@pytest.fixture
def dock(qtbot, manager):
    d = ClusterDock(manager, check_leftovers=False)
    qtbot.addWidget(d)
    d.show()
    qtbot.waitExposed(d)
    qtbot.waitUntil(lambda: d.worker.in_flight == 0, timeout=20_000)
    yield d
    d.shutdown()


def rows(dock: ClusterDock) -> list:
    address, ssh = dock.address, dock.ssh
    return [address.listen, address.location, address.engine_file, address.copy_button, ssh.hosts_edit,
            ssh.python_edit, ssh.test_button]


def test_collapsed_at_first_and_the_toggle_shows_and_hides_the_rows(qtbot, dock):
    section = dock.other_machines
    assert not section.is_open and dock.engine_spin.isVisible() and section.toggle.isVisible()
    assert not any(widget.isVisible() for widget in rows(dock))
    assert section.toggle.arrowType() == Qt.ArrowType.RightArrow
    qtbot.mouseClick(section.toggle, Qt.MouseButton.LeftButton)
    assert section.is_open and all(widget.isVisible() for widget in rows(dock))
    assert section.toggle.arrowType() == Qt.ArrowType.DownArrow
    qtbot.mouseClick(section.toggle, Qt.MouseButton.LeftButton)
    assert not section.is_open and not any(widget.isVisible() for widget in rows(dock))


@pytest.mark.parametrize("field", ["listen", "location", "hosts", "python"])
def test_a_field_with_a_value_opens_the_section(dock, field):
    edit = {"listen": dock.address.listen, "location": dock.address.location, "hosts": dock.ssh.hosts_edit,
            "python": dock.ssh.python_edit}[field]
    edit.setText("  ")
    assert not dock.other_machines.is_open  # blanks are no value
    edit.setText("198.18.0.1")
    assert dock.other_machines.is_open and edit.isVisible()
    edit.clear()
    assert dock.other_machines.is_open  # it never closes by itself


def _engine_file(dock: ClusterDock, cluster_id: str, interface: str) -> None:
    path = engine_file(dock.manager.profile_dir, cluster_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"interface": interface, "location": "head"}))


def test_a_cluster_listening_beyond_loopback_opens_the_section_once(qtbot, dock):
    section, profile_dir = dock.other_machines, dock.manager.profile_dir
    _engine_file(dock, "local", "tcp://127.0.0.1")
    _engine_file(dock, "lan", "tcp://198.18.0.1")
    section.show_cluster("local", profile_dir)
    assert not section.is_open
    section.show_cluster("lan", profile_dir)
    assert section.is_open
    qtbot.mouseClick(section.toggle, Qt.MouseButton.LeftButton)  # the user closes it: refreshes leave it so
    section.show_cluster("lan", profile_dir)
    assert not section.is_open


@pytest.mark.parametrize(("ip", "beyond"), [("127.0.0.1", False), ("127.0.0.6", False), ("::1", False),
                                             ("localhost", False), ("", False), ("*", True), ("0.0.0.0", True),
                                             ("198.18.0.1", True), ("head.example.org", True)])
def test_beyond_loopback(ip, beyond):
    assert beyond_loopback(ip) is beyond
