"""Backdrops on the canvas: added around nodes, edited, removed, each an undo step; dragging one moves the nodes
on it in the same step; each level has its own; their saved form reads back exactly."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRectF

from pflow_studio.canvas.backdrops import with_backdrops
from pflow_studio.runtime.model import Workflow
from tests.support.canvas import drag


def two_nodes() -> Workflow:
    workflow = Workflow()
    workflow.add_node("const.int", {"value": 2}, id="two", pos=(0, 0))
    workflow.add_node("math.add", id="add", pos=(250, 0))
    workflow.connect("two", "value", "add", "a")
    workflow.add_node("math.add", id="far", pos=(900, 400))
    return workflow


def item_rect(canvas, node_id: str) -> QRectF:
    return canvas.view_node(node_id).view.sceneBoundingRect()


def test_a_backdrop_frames_the_selection_and_is_undoable(canvas):
    canvas.set_workflow(two_nodes())
    backdrops = canvas.backdrops
    backdrop_id = backdrops.add(["two", "add"], "Inputs\nwhere the numbers come from")
    backdrop = backdrops.backdrop(backdrop_id)
    frame = QRectF(*backdrop.rect)
    assert frame.contains(item_rect(canvas, "two")) and frame.contains(item_rect(canvas, "add"))
    assert not frame.intersects(item_rect(canvas, "far"))
    item = backdrops.items[backdrop_id]
    assert item.view.name == "Inputs" and item.view.backdrop_text == "where the numbers come from"
    assert item.view.sceneBoundingRect().contains(item_rect(canvas, "add"))
    backdrops.set_text(backdrop_id, "Sources")
    assert backdrops.items[backdrop_id].view.name == "Sources"
    canvas.undo_stack.undo()
    assert backdrops.backdrop(backdrop_id).title == "Inputs"
    canvas.undo_stack.undo()
    assert backdrops.level() == [] and backdrop_id not in backdrops.items
    assert backdrop_id not in canvas.graph.model.nodes
    canvas.undo_stack.redo()
    assert backdrops.items[backdrop_id].view.name == "Inputs"


def test_dragging_a_backdrop_moves_the_nodes_on_it_in_one_undo_step(canvas, qtbot):
    canvas.set_workflow(two_nodes())
    canvas.frame_all()
    backdrops = canvas.backdrops
    backdrop_id = backdrops.add(["two", "add"], "Inputs")
    before = {n: tuple(canvas.workflow().nodes[n].position) for n in ("two", "add", "far")}
    x, y, width, _height = backdrops.backdrop(backdrop_id).rect
    title = canvas.widget.mapFromScene(x + width / 2, y + 8)
    steps = canvas.undo_stack.count()
    drag(qtbot, canvas, title, title + QPoint(60, 40))
    moved = backdrops.backdrop(backdrop_id).rect
    dx, dy = moved[0] - x, moved[1] - y
    assert dx > 20 and dy > 10
    for node_id in ("two", "add"):
        nx, ny = canvas.workflow().nodes[node_id].position
        assert (round(nx - before[node_id][0], 1), round(ny - before[node_id][1], 1)) == (round(dx, 1), round(dy, 1))
    assert tuple(canvas.workflow().nodes["far"].position) == before["far"]
    assert canvas.undo_stack.count() == steps + 1
    canvas.undo_stack.undo()
    assert backdrops.backdrop(backdrop_id).rect[:2] == (x, y)
    assert {n: tuple(canvas.workflow().nodes[n].position) for n in before} == before


def test_delete_removes_selected_backdrops_and_remove_keeps_the_nodes(canvas):
    canvas.set_workflow(two_nodes())
    backdrops = canvas.backdrops
    first = backdrops.add(["two"], "One")
    backdrops.select_only(first)
    canvas.delete_selected()
    assert backdrops.level() == [] and set(canvas.workflow().nodes) == {"two", "add", "far"}
    second = backdrops.add(["add"], "Two")
    backdrops.remove([second])
    assert backdrops.level() == [] and "add" in canvas.workflow().nodes


def test_each_level_has_its_own_backdrops_and_the_saved_form_reads_back(canvas, qtbot):
    workflow = two_nodes()
    canvas.set_workflow(workflow)
    canvas.select(["two", "add"])
    group = canvas.collapse_selection()
    top = canvas.backdrops.add([group], "Top")
    canvas.go_to((group,))
    inner = canvas.backdrops.add(["add"], "Inside\nthe group")
    assert [b.id for b in canvas.backdrops.level()] == [inner] and set(canvas.backdrops.items) == {inner}
    canvas.go_up()
    assert set(canvas.backdrops.items) == {top}
    saved = canvas.backdrops.saved()
    assert set(saved) == {"", group}
    canvas.set_workflow(canvas.workflow(), saved)
    assert canvas.backdrops.saved() == saved and set(canvas.backdrops.items) == {top}
    canvas.set_workflow(Workflow())
    assert canvas.backdrops.saved() == {} and canvas.backdrops.items == {}


def test_bad_saved_entries_are_skipped_and_meta_without_backdrops_stays_as_it_was(canvas):
    canvas.set_workflow(Workflow(), {"": [{"id": "b", "rect": [0, 0, 10]}, "junk",
                                          {"id": "ok", "text": "T", "rect": [1, 2, 300, 200]}], "x": 5})
    assert [b.id for b in canvas.backdrops.level()] == ["ok"]
    meta = {"name": "n", "description": "d"}
    assert with_backdrops(meta, {}) == meta
    assert with_backdrops({**meta, "ui": {"zoom": 2, "backdrops": {"": []}}}, {}) == {**meta, "ui": {"zoom": 2}}
    assert with_backdrops(meta, {"": [1]}) == {**meta, "ui": {"backdrops": {"": [1]}}}


def test_resizing_by_the_corner_handle_is_recorded_and_undoable(canvas, qtbot):
    canvas.set_workflow(two_nodes())
    canvas.frame_all()
    backdrops = canvas.backdrops
    backdrop_id = backdrops.add(["two"], "One")
    x, y, width, height = backdrops.backdrop(backdrop_id).rect
    sizer = backdrops.items[backdrop_id].view._sizer.sceneBoundingRect().center()
    start = canvas.widget.mapFromScene(sizer)
    drag(qtbot, canvas, start, start + QPoint(80, 50))
    _x, _y, new_width, new_height = backdrops.backdrop(backdrop_id).rect
    assert new_width > width + 40 and new_height > height + 20
    canvas.undo_stack.undo()
    assert backdrops.backdrop(backdrop_id).rect == (x, y, width, height)
    assert abs(backdrops.items[backdrop_id].view.width - width) < 0.01
