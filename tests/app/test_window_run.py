"""Running from the window: node states on the canvas, errors panel with traceback and reveal,
result inspector, run selected, cancel of a long run with the GUI responsive."""

from __future__ import annotations

import time

import pytest

from pflow_studio.project import file_format as project_file
from tests.support.window import run_window as run


@pytest.fixture
def states(window, monkeypatch):
    """Every state the window gives the canvas: {path: [state, ...]} (the real method still runs)."""
    seen: dict[tuple[str, ...], list[str]] = {}
    real = window.canvas.set_node_state

    def record(path, state, message=""):
        seen.setdefault(tuple(path), []).append(state)
        real(path, state, message)

    monkeypatch.setattr(window.canvas, "set_node_state", record)
    return seen


@pytest.mark.timeout(120)
def test_running_the_example_shows_states_progress_and_results(qtbot, window, workflows, states):
    path = workflows.examples / "square_offset_map.pflow"
    assert window.files.load(str(path))
    progress = []
    real_progress = window.canvas.set_progress
    window.canvas.set_progress = lambda p, done, total: (progress.append((p, done, total)),
                                                         real_progress(p, done, total))
    assert window.actions["run"].isEnabled() and not window.actions["stop"].isEnabled()
    outcome = run(qtbot, window)
    assert outcome.status == "ok"
    assert states[("total",)][0] == "queued" and states[("total",)][-1] == "finished"
    assert "started" in states[("map",)]
    assert (("map",), 10, 10) in progress
    assert window.canvas.node_state("total") == "finished"  # seen on the canvas itself
    assert window.canvas.progress_text("map") == "10/10"
    window.canvas.select(["total"])
    qtbot.waitUntil(lambda: "total" in window.results.title.text().lower())
    assert window.results.frames()[0].value == 290.0  # sum(x*x + 0.5 for x in range(10))
    assert window.errors.count() == 0
    states.clear()
    run(qtbot, window)
    assert states[("total",)][-1] == "cached"  # one Executor per document: re-runs come from its cache


@pytest.mark.timeout(120)
def test_a_failing_node_is_shown_failed_with_its_traceback(qtbot, window, workflows, states):
    window.canvas.set_workflow(workflows.failing())
    outcome = run(qtbot, window)
    assert outcome.status == "failed"
    assert states[("divide",)][-1] == "failed"
    assert window.canvas.node_state("divide") == "failed"
    assert states[("fine",)][-1] == "finished"
    assert window.errors.count() == 1
    row = window.errors.row(0)
    assert row.text(0) == "Divide"
    assert "zero" in row.text(1).lower()
    assert "Traceback" in window.errors.trace.toPlainText()
    window.canvas.select([])
    window.errors.list.itemClicked.emit(row, 0)
    assert window.canvas.selected_node_ids() == ["divide"]
    assert "failed" in window.statusBar().currentMessage()


@pytest.mark.timeout(120)
def test_an_invalid_workflow_lists_its_problems(qtbot, window):
    window.add_node_at_centre("math.add")
    outcome = run(qtbot, window)
    assert outcome.status == "invalid"
    assert window.errors.count() >= 1


@pytest.mark.timeout(120)
def test_run_selected_runs_only_what_the_node_needs(qtbot, window, workflows, states):
    window.canvas.set_workflow(workflows.failing())
    window.canvas.select(["fine"])
    outcome = run(qtbot, window, "run_selected")
    assert outcome.status == "ok"
    assert set(states) == {("fine",)}


@pytest.mark.timeout(120)
def test_stop_cancels_a_long_run_and_the_window_stays_responsive(qtbot, window, workflows, states):
    window.canvas.set_workflow(workflows.sleepy_map(300, 0.1))
    window.actions["run"].trigger()
    qtbot.waitUntil(lambda: "started" in states.get(("map",), []), timeout=30_000)
    assert window.actions["stop"].isEnabled() and not window.actions["run"].isEnabled()
    # The GUI keeps working during the run: an edit and its undo go through at once.
    started = time.monotonic()
    window.add_node_at_centre("const.int")
    window.undo_action.trigger()
    qtbot.wait(300)
    assert time.monotonic() - started < 3
    assert window.runs.running
    with qtbot.waitSignal(window.runs.finished, timeout=30_000) as blocker:
        window.actions["stop"].trigger()
    assert blocker.args[0].status == "cancelled"
    assert states[("map",)][-1] == "cancelled"
    assert window.actions["run"].isEnabled() and not window.actions["stop"].isEnabled()
    assert "cancel" in window.statusBar().currentMessage().lower()


@pytest.mark.timeout(120)
def test_opening_another_document_resets_the_cache(qtbot, window, workflows, states, tmp_path):
    path = tmp_path / "adding.pflow"
    project_file.save(project_file.Project(workflows.adding()), path)
    assert window.files.load(str(path))
    run(qtbot, window)
    assert window.files.load(str(path))
    states.clear()
    run(qtbot, window)
    assert states[("add",)][-1] == "finished"


@pytest.mark.timeout(120)
def test_an_error_inside_a_group_reveals_the_node_inside(qtbot, window, workflows, states):
    from pflow_studio.runtime.operations import collapse

    workflow = workflows.failing()
    group = collapse(workflow, ["zero", "divide"], group_id="grp", label="Inner")
    assert group.id == "grp"
    window.canvas.set_workflow(workflow)
    run(qtbot, window)
    assert states[("grp", "divide")][-1] == "failed"
    assert window.canvas.node_state("grp") == "failed"
    rows = [window.errors.row(i) for i in range(window.errors.count())]
    inner = next(row for row in rows if row.text(0) == "Inner \u203a Divide")
    window.errors.list.itemClicked.emit(inner, 0)
    assert window.canvas.level_path() == ("grp",)
    assert window.canvas.selected_node_ids() == ["divide"]
    assert window.canvas.node_state("divide") == "failed"  # remembered states show on the opened level
    qtbot.waitUntil(lambda: len(window.breadcrumb.buttons) == 2)


@pytest.mark.timeout(120)
def test_closing_the_window_stops_the_run(qtbot, window, workflows, states):
    window.canvas.set_workflow(workflows.sleepy_map(300, 0.1))
    window.actions["run"].trigger()
    qtbot.waitUntil(lambda: "started" in states.get(("map",), []), timeout=30_000)
    started = time.monotonic()
    assert window.close()
    assert not window.runs.running or window.runs.wait(0)
    assert window.runs.token.cancelled
    assert time.monotonic() - started < 15
