"""Large workflows load; the NodeGraphQt compat patches do what they say."""

from __future__ import annotations

from NodeGraphQt import BaseNode, NodeGraph
from NodeGraphQt.widgets import node_widgets
from NodeGraphQt.widgets.viewer import NodeViewer

from pflow_studio.canvas import compat
from pflow_studio.runtime.model import Workflow


def chain(count: int) -> Workflow:
    workflow = Workflow()
    previous = None
    for i in range(count):
        node = workflow.add_node("math.add", id=f"n{i}", pos=(i * 200.0, (i % 10) * 120.0))
        if previous is not None:
            workflow.connect(previous, "result", node.id, "a")
        previous = node.id
    return workflow


def test_two_thousand_nodes_load(canvas):
    canvas.set_workflow(chain(2000))
    assert len(canvas._view.nodes) == 2000
    assert len(canvas._view.shown) == 1999
    canvas.select_all()
    assert len(canvas.selected_node_ids()) == 2000
    canvas.frame_all()


def test_nodes_without_positions_get_a_layout(canvas):
    workflow = Workflow()
    workflow.add_node("const.float", id="x")
    workflow.add_node("math.negate", id="y")
    workflow.connect("x", "value", "y", "value")
    canvas.set_workflow(workflow)
    assert canvas.view_node("y").view.scenePos().x() > canvas.view_node("x").view.scenePos().x()
    assert "pos" not in workflow.nodes["x"].ui  # layout is a view matter until the user moves a node


class _WidgetNode(BaseNode):
    __identifier__ = "compat.test"
    NODE_NAME = "widgets"

    def __init__(self) -> None:
        super().__init__()
        self.add_combo_menu("mode", "mode", items=["a", "b"])


def test_title_align_stylesheet_is_applied_once(qtbot, monkeypatch):
    compat.apply()
    graph = NodeGraph()
    qtbot.addWidget(graph.widget)
    graph.register_node(_WidgetNode)
    node = graph.create_node("compat.test._WidgetNode")
    calls = []
    box = node.get_widget("mode").widget()
    original = node_widgets._NodeGroupBox.setStyleSheet
    monkeypatch.setattr(node_widgets._NodeGroupBox, "setStyleSheet",
                        lambda self, sheet: (calls.append(sheet), original(self, sheet)))
    for _ in range(5):
        node.view.draw_node()
    assert calls == []  # unchanged alignment: no stylesheet churn
    box.setTitle("renamed")
    node.view.draw_node()
    assert len(calls) == 1


def test_combined_rect_matches_the_original(qtbot):
    compat.apply()
    graph = NodeGraph()
    qtbot.addWidget(graph.widget)
    graph.register_node(_WidgetNode)
    nodes = [graph.create_node("compat.test._WidgetNode", pos=(i * 150, i * 40)) for i in range(5)]
    items = [n.view for n in nodes]
    viewer = graph.viewer()
    assert viewer._combined_rect(items) == NodeViewer._pflow_original_combined_rect(viewer, items)
    assert NodeViewer._combined_rect is not NodeViewer._pflow_original_combined_rect
