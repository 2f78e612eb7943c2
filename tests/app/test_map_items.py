"""Maps whose elements partly failed: `k of N failed` on the Map (warning colour), one errors-panel
row per failed element (errors for on_error fail, warnings for skip / none), the last run's item
records on the window, and an opened Map's function node showing the Map's state."""

from __future__ import annotations

import pytest

from pflow_studio.canvas import run_state
from pflow_studio.runtime.mapping import FAILURE_DETAILS
from pflow_studio.runtime.model import Workflow
from pflow_studio.runtime.operations import wrap_in_map
from pflow_studio.runtime.registry import default_registry


def inverse_map(on_error: str) -> Workflow:
    """A Map 'map' of 12 // x over [1, 0, 3]: element 1 fails (ZeroDivisionError)."""
    workflow = Workflow()
    workflow.add_node("py.expression", {"expression": "12 // x", "inputs": ["x"]}, id="inv", pos=(0, 0))
    wrap_in_map(workflow, "inv", mapped=["x"], map_id="map", registry=default_registry())
    workflow.nodes["map"].input_values["x"] = [1, 0, 3]
    workflow.nodes["map"].properties["on_error"] = on_error
    workflow.nodes["map"].ui["label"] = "Inverse"
    return workflow


def run(qtbot, window, workflow: Workflow) -> str:
    window.canvas.set_workflow(workflow)
    with qtbot.waitSignal(window.runs.finished, timeout=60_000) as blocker:
        window.actions["run"].trigger()
    return blocker.args[0].status


def rows(window) -> list[tuple[str, str, bool]]:
    panel = window.errors
    return [(panel.row(i).text(0), panel.row(i).text(1), panel.is_warning(i)) for i in range(panel.count())]


@pytest.mark.timeout(120)
@pytest.mark.parametrize("on_error", ["skip", "none"])
def test_partly_failed_map_that_goes_on_shows_a_warning(qtbot, window, on_error):
    assert run(qtbot, window, inverse_map(on_error)) == "ok"
    canvas = window.canvas
    assert canvas.progress_text("map") == "1 of 3 failed"
    assert canvas.node_state("map") == "warning"
    assert run_state.state_color("warning") != run_state.state_color("failed")
    [(where, message, warning)] = rows(window)
    assert warning and where == "Inverse [element 1]"
    assert "ZeroDivisionError" in message and "input {'x': 0}" in message
    window.errors.list.setCurrentItem(window.errors.row(0))
    assert "Traceback" in window.errors.trace.toPlainText()
    record = window.run_view.items_by_path[("map",)]
    assert (record["done"], record["total"]) == (2, 3)
    assert record["table"].statuses() == ["ok", "failed", "ok"]


@pytest.mark.timeout(120)
def test_failed_map_lists_each_failed_element_as_an_error(qtbot, window):
    assert run(qtbot, window, inverse_map("fail")) == "failed"
    assert window.canvas.node_state("map") == "failed"
    assert window.canvas.progress_text("map") == "1 of 3 failed"
    found = rows(window)
    assert [(where, warning) for where, _, warning in found] == [("Inverse", False),
                                                                 ("Inverse [element 1]", False)]
    assert "ZeroDivisionError" in found[1][1] and "input {'x': 0}" in found[1][1]


@pytest.mark.timeout(120)
def test_an_opened_map_shows_its_state_on_the_function_node(qtbot, window, workflows):
    assert run(qtbot, window, workflows.map()) == "ok"
    canvas = window.canvas
    canvas.open_container("map")
    assert canvas.node_state("add") == "finished"
    assert canvas.progress_text("add") == "3/3"
    canvas.go_up()
    assert run(qtbot, window, inverse_map("skip")) == "ok"
    canvas.open_container("map")
    assert canvas.node_state("inv") == "warning"
    assert canvas.progress_text("inv") == "1 of 3 failed"


@pytest.mark.timeout(120)
def test_function_node_follows_a_running_map(qtbot, window, workflows):
    window.canvas.set_workflow(workflows.sleepy_map(6, 0.15))
    window.canvas.open_container("map")
    with qtbot.waitSignal(window.runs.finished, timeout=60_000):
        window.actions["run"].trigger()
        qtbot.waitUntil(lambda: window.canvas.node_state("sleep") == "started", timeout=30_000)
        qtbot.waitUntil(lambda: window.canvas.progress_text("sleep") not in ("", "0/6"), timeout=30_000)
    assert window.canvas.node_state("sleep") == "finished"
    assert window.canvas.progress_text("sleep") == "6/6"


@pytest.mark.timeout(120)
def test_a_map_with_many_failed_elements_details_the_first_and_counts_the_rest(qtbot, window):
    workflow = inverse_map("none")
    workflow.nodes["map"].input_values["x"] = [0] * 150 + [1]
    assert run(qtbot, window, workflow) == "ok"
    listed = rows(window)
    assert len(listed) == FAILURE_DETAILS + 1 and all(warning for _, _, warning in listed)
    assert listed[0][0] == "Inverse [element 0]" and listed[FAILURE_DETAILS - 1][0] == "Inverse [element 99]"
    assert listed[-1][0] == "Inverse [50 more elements]" and "and 50 more failed elements" in listed[-1][1]
