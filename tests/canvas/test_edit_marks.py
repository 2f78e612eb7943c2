"""Stale run states and problem marks on the canvas: drawn, remembered per level, and taken away again."""

from __future__ import annotations

from PySide6.QtCore import Qt

from pflow_studio.canvas import run_state
from pflow_studio.runtime.operations import collapse
from tests.support.workflows import sample


def test_a_stale_state_looks_faded_and_dashed_and_comes_back_as_it_was(canvas):
    canvas.set_workflow(sample())
    canvas.set_node_state(("add",), "finished")
    item = canvas.view_node("add").view
    current = tuple(item.border_color)
    canvas.set_stale({("add",), ("two",)})  # 'two' has no state: nothing to show as stale
    assert canvas.stale_paths() == {("add",)}
    assert canvas.is_stale("add") and not canvas.is_stale("two")
    assert item._pf_stale.pen().style() == Qt.PenStyle.DashLine
    assert item._pf_bar.brush().style() == Qt.BrushStyle.BDiagPattern
    assert tuple(item.border_color) != current
    assert run_state.stale_tooltip(canvas.view_node("add")).endswith(f"finished\n({run_state.STALE_TEXT})")
    canvas.set_stale(set())
    assert not canvas.is_stale("add") and tuple(item.border_color) == current
    assert item._pf_bar.brush().style() == Qt.BrushStyle.SolidPattern
    canvas.set_stale({("add",)})
    canvas.set_node_state(("add",), "queued")  # a new run's state is current
    assert not canvas.is_stale("add") and canvas.stale_paths() == set()


def test_stale_states_and_problems_are_shown_again_with_their_level(canvas):
    workflow = sample()
    group = collapse(workflow, ["add", "mul"], label="G").id
    canvas.set_workflow(workflow)
    canvas.set_node_state((group, "mul"), "finished")
    canvas.set_node_state((group,), "finished")
    canvas.set_stale({(group, "mul"), (group,)})
    canvas.set_problems({(group, "mul"): "b: value 'x' does not fit type float"})
    assert canvas.is_stale(group)
    assert canvas.problem_text(group) == "inside, mul: b: value 'x' does not fit type float"
    canvas.open_container(group)
    assert canvas.is_stale("mul") and not canvas.is_stale("add")
    assert canvas.problem_text("mul") == "b: value 'x' does not fit type float" and canvas.problem_text("add") == ""
    canvas.set_problems({})
    assert canvas.problem_text("mul") == ""
    canvas.go_up()
    assert canvas.problem_text(group) == "" and canvas.is_stale(group)
    canvas.clear_run_state()
    assert not canvas.is_stale(group) and canvas.stale_paths() == set()
