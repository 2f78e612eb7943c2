"""ClusterRunner on a real local 2-engine cluster: same results as SerialRunner, per-item errors under
chunking, loops (a For's iterations, a While in a Map body), unpicklable inputs/results/bodies, progress, run
records, cancel, examples, chunk scheduling.
How the body reaches the engines is in test_body_delivery."""

from __future__ import annotations

import os
import threading
import time
from typing import Any

import pytest

from pflow_studio.nodes.api import NodeType, Out
from pflow_studio.project.file_format import load
from pflow_studio.runtime import events as ev
from pflow_studio.runtime.cancel import Cancelled, CancelToken
from pflow_studio.runtime.cluster.errors import BodyNotSendable
from pflow_studio.runtime.cluster.notices import NoticeKind
from pflow_studio.runtime.cluster.runner import ClusterRunner
from pflow_studio.runtime.executor import Executor
from pflow_studio.runtime.model import BoundaryInput, BoundaryOutput, PortRef, Workflow
from pflow_studio.runtime.registry import default_registry
from pflow_studio.runtime.run_record import RunRecorder, entry_items
from pflow_studio.runtime.runners import SerialRunner
from tests.support.figures import same_values
from tests.support.nodes import make_registry
from tests.support.paths import EXAMPLES
from tests.support.workflows import map_over, square_plus_half

pytestmark = pytest.mark.timeout(180)


class Pid(NodeType):
    """The pid of the process running it (to see where a body ran)."""

    type_name = "test.pid"
    outputs = [Out("pid", int)]
    cacheable = False

    def compute(self) -> dict[str, Any]:
        return {"pid": os.getpid()}


def registry_with_pid():
    registry = make_registry()
    registry.register(Pid)
    return registry


def outputs_both(wf: Workflow, registry, runner: ClusterRunner) -> tuple[Any, Any]:
    serial = Executor(registry, runner=SerialRunner(), cache=False).run(wf)
    cluster = Executor(registry, runner=runner, cache=False).run(wf)
    assert serial.status == cluster.status, (serial.failures, cluster.failures)
    return serial.outputs, cluster.outputs


def no_progress(done: int, total: int) -> None:
    pass


def double(bindings: dict[str, Any]) -> dict[str, Any]:
    return {"y": bindings["x"] * 2}


def lock_for_two(bindings: dict[str, Any]) -> dict[str, Any]:
    return {"y": threading.Lock() if bindings["x"] == 2 else bindings["x"]}


@pytest.fixture
def runner(cluster):
    return ClusterRunner(cluster.client)


@pytest.mark.parametrize("chunksize", [None, 1, 4])
def test_single_node_body_equals_serial(registry, cluster, chunksize):
    wf = map_over("test.square_offset", {"mapped": ["x"]}, {"x": list(range(1, 12))})
    serial, ours = outputs_both(wf, registry, ClusterRunner(cluster.client, chunksize=chunksize))
    assert ours == serial and ours["map"]["y"][:3] == [1, 4, 9]


def test_group_body_equals_serial(registry, runner):
    wf = map_over("core.group", {"mapped": ["x"]}, {"x": [1, 2, 3, 4, 5]}, function_body=square_plus_half())
    serial, ours = outputs_both(wf, registry, runner)
    assert ours == serial == {**serial, "map": {"out": [1.5, 4.5, 9.5, 16.5, 25.5]}}


@pytest.mark.parametrize("combine", ["zip", "product"])
def test_zip_and_product_equal_serial(registry, runner, combine):
    wf = map_over("test.add", {"mapped": ["a", "b"], "combine": combine}, {"a": [1, 2, 3], "b": [10, 20, 30]})
    serial, ours = outputs_both(wf, registry, runner)
    assert ours == serial
    assert len(ours["map"]["result"]) == (3 if combine == "zip" else 9)


def test_broadcast_input_equals_serial(registry, runner):
    wf = map_over("test.square_offset", {"mapped": ["x"]}, {"x": [1, 2, 3]})
    wf.add_node("test.number", {"value": 100}, id="offset")
    wf.connect("offset", "value", "map", "offset")
    serial, ours = outputs_both(wf, registry, runner)
    assert ours == serial and ours["map"]["y"] == [101, 104, 109]


def test_nested_map_equals_serial_and_runs_serially_on_the_engine(cluster, runner):
    registry = registry_with_pid()
    outer_body = Workflow()
    outer_body.add_node("core.map", {"mapped": ["a"]}, id="inner", body=_inner_map_body())
    wf = Workflow()
    wf.add_node("core.map", {"mapped": ["a"]}, id="outer", body=outer_body)
    wf.add_node("test.items", {"value": [[1, 2], [3], [], [4, 5, 6]]}, id="lists")
    wf.connect("lists", "value", "outer", "a")
    wf.add_node("test.number", {"value": 100}, id="b")
    wf.connect("b", "value", "outer", "b")
    serial, ours = outputs_both(wf, make_registry(), runner)
    assert ours == serial == {**serial, "outer": {"result": [[101, 102], [103], [], [104, 105, 106]]}}

    # where did the inner elements run? all of one outer element in one engine process
    pid_wf = Workflow()
    pid_body = Workflow()
    pid_body.add_node("core.map", {"mapped": ["a"]}, id="inner", body=_pid_body())
    pid_wf.add_node("core.map", {"mapped": ["a"]}, id="outer", body=pid_body)
    pid_wf.add_node("test.items", {"value": [[1, 2, 3], [4, 5]]}, id="lists")
    pid_wf.connect("lists", "value", "outer", "a")
    result = Executor(registry, runner=runner, cache=False).run(pid_wf)
    assert result.ok, result.failures
    engine_pids = set(cluster.engine_pids().values())
    for pids in result.outputs["outer"]["pid"]:
        assert len(set(pids)) == 1 and pids[0] in engine_pids and pids[0] != os.getpid()


def test_a_for_runs_its_iterations_on_engines_and_a_while_runs_inside_a_map_body_there(registry, runner):
    for_body = Workflow()
    for_body.add_node("test.square_offset", id="fn")
    while_body = Workflow()
    while_body.add_node("test.step", id="fn")
    wf = map_over("core.while", {"mapped": ["x"]}, {"x": [0, 4, 9]}, function_body=while_body)
    wf.nodes["map"].body.nodes["fn"].properties.update(condition_port="go_on", state_ports=["x"])
    wf.add_node("core.for", id="for", body=for_body, inputs={"higher": 6})
    events: list[ev.Event] = []
    result = Executor(registry, runner=runner, cache=False).run(wf, listeners=[events.append])
    assert result.ok, result.failures
    assert result.outputs["map"] == {"x": [10.0, 10.0, 10.0], "go_on": [False] * 3, "iterations": [10, 6, 1]}
    assert result.outputs["for"]["y"] == [0, 1, 4, 9, 16, 25]
    ran = {e.path: list(e.details["table"]) for e in events if e.kind == ev.ITEMS}
    assert set(ran) == {("map",), ("for",)} and all(o.engine is not None for o in ran[("for",)] + ran[("map",)])


def _inner_map_body() -> Workflow:
    body = Workflow()
    body.add_node("test.add", id="add")
    return body


def _pid_body() -> Workflow:
    """A Group taking `a` (ignored) and giving the pid of its process."""
    group = Workflow()
    group.add_node("test.pid", id="pid")
    group.add_node("test.add", id="ignore", inputs={"b": 0})
    group.inputs.append(BoundaryInput("a", [PortRef("ignore", "a")]))
    group.outputs.append(BoundaryOutput("pid", PortRef("pid", "pid")))
    body = Workflow()
    body.add_node("core.group", id="fn", body=group)
    return body


@pytest.mark.parametrize(("on_error", "expected"), [
    ("skip", [1, 4, 9, 16, 25, 36, 49, 64]),
    ("none", [1, None, 4, 9, None, 16, 25, 36, 49, 64, None]),
])
def test_raising_items_under_on_error_with_chunking(registry, cluster, on_error, expected):
    xs = [1, 13, 2, 3, 13, 4, 5, 6, 7, 8, 13]
    wf = map_over("test.square_offset", {"mapped": ["x"], "on_error": on_error}, {"x": xs})
    result = Executor(registry, runner=ClusterRunner(cluster.client, chunksize=4), cache=False).run(wf)
    assert result.ok, result.failures
    assert result.outputs["map"]["y"] == expected


def test_raising_items_fail_the_map_with_indices_engines_and_tracebacks(registry, cluster):
    xs = [13, 1, 2, 13, 3, 4, 5, 13]
    wf = map_over("test.square_offset", {"mapped": ["x"]}, {"x": xs})
    result = Executor(registry, runner=ClusterRunner(cluster.client, chunksize=3), cache=False).run(wf)
    assert result.status == "failed"
    [failure] = result.failures
    assert failure.message.startswith("MapItemsFailed: 3 of 8 elements failed; first: element 0")
    assert [d["index"] for d in failure.details] == [0, 3, 7]
    for detail in failure.details:
        assert detail["input"] == {"x": 13}
        assert "NodeError: 13 is unlucky" in detail["traceback"]
        assert detail["engine"] in cluster.client.ids and detail["host"]


def test_results_keep_input_order_and_per_item_engine_host_and_times(cluster):
    runner = ClusterRunner(cluster.client)
    items = [{"x": i} for i in range(500)]
    outcomes = runner.map(double, items, progress=no_progress, cancel=CancelToken())
    assert [o.index for o in outcomes] == list(range(500))
    assert [o.value["y"] for o in outcomes] == [2 * i for i in range(500)]
    assert all(o.ok and o.engine in cluster.client.ids and o.host and o.started <= o.finished for o in outcomes)


def test_a_map_on_the_cluster_is_recorded_per_element_from_its_items_event(registry, cluster):
    events: list[ev.Event] = []
    recorder = RunRecorder()
    wf = map_over("test.square_offset", {"mapped": ["x"], "on_error": "skip"}, {"x": list(range(500))})
    result = Executor(registry, runner=ClusterRunner(cluster.client), cache=False).run(
        wf, listeners=[events.append, recorder])
    assert result.ok and result.outputs["map"]["y"] == [i * i for i in range(500) if i != 13]  # 13 fails
    [items] = [e for e in events if e.kind == ev.ITEMS]
    [entry] = recorder.record.to_json()["maps"]
    assert entry["total"] == 500 and entry["failed"] == 1 and entry["runner"] == "cluster"
    listed = entry_items(entry)
    assert entry["path"] == ["map"] and [i["status"] for i in listed] == items.details["table"].statuses()
    assert [i["index"] for i in listed] == list(range(500))
    for item in listed:
        assert item["engine"] in cluster.client.ids and item["host"] and item["started"] <= item["finished"]
        if item["index"] == 13:
            assert item["status"] == "failed" and "13 is unlucky" in item["error"]
        else:
            assert (item["status"], item["error"]) == ("ok", "")


def test_progress_streams_as_chunks_complete(registry, cluster):
    events: list[ev.Event] = []
    wf = map_over("test.slow", {"mapped": ["a"]}, {"a": list(range(10))})
    wf.nodes["map"].body.nodes["fn"].properties["seconds"] = 0.05
    result = Executor(registry, runner=ClusterRunner(cluster.client, chunksize=2), cache=False).run(
        wf, listeners=[events.append])
    assert result.ok and result.outputs["map"]["result"] == list(range(10))
    done = [e.done for e in events if e.kind == ev.PROGRESS and e.path == ("map",)]
    assert done[0] == 0 and done[-1] == 10 and len(done) >= 6 and done == sorted(done)


def test_unpicklable_input_fails_only_that_item_and_names_it(cluster, runner):
    items = [{"x": 1}, {"x": threading.Lock()}, {"x": 3}]
    outcomes = runner.map(double, items, progress=no_progress, cancel=CancelToken())
    assert [o.ok for o in outcomes] == [True, False, True]
    assert "element 1 cannot be sent to an engine" in outcomes[1].error and "lock" in outcomes[1].error
    assert outcomes[0].value == {"y": 2} and outcomes[2].value == {"y": 6}


def test_unpicklable_result_fails_only_that_item(cluster):
    runner = ClusterRunner(cluster.client, chunksize=5)
    outcomes = runner.map(lock_for_two, [{"x": i} for i in range(5)], progress=no_progress, cancel=CancelToken())
    assert [o.ok for o in outcomes] == [True, True, False, True, True]
    assert "result of element 2 cannot be sent back" in outcomes[2].error
    assert [o.value["y"] for o in outcomes if o.ok] == [0, 1, 3, 4]


def test_unpicklable_body_is_a_clear_map_error(runner):
    lock = threading.Lock()

    def body(bindings: dict[str, Any]) -> dict[str, Any]:
        return {"held": lock.locked()}

    with pytest.raises(BodyNotSendable, match="cannot be sent to engines"):
        runner.map(body, [{"x": 1}], progress=no_progress, cancel=CancelToken())


def test_cancel_aborts_queued_and_interrupts_running_items(registry, cluster):
    runner = ClusterRunner(cluster.client, chunksize=1)
    wf = map_over("test.slow", {"mapped": ["a"]}, {"a": list(range(6))})
    wf.nodes["map"].body.nodes["fn"].properties["seconds"] = 60.0
    token = CancelToken()
    threading.Timer(2.0, token.cancel).start()
    started = time.monotonic()
    result = Executor(registry, runner=runner, cache=False).run(wf, cancel=token)
    assert result.status == "cancelled" and result.states["map"] == "cancelled"
    assert time.monotonic() - started < 15
    # the engines were interrupted: a new map runs at once
    started = time.monotonic()
    outcomes = ClusterRunner(cluster.client).map(double, [{"x": 2}] * 4, progress=no_progress, cancel=CancelToken())
    assert [o.value for o in outcomes] == [{"y": 4}] * 4
    assert time.monotonic() - started < 20


def test_cancelled_before_start_raises(runner):
    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        runner.map(double, [{"x": 1}], progress=no_progress, cancel=token)


def test_provider_is_called_on_first_map_only(cluster):
    calls = []

    def provide():
        calls.append(1)
        return cluster.client

    runner = ClusterRunner(provide)
    assert calls == []
    for _ in range(2):
        runner.map(double, [{"x": 1}], progress=no_progress, cancel=CancelToken())
    assert calls == [1]


@pytest.mark.parametrize("example", sorted(p.name for p in EXAMPLES.glob("*.pflow")))
def test_bundled_examples_equal_serial(runner, example):
    project = load(EXAMPLES / example)
    serial = Executor(default_registry(), runner=SerialRunner(), cache=False).run(project.workflow)
    ours = Executor(default_registry(), runner=runner, cache=False).run(project.workflow)
    assert ours.status == serial.status == "ok"
    assert same_values(ours.outputs, serial.outputs)  # figures made on engines draw the same pixels


def sleep_then_double(bindings: dict[str, Any]) -> dict[str, Any]:
    time.sleep(bindings["seconds"])
    return {"y": bindings["x"] * 2}


def test_slow_elements_of_a_new_body_spread_over_both_engines(cluster):
    """The first chunks of a body never measured hold each engine's share under a time budget: slow
    elements come back after the budget and the rest is shared out again, so both engines work."""
    runner = ClusterRunner(cluster.client)
    items = [{"x": i, "seconds": 0.3} for i in range(8)]
    outcomes = runner.map(sleep_then_double, items, progress=no_progress, cancel=CancelToken())
    assert [o.value["y"] for o in outcomes] == [2 * i for i in range(8)]
    per_engine = {e: sum(1 for o in outcomes if o.engine == e) for e in cluster.client.ids}
    assert all(2 <= n <= 6 for n in per_engine.values()), per_engine


def test_trivial_elements_run_as_one_chunk_per_engine_once_measured(cluster):
    notices = []
    runner = ClusterRunner(cluster.client, on_event=notices.append)
    items = [{"x": i} for i in range(2000)]
    for _ in range(2):
        notices.clear()
        outcomes = runner.map(double, items, progress=no_progress, cancel=CancelToken())
        assert [o.value["y"] for o in outcomes] == [2 * i for i in range(2000)]
        assert [n.kind for n in notices].count("chunk") == len(cluster.client.ids)


def test_engines_are_named_busy_as_soon_as_their_share_is_sent(cluster):
    """`sent` notices (before any result) name each engine given a direct share: the dock lights it up."""
    notices = []
    runner = ClusterRunner(cluster.client, on_event=notices.append)
    runner.map(double, [{"x": i} for i in range(200)], progress=no_progress, cancel=CancelToken())
    kinds = [n.kind for n in notices]
    sent = [n for n in notices if n.kind == NoticeKind.SENT]
    assert {n.engine for n in sent} == set(cluster.client.ids)
    assert kinds.index("sent") < kinds.index("chunk")
