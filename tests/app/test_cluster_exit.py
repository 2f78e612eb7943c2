"""Leaving the app: closing the window stops the cluster it owns (processes gone by pid within 5 s) and
leaves a detached cluster (`pflow-studio cluster start`) running; SIGTERM/SIGHUP to the app process take the
same path without the unsaved-changes prompt (a recovery copy is written) and its cluster is gone in 5 s."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time

import psutil
import pytest
from PySide6.QtWidgets import QMessageBox

from pflow_studio.app.main_window import MainWindow
from pflow_studio.app.settings import make_settings
from pflow_studio.cluster_panel.manager import ClusterManager
from pflow_studio.project import file_format as project_file
from pflow_studio.runtime.run_record import entry_items
from tests.support.paths import ROOT
from tests.support.processes import end_all_under, processes_under, wait_until
from tests.support.window import run_window


def alive(refs) -> list:
    return [ref for ref in refs if ref.alive()]


def cluster_cli(ipython_dir, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, IPYTHONDIR=str(ipython_dir), PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-m", "pflow_studio", "cluster", *args], env=env, capture_output=True,
                          text=True, timeout=120)


def open_window(qtbot, tmp_path, ipython_dir) -> tuple[MainWindow, ClusterManager]:
    manager = ClusterManager("default", ipython_dir=ipython_dir, call_timeout=5.0)
    window = MainWindow(settings=make_settings(tmp_path / "settings.ini"), cluster_manager=manager,
                        check_leftovers=False)
    window.cluster.dock.engine_spin.setValue(2)
    window.show()
    qtbot.waitExposed(window)
    return window, manager


def run(qtbot, window, timeout=120_000):
    return run_window(qtbot, window, timeout=timeout)


@pytest.mark.timeout(240)
def test_closing_the_window_stops_the_cluster_it_owns(qtbot, tmp_path, ipython_dir, dialogs, workflows):
    window, manager = open_window(qtbot, tmp_path, ipython_dir)
    try:
        window.canvas.set_workflow(workflows.map())
        assert run(qtbot, window).status == "ok"
        owned = processes_under(ipython_dir)
        assert len(owned) >= 3  # controller and engines (and their helpers)
        dialogs.answers["question"] = QMessageBox.StandardButton.Discard
        closed_at = time.monotonic()
        assert window.close()
        assert wait_until(lambda: not alive(owned), 5.0), [ref.pid for ref in alive(owned)]
        assert time.monotonic() - closed_at < 10.0
        assert not manager.connected
    finally:
        manager.shutdown_owned()
        window.deleteLater()


@pytest.mark.timeout(300)
def test_a_detached_cluster_is_left_running_at_close(qtbot, tmp_path, ipython_dir, dialogs, workflows):
    started = cluster_cli(ipython_dir, "start", "-n", "1")
    assert started.returncode == 0, started.stderr
    try:
        theirs = processes_under(ipython_dir)
        assert theirs
        window, manager = open_window(qtbot, tmp_path, ipython_dir)
        try:
            window.canvas.set_workflow(workflows.map())
            outcome = run(qtbot, window)
            assert outcome.status == "ok"
            assert "running cluster of profile 'default'" in window.cluster.dock.log_view.toPlainText()
            assert {item["engine"] for item in entry_items(outcome.record.maps[0])} <= set(manager.client.ids)
            dialogs.answers["question"] = QMessageBox.StandardButton.Discard
            assert window.close()
            time.sleep(2.0)
            assert len(alive(theirs)) == len(theirs)  # nothing of the detached cluster was stopped
            assert {ref.pid for ref in processes_under(ipython_dir)} == {ref.pid for ref in theirs}
        finally:
            manager.shutdown_owned()
            window.deleteLater()
    finally:
        cluster_cli(ipython_dir, "stop")
        end_all_under(ipython_dir)


APP_SCRIPT = """
    import sys
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication
    from pflow_studio.app import create_application, main
    from pflow_studio.app.main_window import MainWindow
    from pflow_studio.app.settings import make_settings

    project, settings_path = sys.argv[1], sys.argv[2]
    create_application()

    def begin():
        window = next(w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow))
        window.cluster.dock.engine_spin.setValue(1)
        window.canvas.add_node("const.int")  # an unsaved change: the signal must not wait on the prompt
        window.runs.finished.connect(lambda outcome: print("ready", outcome.status, flush=True))
        window.run_all()

    QTimer.singleShot(0, begin)
    sys.exit(main([project], settings=make_settings(settings_path)))
"""


@pytest.mark.timeout(240)
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP], ids=["SIGTERM", "SIGHUP"])
def test_a_signal_closes_the_app_and_stops_its_cluster(tmp_path, ipython_dir, workflows, signum):
    project = tmp_path / "example.pflow"
    shutil.copy(workflows.examples / "square_offset_map.pflow", project)
    env = dict(os.environ, IPYTHONDIR=str(ipython_dir), PYTHONPATH=str(ROOT), QT_QPA_PLATFORM="offscreen")
    app = subprocess.Popen([sys.executable, "-c", textwrap.dedent(APP_SCRIPT), str(project),
                            str(tmp_path / "settings.ini")], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           text=True)
    try:
        line = app.stdout.readline()
        assert line.strip() == "ready ok", line + app.stderr.read() if app.poll() is not None else line
        cluster = processes_under(ipython_dir)
        assert len(cluster) >= 3
        signalled = time.monotonic()
        app.send_signal(signum)
        code = app.wait(timeout=30)
        assert code == 128 + signum
        assert wait_until(lambda: not alive(cluster), max(0.5, 5.0 - (time.monotonic() - signalled))), \
            [ref.pid for ref in alive(cluster)]
        assert not processes_under(ipython_dir)
        recovered = tmp_path / "example.pflow.recovered"
        assert "example.pflow.recovered" in app.stderr.read()
        nodes = project_file.load(recovered).workflow.nodes
        assert len(nodes) == len(project_file.load(project).workflow.nodes) + 1  # with the unsaved node
    finally:
        if app.poll() is None:
            psutil.Process(app.pid).kill()
            app.wait(10)
