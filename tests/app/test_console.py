"""The Console dock ("Open in console"): a Jupyter Qt console on an in-process IPython kernel with values bound to
names, opened from the Results dock and from an element in Work items; a second open reuses the dock and binds
anew; closing the window ends the kernel (no thread left, nothing on stderr); the app's start imports none of it."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import threading

import pytest

from pflow_studio.app.console.dock import ConsoleDock, console_dock, open_in_console
from tests.support.paths import ROOT
from tests.support.pictures import line_figure
from tests.support.work_items import ran

pytestmark = pytest.mark.timeout(120)


@pytest.fixture(autouse=True)
def _ipython_dir_of_its_own(tmp_path, monkeypatch):
    """IPython's profile directory under the test's tmp dir, never the user's."""
    monkeypatch.setenv("IPYTHONDIR", str(tmp_path / "ipython"))


def executed(qtbot, dock: ConsoleDock, code: str, name: str):
    """Run `code` in the console as if typed; the value of `name` in the kernel once it is set."""
    dock.console.execute(code)
    qtbot.waitUntil(lambda: name in dock.shell.user_ns, timeout=20_000)
    return dock.shell.user_ns[name]


def console_text(dock: ConsoleDock) -> str:
    return dock.console._control.toPlainText()


def test_the_console_gets_the_value(qtbot, window):
    dock = open_in_console(window, {"value": [1, 2, 3]}, "A test")
    assert dock is console_dock(window) and dock.isVisible()
    qtbot.waitUntil(lambda: "In [1]" in console_text(dock), timeout=20_000)
    assert "A test, bound to names:\n  value = [1, 2, 3]" in console_text(dock)
    assert executed(qtbot, dock, "total = sum(value) * 2", "total") == 12
    dock.console.execute("sorted(value, reverse=True)")
    qtbot.waitUntil(lambda: "Out[2]: [3, 2, 1]" in console_text(dock), timeout=20_000)


@pytest.mark.fault
def test_without_qtconsole_the_status_bar_says_what_is_missing(qtbot, window, monkeypatch):
    monkeypatch.setitem(sys.modules, "qtconsole.inprocess", None)  # an import of it raises ImportError
    assert open_in_console(window, {"value": 1}, "Missing") is None
    assert console_dock(window) is None
    assert "needs qtconsole and ipykernel" in window.statusBar().currentMessage()


def test_a_figure_shows_inline(qtbot, window):
    dock = open_in_console(window, {"value": line_figure()}, "A plot")
    dock.console.execute("value")
    qtbot.waitUntil(lambda: "<img" in dock.console._control.document().toHtml(), timeout=20_000)


def test_an_elements_outputs_and_inputs_are_bound_from_work_items(qtbot, window):
    panel = ran(qtbot, window)  # y = 10 x + offset over x in range(12), offset broadcast; 3 and 7 fail
    panel.select_rows([4])
    panel.detail.console_action.trigger()
    dock = console_dock(window)
    namespace = dock.shell.user_ns
    assert (namespace["value"], namespace["outputs"], namespace["y"]) == (40, {"y": 40}, 40)
    assert (namespace["inputs"], namespace["x"], namespace["offset"], namespace["index"]) == (
        {"offset": 0, "x": 4}, 4, 0, 4)
    assert executed(qtbot, dock, "check = value == 10 * x + offset", "check") is True
    qtbot.waitUntil(lambda: "Map 'Score', element 4, bound to names" in console_text(dock), timeout=20_000)
    panel.select_rows([3])  # failed: its inputs and error, no value
    assert panel.detail.console_action.isEnabled()
    panel.detail.console_action.trigger()
    assert (namespace["x"], namespace["value"]) == (3, None) and "no score for 3" in namespace["error"]
    assert "y" not in namespace and "check" in namespace  # the last open's names went, the user's stay


def test_a_second_open_reuses_the_dock_and_binds_anew(qtbot, window, workflows):
    window.canvas.set_workflow(workflows.adding())  # add = 2 + 3
    with qtbot.waitSignal(window.runs.finished, timeout=60_000):
        window.run_all()
    first = open_in_console(window, {"value": "first", "x": 1}, "First")
    qtbot.waitUntil(lambda: "In [1]" in console_text(first), timeout=20_000)
    assert not window.results.console_action.isEnabled()
    window.canvas.select(["add"])
    window.results.console_action.trigger()
    dock = console_dock(window)
    assert dock is first and len(window.findChildren(ConsoleDock)) == 1
    assert dock.shell.user_ns["value"] == 5 and dock.shell.user_ns["result"] == 5 and "x" not in dock.shell.user_ns
    qtbot.waitUntil(lambda: "Outputs of 'Add', bound to names" in console_text(dock), timeout=20_000)
    window.docks["errors"].show()
    assert dock in window.tabifiedDockWidgets(window.docks["errors"])  # a tab of the bottom area (app/layout.py)
    assert dock.toggleViewAction() in window.menus["view"].actions()


def test_closing_the_window_ends_the_kernel_cleanly(qtbot, window, capfd):
    before = set(threading.enumerate())
    main = sys.modules["__main__"]
    dock = open_in_console(window, {"value": 7}, "Closing")
    assert executed(qtbot, dock, "seven = value", "seven") == 7
    shell = dock.shell
    assert sys.modules["__main__"] is main  # IPython's namespace does not replace the app's
    window.canvas.undo_stack.setClean()
    assert window.close()
    assert dock.shell is None and shell.user_ns.get("value") is None  # the values are let go
    assert type(shell)._instance is None  # a next console gets a shell of its own
    assert set(threading.enumerate()) - before == set()
    second = open_in_console(window, {"value": 8}, "Again")  # a window shown again starts a new kernel
    assert second.shell is not shell and executed(qtbot, second, "eight = value", "eight") == 8
    second.shutdown()
    assert "Traceback" not in capfd.readouterr().err


def test_an_app_that_used_the_console_exits_with_nothing_on_stderr(tmp_path):
    script = textwrap.dedent("""
        import gc
        import sys
        from PySide6.QtCore import QTimer
        from PySide6.QtWidgets import QApplication
        app = QApplication([])
        from pflow_studio.app.main_window import MainWindow
        from pflow_studio.app.settings import make_settings
        from pflow_studio.app.console.dock import open_in_console
        window = MainWindow(settings=make_settings(sys.argv[1]))
        window.show()
        dock = open_in_console(window, {"value": 21}, "Exit test")
        dock.console.execute("print(value * 2)")
        QTimer.singleShot(1500, window.close)
        app.exec()
        print("printed" if "42" in dock.console._control.toPlainText() else "not printed")
        del dock, window
        gc.collect()  # the app goes on: what the kernel left is let go (asyncio complains of tasks left pending)
        """)
    done = subprocess.run([sys.executable, "-c", script, str(tmp_path / "settings.ini")], capture_output=True,
                          text=True, timeout=120, env=app_environment(tmp_path))
    assert (done.returncode, done.stdout.strip()) == (0, "printed"), done.stderr
    assert [line for line in done.stderr.splitlines() if "propagateSizeHints" not in line] == []


def app_environment(tmp_path) -> dict[str, str]:
    """The environment of an app process started by a test (offscreen, IPython's directory of the test's own)."""
    return dict(os.environ, PYTHONPATH=str(ROOT), QT_QPA_PLATFORM="offscreen", IPYTHONDIR=str(tmp_path / "ipython"))


def test_the_apps_start_imports_no_console(tmp_path):
    script = textwrap.dedent("""
        import sys
        from PySide6.QtWidgets import QApplication
        app = QApplication([])
        from pflow_studio.app.main_window import MainWindow
        window = MainWindow()
        print(sorted(m for m in ("qtconsole", "ipykernel", "IPython") if m in sys.modules))
        """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120,
                          env=app_environment(tmp_path))
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
