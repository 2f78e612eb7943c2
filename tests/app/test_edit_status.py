"""In the window: a node added to a Map's body keeps the Map whole (the status bar says how), and deleting an
inner node says in the status bar what went with it."""

from __future__ import annotations

from tests.canvas.test_deletion_report import map_over_a_group
from tests.canvas.test_one_node_bodies import wired_map


def test_a_second_node_in_a_map_body_and_a_delete_inside_are_told_in_the_status_bar(qtbot, window):
    canvas = window.canvas
    map_id = wired_map(canvas)
    canvas.open_container(map_id)
    window.add_node_at_centre("math.negate")
    assert "'Map' runs one node" in window.statusBar().currentMessage()
    canvas.go_to(())
    assert list(canvas.view_node(map_id).inputs())[:2] == ["a", "b"]
    assert next(e.target for e in canvas.workflow().edges if e.target.node == map_id).port == "a"
    canvas.set_workflow(map_over_a_group())
    canvas.go_to(("map", "group"))
    canvas.select(["mul"])
    window.actions["delete"].trigger()
    assert window.statusBar().currentMessage().startswith("Deleted 'Multiply'; with it: 1 wire, input 'x' of")
    window.undo_action.trigger()
    assert canvas.workflow().canonical() == map_over_a_group().canonical()
