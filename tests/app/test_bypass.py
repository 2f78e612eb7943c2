"""Bypass from the window: Ctrl+B greys the selected node, the run passes its input through, undo brings it
back, and the mark is saved."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt

from pflow_studio.canvas.node_classes import BYPASSED_OPACITY
from tests.support.window import run_window as run


@pytest.mark.timeout(120)
def test_ctrl_b_bypasses_the_selected_node_and_the_run_passes_its_input_through(qtbot, window, workflows, tmp_path):
    window.canvas.set_workflow(workflows.adding())
    window.canvas.select(["add"])
    viewer = window.canvas.graph.viewer()
    viewer.setFocus()
    qtbot.keyClick(viewer, Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier)
    assert window.canvas.node_at(("add",)).bypassed
    view = window.canvas.graph.get_node_by_id("add").view
    assert view.opacity() == BYPASSED_OPACITY and "Bypassed" in view.toolTip()
    assert "Bypassed 'Add'" in window.statusBar().currentMessage()
    assert run(qtbot, window).result.outputs["add"] == {"result": 2.0}

    window.canvas.undo_stack.undo()
    assert not window.canvas.node_at(("add",)).bypassed
    assert window.canvas.graph.get_node_by_id("add").view.opacity() == 1.0
    assert run(qtbot, window).result.outputs["add"] == {"result": 5.0}

    window.canvas.undo_stack.redo()
    path = tmp_path / "bypassed.pflow"
    window.files._write(str(path))
    [saved] = [n for n in json.loads(path.read_text(encoding="utf-8"))["workflow"]["nodes"] if n["id"] == "add"]
    assert saved["bypassed"] is True
