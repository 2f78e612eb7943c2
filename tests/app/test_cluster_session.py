"""The window on a real local cluster: the first Map starts a cluster the app owns (shown in the dock, said in
the log), results equal a serial run, engines light up in the dock while a Map runs, Stop cancels a cluster
Map quickly with the GUI responsive, and Maps run in-process (no cluster) with the serial preference."""

from __future__ import annotations

import itertools
import shutil
import time

import pytest
from PySide6.QtCore import QTimer

from pflow_studio.app.main_window import MainWindow
from pflow_studio.app.preferences import serial_maps
from pflow_studio.app.settings import make_settings
from pflow_studio.cluster_panel.manager import ClusterManager
from pflow_studio.runtime import run_record
from pflow_studio.runtime.executor import Executor
from pflow_studio.runtime.registry import default_registry
from pflow_studio.runtime.run_record import entry_items
from pflow_studio.runtime.runners import SerialRunner
from tests.support.processes import processes_under
from tests.support.window import run_window


@pytest.fixture
def make_window(qtbot, tmp_path, dialogs, ipython_dir):
    """Builds shown windows with a cluster manager in the temp IPython dir; each is closed (no prompt) and
    its manager's processes stopped at the end."""
    made: list[tuple[MainWindow, ClusterManager]] = []

    def make(serial: bool | None = None, engines: int = 2) -> MainWindow:
        settings = make_settings(tmp_path / "settings.ini")
        if serial is not None:
            settings.setValue("run/serial_maps", serial)
        manager = ClusterManager("default", ipython_dir=ipython_dir, call_timeout=5.0)
        win = MainWindow(settings=settings, cluster_manager=manager, check_leftovers=False)
        made.append((win, manager))
        win.cluster.dock.engine_spin.setValue(engines)
        win.show()
        qtbot.waitExposed(win)
        return win

    yield make
    for win, manager in made:
        win.runs.stop()
        win.runs.wait(30_000)
        win.canvas.undo_stack.setClean()
        win.close()
        manager.shutdown_owned()
        win.deleteLater()


def run(qtbot, window, timeout=120_000):
    return run_window(qtbot, window, timeout=timeout)


def log_text(window) -> str:
    return window.cluster.dock.log_view.toPlainText()


@pytest.mark.timeout(240)
def test_first_map_starts_an_owned_cluster_with_serial_results(qtbot, make_window, workflows, tmp_path, ipython_dir):
    project = tmp_path / "square_offset_map.pflow"
    shutil.copy(workflows.examples / "square_offset_map.pflow", project)
    window = make_window()
    assert window.files.load(str(project))
    assert not window.cluster.manager.connected
    outcome = run(qtbot, window)
    assert outcome.status == "ok", outcome.error or [f.traceback for f in outcome.result.failures]
    manager = window.cluster.manager
    assert manager.connected and manager.info().controller_ours
    assert processes_under(ipython_dir)  # the cluster the app owns is running
    serial = Executor(default_registry(), runner=SerialRunner(), cache=False).run(outcome.workflow)
    assert outcome.result.outputs == serial.outputs
    assert outcome.record.maps[0]["runner"] == "cluster"
    assert {item["engine"] for item in entry_items(outcome.record.maps[0])} <= set(manager.client.ids)
    assert "cluster started for this session: " in log_text(window)
    assert "2 engines" in log_text(window)
    dock = window.cluster.dock
    qtbot.waitUntil(lambda: len(dock.table.engine_ids) == 2, timeout=30_000)  # the dock shows the engines
    assert "Connected" in dock.status_text
    assert not dock.table.busy_engines  # all idle after the run
    # the run record is written next to the project and shown from the Map node
    saved = run_record.read(tmp_path / "square_offset_map.run.json")
    assert [item["index"] for item in entry_items(saved["maps"][0])] == list(range(10))
    window.canvas.select(["map"])
    assert window.actions["show_run_record"].isEnabled()
    dialog = window.show_run_record()
    assert dialog.model.rowCount() == 10
    engines = {int(dialog.cell(row, "engine")) for row in range(10)}
    assert engines <= set(manager.client.ids)
    assert {dialog.cell(row, "status") for row in range(10)} == {"ok"}
    assert "runner 'cluster'" in dialog.summary.text()
    # the same runner (bodies cached on its engines) serves the next runs while the connection stays
    runner = window.cluster.runner()
    assert window.cluster.runner() is runner and runner.current_client is manager.client
    manager.cleanup(terminate=True)
    assert not manager.connected
    assert window.cluster.runner() is not runner  # the old one's client is gone: a new runner


@pytest.mark.timeout(240)
def test_engine_activity_reaches_the_dock_and_stop_cancels_quickly(qtbot, make_window, workflows):
    window = make_window()
    dock = window.cluster.dock
    seen: set[int] = set()
    real = dock.set_engine_activity

    def record(engine_id: int, busy: bool) -> None:
        if busy:
            seen.add(engine_id)
        real(engine_id, busy)

    dock.set_engine_activity = record
    window.canvas.set_workflow(workflows.sleepy_map(12, 0.3))
    outcome = run(qtbot, window)
    assert outcome.status == "ok", outcome.error or [f.traceback for f in outcome.result.failures]
    assert outcome.result.outputs["map"]["result"] == list(range(12))
    assert seen == set(window.cluster.manager.client.ids)  # both engines were shown busy
    assert not dock.table.busy_engines

    # a slow Map on the (now running) cluster: Stop ends it within a few seconds and the GUI keeps ticking
    window.canvas.set_workflow(workflows.sleepy_map(40, 2.0))
    ticks: list[float] = []
    timer = QTimer()
    timer.setInterval(50)
    timer.timeout.connect(lambda: ticks.append(time.monotonic()))
    timer.start()
    window.actions["run"].trigger()
    qtbot.waitUntil(lambda: bool(dock.table.busy_engines) or window.canvas.progress_text("map") not in ("", "0/40"),
                    timeout=60_000)
    assert window.runs.running
    stopped_at = time.monotonic()
    with qtbot.waitSignal(window.runs.finished, timeout=15_000) as blocker:
        window.actions["stop"].trigger()
    took = time.monotonic() - stopped_at
    timer.stop()
    assert blocker.args[0].status == "cancelled"
    assert took < 8.0
    during = [t for t in ticks if t >= stopped_at]
    assert len(during) >= 3 and max(b - a for a, b in itertools.pairwise(during)) < 1.0
    assert not dock.table.busy_engines
    # the cluster still works after a cancel
    window.canvas.set_workflow(workflows.map())
    outcome = run(qtbot, window)
    assert outcome.status == "ok" and outcome.result.outputs["map"]["result"] == [11, 12, 13]


@pytest.mark.timeout(120)
def test_serial_preference_runs_without_any_cluster_process(qtbot, make_window, workflows, ipython_dir):
    window = make_window(serial=True)
    action = window.cluster.serial_action
    assert action.isChecked() and action in window.menus["run"].actions()
    window.canvas.set_workflow(workflows.map())
    outcome = run(qtbot, window)
    assert outcome.status == "ok"
    assert outcome.result.outputs["map"]["result"] == [11, 12, 13]
    assert outcome.record.maps[0]["runner"] == "serial"
    assert not window.cluster.manager.connected
    assert processes_under(ipython_dir) == []
    action.setChecked(False)  # the preference is saved
    assert serial_maps(window.settings) is False
    action.setChecked(True)
    assert serial_maps(window.settings) is True


def test_cluster_menu_holds_the_dock_actions(make_window):
    window = make_window(serial=True)
    menu = window.menus["cluster"].actions()
    assert window.actions["cluster_panel"].isEnabled()
    assert all(action in menu for action in window.cluster.dock.actions())
    assert window.cluster_dock is window.cluster.dock


def test_a_stalled_map_is_told_in_the_dock_log_and_the_status_bar(make_window):
    from pflow_studio.runtime.cluster.notices import NoticeKind, RunnerNotice

    window = make_window()
    message = "Map stalled: no result for 8 s; engines 0, 1 hold its work (4 elements)"
    window.cluster._notice(RunnerNotice(NoticeKind.STALLED, message))
    assert message in log_text(window)
    assert window.statusBar().currentMessage() == message
