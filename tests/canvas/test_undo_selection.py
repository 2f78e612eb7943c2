"""Undo/redo keep the selection of the nodes that still exist."""

from __future__ import annotations

from tests.support.workflows import sample


def test_undo_and_redo_keep_the_selection(canvas):
    canvas.set_workflow(sample())
    canvas.select(["two", "three"])
    canvas.set_input_value("mul", "b", 5.0)
    canvas.undo_stack.undo()
    assert canvas.selected_node_ids() == ["two", "three"]
    canvas.undo_stack.redo()
    assert canvas.selected_node_ids() == ["two", "three"]


def test_undo_keeps_the_selection_of_nodes_that_still_exist(canvas):
    canvas.set_workflow(sample())
    added = canvas.add_node("math.negate", (0.0, 400.0))
    canvas.select(["two", added])
    canvas.undo_stack.undo()  # the added node is gone
    assert canvas.selected_node_ids() == ["two"]
    canvas.undo_stack.redo()  # redoing an add selects what it adds, as the add did
    assert canvas.selected_node_ids() == [added]


def test_selection_survives_a_redraw_of_the_selected_node(canvas):
    canvas.set_workflow(sample())
    canvas.select(["add"])
    canvas.rename("add", "plus")  # the label changes the node's look: the view node is recreated
    canvas.undo_stack.undo()
    assert canvas.view_node("add").view.name == "add"
    assert canvas.selected_node_ids() == ["add"]
