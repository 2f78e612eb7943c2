"""Framing keeps port labels readable: a graph too wide to fit at that size is shown at MIN_LABEL_PX (centred),
a small one is still shown whole."""

from __future__ import annotations

from PySide6.QtCore import QRectF

from pflow_studio.canvas.framing import MIN_LABEL_PX, label_pixels
from pflow_studio.runtime.model import Workflow


def row_of_adds(count: int) -> Workflow:
    """`count` Add nodes in a row, 260 scene units apart, each wired to the next."""
    workflow = Workflow()
    for n in range(count):
        workflow.add_node("math.add", id=f"add{n}", pos=(n * 260, 0))
        if n:
            workflow.connect(f"add{n - 1}", "result", f"add{n}", "a")
    return workflow


def label_size(canvas) -> float:
    return label_pixels(canvas.widget, [canvas.view_node(n).view for n in canvas.workflow().nodes])


def visible_scene_rect(canvas) -> QRectF:
    return canvas.widget.mapToScene(canvas.widget.viewport().rect()).boundingRect()


def test_frame_all_keeps_port_labels_readable_on_a_wide_graph(canvas):
    canvas.set_workflow(row_of_adds(16))  # ~4,200 units wide in a 1,000 px view
    canvas.frame_all()
    assert label_size(canvas) >= MIN_LABEL_PX - 0.01
    middle = canvas.view_node("add8").view.sceneBoundingRect()
    assert visible_scene_rect(canvas).contains(middle)  # centred on the graph


def test_frame_all_still_shows_a_small_graph_whole(canvas):
    canvas.set_workflow(row_of_adds(3))
    canvas.frame_all()
    shown = visible_scene_rect(canvas)
    assert all(shown.contains(canvas.view_node(f"add{n}").view.sceneBoundingRect()) for n in range(3))
    assert label_size(canvas) >= MIN_LABEL_PX
