"""The Cluster dock's SSH fields without SSH servers: Test Connection runs on the worker thread and reports a
host that cannot be reached in red; a bad host entry is an error in the log; hosts decide the engine count.
(Hosts with an sshd: tests/cluster_panel/test_ssh_hosts.py.)"""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import Qt

from pflow_studio.cluster_panel.dock import actions
from pflow_studio.cluster_panel.dock.panel import ERROR_COLOUR, ClusterDock


@pytest.fixture
def dock(qtbot, manager):
    # the profile's ssh options are the ones used: port 1 of this machine, where nothing listens
    manager.profile_dir.mkdir(parents=True, exist_ok=True)
    (manager.profile_dir / "ipcluster_config.py").write_text(
        "c = get_config()\nc.SSHLauncher.ssh_args = ['-p', '1', '-o', 'BatchMode=yes', '-o', 'ConnectTimeout=5']\n")
    d = ClusterDock(manager, refresh_ms=300)
    qtbot.addWidget(d)
    d.show()
    qtbot.waitUntil(lambda: d.worker.in_flight == 0, timeout=20_000)
    yield d
    d.shutdown()


@pytest.mark.timeout(60)
def test_test_connection_reports_an_unreachable_host_from_the_worker_thread(qtbot, dock, monkeypatch):
    threads = []
    real = actions.test_connection

    def recorded(*args):
        threads.append(threading.current_thread())
        return real(*args)
    monkeypatch.setattr(actions, "test_connection", recorded)
    assert not dock.ssh.test_button.isEnabled()  # no hosts yet
    dock.engine_spin.setValue(5)
    dock.ssh.hosts_edit.setText("127.0.0.1:2")
    assert dock.ssh.test_button.isEnabled() and dock.ssh.python_edit.isEnabled()
    assert not dock.engine_spin.isEnabled() and dock.engine_spin.value() == 2  # the hosts' count
    qtbot.mouseClick(dock.ssh.test_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "127.0.0.1: not reachable" in dock.log_view.toPlainText(), timeout=30_000)
    assert "Testing the connection to 127.0.0.1" in dock.log_view.toPlainText()
    assert threads and threads[0] is not threading.main_thread()
    assert ERROR_COLOUR in dock.log_view.document().toHtml()


@pytest.mark.timeout(60)
def test_a_bad_host_entry_is_an_error_and_nothing_starts(qtbot, dock):
    dock.ssh.hosts_edit.setText("node1:0")
    dock.action("start").trigger()
    assert "bad SSH host 'node1:0'" in dock.log_view.toPlainText()
    assert not dock.busy and not dock.manager.connected


def test_the_engine_count_comes_back_when_the_hosts_are_cleared(dock):
    dock.engine_spin.setValue(5)
    dock.ssh.hosts_edit.setText("node1:3,node2")
    assert dock.engine_spin.value() == 4
    dock.ssh.hosts_edit.clear()
    assert dock.engine_spin.isEnabled() and dock.engine_spin.value() == 5
    assert not dock.ssh.test_button.isEnabled() and not dock.ssh.python_edit.isEnabled()
