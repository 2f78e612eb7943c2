"""The executor: order, events, failures, caching, laziness, targets, cancellation."""

from __future__ import annotations

import threading

import pytest

from pflow_studio.runtime import events as ev
from pflow_studio.runtime.cancel import CancelToken
from pflow_studio.runtime.executor import Executor, InvalidWorkflow
from pflow_studio.runtime.model import Workflow
from tests.support.nodes import CALLS


def adder_graph() -> Workflow:
    """a=2, b=3 -> s=a+b -> t=s+b ; and an independent branch c=10 -> u=c+0."""
    wf = Workflow()
    wf.add_node("test.number", {"value": 2}, id="a")
    wf.add_node("test.number", {"value": 3}, id="b")
    wf.add_node("test.add", id="s")
    wf.add_node("test.add", id="t")
    wf.add_node("test.number", {"value": 10}, id="c")
    wf.add_node("test.add", id="u")
    wf.connect("a", "value", "s", "a")
    wf.connect("b", "value", "s", "b")
    wf.connect("s", "result", "t", "a")
    wf.connect("b", "value", "t", "b")
    wf.connect("c", "value", "u", "a")
    return wf


def test_runs_in_dependency_order_and_returns_outputs(registry):
    events: list[ev.Event] = []
    result = Executor(registry).run(adder_graph(), listeners=[events.append])
    assert result.status == "ok"
    assert result.outputs["t"] == {"result": 8}
    assert result.outputs["u"] == {"result": 10}
    started = [e.node_id for e in events if e.kind == ev.STARTED]
    assert started.index("a") < started.index("s") < started.index("t")
    assert started.index("b") < started.index("s")
    assert set(started) == {"a", "b", "s", "t", "c", "u"}


def test_event_sequence_per_node_and_progress(registry):
    events: list[ev.Event] = []
    Executor(registry).run(adder_graph(), listeners=[events.append])
    queued = [e.node_id for e in events if e.kind == ev.QUEUED]
    assert sorted(queued) == ["a", "b", "c", "s", "t", "u"]
    assert events[: len(queued)] == [e for e in events if e.kind == ev.QUEUED]  # all queued first
    for node in queued:
        kinds = [e.kind for e in events if e.path == (node,)]
        assert kinds == [ev.QUEUED, ev.STARTED, ev.FINISHED]
    progress = [(e.done, e.total) for e in events if e.kind == ev.PROGRESS and e.path == ()]
    assert progress == [(i, 6) for i in range(1, 7)]


def test_failure_skips_downstream_but_independent_branch_finishes(registry):
    wf = adder_graph()
    wf.add_node("test.fail", id="f")
    wf.add_node("test.add", id="after")
    wf.connect("a", "value", "f", "a")
    wf.connect("f", "result", "after", "a")
    events: list[ev.Event] = []
    result = Executor(registry).run(wf, listeners=[events.append])
    assert result.status == "failed"
    assert result.states["f"] == "failed"
    assert result.states["after"] == "skipped"
    assert result.states["u"] == result.states["t"] == "finished"
    [failure] = result.failures
    assert failure.path == ("f",) and "RuntimeError: boom" in failure.message
    assert "raise RuntimeError" in failure.traceback
    failed = [e for e in events if e.kind == ev.FAILED]
    assert failed[0].path == ("f",) and "Traceback" in failed[0].traceback
    skipped = next(e for e in events if e.kind == ev.SKIPPED)
    assert skipped.path == ("after",) and "'f'" in skipped.message


def test_rerun_with_nothing_changed_runs_nothing(registry):
    executor = Executor(registry)
    executor.run(adder_graph())
    CALLS.clear()
    events: list[ev.Event] = []
    result = executor.run(adder_graph(), listeners=[events.append])
    assert CALLS == {}
    assert set(result.states.values()) == {"cached"}
    assert all(e.cached for e in events if e.kind == ev.FINISHED)
    assert not [e for e in events if e.kind == ev.STARTED]
    assert result.outputs["t"] == {"result": 8}


def test_changed_property_reruns_only_that_node_and_downstream(registry):
    executor = Executor(registry)
    executor.run(adder_graph())
    wf = adder_graph()
    wf.nodes["a"].properties["value"] = 5
    result = executor.run(wf)
    assert result.outputs["t"] == {"result": 11}
    assert result.states == {"a": "finished", "b": "cached", "s": "finished", "t": "finished",
                             "c": "cached", "u": "cached"}


def test_changed_input_value_changes_the_key(registry):
    wf = Workflow()
    wf.add_node("test.add", id="s", inputs={"a": 1, "b": 2})
    executor = Executor(registry)
    assert executor.run(wf).outputs["s"] == {"result": 3}
    wf.nodes["s"].input_values["b"] = 5
    result = executor.run(wf)
    assert result.states["s"] == "finished" and result.outputs["s"] == {"result": 6}


def test_not_cacheable_node_reruns_yet_unchanged_downstream_is_cached(registry):
    wf = Workflow()
    wf.add_node("test.volatile", {"value": 4}, id="v")
    wf.add_node("test.add", id="s")
    wf.connect("v", "value", "s", "a")
    executor = Executor(registry)
    executor.run(wf)
    result = executor.run(wf)
    assert CALLS["test.volatile"] == 2
    assert result.states == {"v": "finished", "s": "cached"}


def test_without_cache_everything_runs(registry):
    executor = Executor(registry, cache=False)
    executor.run(adder_graph())
    executor.run(adder_graph())
    assert CALLS["test.add"] == 6


def test_lazy_node_computes_only_the_chosen_branch(registry):
    wf = Workflow()
    wf.add_node("test.truth", {"value": True}, id="cond")
    wf.add_node("test.number", {"value": 1}, id="yes")
    wf.add_node("test.fail", id="no")
    wf.add_node("test.choose", id="if")
    wf.connect("cond", "value", "if", "condition")
    wf.connect("yes", "value", "if", "yes")
    wf.connect("no", "result", "if", "no")
    result = Executor(registry).run(wf)
    assert result.status == "ok"
    assert result.outputs["if"] == {"result": 1}
    assert result.states["no"] == "skipped"
    wf.nodes["cond"].properties["value"] = False
    result = Executor(registry).run(wf)
    assert result.status == "failed" and result.states["no"] == "failed" and result.states["yes"] == "skipped"


def test_targets_run_only_what_they_need(registry):
    events: list[ev.Event] = []
    result = Executor(registry).run(adder_graph(), targets=["s"], listeners=[events.append])
    assert set(result.states) == {"a", "b", "s"}
    assert {e.node_id for e in events if e.kind == ev.QUEUED} == {"a", "b", "s"}


def test_defaults_and_input_values(registry):
    wf = Workflow()
    wf.add_node("test.add", id="s", inputs={"a": 4})
    assert Executor(registry).run(wf).outputs["s"] == {"result": 4.0}


def test_invalid_workflow_is_refused_before_running(registry):
    wf = Workflow()
    wf.add_node("test.add", id="s", label="Sum")
    with pytest.raises(InvalidWorkflow) as info:
        Executor(registry).run(wf)
    assert "node 'Sum' (s), port 'a': required input has no value or edge" in str(info.value)
    assert CALLS == {}


def test_a_raising_listener_never_fails_the_run(registry):
    def bad(event: ev.Event) -> None:
        raise ValueError("listener bug")

    seen: list[ev.Event] = []
    result = Executor(registry).run(adder_graph(), listeners=[bad, seen.append])
    assert result.status == "ok" and len(seen) > 6


def test_cancel_between_nodes(registry):
    token = CancelToken()

    def cancel_after_first(event: ev.Event) -> None:
        if event.kind == ev.FINISHED:
            token.cancel()

    events: list[ev.Event] = []
    result = Executor(registry).run(adder_graph(), listeners=[cancel_after_first, events.append], cancel=token)
    assert result.status == "cancelled"
    assert list(result.states.values()).count("finished") == 1
    assert list(result.states.values()).count("cancelled") == 5
    assert len([e for e in events if e.kind == ev.CANCELLED]) == 5


def test_cancel_from_another_thread_stops_a_long_chain(registry):
    wf = Workflow()
    previous = None
    for i in range(50):
        wf.add_node("test.slow", {"seconds": 0.02}, id=f"s{i}")
        if previous:
            wf.connect(previous, "result", f"s{i}", "a")
        previous = f"s{i}"
    token = CancelToken()
    threading.Timer(0.1, token.cancel).start()
    result = Executor(registry).run(wf, cancel=token)
    assert result.status == "cancelled"
    assert CALLS["test.slow"] < 20
