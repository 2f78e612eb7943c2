"""Editing array nodes in the properties dock: a reduction's optional axis can be set and cleared again, an array
input takes a JSON list as its value."""

from __future__ import annotations

from PySide6.QtCore import Qt

from pflow_studio.runtime.model import Workflow


def _type_into(qtbot, editor, text: str) -> None:
    editor.setFocus()
    editor.selectAll()
    qtbot.keyClick(editor, Qt.Key.Key_Delete)
    if text:
        qtbot.keyClicks(editor, text)
    qtbot.keyClick(editor, Qt.Key.Key_Return)


def test_a_reductions_axis_is_set_and_cleared_and_its_array_takes_a_list(qtbot, window):
    wf = Workflow()
    wf.add_node("array.sum", id="sum")
    window.canvas.set_workflow(wf)
    window.canvas.select(["sum"])
    qtbot.waitUntil(lambda: window.properties.shown_id == "sum" and not window.properties.pending)
    node = lambda: window.canvas.node_at(("sum",))  # noqa: E731
    _type_into(qtbot, window.properties.editors["prop:axis"], "1")
    assert node().properties["axis"] == 1
    _type_into(qtbot, window.properties.editors["prop:axis"], "")
    assert node().properties["axis"] is None
    _type_into(qtbot, window.properties.editors["input:array"], "[[1, 2], [3, 4]]")
    assert node().input_values["array"] == [[1, 2], [3, 4]]
