"""A Map's body runs one node: a second node added there joins the first in a Group (one undo step, said in
the status message), and the Map keeps its ports, wires and settings."""

from __future__ import annotations

from pflow_studio.runtime.container_types import GROUP_TYPE
from pflow_studio.runtime.model import Workflow
from pflow_studio.runtime.registry import default_registry
from pflow_studio.runtime.validation import validate


def wired_map(canvas) -> str:
    """numbers (range 0..3) -> Map over Multiply (a mapped, b = 2) -> Length: the Map's id."""
    workflow = Workflow()
    workflow.add_node("list.range", id="numbers", inputs={"stop": 3}, pos=(0, 0))
    workflow.add_node("math.multiply", id="mul", label="Multiply", inputs={"b": 2}, pos=(250, 0))
    workflow.add_node("list.length", id="count", pos=(500, 0))
    workflow.connect("numbers", "result", "mul", "a")
    workflow.connect("mul", "result", "count", "list")
    canvas.set_workflow(workflow)
    canvas.select(["mul"])
    return canvas.wrap_selected_in_map()


def map_picture(canvas, map_id: str) -> tuple:
    root = canvas.workflow()
    map_node = root.nodes[map_id]
    edges = sorted(str(e) for e in root.edges)
    return list(canvas.view_node(map_id).inputs()), list(canvas.view_node(map_id).outputs()), edges, \
        map_node.properties["mapped"]


def test_a_second_node_in_a_map_body_joins_the_first_in_a_group(qtbot, canvas):
    map_id = wired_map(canvas)
    before = map_picture(canvas, map_id)
    assert validate(canvas.workflow(), default_registry()) == []
    canvas.open_container(map_id)
    with qtbot.waitSignal(canvas.message) as said:
        add = canvas.add_node("math.add", (300, 0))
    assert "'Map' runs one node" in said.args[0] and "'Add'" in said.args[0]
    [group] = canvas.node_at((map_id,)).body.nodes.values()
    assert group.type_name == GROUP_TYPE and set(group.body.nodes) == {"mul", add}
    assert canvas.level_path() == (map_id, group.id)  # shown inside the Group, the new node selected
    assert canvas.selected_node_ids() == [add]
    canvas.go_to(())
    ins, outs, edges, mapped = map_picture(canvas, map_id)
    assert (ins, outs) == (before[0] + ["a_2", "b_2"], before[1] + ["result_2"])  # kept, and Add's open ones
    assert (edges, mapped) == before[2:]  # the Map kept its wires and mapped input
    problems = validate(canvas.workflow(), default_registry())
    assert {p.port for p in problems} == {"a_2"}  # only Add's input a waits for a wire (b defaults to 0)
    canvas.undo_stack.undo()
    assert list(canvas.node_at((map_id,)).body.nodes) == ["mul"]
    assert canvas.level_path() == (map_id,)
    canvas.undo_stack.redo()
    assert canvas.node_at((map_id,)).body.nodes[group.id].body.nodes.keys() == {"mul", add}


def test_a_node_added_to_a_map_over_a_group_goes_into_the_group(qtbot, canvas):
    map_id = wired_map(canvas)
    canvas.open_container(map_id)
    canvas.add_node("math.add", (300, 0))
    [group] = canvas.node_at((map_id,)).body.nodes
    canvas.go_to((map_id,))
    with qtbot.waitSignal(canvas.message) as said:
        negate = canvas.add_node("math.negate", (300, 200))
    assert "went into its Group 'Group'" in said.args[0]
    assert list(canvas.node_at((map_id,)).body.nodes) == [group]
    assert canvas.level_path() == (map_id, group)
    assert negate in canvas.node_at((map_id, group)).body.nodes


def test_pasting_two_nodes_into_an_empty_map_body_makes_one_group(canvas):
    one, two = canvas.add_node("math.add", (0, 0)), canvas.add_node("math.negate", (200, 0))
    assert canvas.connect(one, "result", two, "value")
    canvas.select([one, two])
    canvas.copy()
    map_id = canvas.add_node("core.map", (0, 300))
    canvas.open_container(map_id)
    canvas.paste()
    [group] = canvas.node_at((map_id,)).body.nodes.values()
    assert len(group.body.nodes) == 2 and len(group.body.edges) == 1
    canvas.go_to(())
    assert list(canvas.view_node(map_id).inputs()) == ["a", "b"]
    assert list(canvas.view_node(map_id).outputs()) == ["result"]
