"""Feedback while editing (app/edit_feedback.py): results from before an edit look stale on the canvas and in
the Results dock until the edit is undone or the workflow runs again; validation problems come and go with the
edits, in the Errors panel and as marks on the nodes at fault."""

from __future__ import annotations

from pflow_studio.app.results_session import STALE_NOTE
from pflow_studio.canvas.run_state import STALE_TEXT, stale_tooltip
from pflow_studio.runtime.operations import collapse
from tests.support.window import run_window
from tests.support.workflows import sample

WAIT_MS = 3000


def _ran_sample(qtbot, window):
    window.canvas.set_workflow(sample())
    assert run_window(qtbot, window).status == "ok"
    assert window.canvas.node_state("mul") == "finished"


def test_an_edit_makes_the_node_and_what_follows_stale_and_undo_makes_them_current(qtbot, window):
    _ran_sample(qtbot, window)
    canvas, results = window.canvas, window.results
    canvas.select(["add"])
    assert [frame.value for frame in results.frames()] == [5.0] and STALE_NOTE not in results.note.text()
    canvas.set_property("three", "value", 4.0)
    qtbot.waitUntil(lambda: canvas.stale_paths() == {("three",), ("add",), ("mul",)}, timeout=WAIT_MS)
    assert canvas.is_stale("add") and not canvas.is_stale("two")
    assert canvas.node_state("add") == "finished"  # the state stays, shown as from before the edit
    assert stale_tooltip(canvas.view_node("add")).endswith(f"finished\n({STALE_TEXT})")
    qtbot.waitUntil(lambda: STALE_NOTE in results.note.text(), timeout=WAIT_MS)
    assert [frame.value for frame in results.frames()] == [5.0]
    canvas.undo_stack.undo()
    qtbot.waitUntil(lambda: not canvas.stale_paths(), timeout=WAIT_MS)
    assert not canvas.is_stale("add") and stale_tooltip(canvas.view_node("add")) == ""
    qtbot.waitUntil(lambda: STALE_NOTE not in results.note.text(), timeout=WAIT_MS)
    canvas.rename("add", "sum")  # labels and moves change no result
    window.edit_feedback.check()
    assert not canvas.stale_paths()
    canvas.set_input_value("mul", "b", 2.0)
    window.edit_feedback.check()
    assert canvas.stale_paths() == {("mul",)}
    assert run_window(qtbot, window).status == "ok"
    assert not canvas.stale_paths() and canvas.node_state("mul") == "finished"


def test_a_stale_node_inside_a_group_and_the_group_itself(qtbot, window):
    workflow = sample()
    group = collapse(workflow, ["add", "mul"], label="G").id
    window.canvas.set_workflow(workflow)
    assert run_window(qtbot, window).status == "ok"
    canvas = window.canvas
    canvas.open_container(group)
    canvas.set_input_value("mul", "b", 3.0)
    qtbot.waitUntil(lambda: canvas.is_stale("mul"), timeout=WAIT_MS)
    assert not canvas.is_stale("add")
    canvas.go_up()
    assert canvas.is_stale(group) and not canvas.is_stale("two")


def test_problems_show_as_the_user_edits_and_go_when_undone(qtbot, window):
    _ran_sample(qtbot, window)
    canvas, errors = window.canvas, window.errors
    canvas.set_property("two", "value", "not a number")
    qtbot.waitUntil(lambda: len(errors.problems()) == 1, timeout=WAIT_MS)
    assert "two" in errors.row(0).text(0)
    assert canvas.problem_text("two") == errors.problems()[0]
    assert canvas.problem_text("add") == ""
    assert run_window(qtbot, window).status == "invalid"  # F5 lists the same problem, once
    assert len(errors.problems()) == 1 == errors.count()
    canvas.undo_stack.undo()
    qtbot.waitUntil(lambda: errors.count() == 0, timeout=WAIT_MS)
    assert canvas.problem_text("two") == ""


def test_a_problem_inside_a_group_marks_the_group_and_the_node(qtbot, window):
    workflow = sample()
    group = collapse(workflow, ["add", "mul"], label="G").id
    window.canvas.set_workflow(workflow)
    canvas = window.canvas
    canvas.open_container(group)
    canvas.set_property("mul", "never", 1)  # not a property of math.multiply
    canvas.go_up()
    qtbot.waitUntil(lambda: canvas.problem_text(group) != "", timeout=WAIT_MS)
    assert canvas.problem_text(group).startswith("inside, mul: ")
    canvas.open_container(group)
    assert canvas.problem_text("mul") and not canvas.problem_text("add")


def test_quick_edits_are_checked_once_after_the_last(qtbot, window):
    window.canvas.set_workflow(sample())
    window.edit_feedback.check()
    checks = []
    window.edit_feedback.checked.connect(lambda: checks.append(window.canvas.node_at(("two",)).properties["value"]))
    for value in range(10):
        window.canvas.set_property("two", "value", float(value))
    assert checks == [] and window.edit_feedback.timer.isActive()
    qtbot.waitUntil(lambda: checks == [9.0], timeout=WAIT_MS)
