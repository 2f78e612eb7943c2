"""For and While in the window: in the palette under Control Flow; a For built from the palette (opened by a
double-click like a Map, its body filled, its bound typed in the properties dock) runs and saves exactly; a
While that stops at max_iterations shows a warning; Wrap in For / Wrap in While (Edit menu, context menu)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from pflow_studio.project import file_format as project_file
from pflow_studio.runtime.model import Workflow
from tests.support.canvas import type_into
from tests.support.window import run_window as run


def add_from_palette(window, type_name: str) -> str:
    """Double-click the palette item of `type_name`; the id of the node it added to the shown level."""
    level = window.canvas.document.level(window.canvas.level_path())
    before = set(level.nodes)
    item = window.palette.item_for(type_name)
    window.palette.tree.itemDoubleClicked.emit(item, 0)
    (added,) = set(level.nodes) - before
    return added


@pytest.mark.timeout(120)
def test_a_for_built_in_the_window_runs_and_is_saved_and_reopened_exactly(qtbot, window, dialogs, tmp_path):
    for type_name in ("core.for", "core.while"):
        assert window.palette.item_for(type_name).parent().text(0) == "Control Flow"
    loop = add_from_palette(window, "core.for")
    rect = window.canvas.view_node(loop).view.sceneBoundingRect()  # (its name in the middle starts a rename)
    spot = window.canvas.widget.mapFromScene(rect.left() + 10, rect.bottom() - 6)
    qtbot.mouseDClick(window.canvas.widget.viewport(), Qt.MouseButton.LeftButton, pos=spot)
    qtbot.waitUntil(lambda: window.canvas.level_path() == (loop,), timeout=2_000)
    power = add_from_palette(window, "math.power")  # a ** b: the index goes to 'a', its first input
    window.canvas.select([power])
    qtbot.waitUntil(lambda: window.properties.shown_id == power and not window.properties.pending)
    type_into(qtbot, window.properties.editors["input:b"], "2")
    window.canvas.go_up()
    assert list(window.canvas.view_node(loop).inputs()) == ["lower", "higher", "b"]
    assert list(window.canvas.view_node(loop).outputs()) == ["result"]
    window.canvas.select([loop])
    qtbot.waitUntil(lambda: window.properties.shown_id == loop and not window.properties.pending)
    assert window.properties.editors["prop:index_port"].placeholderText() == "a (its first input)"
    hints = [label.text() for label in window.properties.findChildren(QLabel) if label.objectName() == "hint"]
    assert "The ports are those of 'Power'. To name them, open 'For' and collapse 'Power' into a Group (Ctrl+G)." \
        in hints
    type_into(qtbot, window.properties.editors["input:higher"], "5")
    type_into(qtbot, window.properties.editors["input:lower"], "1")

    outcome = run(qtbot, window)
    assert outcome.status == "ok", outcome.result.failures if outcome.result else outcome
    assert outcome.result.outputs[loop] == {"result": [1.0, 4.0, 9.0, 16.0]}
    assert window.canvas.node_state(loop) == "finished" and window.canvas.progress_text(loop) == "4/4"

    path = tmp_path / "for.pflow"
    dialogs.answers["getSaveFileName"] = (str(path), "")
    assert window.files.save_as()
    built = window.canvas.workflow().copy()
    window.canvas.set_workflow(Workflow())
    assert window.files.load(str(path))
    reopened = window.canvas.workflow()
    assert reopened.canonical() == built.canonical()
    assert [(n.id, p, n.ui) for n, p in reopened.walk()] == [(n.id, p, n.ui) for n, p in built.walk()]
    assert project_file.load(path).workflow.canonical() == built.canonical()


@pytest.mark.timeout(120)
def test_a_while_stopped_at_max_iterations_shows_a_warning(qtbot, window):
    body = Workflow()
    body.add_node("py.code", {"code": "x = x + 1\ngo_on = True", "inputs": ["x"], "outputs": ["x", "go_on"]},
                  id="fn")
    workflow = Workflow()
    workflow.add_node("core.while", {"condition_port": "go_on", "state_ports": ["x"], "max_iterations": 3},
                      id="loop", label="Forever", body=body, inputs={"x": 0}, pos=(0, 0))
    window.canvas.set_workflow(workflow)
    outcome = run(qtbot, window)
    assert outcome.status == "ok" and outcome.result.outputs["loop"]["x"] == 3
    assert window.canvas.node_state("loop") == "warning"
    assert window.errors.count() == 1 and window.errors.is_warning(0)
    assert window.errors.row(0).text(0) == "Forever" and "max_iterations (3)" in window.errors.row(0).text(1)
    assert window.statusBar().currentMessage() == "Run finished with 1 warning(s); see the Errors panel"
    window.canvas.open_container("loop")
    window.canvas.select(["fn"])
    qtbot.waitUntil(lambda: "fn" in window.results.title.text().lower())
    assert [frame.value for frame in window.results.frames()] == [3, True]
    assert window.results.note.text() == "Its outputs in the last of the While's 3 iteration(s)."


@pytest.mark.timeout(120)
def test_wrap_in_while_and_wrap_in_for_from_the_edit_menu(qtbot, window, workflows):
    workflow = Workflow()
    workflow.add_node("py.code", {"code": "x = x * 2\ngo_on = x < 50", "inputs": ["x"], "outputs": ["x", "go_on:bool"]},
                      id="fn", inputs={"x": 3}, pos=(0, 0))
    window.canvas.set_workflow(workflow)
    window.canvas.select(["fn"])
    assert {window.actions["wrap_for"], window.actions["wrap_while"]} <= set(window.menus["edit"].actions())
    window.actions["wrap_while"].trigger()
    (loop,) = window.canvas.workflow().nodes
    wrapped = window.canvas.node_at((loop,))
    assert (wrapped.type_name, wrapped.label) == ("core.while", "While")
    assert wrapped.properties == {"condition_port": "go_on", "state_ports": ["x"]}
    outcome = run(qtbot, window)
    assert outcome.result.outputs[loop] == {"x": 96, "go_on": False, "iterations": 5}
    window.undo_action.trigger()
    assert list(window.canvas.workflow().nodes) == ["fn"]

    window.canvas.set_workflow(workflows.adding())  # two -> add.a, add.b = 3: 'b' takes the index
    window.canvas.select(["add"])
    window.actions["wrap_for"].trigger()
    (loop,) = [n for n, node in window.canvas.workflow().nodes.items() if node.type_name == "core.for"]
    assert window.canvas.node_at((loop,)).properties == {"index_port": "b"}
    window.undo_action.trigger()
    window.canvas.connect("two", "value", "add", "b")
    window.canvas.select(["add"])
    window.actions["wrap_for"].trigger()
    assert "every input is connected" in window.statusBar().currentMessage()
    assert [node.type_name for node in window.canvas.workflow().nodes.values()] == ["const.int", "math.add"]
