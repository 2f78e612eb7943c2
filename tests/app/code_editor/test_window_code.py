"""The code editor in the window: the properties panel's field, the larger editor window kept in sync, and
the line a run failed on marked (and cleared)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor

from pflow_studio.app.code_editor.detached import DetachedCodeEditor
from pflow_studio.app.code_editor.editor import CodeEditor
from pflow_studio.runtime.model import Workflow
from pflow_studio.runtime.operations import wrap_in_map
from pflow_studio.runtime.registry import default_registry
from tests.support.window import run_window

CTRL = Qt.KeyboardModifier.ControlModifier
CODE = "a = 1\nresult = a / x\n"


def code_workflow(x=0) -> Workflow:
    """A Python Code node 'code' dividing by its input x (0 fails at line 2), and an expression 'twice'."""
    workflow = Workflow()
    workflow.add_node("py.code", {"code": CODE, "inputs": ["x"]}, id="code", label="Divide", inputs={"x": x},
                      pos=(0, 0))
    workflow.add_node("py.expression", {"expression": "x * 2"}, id="twice", label="Twice", inputs={"x": 1},
                      pos=(0, 200))
    return workflow


def select(qtbot, window, node_id: str) -> None:
    window.canvas.select([node_id])
    qtbot.waitUntil(lambda: window.properties.shown_id == node_id and not window.properties.pending)


def field(window, prop: str = "code") -> CodeEditor:
    editor = window.properties.editors[f"prop:{prop}"]
    assert isinstance(editor, CodeEditor)
    return editor


def code_of(window, node_id: str = "code") -> str:
    return window.canvas.node_at((node_id,)).properties["code"]


def run(qtbot, window) -> str:
    return run_window(qtbot, window, timeout=30_000).status


def end_of(editor: CodeEditor) -> None:
    editor.setFocus()
    editor.moveCursor(QTextCursor.MoveOperation.End)


def test_the_panel_uses_the_code_editor_and_a_compact_one_for_expressions(qtbot, window):
    window.canvas.set_workflow(code_workflow())
    select(qtbot, window, "code")
    assert not field(window).compact and field(window).detach_button.isVisible()
    select(qtbot, window, "twice")
    expression = field(window, "expression")
    assert expression.compact and expression.height() < 100
    assert not expression.gutter.isVisible()  # one line: no line numbers
    viewport = expression.viewport().geometry()  # the corner button stands beside the text, not over it
    assert expression.detach_button.isVisible() and expression.detach_button.geometry().left() > viewport.right()
    end_of(expression)
    qtbot.keyClicks(expression, " + 1")
    qtbot.keyClick(expression, Qt.Key.Key_Return)
    assert window.canvas.node_at(("twice",)).properties["expression"] == "x * 2 + 1"
    window.canvas.set_workflow(Workflow())
    window.canvas.add_node("cf.fold")  # a Fold's expression too
    qtbot.waitUntil(lambda: "prop:expression" in window.properties.editors)
    assert field(window, "expression").compact


def test_ctrl_enter_applies_once_as_one_undo_step_and_keeps_the_focus(qtbot, window):
    window.canvas.set_workflow(code_workflow())
    select(qtbot, window, "code")
    editor = field(window)
    end_of(editor)
    qtbot.keyClicks(editor, "y = 2")
    qtbot.keyClick(editor, Qt.Key.Key_Z, CTRL)  # the editor's own undo, not the canvas's
    assert editor.toPlainText() == CODE and not window.canvas.undo_stack.canUndo()
    qtbot.keyClicks(editor, "y = 3")
    qtbot.keyClick(editor, Qt.Key.Key_Return, CTRL)
    assert code_of(window) == CODE + "y = 3"
    assert window.canvas.undo_stack.count() == 1
    qtbot.waitUntil(lambda: field(window) is not editor and field(window).hasFocus(), timeout=3000)
    assert field(window).textCursor().position() == len(CODE + "y = 3")
    qtbot.keyClick(field(window), Qt.Key.Key_Return, CTRL)  # nothing changed: no second step
    assert window.canvas.undo_stack.count() == 1
    window.undo_action.trigger()
    assert code_of(window) == CODE


def test_the_larger_editor_applies_to_the_node_and_follows_it(qtbot, window):
    window.canvas.set_workflow(code_workflow())
    select(qtbot, window, "code")
    small = field(window)
    end_of(small)
    qtbot.keyClicks(small, "b = 1")  # not applied yet: opening the larger editor applies it first
    small.detach_button.click()
    big = window.code_editors.windows[(("code",), "code")]
    assert isinstance(big, DetachedCodeEditor) and big.isVisible() and not big.isModal()
    assert code_of(window) == CODE + "b = 1" and big.editor.toPlainText() == CODE + "b = 1"
    assert big.editor.height() > 2 * small.height()
    end_of(big.editor)
    qtbot.keyClick(big.editor, Qt.Key.Key_Return)
    qtbot.keyClicks(big.editor, "if b:")
    qtbot.keyClick(big.editor, Qt.Key.Key_Return)  # the same editing: auto-indent
    qtbot.keyClicks(big.editor, "c = 2")
    qtbot.keyClick(big.editor, Qt.Key.Key_Return, CTRL)
    assert code_of(window) == CODE + "b = 1\nif b:\n    c = 2"
    qtbot.waitUntil(lambda: field(window).toPlainText() == code_of(window), timeout=3000)
    window.undo_action.trigger()  # one step per apply, and the window follows the node
    assert big.editor.toPlainText() == CODE + "b = 1"
    qtbot.keyClick(big.editor, Qt.Key.Key_Return)
    qtbot.keyClicks(big.editor, "d = 4")
    window.undo_action.trigger()  # edits not applied are kept; the window says the node changed
    assert big.editor.toPlainText() == CODE + "b = 1\nd = 4" and "changed" in big.note.text()
    big.revert()
    assert big.editor.toPlainText() == CODE
    assert window.code_editors.open_selected() is big  # Ctrl+Shift+E: the same window
    assert window.actions["edit_code"].shortcut().toString() == "Ctrl+Shift+E"
    big.editor.setPlainText("result = 7")
    big.close()  # closing applies like leaving the field
    assert code_of(window) == "result = 7"
    again = window.code_editors.open_selected()  # a new window, not the closed one
    assert again is not big and again.isVisible() and again.editor.toPlainText() == "result = 7"


def test_a_deleted_node_closes_its_larger_editor_without_applying(qtbot, window):
    window.canvas.set_workflow(code_workflow())
    select(qtbot, window, "code")
    big = window.code_editors.open_selected()
    big.editor.setPlainText("lost = 1")
    window.canvas.delete_selected()
    qtbot.waitUntil(lambda: (("code",), "code") not in window.code_editors.windows, timeout=3000)
    window.undo_action.trigger()
    assert code_of(window) == CODE


def test_the_failing_line_is_marked_after_a_run_and_cleared_by_a_fix_or_a_good_run(qtbot, window):
    window.canvas.set_workflow(code_workflow(x=0))
    select(qtbot, window, "code")
    assert run(qtbot, window) == "failed"
    editor = field(window)
    assert editor.error_line == 2 and "ZeroDivisionError" in editor.error_message
    big = window.code_editors.open_selected()
    assert big.editor.error_line == 2  # the larger editor marks it too
    big.close()
    window.canvas.set_input_value("code", "x", 4)  # the same code runs fine now: the mark goes
    qtbot.waitUntil(lambda: not window.properties.pending)
    assert field(window).error_line == 2  # not until it ran
    assert run(qtbot, window) == "ok"
    assert field(window).error_line is None
    window.canvas.set_input_value("code", "x", 0)
    assert run(qtbot, window) == "failed"
    qtbot.waitUntil(lambda: field(window).error_line == 2, timeout=3000)
    editor = field(window)
    end_of(editor)
    qtbot.keyClicks(editor, "#")  # editing clears the mark at once
    assert editor.error_line is None
    qtbot.keyClick(editor, Qt.Key.Key_Return, CTRL)
    qtbot.waitUntil(lambda: field(window) is not editor, timeout=3000)
    assert field(window).error_line is None  # the applied code is not the code that failed


@pytest.mark.parametrize(("on_error", "status"), [("fail", "failed"), ("skip", "ok")])
def test_an_element_failing_in_a_map_marks_the_node_inside(qtbot, window, on_error, status):
    workflow = Workflow()
    workflow.add_node("py.code", {"code": "a = 1\nb = 2\nresult = a / x\n", "inputs": ["x"]}, id="inner")
    wrap_in_map(workflow, "inner", mapped=["x"], map_id="map", registry=default_registry())
    workflow.nodes["map"].input_values["x"] = [1, 0, 2]
    workflow.nodes["map"].properties["on_error"] = on_error
    window.canvas.set_workflow(workflow)
    assert run(qtbot, window) == status
    window.canvas.go_to(("map",))
    select(qtbot, window, "inner")
    assert field(window).error_line == 3
    assert "ZeroDivisionError" in field(window).error_message


def test_a_syntax_error_that_keeps_the_run_from_starting_marks_its_line(qtbot, window):
    window.canvas.set_workflow(code_workflow(x=1))
    window.canvas.set_property("code", "code", "a = 1\nresult = a +\n")
    select(qtbot, window, "code")
    assert run(qtbot, window) == "invalid"
    assert field(window).error_line == 2 and field(window).error_message.startswith("syntax error in code at line 2")
    window.canvas.set_property("code", "code", "a = 1\nresult = a + x\n")
    qtbot.waitUntil(lambda: field(window).toPlainText() == "a = 1\nresult = a + x\n", timeout=3000)
    assert field(window).error_line is None
