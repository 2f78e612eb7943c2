"""Collapse exposes what a Group needs; boundary ports are renamed in place (a double-click on the name),
with the wires, Map settings, saved file and runs following, as one undoable step."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit

from pflow_studio.canvas import levels
from pflow_studio.canvas.port_rename import EDITOR_NAME
from pflow_studio.canvas.viewer import port_label_item
from pflow_studio.project.codec import decode_workflow, encode_workflow
from pflow_studio.runtime.executor import Executor
from pflow_studio.runtime.model import PortRef, Workflow
from pflow_studio.runtime.registry import default_registry
from pflow_studio.runtime.validation import validate


def multiply_then_add() -> Workflow:
    """mul (a, b) -> add.a; add.b unset: the tutorial's first two nodes, wired and nothing else."""
    workflow = Workflow()
    workflow.add_node("math.multiply", id="mul", label="Multiply", pos=(0, 0))
    workflow.add_node("math.add", id="add", label="Add", pos=(250, 0))
    workflow.connect("mul", "result", "add", "a")
    return workflow


def collapsed(canvas) -> str:
    canvas.set_workflow(multiply_then_add())
    canvas.select(["mul", "add"])
    return canvas.collapse_selection()


def test_collapse_exposes_the_open_inputs_and_the_sink_outputs(canvas):
    group = collapsed(canvas)
    body = canvas.node_at((group,)).body
    assert [(b.name, b.targets) for b in body.inputs] == [
        ("a", [PortRef("mul", "a")]), ("b", [PortRef("mul", "b")]), ("b_2", [PortRef("add", "b")])]
    assert [(b.name, b.source) for b in body.outputs] == [("result", PortRef("add", "result"))]
    assert list(canvas.view_node(group).inputs()) == ["a", "b", "b_2"]
    assert list(canvas.view_node(group).outputs()) == ["result"]
    canvas.select([group])
    canvas.ungroup_selected()
    assert canvas.workflow().canonical() == multiply_then_add().canonical()


def test_collapse_with_a_node_of_an_unknown_type_exposes_the_known_ones(canvas):
    workflow = multiply_then_add()
    workflow.add_node("plugin.gone", id="gone", label="Gone", pos=(0, 200))
    canvas.set_workflow(workflow)
    canvas.select(["mul", "add", "gone"])
    group = canvas.collapse_selection()
    assert list(canvas.view_node(group).inputs()) == ["a", "b", "b_2"]


def feed(canvas, group: str, port: str, value: float) -> str:
    number = canvas.add_node("const.float", (-300, 0))
    canvas.set_property(number, "value", value)
    assert canvas.connect(number, "value", group, port)
    return number


def run_result(workflow: Workflow, node: str, port: str):
    result = Executor(default_registry(), cache=False).run(workflow)
    assert result.ok, result.failures
    return result.outputs[node][port]


def test_a_renamed_group_port_keeps_its_wire_value_file_and_run(canvas):
    group = collapsed(canvas)
    feed(canvas, group, "a", 2.0)
    feed(canvas, group, "b", 3.0)
    feed(canvas, group, "b_2", 1.0)
    before = canvas.workflow().canonical()
    assert canvas.rename_port(group, "input", "b_2", "offset")
    root = canvas.workflow()
    assert [b.name for b in canvas.node_at((group,)).body.inputs] == ["a", "b", "offset"]
    assert PortRef(group, "offset") in {e.target for e in root.edges}
    assert list(canvas.view_node(group).inputs()) == ["a", "b", "offset"]
    assert validate(root, default_registry()) == []
    assert run_result(root, group, "result") == 7.0
    reopened = decode_workflow(encode_workflow(root), default_registry())
    assert reopened.canonical() == root.canonical()
    canvas.undo_stack.undo()
    assert canvas.workflow().canonical() == before
    assert list(canvas.view_node(group).inputs()) == ["a", "b", "b_2"]
    canvas.undo_stack.redo()
    assert run_result(canvas.workflow(), group, "result") == 7.0


def test_renames_are_refused_with_a_reason(qtbot, canvas):
    group = collapsed(canvas)
    with qtbot.waitSignal(canvas.message) as taken:
        assert not canvas.rename_port(group, "input", "a", "b")
    assert "already has an input 'b'" in taken.args[0]
    multiply = canvas.add_node("math.multiply", (0, 300))
    canvas.select([multiply])
    plain_map = canvas.wrap_selected_in_map()
    with qtbot.waitSignal(canvas.message) as fixed:
        assert not canvas.rename_port(plain_map, "input", "a", "x")
    assert "collapse that node into a Group" in fixed.args[0]
    assert not canvas.undo_stack.command(canvas.undo_stack.count() - 1).text().startswith("rename port")


def test_a_map_over_a_group_renames_its_port_and_its_mapped_list(canvas):
    group = collapsed(canvas)
    canvas.select([group])
    map_id = canvas.wrap_selected_in_map()
    canvas.set_input_value(map_id, "a", [1.0, 2.0])
    canvas.set_input_value(map_id, "b", 10.0)
    assert canvas.node_at((map_id,)).properties["mapped"] == ["a"]
    assert canvas.rename_port(map_id, "input", "a", "x")
    assert canvas.rename_port(map_id, "output", "result", "total")
    map_node = canvas.node_at((map_id,))
    assert map_node.properties["mapped"] == ["x"]
    assert [b.name for b in canvas.node_at((map_id, group)).body.inputs] == ["x", "b", "b_2"]
    assert list(canvas.view_node(map_id).inputs()) == ["x", "b", "b_2"]
    assert map_node.input_values == {"x": [1.0, 2.0], "b": 10.0}
    assert run_result(canvas.workflow(), map_id, "total") == [10.0, 20.0]  # add.b defaults to 0


def test_boundary_node_ports_inside_the_group_rename_the_group_port(canvas):
    group = collapsed(canvas)
    number = feed(canvas, group, "a", 2.0)
    canvas.open_container(group)
    assert canvas.rename_port(levels.INPUTS_NODE, "output", "a", "first")
    assert canvas.rename_port(levels.OUTPUTS_NODE, "input", "result", "sum")
    assert list(canvas.view_node(levels.INPUTS_NODE).outputs()) == ["first", "b", "b_2", levels.NEW_PORT]
    canvas.go_up()
    assert {(e.source.node, e.target.port) for e in canvas.workflow().edges} == {(number, "first")}
    assert list(canvas.view_node(group).outputs()) == ["sum"]


def double_click_port_name(qtbot, canvas, node_id: str, side: str, port: str) -> QLineEdit:
    label = port_label_item(canvas.view_node(node_id).view, side, port)
    point = canvas.widget.mapFromScene(label.sceneBoundingRect().center())
    qtbot.mouseDClick(canvas.widget.viewport(), Qt.MouseButton.LeftButton, pos=point)
    [editor] = [e for e in canvas.widget.viewport().findChildren(QLineEdit, EDITOR_NAME) if e.isVisible()]
    return editor


def test_double_click_on_a_port_name_renames_it_in_place(qtbot, canvas):
    group = collapsed(canvas)
    editor = double_click_port_name(qtbot, canvas, group, "input", "b_2")
    assert editor.text() == "b_2" and editor.selectedText() == "b_2"
    assert canvas.level_path() == ()  # the Group was not opened
    qtbot.keyClicks(editor, "offset")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert list(canvas.view_node(group).inputs()) == ["a", "b", "offset"]
    editor = double_click_port_name(qtbot, canvas, group, "output", "result")
    qtbot.keyClicks(editor, "ignored")
    qtbot.keyClick(editor, Qt.Key.Key_Escape)
    assert list(canvas.view_node(group).outputs()) == ["result"]
    canvas.undo_stack.undo()
    assert list(canvas.view_node(group).inputs()) == ["a", "b", "b_2"]


def test_an_exposed_input_wired_inside_instead_goes_unless_used_outside(canvas):
    canvas.set_workflow(multiply_then_add())
    canvas.disconnect_ports("mul", "result", "add", "a")
    canvas.select(["mul", "add"])
    group = canvas.collapse_selection()
    assert [b.name for b in canvas.node_at((group,)).body.inputs] == ["a", "b", "a_2", "b_2"]
    feed(canvas, group, "b_2", 1.0)
    canvas.open_container(group)
    assert canvas.connect("mul", "result", "add", "a")  # add.a was fed by the Group's a_2
    assert canvas.connect("mul", "result", "add", "b")  # add.b by b_2, wired outside
    assert [b.name for b in canvas.node_at((group,)).body.inputs] == ["a", "b", "b_2"]
    canvas.undo_stack.undo()
    canvas.undo_stack.undo()
    assert [b.name for b in canvas.node_at((group,)).body.inputs] == ["a", "b", "a_2", "b_2"]
