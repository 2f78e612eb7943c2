"""The canvas fixture (a shown Canvas on an empty workflow) and real mouse gestures on its NodeGraphQt viewport."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt

from pflow_studio.canvas import Canvas
from pflow_studio.runtime.model import Workflow


@pytest.fixture
def canvas(qtbot) -> Canvas:
    """A Canvas on an empty workflow, its view shown at 1000x700."""
    return shown_canvas(qtbot)


@pytest.fixture
def other_canvas(qtbot) -> Canvas:
    """A second Canvas, as `canvas`. (A Canvas must be a fixture's, not a test's local: one dropped at the end
    of a test before its widget was closed left wrappers of deleted Qt objects that crashed a later garbage
    collection.)"""
    return shown_canvas(qtbot)


def shown_canvas(qtbot) -> Canvas:
    """A Canvas on an empty workflow, its view shown at 1000x700, closed by qtbot at the end of the test."""
    canvas = Canvas()
    qtbot.addWidget(canvas.widget)
    canvas.widget.resize(1000, 700)
    canvas.widget.show()
    canvas.set_workflow(Workflow())
    return canvas


def port_point(canvas: Canvas, node_id: str, port: str, output: bool) -> QPoint:
    """Viewport position of the centre of a port of a node on the shown level."""
    node = canvas.view_node(node_id)
    ports = node.outputs() if output else node.inputs()
    rect = ports[port].view.sceneBoundingRect()
    return canvas.widget.mapFromScene(rect.center())


def node_point(canvas: Canvas, node_id: str) -> QPoint:
    """Viewport position of a point on a node's title area (left part, clear of ports and name)."""
    item = canvas.view_node(node_id).view
    rect = item.sceneBoundingRect()
    return canvas.widget.mapFromScene(rect.center().x(), rect.top() + 6)


def drag(qtbot, canvas: Canvas, start: QPoint, end: QPoint, steps: int = 6) -> None:
    """A real left-button drag on the viewport from `start` to `end`."""
    viewport = canvas.widget.viewport()
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, pos=start)
    for i in range(1, steps + 1):
        point = start + (end - start) * (i / steps)
        qtbot.mouseMove(viewport, point)
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=end)


def drag_wire(qtbot, canvas: Canvas, source: str, source_port: str, target: str, target_port: str) -> None:
    """Drag a wire with the mouse from an output port to an input port."""
    drag(qtbot, canvas, port_point(canvas, source, source_port, True), port_point(canvas, target, target_port, False))


def type_into(qtbot, editor, text: str) -> None:
    """Replace an editor's text by typing `text`, then press Return (as a user commits a value)."""
    editor.setFocus()
    editor.selectAll()
    qtbot.keyClick(editor, Qt.Key.Key_Delete)
    qtbot.keyClicks(editor, text)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
