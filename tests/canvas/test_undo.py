"""Undo/redo of every kind of canvas action: the model returns exactly, and the view follows."""

from __future__ import annotations

import pytest

from pflow_studio.canvas import UNSET, Canvas
from pflow_studio.runtime.model import PortRef
from tests.support.workflows import sample


def state(canvas: Canvas) -> tuple:
    """The model, positions and labels included."""
    root = canvas.workflow()
    hints = sorted((n.id, tuple(n.position), n.ui.get("label")) for n, _ in root.walk())
    return root.canonical(), hints


def shown(canvas: Canvas) -> tuple:
    """What the view shows of the current level: node ids and drawn edges."""
    return sorted(canvas._view.nodes), sorted(canvas._view.shown.items())


def check_undo_redo(canvas: Canvas, action) -> None:
    """Run `action` as one undo step; undo restores model and view; redo restores the edit."""
    before, before_view = state(canvas), shown(canvas)
    count = canvas.undo_stack.count()
    action()
    assert canvas.undo_stack.count() == count + 1, "the action must be exactly one undo step"
    after, after_view = state(canvas), shown(canvas)
    assert after != before
    canvas.undo_stack.undo()
    assert state(canvas) == before
    assert shown(canvas) == before_view
    canvas.undo_stack.redo()
    assert state(canvas) == after
    assert shown(canvas) == after_view


@pytest.fixture
def loaded(canvas):
    canvas.set_workflow(sample())
    assert not canvas.undo_stack.canUndo()
    return canvas


def test_add(loaded):
    check_undo_redo(loaded, lambda: loaded.add_node("math.negate", (900, 0)))


def test_delete(loaded):
    loaded.select(["add"])
    check_undo_redo(loaded, loaded.delete_selected)
    assert "add" not in loaded.workflow().nodes


def test_move(loaded):
    def move():
        item = loaded.view_node("mul").view
        item.setPos(700, 300)
        loaded.widget.moved_nodes.emit({item: [600.0, 100.0]})  # what the viewer emits on release

    check_undo_redo(loaded, move)
    assert loaded.workflow().nodes["mul"].position == (700.0, 300.0)


def test_rename(loaded):
    check_undo_redo(loaded, lambda: loaded.rename("add", "sum"))
    assert loaded.view_node("add").view.name == "sum"


def test_rename_in_place_through_the_view(loaded):
    check_undo_redo(loaded, lambda: loaded.widget.node_name_changed.emit("add", "total"))
    assert loaded.workflow().nodes["add"].label == "total"


def test_connect(loaded):
    loaded.add_node("const.float", (0, 400))
    new = next(n for n in loaded.workflow().nodes if n not in sample().nodes)
    check_undo_redo(loaded, lambda: loaded.connect(new, "value", "mul", "b"))


def test_replace_connection(loaded):
    check_undo_redo(loaded, lambda: loaded.connect("three", "value", "add", "a"))
    assert loaded.workflow().edge_into(PortRef("add", "a")).source.node == "three"


def test_disconnect(loaded):
    check_undo_redo(loaded, lambda: loaded.disconnect_ports("add", "result", "mul", "a"))


def test_property_edit(loaded):
    check_undo_redo(loaded, lambda: loaded.set_property("two", "value", 5.5))
    loaded.set_property("two", "value", 5.5)  # same value again: no new step
    assert loaded.undo_stack.count() == 1
    check_undo_redo(loaded, lambda: loaded.set_property("two", "value", UNSET))
    assert "value" not in loaded.workflow().nodes["two"].properties


def test_input_value_edit(loaded):
    check_undo_redo(loaded, lambda: loaded.set_input_value("mul", "b", 4.0))
    assert loaded.workflow().nodes["mul"].input_values == {"b": 4.0}


def test_paste(loaded):
    loaded.select(["two", "three", "add"])
    loaded.copy()
    check_undo_redo(loaded, loaded.paste)
    assert len(loaded.workflow().nodes) == 7


def test_cut(loaded):
    loaded.select(["mul"])
    check_undo_redo(loaded, loaded.cut)


def test_collapse_and_ungroup(loaded):
    loaded.select(["add", "mul"])
    check_undo_redo(loaded, loaded.collapse_selection)
    (group,) = [n for n in loaded.workflow().nodes.values() if n.type_name == "core.group"]
    loaded.select([group.id])
    check_undo_redo(loaded, loaded.ungroup_selected)


def test_wrap_and_unwrap(loaded):
    loaded.select(["mul"])
    check_undo_redo(loaded, loaded.wrap_selected_in_map)
    (map_node,) = [n for n in loaded.workflow().nodes.values() if n.type_name == "core.map"]
    check_undo_redo(loaded, lambda: loaded.set_property(map_node.id, "combine", "product"))  # Map settings
    loaded.select([map_node.id])
    check_undo_redo(loaded, loaded.unwrap_selected)


def test_undo_of_an_edit_inside_a_group_goes_back_there(loaded):
    loaded.select(["add", "mul"])
    group = loaded.collapse_selection()
    loaded.open_container(group)
    loaded.set_input_value("mul", "b", 7.0)
    loaded.go_up()
    loaded.undo_stack.undo()
    assert loaded.level_path() == (group,)
    assert loaded.node_at((group, "mul")).input_values == {"b": 10.0}
    loaded.undo_stack.undo()  # the collapse: the group is gone, the canvas returns to the root
    assert loaded.level_path() == ()
    assert loaded.workflow().canonical() == sample().canonical()


def test_undo_stack_cleared_by_set_workflow(loaded):
    loaded.add_node("const.int")
    assert loaded.undo_stack.canUndo()
    loaded.set_workflow(sample())
    assert not loaded.undo_stack.canUndo()
