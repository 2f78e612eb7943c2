"""Copy/paste through the system clipboard, also between two Canvas instances."""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication

from pflow_studio.canvas import NODES_MIME_TYPE
from tests.support.workflows import sample


def test_copy_paste_between_two_canvases(canvas, other_canvas):
    other = other_canvas
    canvas.set_workflow(sample())
    canvas.select(["two", "three", "add"])
    canvas.copy()
    assert QGuiApplication.clipboard().mimeData().hasFormat(NODES_MIME_TYPE)
    other.paste()
    pasted = other.workflow()
    assert sorted(n.type_name for n in pasted.nodes.values()) == ["const.float", "const.float", "math.add"]
    assert not set(pasted.nodes) & set(canvas.workflow().nodes)  # fresh ids
    assert len(pasted.edges) == 2  # the edges among the copied nodes, not the one to 'mul'
    by_label = {n.label: n for n in pasted.nodes.values()}
    assert by_label["two"].properties == {"value": 2.0}
    assert by_label["two"].position == (40.0, 40.0)
    assert sorted(other.selected_node_ids()) == sorted(pasted.nodes)
    other.paste()
    assert len(other.workflow().nodes) == 6


def test_paste_of_groups_renews_nested_ids(canvas):
    canvas.set_workflow(sample())
    canvas.select(["add", "mul"])
    group = canvas.collapse_selection()
    canvas.select([group])
    canvas.copy()
    canvas.paste()
    ids = [node.id for node, _ in canvas.workflow().walk()]
    assert len(ids) == len(set(ids)) == 8


def test_paste_of_foreign_text_says_so(qtbot, canvas):
    QGuiApplication.clipboard().setText("hello")
    with qtbot.waitSignal(canvas.message) as blocker:
        canvas.paste()
    assert "cannot paste" in blocker.args[0]
    assert canvas.workflow().nodes == {}


def test_copy_with_nothing_selected_says_so(qtbot, canvas):
    with qtbot.waitSignal(canvas.message) as blocker:
        canvas.copy()
    assert "nothing selected" in blocker.args[0]
