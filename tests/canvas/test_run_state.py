"""Run state on the canvas: colours per state, failed badge + traceback tooltip, Map progress."""

from __future__ import annotations

from pflow_studio.canvas import run_state
from tests.support.workflows import sample


def test_states_colour_the_node_without_undo_entries(canvas):
    canvas.set_workflow(sample())
    base = tuple(canvas.view_node("add").view.border_color)
    for state in ("queued", "started", "finished", "cached", "skipped", "cancelled"):
        canvas.set_node_state(("add",), state)
        assert canvas.node_state("add") == state
        assert tuple(canvas.view_node("add").view.border_color)[:3] == run_state.STATE_COLORS[state]
    assert not canvas.undo_stack.canUndo()
    canvas.clear_run_state()
    assert canvas.node_state("add") == ""
    assert tuple(canvas.view_node("add").view.border_color) == base


def test_failed_node_shows_badge_and_traceback_tooltip(canvas):
    canvas.set_workflow(sample())
    traceback = "Traceback (most recent call last):\n  ...\nZeroDivisionError: division by zero"
    canvas.set_node_state(("mul",), "failed", traceback)
    item = canvas.view_node("mul").view
    assert item._pf_badge.isVisible()
    assert item.toolTip() == traceback
    assert item._pf_badge.toolTip() == traceback
    canvas.set_node_state(("mul",), "queued")  # a new run
    assert not item._pf_badge.isVisible()


def test_map_progress_text(canvas):
    canvas.set_workflow(sample())
    canvas.select(["mul"])
    map_id = canvas.wrap_selected_in_map()
    canvas.set_progress((map_id,), 37, 100)
    assert canvas.progress_text(map_id) == "37/100"
    canvas.set_progress((map_id,), 100, 100)
    assert canvas.progress_text(map_id) == "100/100"
    canvas.clear_run_state()
    assert canvas.progress_text(map_id) == ""


def test_states_of_other_levels_are_remembered(canvas):
    canvas.set_workflow(sample())
    canvas.select(["add", "mul"])
    group = canvas.collapse_selection()
    canvas.set_node_state((group, "mul"), "failed", "boom")
    canvas.set_node_state((group,), "failed", "inner node(s) failed: mul")
    assert canvas.node_state(group) == "failed"
    canvas.open_container(group)
    assert canvas.node_state("mul") == "failed"
    assert canvas.view_node("mul").view.toolTip() == "boom"
    canvas.go_up()
    assert canvas.node_state(group) == "failed"


def test_state_survives_an_edit_that_recreates_the_node(canvas):
    canvas.set_workflow(sample())
    canvas.set_node_state(("add",), "finished")
    canvas.rename("add", "sum")  # a new label recreates the view node
    assert canvas.node_state("add") == "finished"
