"""Building a graph on the canvas: API and real mouse gestures, quick add, refused connections."""

from __future__ import annotations

from PySide6.QtCore import QMimeData, QPoint, Qt

from pflow_studio.canvas import NODE_TYPE_MIME, Canvas
from pflow_studio.runtime.model import Edge
from tests.support.canvas import drag, drag_wire, node_point, port_point


def pipes_into(canvas: Canvas, node_id: str, port: str) -> list:
    return list(canvas.view_node(node_id).inputs()[port].view.connected_pipes)


def test_nodes_from_definitions_show_typed_ports(canvas):
    add = canvas.add_node("math.add", (0, 0))
    view = canvas.view_node(add)
    assert list(view.inputs()) == ["a", "b"]
    assert list(view.outputs()) == ["result"]
    assert type(view).pflow_type == "math.add"
    assert type(canvas.view_node(canvas.add_node("math.subtract", (0, 200)))) is not type(view)
    assert canvas.view_node(canvas.add_node("math.add", (0, 400))).__class__ is type(view)  # one class per type
    assert view.view.name == "Add"
    assert canvas.workflow().nodes[add].type_name == "math.add"


def test_connect_by_api_updates_model_and_view(canvas):
    one = canvas.add_node("const.float", (0, 0))
    add = canvas.add_node("math.add", (250, 0))
    assert canvas.connect(one, "value", add, "a")
    assert canvas.workflow().edges == [Edge.of(one, "value", add, "a")]
    assert len(pipes_into(canvas, add, "a")) == 1


def test_connect_by_mouse_drag(qtbot, canvas):
    one = canvas.add_node("const.float", (0, 0))
    add = canvas.add_node("math.add", (300, 60))
    with qtbot.waitSignal(canvas.changed, timeout=2000):
        drag_wire(qtbot, canvas, one, "value", add, "b")
    assert canvas.workflow().edges == [Edge.of(one, "value", add, "b")]
    assert len(pipes_into(canvas, add, "b")) == 1
    canvas.undo_stack.undo()
    assert canvas.workflow().edges == []
    assert pipes_into(canvas, add, "b") == []


def test_refused_drag_says_why_and_leaves_no_wire(qtbot, canvas):
    text = canvas.add_node("const.str", (0, 0))
    add = canvas.add_node("math.add", (300, 60))
    with qtbot.waitSignal(canvas.message, timeout=2000) as blocker:
        drag_wire(qtbot, canvas, text, "value", add, "a")
    assert "type mismatch" in blocker.args[0] and "str" in blocker.args[0] and "float" in blocker.args[0]
    assert canvas.workflow().edges == []
    assert pipes_into(canvas, add, "a") == []
    assert not canvas.undo_stack.canUndo() or canvas.undo_stack.undoText().startswith("add")


def test_refused_api_connection_returns_false_with_message(qtbot, canvas):
    text = canvas.add_node("const.str", (0, 0))
    add = canvas.add_node("math.add", (300, 0))
    with qtbot.waitSignal(canvas.message) as blocker:
        assert not canvas.connect(text, "value", add, "a")
    assert "type mismatch" in blocker.args[0]
    with qtbot.waitSignal(canvas.message) as blocker:
        assert not canvas.connect(add, "nope", add, "a")
    assert canvas.workflow().edges == []


def test_cycle_refused(qtbot, canvas):
    first = canvas.add_node("math.add", (0, 0))
    second = canvas.add_node("math.add", (300, 0))
    assert canvas.connect(first, "result", second, "a")
    with qtbot.waitSignal(canvas.message) as blocker:
        assert not canvas.connect(second, "result", first, "a")
    assert "cycle" in blocker.args[0]
    with qtbot.waitSignal(canvas.message, timeout=2000) as blocker:
        drag_wire(qtbot, canvas, second, "result", first, "b")
    assert "cycle" in blocker.args[0]
    assert canvas.workflow().edges == [Edge.of(first, "result", second, "a")]
    assert pipes_into(canvas, first, "b") == []


def test_second_edge_into_an_input_replaces_the_first(qtbot, canvas):
    one = canvas.add_node("const.float", (0, 0))
    two = canvas.add_node("const.int", (0, 200))
    add = canvas.add_node("math.add", (300, 60))
    assert canvas.connect(one, "value", add, "a")
    drag_wire(qtbot, canvas, two, "value", add, "a")
    assert canvas.workflow().edges == [Edge.of(two, "value", add, "a")]
    assert len(pipes_into(canvas, add, "a")) == 1
    canvas.undo_stack.undo()
    assert canvas.workflow().edges == [Edge.of(one, "value", add, "a")]
    assert len(pipes_into(canvas, add, "a")) == 1


def test_drag_wire_off_an_input_disconnects(qtbot, canvas):
    one = canvas.add_node("const.float", (0, 0))
    add = canvas.add_node("math.add", (300, 60))
    assert canvas.connect(one, "value", add, "a")
    start = port_point(canvas, add, "a", False)
    drag(qtbot, canvas, start, start + QPoint(0, 250))
    assert canvas.workflow().edges == []
    assert pipes_into(canvas, add, "a") == []
    canvas.undo_stack.undo()
    assert canvas.workflow().edges == [Edge.of(one, "value", add, "a")]


def test_tab_quick_add_adds_the_chosen_type(qtbot, canvas):
    canvas.widget.setFocus()
    qtbot.keyClick(canvas.widget, Qt.Key.Key_Tab)
    popup = canvas._quick_add
    assert popup.isVisible()
    qtbot.keyClicks(popup.filter, "subtract")
    assert popup.list.count() >= 1
    assert "math.subtract" in popup.list.currentItem().text()
    qtbot.keyClick(popup.filter, Qt.Key.Key_Return)
    assert not popup.isVisible()
    (node,) = canvas.workflow().nodes.values()
    assert node.type_name == "math.subtract"
    assert canvas.selected_node_ids() == [node.id]


def test_quick_add_escape_adds_nothing(qtbot, canvas):
    canvas.show_quick_add()
    qtbot.keyClick(canvas._quick_add.filter, Qt.Key.Key_Escape)
    assert not canvas._quick_add.isVisible()
    assert canvas.workflow().nodes == {}


def test_drop_of_a_node_type_adds_it_there(canvas):
    mime = QMimeData()
    mime.setData(NODE_TYPE_MIME, b"const.int")
    canvas.widget.data_dropped.emit(mime, QPoint(120, 80))
    (node,) = canvas.workflow().nodes.values()
    assert (node.type_name, node.position) == ("const.int", (120.0, 80.0))


def test_move_by_mouse_updates_model_and_undoes(qtbot, canvas):
    node_id = canvas.add_node("const.int", (0, 0))
    start = node_point(canvas, node_id)
    drag(qtbot, canvas, start, start + QPoint(100, 50))
    x, y = canvas.workflow().nodes[node_id].position
    assert x > 30 and y > 15
    assert canvas.undo_stack.undoText().startswith("move")
    canvas.undo_stack.undo()
    assert canvas.workflow().nodes[node_id].position == (0.0, 0.0)
    assert canvas.view_node(node_id).view.scenePos().x() == 0.0


def test_double_click_plain_node_activates_it(qtbot, canvas):
    node_id = canvas.add_node("const.int", (0, 0))
    with qtbot.waitSignal(canvas.node_activated) as blocker:
        canvas.widget.node_double_clicked.emit(node_id)
    assert blocker.args == [node_id]


def test_selection_signal_and_select_all(qtbot, canvas):
    ids = [canvas.add_node("const.int", (0, i * 120)) for i in range(3)]
    with qtbot.waitSignal(canvas.selection_changed) as blocker:
        canvas.select_all()
    assert blocker.args == [ids]
    with qtbot.waitSignal(canvas.selection_changed) as blocker:
        qtbot.mouseClick(canvas.widget.viewport(), Qt.MouseButton.LeftButton, pos=node_point(canvas, ids[1]))
    assert blocker.args == [[ids[1]]]
    canvas.frame_all()
