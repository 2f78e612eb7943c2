"""RunController: real executor runs on a worker QThread, events as Qt signals, cancel, cache."""

from __future__ import annotations

import itertools
import time

import pytest
from PySide6.QtCore import QTimer

from pflow_studio.app.run_controller import RunController, RunOutcome
from pflow_studio.runtime import events as ev
from pflow_studio.runtime.model import Workflow
from pflow_studio.runtime.operations import wrap_in_map
from pflow_studio.runtime.registry import default_registry


def adding_workflow() -> Workflow:
    workflow = Workflow()
    workflow.add_node("const.int", {"value": 2}, id="two")
    workflow.add_node("math.add", id="add", inputs={"b": 3})
    workflow.connect("two", "value", "add", "a")
    return workflow


def sleepy_map(items: int, seconds: float) -> Workflow:
    workflow = Workflow()
    workflow.add_node("list.range", id="numbers", inputs={"start": 0, "stop": items})
    workflow.add_node("py.expression", {"expression": f"(__import__('time').sleep({seconds}), x)[1]",
                                        "inputs": ["x"]}, id="sleep")
    workflow.connect("numbers", "result", "sleep", "x")
    wrap_in_map(workflow, "sleep", mapped=["x"], map_id="map", registry=default_registry())
    return workflow


@pytest.fixture
def controller(qtbot):
    runs = RunController(default_registry())
    yield runs
    runs.stop()
    assert runs.wait(20_000)


def run_to_end(qtbot, controller: RunController, workflow: Workflow, targets=None, timeout=30_000) -> RunOutcome:
    with qtbot.waitSignal(controller.finished, timeout=timeout) as blocker:
        assert controller.start(workflow, targets)
    return blocker.args[0]


@pytest.mark.timeout(60)
def test_events_arrive_on_the_gui_thread_and_the_result_is_kept(qtbot, controller):
    seen: list[ev.Event] = []
    controller.event.connect(seen.append)
    outcome = run_to_end(qtbot, controller, adding_workflow())
    assert outcome.status == "ok"
    assert outcome.result.outputs["add"] == {"result": 5}
    assert controller.last is outcome and not controller.running
    assert (ev.FINISHED, ("add",)) in [(e.kind, e.path) for e in seen]


@pytest.mark.timeout(60)
def test_a_rerun_of_the_same_document_comes_from_the_cache(qtbot, controller):
    run_to_end(qtbot, controller, adding_workflow())
    seen: list[ev.Event] = []
    controller.event.connect(seen.append)
    run_to_end(qtbot, controller, adding_workflow())
    assert all(e.cached for e in seen if e.kind == ev.FINISHED)
    controller.reset()
    seen.clear()
    run_to_end(qtbot, controller, adding_workflow())
    assert not any(e.cached for e in seen if e.kind == ev.FINISHED)


@pytest.mark.timeout(60)
def test_targets_run_only_what_they_need(qtbot, controller):
    workflow = adding_workflow()
    workflow.add_node("const.str", {"value": "x"}, id="other")
    outcome = run_to_end(qtbot, controller, workflow, ["two"])
    assert set(outcome.result.states) == {"two"}


@pytest.mark.timeout(60)
def test_an_invalid_workflow_ends_invalid_with_its_problems(qtbot, controller):
    workflow = Workflow()
    workflow.add_node("math.add", id="add")
    outcome = run_to_end(qtbot, controller, workflow)
    assert outcome.status == "invalid"
    assert outcome.problems and outcome.problems[0].path == ("add",)


@pytest.mark.timeout(90)
def test_stop_cancels_a_long_run_and_the_event_loop_keeps_turning(qtbot, controller):
    ticks = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(time.monotonic()))
    timer.start(20)
    progress: list[ev.Event] = []
    controller.event.connect(lambda e: progress.append(e) if e.kind == ev.PROGRESS and e.path == ("map",) else None)
    with qtbot.waitSignal(controller.finished, timeout=60_000) as blocker:
        controller.start(sleepy_map(200, 0.1))
        qtbot.waitUntil(lambda: len(progress) >= 2, timeout=30_000)
        qtbot.wait(600)  # the GUI thread keeps serving its timer while the run goes on
        assert controller.running
        stopped_at = time.monotonic()
        controller.stop()
    timer.stop()
    assert blocker.args[0].status == "cancelled"
    assert time.monotonic() - stopped_at < 10
    assert progress[-1].done < 200
    assert len(ticks) > 8
    assert max(b - a for a, b in itertools.pairwise(ticks)) < 2.0


@pytest.mark.timeout(30)
def test_only_one_run_at_a_time(qtbot, controller):
    assert controller.start(sleepy_map(50, 0.05))
    assert not controller.start(adding_workflow())
    controller.stop()
    qtbot.waitUntil(lambda: not controller.running, timeout=20_000)
