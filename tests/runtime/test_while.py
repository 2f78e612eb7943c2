"""While: a do-while passing state from one iteration's outputs to the next one's inputs, stopped by a falsy
condition or at max_iterations (said by a warning); errors name the iteration; Stop ends it between iterations
and during the delay; a Map whose body is a While pickles and runs where Qt cannot be imported."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import time

import pytest

from pflow_studio.runtime import events as ev
from pflow_studio.runtime.cancel import CancelToken
from pflow_studio.runtime.executor import Executor, InvalidWorkflow
from pflow_studio.runtime.model import Workflow
from pflow_studio.runtime.registry import default_registry
from tests.support.nodes import CALLS
from tests.support.paths import ROOT
from tests.support.qt_blocker import blocker_dir
from tests.support.workflows import run

COUNTING = {"condition_port": "go_on", "state_ports": ["x"]}


def while_loop(properties: dict | None = None, **inputs) -> Workflow:
    """A While 'loop' whose body is one test.step node 'fn' (x + step, go_on = x + step < limit)."""
    body = Workflow()
    body.add_node("test.step", id="fn")
    wf = Workflow()
    wf.add_node("core.while", {**COUNTING, **(properties or {})}, id="loop", label="Loop", body=body, inputs=inputs)
    return wf


def test_state_outputs_feed_the_next_iteration_until_the_condition_is_false(registry):
    events: list[ev.Event] = []
    result = run(while_loop(x=0, step=2), registry, listeners=[events.append])
    assert result.outputs["loop"] == {"x": 10.0, "go_on": False, "iterations": 5}
    assert not [e for e in events if e.kind == ev.WARNING]
    progress = [(e.done, e.total) for e in events if e.kind == ev.PROGRESS and e.path == ("loop",)]
    assert progress == [(1, 20), (2, 20), (3, 20), (4, 20), (5, 20), (5, 5)]  # ends done: 5 iterations ran


def test_the_body_runs_once_even_when_the_condition_is_false_at_once(registry):
    result = run(while_loop(x=50), registry)
    assert result.outputs["loop"] == {"x": 51.0, "go_on": False, "iterations": 1}


def test_reaching_max_iterations_with_the_condition_still_true_is_a_warning(registry):
    events: list[ev.Event] = []
    result = run(while_loop({"max_iterations": 3}, x=0), registry, listeners=[events.append])
    assert result.status == "ok" and result.outputs["loop"] == {"x": 3.0, "go_on": True, "iterations": 3}
    [warning] = [e for e in events if e.kind == ev.WARNING]
    assert warning.path == ("loop",) and "stopped at max_iterations (3)" in warning.message
    assert [e.kind for e in events if e.path == ("loop",)].index(ev.WARNING) < \
        [e.kind for e in events if e.path == ("loop",)].index(ev.FINISHED)


def test_a_while_from_the_cache_repeats_its_warning(registry):
    executor = Executor(registry)
    executor.run(while_loop({"max_iterations": 3}, x=0))
    events: list[ev.Event] = []
    result = executor.run(while_loop({"max_iterations": 3}, x=0), listeners=[events.append])
    assert result.states["loop"] == "cached" and CALLS["test.step"] == 3
    [warning] = [e for e in events if e.kind == ev.WARNING]
    assert warning.cached and "stopped at max_iterations (3)" in warning.message


def test_a_while_in_a_map_body_writes_its_warning_to_the_elements_stderr(registry):
    body = Workflow()
    body.add_node("test.step", id="fn")
    map_body = Workflow()
    map_body.add_node("core.while", {**COUNTING, "max_iterations": 3}, id="loop", label="Loop", body=body)
    wf = Workflow()
    wf.add_node("core.map", {"mapped": ["x"]}, id="map", body=map_body, inputs={"x": [0.0, 8.0]})
    events: list[ev.Event] = []
    result = run(wf, registry, listeners=[events.append])
    assert result.outputs["map"]["iterations"] == [3, 2]
    [items] = [e for e in events if e.kind == ev.ITEMS]
    first, second = items.details["table"][0], items.details["table"][1]
    assert first.stderr == "warning: Loop: stopped at max_iterations (3): the condition 'go_on' was still true " \
                           "after the last iteration\n"
    assert not second.stderr  # its condition stopped it


def test_without_a_condition_it_runs_max_iterations_times_without_a_warning(registry):
    events: list[ev.Event] = []
    result = run(while_loop({"condition_port": "", "max_iterations": 4}, x=0), registry, listeners=[events.append])
    assert result.outputs["loop"]["iterations"] == 4 and result.outputs["loop"]["x"] == 4.0
    assert not [e for e in events if e.kind == ev.WARNING]


def test_inputs_that_are_not_state_stay_the_same_and_without_state_every_iteration_is_the_same(registry):
    result = run(while_loop({"state_ports": [], "max_iterations": 5}, x=0, limit=100), registry)
    assert result.outputs["loop"] == {"x": 1.0, "go_on": True, "iterations": 5}


def test_a_failing_iteration_names_the_loop_and_the_iteration_with_its_traceback(registry):
    result = run(while_loop(x=10, limit=20), registry)
    assert result.status == "failed"
    [failure] = result.failures
    assert failure.label == "Loop" and "iteration 4 (of at most 20) failed" in failure.message
    assert "13 is unlucky" in failure.message
    [detail] = failure.details
    assert detail["input"] == {"x": 13.0, "limit": 20} and "raise NodeError" in detail["traceback"]


def test_a_condition_without_a_truth_value_fails_naming_the_iteration():
    body = Workflow()
    code = "import numpy\nx = x + 1\ngo_on = numpy.array([x < 3, True])"
    body.add_node("py.code", {"code": code, "inputs": ["x"], "outputs": ["x", "go_on"]}, id="fn")
    wf = Workflow()
    wf.add_node("core.while", COUNTING, id="loop", body=body, inputs={"x": 0})
    [failure] = run(wf, default_registry()).failures
    assert "iteration 1: condition 'go_on' has no truth value (ValueError: The truth value of an array" in \
        failure.message


def test_bad_configurations_are_named_before_anything_runs(registry):
    with pytest.raises(InvalidWorkflow, match="'nope' is not an output of the function node"):
        Executor(registry).run(while_loop({"condition_port": "nope"}, x=0))
    with pytest.raises(InvalidWorkflow, match="state 'go_on' must be both an input and an output"):
        Executor(registry).run(while_loop({"state_ports": ["go_on"]}, x=0))
    with pytest.raises(InvalidWorkflow, match="max_iterations"):
        Executor(registry).run(while_loop({"max_iterations": 0}, x=0))


def test_stop_ends_the_loop_between_iterations(registry):
    token = CancelToken()

    def stop_at_the_second(event: ev.Event) -> None:
        if event.kind == ev.PROGRESS and event.path == ("loop",) and event.done == 2:
            token.cancel()

    result = Executor(registry, cache=False).run(while_loop(x=0, limit=1000), cancel=token,
                                                 listeners=[stop_at_the_second])
    assert result.status == "cancelled" and result.states["loop"] == "cancelled"
    assert CALLS["test.step"] == 2


def test_the_delay_is_waited_between_iterations_and_stop_cuts_it_short(registry):
    began = time.monotonic()
    assert run(while_loop({"delay": 0.05}, x=7), registry).outputs["loop"]["iterations"] == 3
    assert time.monotonic() - began >= 0.1  # two waits: none before the first iteration or after the last
    token = CancelToken()

    def stop(event: ev.Event) -> None:
        if event.kind == ev.PROGRESS and event.path == ("loop",):
            token.cancel()

    began = time.monotonic()
    result = Executor(registry, cache=False).run(while_loop({"delay": 60}, x=0), cancel=token, listeners=[stop])
    assert result.status == "cancelled" and time.monotonic() - began < 5


_ON_AN_ENGINE = textwrap.dedent(
    """
    import json, sys
    import cloudpickle
    from pflow_studio.runtime.body_task import BodyTask
    from pflow_studio.runtime.model import Workflow
    from tests.support.nodes import make_registry

    body = Workflow()
    body.add_node("test.step", id="fn")
    while_body = Workflow()
    while_body.add_node("core.while", {"condition_port": "go_on", "state_ports": ["x"]}, id="loop", body=body)
    task = BodyTask(while_body, "loop", make_registry(), ("x", "go_on", "iterations"))
    task = cloudpickle.loads(cloudpickle.dumps(task))
    results = [task({"x": x}) for x in (0, 8)]
    qt = sorted(m for m in sys.modules if m.split(".")[0] in ("PySide6", "shiboken6", "NodeGraphQt"))
    print(json.dumps({"results": results, "qt": qt}))
    """
)


def test_a_map_body_holding_a_while_pickles_and_runs_where_qt_cannot_be_imported(tmp_path):
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(blocker_dir(tmp_path)), str(ROOT)]))
    done = subprocess.run([sys.executable, "-c", _ON_AN_ENGINE], capture_output=True, text=True, timeout=60,
                          env=env, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["qt"] == []
    assert [r["iterations"] for r in report["results"]] == [10, 2]
    assert [r["x"] for r in report["results"]] == [10.0, 10.0]
