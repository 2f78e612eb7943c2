"""The Results dock for nodes inside a Map (their values for an element run here, out of date after an edit)
and for a Map whose failed elements were left out of its lists."""

from __future__ import annotations

import pytest

from pflow_studio.runtime.element_store.records import FAILED
from pflow_studio.runtime.model import Workflow
from pflow_studio.runtime.operations import collapse, wrap_in_map
from pflow_studio.runtime.registry import default_registry
from tests.support.window import run_window

pytestmark = pytest.mark.timeout(120)


def _map_over_group(on_error: str = "skip") -> Workflow:
    """Map 'map' over Group 'g' { square: x * x -> ratio: 10 // (x - 9) } for x in range(5): element 3 fails
    (10 // 0); a node 'count' takes the Map's list."""
    workflow = Workflow()
    workflow.add_node("list.range", id="numbers", inputs={"start": 0, "stop": 5}, pos=(0, 0))
    workflow.add_node("py.expression", {"expression": "x * x", "inputs": ["x"]}, id="square", label="Square",
                      pos=(250, 0))
    workflow.add_node("py.expression", {"expression": "10 // (x - 9)", "inputs": ["x"]}, id="ratio",
                      label="Ratio", pos=(500, 0))
    workflow.add_node("py.expression", {"expression": "len(x)", "inputs": ["x"]}, id="count", pos=(750, 0))
    workflow.connect("numbers", "result", "square", "x")
    workflow.connect("square", "result", "ratio", "x")
    workflow.connect("ratio", "result", "count", "x")
    collapse(workflow, ["square", "ratio"], group_id="g")
    wrap_in_map(workflow, "g", mapped=["x"], map_id="map", registry=default_registry())
    workflow.nodes["map"].properties["on_error"] = on_error
    return workflow


def _ran_inside(qtbot, window) -> None:
    window.canvas.set_workflow(_map_over_group())
    assert run_window(qtbot, window).status == "ok"
    window.canvas.go_to(("map", "g"))
    window.canvas.select(["square"])


def _run_element_here(qtbot, window) -> None:
    results = window.results
    assert results.note_button.isVisible()
    with qtbot.waitSignal(window.work_items.element_traced, timeout=30_000):
        results.note_button.click()


def test_a_node_inside_a_map_shows_its_values_for_an_element_run_here(qtbot, window):
    _ran_inside(qtbot, window)
    results = window.results
    assert "inside a Map" in results.note.text() and results.frames() == []
    assert results.note_button.text() == "Run an element here"
    _run_element_here(qtbot, window)  # nothing chosen in Work items: the first element
    assert [frame.value for frame in results.frames()] == [0]
    assert "Element 0 of the Map (x = 0), run here at" in results.note.text()
    window.work_items.panel.select_rows([2])
    _run_element_here(qtbot, window)  # the element chosen in Work items
    assert [frame.value for frame in results.frames()] == [4]
    window.canvas.select(["ratio"])
    assert [frame.value for frame in results.frames()] == [-2]  # 10 // (4 - 9)
    assert "Element 2" in results.note.text()


def test_a_failed_node_says_so_and_an_edit_marks_the_values_out_of_date(qtbot, window):
    _ran_inside(qtbot, window)
    window.work_items.show_selected()  # inside the Map's Group: Work items shows the Map
    window.work_items.panel.select_rows([3])
    _run_element_here(qtbot, window)
    window.canvas.select(["ratio"])
    results = window.results
    assert results.frames() == [] and "This node failed" in results.note.text()
    shown = results.error_view.toPlainText().splitlines()
    assert not results.error_view.isHidden() and shown[0].startswith("ZeroDivisionError")
    assert shown[1].startswith("  at line 1 of the code:")  # the user's failing line, before the traceback
    window.canvas.select(["square"])
    assert [frame.value for frame in results.frames()] == [9] and "edited since" not in results.note.text()
    window.canvas.set_property("square", "expression", "x * x * x")
    qtbot.waitUntil(lambda: "edited since" in results.note.text(), timeout=3000)
    assert "from before your edit" in results.note.text()
    assert [frame.value for frame in results.frames()] == [9]
    window.canvas.undo_stack.undo()
    qtbot.waitUntil(lambda: "edited since" not in results.note.text(), timeout=3000)


@pytest.mark.parametrize(("on_error", "words"), [("skip", "left out of its lists"), ("none", "set to None")])
def test_a_map_whose_failed_elements_were_left_out_says_how_many(qtbot, window, on_error, words):
    window.canvas.set_workflow(_map_over_group(on_error))
    assert run_window(qtbot, window).status == "ok"
    window.canvas.select(["map"])
    results = window.results
    assert f"1 of 5 elements failed and were {words}" in results.note.text()
    assert results.note_button.text() == "Show failed elements"
    results.note_button.click()
    panel = window.work_items.panel
    assert window.work_items.dock.isVisible() and panel.path == ("map",)
    assert [code for code, box in panel.filters.items() if box.isChecked()] == [FAILED]
    qtbot.waitUntil(lambda: panel.model.rowCount() == 1)
    assert panel.model.item(0).index == 3


def test_a_map_that_fails_at_its_first_failed_element_has_no_such_note(qtbot, window):
    window.canvas.set_workflow(_map_over_group("fail"))
    run_window(qtbot, window)
    window.canvas.select(["map"])
    assert "elements failed and were" not in window.results.note.text()
    assert not window.results.note_button.isVisible()
