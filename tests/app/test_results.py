"""The result inspector shows nodes inside Groups (kept by the executor per path); for a node inside
a Map body it says that the node runs once per element."""

from __future__ import annotations

import pytest

from pflow_studio.runtime.model import Workflow
from pflow_studio.runtime.operations import collapse
from tests.support.window import run_window


def run(qtbot, window) -> None:
    assert run_window(qtbot, window).status == "ok"


def grouped() -> tuple[Workflow, str]:
    """two -> [add (+3) -> neg] collapsed into a Group: add gives 5, neg -5."""
    workflow = Workflow()
    workflow.add_node("const.int", {"value": 2}, id="two", label="Two", pos=(0, 0))
    workflow.add_node("math.add", id="add", label="Add", inputs={"b": 3}, pos=(250, 0))
    workflow.add_node("math.negate", id="neg", label="Negate", pos=(500, 0))
    workflow.connect("two", "value", "add", "a")
    workflow.connect("add", "result", "neg", "value")
    group = collapse(workflow, ["add", "neg"], label="Group").id
    return workflow, group


def shown_for(qtbot, window, node_id: str, title: str) -> dict:
    """The outputs the Results dock shows for the node (port -> value), or its note under "note"."""
    window.canvas.select([node_id])
    qtbot.waitUntil(lambda: title in window.results.title.text())
    shown = {frame.title.removeprefix(f"{title}."): frame.value for frame in window.results.frames()}
    return shown or {"note": window.results.note.text()}


@pytest.mark.timeout(120)
def test_inspector_shows_outputs_of_nodes_inside_a_group(qtbot, window):
    workflow, group = grouped()
    window.canvas.set_workflow(workflow)
    run(qtbot, window)
    window.canvas.open_container(group)
    assert shown_for(qtbot, window, "add", "Add") == {"result": 5}
    assert shown_for(qtbot, window, "neg", "Negate") == {"result": -5}
    run(qtbot, window)  # the Group now comes from the cache: its inside is still shown
    window.canvas.select([])
    assert shown_for(qtbot, window, "add", "Add") == {"result": 5}


@pytest.mark.timeout(120)
def test_inspector_explains_nodes_inside_a_map(qtbot, window, workflows):
    window.canvas.set_workflow(workflows.map())
    run(qtbot, window)
    window.canvas.open_container("map")
    text = shown_for(qtbot, window, "add", "add")["note"]
    assert "once per element" in text and "Map" in text
    window.canvas.go_up()
    assert shown_for(qtbot, window, "map", "map") == {"result": [11, 12, 13]}
