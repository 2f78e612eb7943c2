"""The Work items actions on real (serial) runs: Re-run failed runs only the failed elements (the others come
from the store), Re-run selected computes those elements again although stored, and Run element here runs
one element in the app's process with the Map's current body (an edit shows its new result, a failing one
its traceback) without writing to the store."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint

from tests.support.window import run_window
from tests.support.work_items import column, ran, scoring_map

pytestmark = pytest.mark.timeout(120)


def test_rerun_failed_runs_the_failed_elements_only(qtbot, window, tmp_path):
    fixed = tmp_path / "fixed"  # elements 3 and 7 fail until this file exists (a flaky resource, say)
    panel = ran(qtbot, window, scoring_map(failing=f"x in (3, 7) and not __import__('os').path.exists({str(fixed)!r})"))
    assert column(panel, "Status") == ["failed" if i in (3, 7) else "ok" for i in range(12)]
    before = {row: panel.model.item(row).finished for row in range(12)}
    fixed.touch()
    action = panel.actions["rerun_failed"]
    assert action.isEnabled()
    assert run_window(qtbot, window, trigger=action.trigger).status == "ok"
    assert column(panel, "Status") == ["ok" if i in (3, 7) else "from store" for i in range(12)]
    assert "10 from the store" in panel.header.text()
    after = {row: panel.model.item(row).finished for row in range(12)}
    assert [row for row in range(12) if after[row] != before[row]] == [3, 7]
    assert window.canvas.store_badge_text("map") == "12 stored"
    assert not panel.actions["rerun_failed"].isEnabled()  # nothing failed any more


def test_rerun_failed_reaches_a_map_inside_a_group(qtbot, window):
    panel = ran(qtbot, window, scoring_map(group=True), ("g", "map"))
    assert run_window(qtbot, window, trigger=panel.actions["rerun_failed"].trigger).status == "ok"
    assert column(panel, "Status") == ["failed" if i in (3, 7) else "from store" for i in range(12)]


def test_rerun_selected_computes_those_elements_again(qtbot, window):
    panel = ran(qtbot, window, scoring_map(failing="False"))
    before = [panel.model.item(row).finished for row in range(12)]
    panel.select_rows([1, 4])
    assert run_window(qtbot, window, trigger=panel.actions["rerun_selected"].trigger).status == "ok"
    assert column(panel, "Status") == ["ok" if i in (1, 4) else "from store" for i in range(12)]
    after = [panel.model.item(row).finished for row in range(12)]
    assert [row for row in range(12) if after[row] != before[row]] == [1, 4]
    assert window.runs.last.result.outputs["map"]["y"] == [10 * i for i in range(12)]


def test_run_element_here_tries_an_edit_of_the_body_without_storing_it(qtbot, window):
    panel = ran(qtbot, window, scoring_map())
    canvas = window.canvas
    canvas.go_to(("map",))
    canvas.set_property("score", "code", "print('here', x)\ny = x * 100 + offset\n")
    canvas.go_up()
    canvas.select(["map"])
    panel.select_rows([3])  # failed in the run
    detail = panel.detail
    panel.actions["run_here"].trigger()
    assert window.work_items.local_run is not None and not window.actions["run"].isEnabled()
    qtbot.waitUntil(lambda: window.work_items.local_run is None, timeout=30_000)
    text = detail.here.toPlainText()
    assert detail.current_tab() == "here"
    assert "Element 3 ran here" in text and "y (int) =\n300" in text and "here 3" in text
    assert window.actions["run"].isEnabled()
    stored = window.work_items.store.element(panel.model.item(3).key)
    assert stored.status == "failed"  # nothing was written
    assert column(panel, "Status")[3] == "failed"


def test_run_element_here_shows_the_local_traceback(qtbot, window):
    panel = ran(qtbot, window, scoring_map(failing="False"))
    run_here_with_code(window, panel, 5, "def check(v):\n    raise RuntimeError(f'edited {v}')\ny = check(x)\n")
    qtbot.waitUntil(lambda: window.work_items.local_run is None, timeout=30_000)
    text = panel.detail.here.toPlainText()
    assert text.startswith("Element 5 failed here") and "RuntimeError: edited 5" in text
    assert "pflow-studio frames …" in text and "raise RuntimeError" in text and "python_code.py" not in text
    assert text.splitlines()[1] == "  at line 2 of the code, in check:  raise RuntimeError(f'edited {v}')"
    assert text.index("y = check(x)") < text.rindex("raise RuntimeError")


def test_run_element_here_names_what_it_cannot_do(qtbot, window):
    panel = ran(qtbot, window, scoring_map())
    window.canvas.document.delete_nodes(("map",), ["score"])  # the Map's body is now empty
    panel.select_rows([0])
    panel.actions["run_here"].trigger()
    assert window.work_items.local_run is None
    assert "cannot run here: the Map's body must hold exactly one node" in panel.detail.here.toPlainText()
    window.canvas.document.delete_nodes((), ["map"])
    panel.actions["run_here"].trigger()
    assert "cannot run here: the Map is no longer in the workflow" in panel.detail.here.toPlainText()


def test_the_tables_menu_offers_the_actions(qtbot, window):
    panel = ran(qtbot, window)
    panel.select_rows([3])
    panel.table.customContextMenuRequested.emit(QPoint(5, 5))
    menu = panel.last_menu
    assert [(action.text(), action.isEnabled()) for action in menu.actions()] == \
        [("Re-run failed", True), ("Re-run selected", True), ("Run here", True), ("", True), ("Open in Console", True)]
    menu.actions()[2].trigger()
    qtbot.waitUntil(lambda: window.work_items.local_run is None, timeout=30_000)
    assert panel.detail.here.toPlainText().startswith("Element 3 failed here")
    menu.close()


def test_the_current_row_stays_across_a_run(qtbot, window):
    panel = ran(qtbot, window, scoring_map(60, failing="x == 57"))
    panel.table.scrollToBottom()
    panel.select_rows([57])
    scrolled = panel.table.verticalScrollBar().value()
    assert scrolled > 0
    assert run_window(qtbot, window, trigger=panel.actions["rerun_failed"].trigger).status == "ok"
    assert panel.current_item().index == 57 and panel.detail.title.text().startswith("Element 57: failed")
    assert panel.table.verticalScrollBar().value() == scrolled
    window.canvas.set_workflow(scoring_map(group=True))  # another Map: from the top, nothing current
    window.canvas.go_to(("g",))
    window.canvas.select(["map"])
    assert panel.current_item() is None and panel.table.verticalScrollBar().value() == 0


def test_stop_stops_waiting_for_an_element_running_here(qtbot, window):
    panel = ran(qtbot, window, scoring_map(failing="False"))
    run_here_with_code(window, panel, 2, "import time\nprint('slow', x)\ntime.sleep(3 if x == 2 else 0)\ny = x\n")
    assert window.actions["stop"].isEnabled() and not window.actions["run"].isEnabled()
    window.actions["stop"].trigger()
    assert window.work_items.local_run is None and window.actions["run"].isEnabled()
    assert "Stopped waiting for element 2" in panel.detail.here.toPlainText()
    panel.select_rows([5])  # another element runs here at once, the first one still sleeping
    panel.actions["run_here"].trigger()
    qtbot.waitUntil(lambda: window.work_items.local_run is None, timeout=30_000)
    text = panel.detail.here.toPlainText()
    assert "Element 5 ran here" in text and "slow 5" in text and "slow 2" not in text
    qtbot.wait(3500)  # the abandoned one ends: its outcome is dropped
    assert "Element 5 ran here" in panel.detail.here.toPlainText()


def run_here_with_code(window, panel, row: int, code: str) -> None:
    """Give the Map's body node this code (not run yet) and run the element in `row` here."""
    canvas = window.canvas
    canvas.go_to(("map",))
    canvas.set_property("score", "code", code)
    canvas.go_up()
    panel.select_rows([row])
    panel.actions["run_here"].trigger()
