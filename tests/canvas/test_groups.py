"""Groups and Maps on the canvas: round trips keep every connection, containers open for editing."""

from __future__ import annotations

from pflow_studio.canvas import levels
from pflow_studio.runtime.model import Edge, PortRef
from tests.support.canvas import drag_wire
from tests.support.workflows import sample


def test_collapse_ungroup_round_trip_keeps_every_edge(canvas):
    canvas.set_workflow(sample())
    before = canvas.workflow().canonical()
    canvas.select(["three", "add"])
    group = canvas.collapse_selection()
    root = canvas.workflow()
    assert set(root.nodes) == {"two", group, "mul"}
    assert {(e.source.node, e.target.node) for e in root.edges} == {("two", group), (group, "mul")}
    assert len(canvas._view.shown) == 2  # both outer edges drawn, to the group's boundary ports
    assert canvas.selected_node_ids() == [group]
    canvas.ungroup_selected()
    assert canvas.workflow().canonical() == before


def test_nested_groups_round_trip(canvas):
    canvas.set_workflow(sample())
    before = canvas.workflow().canonical()
    canvas.select(["add", "mul"])
    inner = canvas.collapse_selection()
    canvas.select(["three", inner])
    outer = canvas.collapse_selection()
    assert canvas.node_at((outer, inner)).type_name == "core.group"
    assert canvas.node_at((outer, inner, "mul")).type_name == "math.multiply"
    canvas.select([outer])
    canvas.ungroup_selected()
    canvas.select([inner])
    canvas.ungroup_selected()
    assert canvas.workflow().canonical() == before


def test_collapse_refused_with_a_message_when_it_would_make_a_cycle(qtbot, canvas):
    canvas.set_workflow(sample())
    canvas.select(["two", "mul"])  # add sits between them
    with qtbot.waitSignal(canvas.message) as blocker:
        assert canvas.collapse_selection() is None
    assert "cycle" in blocker.args[0]
    assert canvas.workflow().canonical() == sample().canonical()
    assert not canvas.undo_stack.canUndo()


def test_open_group_shows_inside_with_boundary_nodes(qtbot, canvas):
    canvas.set_workflow(sample())
    canvas.select(["add", "mul"])
    group = canvas.collapse_selection()
    with qtbot.waitSignal(canvas.level_changed) as blocker:
        canvas.widget.node_double_clicked.emit(group)  # what a double-click on the node emits
    assert blocker.args == [[(group, "Group")]]
    assert canvas.level_path() == (group,)
    assert set(canvas._view.nodes) == {"add", "mul", levels.INPUTS_NODE, levels.OUTPUTS_NODE}
    inputs = canvas.view_node(levels.INPUTS_NODE)
    assert list(inputs.outputs()) == ["a", "b", "b_2", levels.NEW_PORT]  # b_2: mul.b, fed by nothing inside
    # boundary inputs feed add.a / add.b; the inner edge add -> mul is drawn too
    assert canvas._view.shown[PortRef("add", "a")] == PortRef(levels.INPUTS_NODE, "a")
    assert canvas._view.shown[PortRef("mul", "a")] == PortRef("add", "result")
    assert canvas.selected_node_ids() == []
    with qtbot.waitSignal(canvas.level_changed) as blocker:
        canvas.go_up()
    assert blocker.args == [[]]


def open_group_with_a_new_node(canvas) -> tuple[str, str]:
    """sample() with add and mul collapsed into a Group, opened, a new negate node added inside: (group, negate)."""
    canvas.set_workflow(sample())
    canvas.select(["add", "mul"])
    group = canvas.collapse_selection()
    canvas.open_container(group)
    return group, canvas.add_node("math.negate", (300, 300))


def test_edit_inside_a_group_adds_a_group_output(qtbot, canvas):
    group, negate = open_group_with_a_new_node(canvas)
    assert canvas.connect("add", "result", negate, "value")
    drag_wire(qtbot, canvas, negate, "result", levels.OUTPUTS_NODE, levels.NEW_PORT)
    body = canvas.node_at((group,)).body
    exposed = ("result", PortRef("mul", "result"))  # mul is the sink of the collapsed nodes
    assert [(b.name, b.source) for b in body.outputs] == [exposed, ("result_2", PortRef(negate, "result"))]
    canvas.go_up()
    assert "result_2" in canvas.view_node(group).outputs()  # the group grew a port
    canvas.undo_stack.undo()  # the new boundary output
    assert canvas.level_path() == (group,)
    assert [(b.name, b.source) for b in canvas.node_at((group,)).body.outputs] == [exposed]


def test_boundary_input_feeds_a_new_inner_input_by_drag(qtbot, canvas):
    group, negate = open_group_with_a_new_node(canvas)
    drag_wire(qtbot, canvas, levels.INPUTS_NODE, "a", negate, "value")
    body = canvas.node_at((group,)).body
    assert PortRef(negate, "value") in body.boundary_input("a").targets
    assert canvas._view.shown[PortRef(negate, "value")] == PortRef(levels.INPUTS_NODE, "a")


def test_map_round_trip_and_open_body(qtbot, canvas):
    canvas.set_workflow(sample())
    before = canvas.workflow().canonical()
    canvas.select(["mul"])
    map_id = canvas.wrap_selected_in_map()
    map_node = canvas.workflow().nodes[map_id]
    assert map_node.type_name == "core.map" and map_node.properties["mapped"] == ["a"]
    assert Edge.of("add", "result", map_id, "a") in canvas.workflow().edges
    assert list(canvas.view_node(map_id).inputs()) == ["a", "b"]
    canvas.set_property(map_id, "combine", "product")
    canvas.open_container(map_id)
    assert set(canvas._view.nodes) == {"mul"}  # a Map body shows its function node only
    canvas.set_input_value("mul", "b", 2.0)
    canvas.go_up()
    canvas.undo_stack.undo()
    canvas.undo_stack.undo()
    canvas.select([map_id])
    canvas.unwrap_selected()
    assert canvas.workflow().canonical() == before


def test_wrap_several_nodes_makes_a_group_inside_the_map(canvas):
    canvas.set_workflow(sample())
    canvas.select(["add", "mul"])
    map_id = canvas.wrap_selected_in_map()
    (function,) = canvas.workflow().nodes[map_id].body.nodes.values()
    assert function.type_name == "core.group"
    assert canvas.undo_stack.count() == 1
    canvas.undo_stack.undo()
    assert canvas.workflow().canonical() == sample().canonical()


def test_reveal_opens_the_level_and_selects(canvas):
    canvas.set_workflow(sample())
    canvas.select(["add", "mul"])
    group = canvas.collapse_selection()
    canvas.reveal((group, "mul"))
    assert canvas.level_path() == (group,)
    assert canvas.selected_node_ids() == ["mul"]
