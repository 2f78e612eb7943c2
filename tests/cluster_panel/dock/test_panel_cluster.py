"""The Cluster dock driving a real manager and real local clusters (temporary IPython dirs; every process
started is ended by the fixtures)."""

from __future__ import annotations

import os
import time

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QMessageBox

from pflow_studio.cluster_panel.dock.panel import ClusterDock
from pflow_studio.cluster_panel.manager import ClusterManager
from tests.support.dock import button_of
from tests.support.processes import processes_under

START_MS = 150_000  # starting a cluster on a loaded 2-core machine


def make_dock(qtbot, manager: ClusterManager) -> ClusterDock:
    dock = ClusterDock(manager, refresh_ms=300)
    qtbot.addWidget(dock)
    dock.show()
    qtbot.waitUntil(lambda: dock.worker.in_flight == 0, timeout=20_000)
    return dock


@pytest.fixture
def dock(qtbot, manager):
    d = make_dock(qtbot, manager)
    yield d
    d.shutdown()


def answer(monkeypatch, button: QMessageBox.StandardButton) -> list:
    """Make QMessageBox.question return `button`; returns the list of questions asked."""
    asked: list = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: asked.append(a[2]) or button)
    return asked


def start(qtbot, dock: ClusterDock, n: int) -> None:
    dock.engine_spin.setValue(n)
    qtbot.mouseClick(button_of(dock, "start"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(dock.table.engine_ids) == n, timeout=START_MS)
    qtbot.waitUntil(lambda: not dock.busy, timeout=20_000)


def idle(qtbot, dock: ClusterDock) -> None:
    qtbot.waitUntil(lambda: dock.worker.in_flight == 0, timeout=60_000)


def alive(pids) -> list[int]:
    from pflow_studio.cluster_panel.processes import ProcessRef
    return [pid for pid in pids if (ref := ProcessRef.of(pid)) is not None and ref.alive()]


@pytest.mark.timeout(300)
def test_start_refresh_and_cleanup_terminate(qtbot, dock, ipython_dir):
    ticks: list[float] = []
    ticker = QTimer()
    ticker.timeout.connect(lambda: ticks.append(time.monotonic()))
    ticker.start(50)
    dock.engine_spin.setValue(2)
    qtbot.mouseClick(button_of(dock, "start"), Qt.MouseButton.LeftButton)
    # the click returned at once: the start runs on the worker behind a busy indicator
    assert dock.busy and dock.progress.isVisible() and dock.table.rowCount() == 0
    assert not dock.action("start").isEnabled() and not dock.profile_combo.isEnabled()
    qtbot.waitUntil(lambda: len(dock.table.engine_ids) == 2, timeout=START_MS)
    ticker.stop()
    assert len(ticks) >= 10  # the GUI kept ticking while the cluster started
    qtbot.waitUntil(lambda: not dock.busy, timeout=20_000)
    assert not dock.progress.isVisible() and dock.action("shutdown").isEnabled()
    info = dock.info
    assert info.connected and info.controller_ours and info.cluster_id in dock.status_text
    assert info.controller_url in dock.status_text and "profile 'default'" in dock.status_text
    assert "Started 2 engines" in dock.log_view.toPlainText()

    # the timer refreshes while visible and connected: pids, CPU % and memory arrive
    assert dock.timer.isActive()
    snapshots = []
    dock.info_changed.connect(snapshots.append)
    qtbot.waitUntil(lambda: len(snapshots) >= 2 and all(
        dock.table.cell_text(e, "CPU %") != "-" for e in dock.table.engine_ids), timeout=60_000)
    assert [dock.table.cell_text(e, "ours") for e in dock.table.engine_ids] == ["yes", "yes"]
    assert "MiB" in dock.table.cell_text(0, "memory")
    dock.hide()
    assert not dock.timer.isActive()  # no refresh while hidden
    dock.show()
    assert dock.timer.isActive()
    owned = list(dock.info.owned_pids)
    assert alive(owned)

    dock.action("cleanup_terminate").trigger()
    qtbot.waitUntil(lambda: dock.worker.in_flight == 0 and not dock.info.connected, timeout=60_000)
    assert dock.table.rowCount() == 0 and "not connected" in dock.status_text
    assert "Terminated" in dock.log_view.toPlainText()
    assert not dock.timer.isActive() and not dock.action("shutdown").isEnabled()
    assert not alive(owned) and not processes_under(ipython_dir)


@pytest.mark.timeout(300)
def test_cleanup_leave_running_then_a_new_dock_offers_reuse(qtbot, dock, ipython_dir):
    start(qtbot, dock, 1)
    owned = list(dock.info.owned_pids)
    dock.action("cleanup_leave").trigger()
    qtbot.waitUntil(lambda: dock.worker.in_flight == 0 and not dock.info.connected, timeout=60_000)
    assert "running" in dock.log_view.toPlainText() and dock.table.rowCount() == 0
    assert set(owned) <= set(alive(owned)) and owned  # still running
    (leftover,) = dock.manager.find_leftovers()
    assert leftover.detached and leftover.cluster_id in dock.log_view.toPlainText()

    # a later session: the banner offers the leftover at start; Reuse connects and owns it again
    later = ClusterManager("default", ipython_dir=ipython_dir, call_timeout=5.0)
    second = make_dock(qtbot, later)
    try:
        assert not second.banner.isHidden() and leftover.cluster_id in second.banner.label.text()
        qtbot.mouseClick(second.banner.reuse_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: second.table.engine_ids == [0], timeout=60_000)
        idle(qtbot, second)
        assert second.banner.isHidden() and second.info.controller_ours
        assert "Reusing cluster" in second.log_view.toPlainText()
    finally:
        assert second.shutdown()  # the exit path: the reused cluster is ours again and is stopped
    assert not alive(owned)
    assert later.find_leftovers() == []


@pytest.mark.timeout(300)
def test_request_shutdown_after_confirming(qtbot, dock, ipython_dir, monkeypatch):
    start(qtbot, dock, 1)
    owned = list(dock.info.owned_pids)
    asked = answer(monkeypatch, QMessageBox.StandardButton.Cancel)
    dock.action("shutdown").trigger()
    assert len(asked) == 1 and "not start" in asked[0]  # it says it stops engines that are not ours
    assert dock.worker.in_flight == 0 and dock.info.connected

    asked = answer(monkeypatch, QMessageBox.StandardButton.Yes)
    dock.action("shutdown").trigger()
    qtbot.waitUntil(lambda: dock.worker.in_flight == 0 and not dock.info.connected, timeout=60_000)
    assert "Asked the controller" in dock.log_view.toPlainText()
    assert dock.table.rowCount() == 0
    assert not alive(owned) and not processes_under(ipython_dir)


@pytest.mark.timeout(400)
def test_profile_change_confirms_cleans_up_and_offers_leftovers(qtbot, dock, ipython_dir, monkeypatch):
    # an earlier session left a cluster running in profile "other"
    earlier = ClusterManager("other", ipython_dir=ipython_dir, call_timeout=5.0)
    left = earlier.start_engines(1, timeout=120)
    earlier.cleanup(terminate=False)
    start(qtbot, dock, 1)
    ours = list(dock.info.owned_pids)

    asked = answer(monkeypatch, QMessageBox.StandardButton.Cancel)  # cancelled: nothing changes
    line = dock.profile_combo.lineEdit()
    line.selectAll()
    qtbot.keyClicks(line, "other")
    qtbot.keyClick(line, Qt.Key.Key_Return)
    assert len(asked) == 1 and dock.profile_combo.currentText() == "default"
    assert dock.worker.in_flight == 0 and dock.manager.profile == "default" and alive(ours)

    asked = answer(monkeypatch, QMessageBox.StandardButton.Yes)  # yes: terminate ours, then switch
    line.selectAll()
    qtbot.keyClicks(line, "other")
    qtbot.keyClick(line, Qt.Key.Key_Return)
    assert len(asked) == 1
    qtbot.waitUntil(lambda: dock.manager.profile == "other" and dock.worker.in_flight == 0, timeout=60_000)
    assert not alive(ours)
    assert dock.profile_combo.currentText() == "other" and "Profile 'other'" in dock.status_text
    # the leftover of profile "other" is offered; End terminates it
    assert not dock.banner.isHidden() and left.cluster_id in dock.banner.label.text()
    qtbot.mouseClick(dock.banner.end_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Ended" in dock.log_view.toPlainText() and dock.worker.in_flight == 0,
                    timeout=60_000)
    assert not alive(left.owned_pids) and not processes_under(ipython_dir)
    assert dock.manager.find_leftovers() == []


@pytest.mark.timeout(300)
def test_shutdown_stops_what_the_dock_started(qtbot, manager, ipython_dir):
    dock = make_dock(qtbot, manager)
    start(qtbot, dock, 1)
    owned = list(dock.info.owned_pids)
    began = time.monotonic()
    assert dock.shutdown()
    assert time.monotonic() - began < 8.0
    assert not alive(owned) and not processes_under(ipython_dir)
    assert not any(action.isEnabled() for action in dock.actions())
    dock.start_engines()  # after shutdown, nothing runs
    assert dock.worker.in_flight == 0


@pytest.mark.timeout(300)
def test_a_dead_controller_is_shown_as_an_error_without_freezing(qtbot, dock, ipython_dir):
    import psutil

    start(qtbot, dock, 1)
    owned = list(dock.info.owned_pids)
    (controller,) = [p for p in map(psutil.Process, alive(owned))  # started by us; its helpers are its children
                     if p.ppid() == os.getpid() and "controller" in " ".join(p.cmdline())]
    controller.kill()
    began = time.monotonic()
    ticks: list[float] = []
    ticker = QTimer()
    ticker.timeout.connect(lambda: ticks.append(time.monotonic()))
    ticker.start(50)
    qtbot.waitUntil(lambda: dock.info is not None and not dock.info.connected, timeout=30_000)
    ticker.stop()
    assert time.monotonic() - began < 15.0 and len(ticks) >= 3
    assert dock.info.error and dock.info.error in dock.status_text
    assert dock.info.error in dock.log_view.toPlainText()
    assert dock.table.rowCount() == 0 and not dock.timer.isActive()
    dock.action("cleanup_terminate").trigger()  # the rest of what we started is ended
    idle(qtbot, dock)
    assert not alive(owned) and not processes_under(ipython_dir)
