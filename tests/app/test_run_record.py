"""Run records in the window (no cluster needed): written next to a saved project after a run that ran Maps,
kept in memory for an unsaved one, shown from the selected Map, read back from the file in a new session;
preferences round trip through the settings."""

from __future__ import annotations

import json
import shutil
from array import array

import pytest

from pflow_studio.app.main_window import MainWindow
from pflow_studio.app.preferences import cluster_profile, serial_maps, set_cluster_profile, set_serial_maps
from pflow_studio.app.run_record_view import RunRecordDialog, item_cells, record_path, saved_entry
from pflow_studio.app.settings import make_settings
from pflow_studio.runtime.element_table import ElementTable, OutcomeBlock
from pflow_studio.runtime.run_record import RunRecord
from tests.support.window import run_window as run


@pytest.mark.timeout(120)
def test_record_written_next_to_the_project_and_shown_from_the_map(qtbot, window, workflows, tmp_path):
    project = tmp_path / "example.pflow"
    shutil.copy(workflows.examples / "square_offset_map.pflow", project)
    assert window.files.load(str(project))
    action = window.actions["show_run_record"]
    assert action in window.menus["run"].actions()
    window.canvas.select(["total"])
    assert not action.isEnabled()  # not a Map
    assert run(qtbot, window).status == "ok"
    written = tmp_path / "example.run.json"
    assert record_path(project) == written and written.exists()
    window.canvas.select(["map"])
    assert action.isEnabled()
    dialog = window.show_run_record()
    assert isinstance(dialog, RunRecordDialog) and dialog.isVisible()
    assert dialog.model.rowCount() == 10
    assert [dialog.cell(row, "index") for row in range(10)] == [str(i) for i in range(10)]
    assert dialog.cell(0, "engine") == "in-process" and dialog.cell(0, "status") == "ok"
    assert dialog.cell(0, "duration").endswith(("s", "µs")) and dialog.cell(0, "host") != "-"
    assert "10 element(s), 0 failed" in dialog.summary.text()

    # a cached re-run runs no Map: the record of the last real run stays
    written.unlink()
    assert run(qtbot, window).status == "ok"
    assert not written.exists()
    assert window.show_run_record().model.rowCount() == 10

    # a new session finds the saved record beside the project
    entry = saved_entry(str(project), ("map",))
    assert entry is None  # it was deleted above
    window.runs.reset()
    assert run(qtbot, window).status == "ok" and written.exists()
    other = MainWindow(settings=make_settings(tmp_path / "other.ini"))
    try:
        assert other.files.load(str(project))
        other.canvas.select(["map"])
        assert other.show_run_record().model.rowCount() == 10
    finally:
        other.close()
        other.deleteLater()


@pytest.mark.timeout(120)
def test_an_unsaved_project_keeps_its_record_in_memory(qtbot, window, workflows, tmp_path):
    window.canvas.set_workflow(workflows.map())
    outcome = run(qtbot, window)
    assert outcome.status == "ok"
    assert len(outcome.record.maps) == 1 and outcome.record.maps[0]["path"] == ["map"]
    assert not list(tmp_path.glob("*.run.json"))
    window.canvas.select(["map"])
    dialog = window.show_run_record()
    assert dialog.model.rowCount() == 3


@pytest.mark.timeout(120)
def test_failed_elements_show_their_error(qtbot, window, workflows):
    workflow = workflows.map()
    workflow.nodes["map"].input_values["a"] = [1, "x", 3]
    workflow.nodes["map"].properties["on_error"] = "none"
    window.canvas.set_workflow(workflow)
    run(qtbot, window)
    window.canvas.select(["map"])
    dialog = window.show_run_record()
    assert [dialog.cell(row, "status") for row in range(3)] == ["ok", "failed", "ok"]
    assert "must be numbers" in dialog.cell(1, "error")
    assert dialog.error.toPlainText().startswith(dialog.model.columns.item(1)["error"].strip().splitlines()[0])


def test_a_map_without_a_record_says_so(qtbot, window, workflows):
    window.canvas.set_workflow(workflows.map())
    window.canvas.select(["map"])
    dialog = window.show_run_record()
    assert dialog.model.rowCount() == 0 and "no run record" in dialog.summary.text()


def test_item_cells_and_preferences(tmp_path):
    cells = item_cells({"index": 4, "engine": 1, "host": "h", "started": 100.0, "finished": 101.25,
                        "status": "failed", "error": "Traceback...\nValueError: bad"})
    assert cells[0] == "4" and cells[1] == "1" and cells[4] == "1.25 s" and cells[6] == "ValueError: bad"
    settings = make_settings(tmp_path / "prefs.ini")
    assert serial_maps(settings) is False and cluster_profile(settings) == "default"
    set_serial_maps(settings, True)
    set_cluster_profile(settings, "lab")
    again = make_settings(tmp_path / "prefs.ini")
    assert serial_maps(again) is True and cluster_profile(again) == "lab"


def test_the_dialog_reads_a_large_record_row_by_row(qtbot):
    """200,000 elements: the table has every row, and rows are made only when read (no dict per element)."""
    total = 200_000
    table = ElementTable(total, ("y",))
    table.add(OutcomeBlock(0, ("y",), [list(range(total))], array("d", [1.0 + i for i in range(total)]),
                           array("d", [1.5 + i for i in range(total)]), {7: ("boom", "")}, {}, 2, "h"))
    record = RunRecord()
    entry = json.loads(json.dumps(record.add_table(table, runner="cluster")))
    dialog = RunRecordDialog(entry, "Big")
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.model.rowCount() == total
    assert [dialog.cell(total - 1, name) for name in ("index", "engine", "host", "status")] == \
           [str(total - 1), "2", "h", "ok"]
    assert (dialog.cell(7, "status"), dialog.cell(7, "error")) == ("failed", "boom")
    assert "200,000 element(s), 1 failed" in dialog.summary.text() and "1 engine(s)" in dialog.summary.text()
