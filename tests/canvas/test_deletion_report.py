"""Deleting says what went with the nodes (Group ports, wires above, a Map's settings), and undo brings it all back."""

from __future__ import annotations

from pflow_studio.runtime.model import BoundaryInput, BoundaryOutput, PortRef, Workflow
from pflow_studio.runtime.operations import wrap_in_map


def map_over_a_group() -> Workflow:
    """numbers, factor -> Map (x mapped, y broadcast) over Group {mul(x, y) -> add} -> count."""
    body = Workflow()
    body.add_node("math.multiply", id="mul", label="Multiply", pos=(0, 0))
    body.add_node("math.add", id="add", label="Add", pos=(250, 0))
    body.connect("mul", "result", "add", "a")
    body.inputs = [BoundaryInput("x", [PortRef("mul", "a")]), BoundaryInput("y", [PortRef("mul", "b")])]
    body.outputs = [BoundaryOutput("out", PortRef("add", "result"))]
    workflow = Workflow()
    workflow.add_node("list.range", id="numbers", inputs={"stop": 3}, pos=(0, 0))
    workflow.add_node("const.float", {"value": 2.0}, id="factor", pos=(0, 200))
    workflow.add_node("core.group", id="group", label="Group", body=body, pos=(250, 0))
    workflow.add_node("list.length", id="count", label="count", pos=(500, 0))
    wrap_in_map(workflow, "group", mapped=["x"], map_id="map")
    workflow.nodes["map"].ui["label"] = "Map"
    workflow.connect("numbers", "result", "map", "x")
    workflow.connect("factor", "value", "map", "y")
    workflow.connect("map", "out", "count", "list")
    return workflow


def delete(qtbot, canvas, path: tuple[str, ...], node_ids: list[str]) -> str:
    canvas.go_to(path)
    canvas.select(node_ids)
    with qtbot.waitSignal(canvas.message) as said:
        canvas.delete_selected()
    return said.args[0]


def test_deleting_an_inner_node_says_what_went_above_and_undo_restores_it(qtbot, canvas):
    canvas.set_workflow(map_over_a_group())
    before = canvas.workflow().canonical()
    said = delete(qtbot, canvas, ("map", "group"), ["mul"])
    assert said == ("Deleted 'Multiply'; with it: 1 wire, input 'x' of 'Group', input 'y' of 'Group', "
                    "2 wires at the top level, 'Map' mapped input 'x'")
    assert canvas.node_at(("map",)).properties["mapped"] == []
    canvas.undo_stack.undo()
    assert canvas.workflow().canonical() == before
    canvas.undo_stack.redo()
    canvas.undo_stack.undo()
    assert canvas.workflow().canonical() == before


def test_plain_deletes_count_their_wires_and_an_emptied_map_says_so(qtbot, canvas):
    canvas.set_workflow(map_over_a_group())
    before = canvas.workflow().canonical()
    assert delete(qtbot, canvas, (), ["count"]) == "Deleted 'count'; with it: 1 wire"
    said = delete(qtbot, canvas, ("map",), ["group"])
    assert said == "Deleted 'Group'; with it: the ports of 'Map' (its body is empty: add a node to it)"
    assert delete(qtbot, canvas, (), ["factor"]) == "Deleted 'Float'; with it: 1 wire"  # kept for the Map's next node
    canvas.undo_stack.undo()
    canvas.undo_stack.undo()
    canvas.undo_stack.undo()
    assert canvas.workflow().canonical() == before
