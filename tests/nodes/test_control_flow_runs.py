"""Control Flow nodes through the executor: If and Default run only what they need, ExecuteInOrder's order,
Maps feeding Sum / If, Fold's errors named before and while running."""

from __future__ import annotations

import pytest

from pflow_studio.runtime import events as ev
from pflow_studio.runtime.executor import Executor, InvalidWorkflow
from pflow_studio.runtime.model import Workflow
from tests.support.nodes import CALLS


def run(wf: Workflow, registry, **kwargs):
    return Executor(registry, cache=False).run(wf, **kwargs)


# -- through the executor ----------------------------------------------------------------------


def if_graph(condition: bool) -> Workflow:
    """cond -> If; true branch: a counting number; false branch: a number feeding a failing node."""
    wf = Workflow()
    wf.add_node("const.bool", {"value": condition}, id="cond")
    wf.add_node("test.number", {"value": 1}, id="yes")
    wf.add_node("test.number", {"value": 2}, id="no_source")
    wf.add_node("test.fail", id="no")
    wf.add_node("cf.if", id="if")
    wf.connect("no_source", "value", "no", "a")
    wf.connect("cond", "value", "if", "condition")
    wf.connect("yes", "value", "if", "true_value")
    wf.connect("no", "result", "if", "false_value")
    return wf


def test_if_runs_only_the_chosen_branch(registry):
    events: list[ev.Event] = []
    result = run(if_graph(True), registry, listeners=[events.append])
    assert result.status == "ok", result.failures
    assert result.outputs["if"] == {"result": 1}
    assert result.states["no"] == result.states["no_source"] == "skipped"
    assert CALLS == {"test.number": 1}  # only "yes" ran
    assert {e.node_id for e in events if e.kind == ev.STARTED} == {"cond", "yes", "if"}


def test_if_false_runs_the_false_branch_and_its_failure_skips_if(registry):
    result = run(if_graph(False), registry)
    assert result.states["yes"] == "skipped" and result.states["no"] == "failed"
    assert result.states["if"] == "skipped" and result.status == "failed"
    assert CALLS == {"test.number": 1}  # only "no_source" ran


def test_if_with_unconnected_branch_values(registry):
    wf = Workflow()
    wf.add_node("cf.if", id="if", inputs={"condition": False, "true_value": "t", "false_value": "f"})
    assert run(wf, registry).outputs["if"] == {"result": "f"}


def test_default_computes_default_only_when_input_is_none(registry):
    wf = Workflow()
    wf.add_node("test.volatile", {"value": 3}, id="input")
    wf.add_node("test.number", {"value": 9}, id="fallback")
    wf.add_node("cf.default", id="d")
    wf.connect("input", "value", "d", "input")
    wf.connect("fallback", "value", "d", "default")
    result = run(wf, registry)
    assert result.outputs["d"] == {"result": 3} and result.states["fallback"] == "skipped"
    assert "test.number" not in CALLS
    wf.nodes["input"].properties["value"] = None
    result = run(wf, registry)
    assert result.outputs["d"] == {"result": 9} and CALLS["test.number"] == 1


def test_default_with_input_left_unconnected(registry):
    wf = Workflow()
    wf.add_node("cf.default", id="d", inputs={"default": "x"})
    assert run(wf, registry).outputs["d"] == {"result": "x"}


def order_graph(type_name: str) -> Workflow:
    """second's chain (b1 -> b2) is added and wired before first's chain (a1 -> a2)."""
    wf = Workflow()
    wf.add_node("test.number", {"value": "b"}, id="b1")
    wf.add_node("test.slow", {"seconds": 0}, id="b2")
    wf.add_node("test.number", {"value": "a"}, id="a1")
    wf.add_node("test.slow", {"seconds": 0}, id="a2")
    wf.add_node(type_name, id="order")
    wf.connect("b1", "value", "b2", "a")
    wf.connect("b2", "result", "order", "second")
    wf.connect("a1", "value", "a2", "a")
    wf.connect("a2", "result", "order", "first")
    return wf


def test_execute_in_order_runs_everything_first_needs_before_second(registry):
    events: list[ev.Event] = []
    result = run(order_graph("cf.execute_in_order"), registry, listeners=[events.append])
    assert result.outputs["order"] == {"result": "b", "first": "a"}
    started = [e.node_id for e in events if e.kind == ev.STARTED]
    assert started == ["a1", "a2", "b1", "b2", "order"]
    # The control: a node that is not lazy runs the same graph in wiring order, second first.
    control: list[ev.Event] = []
    run(order_graph("test.pair"), registry, listeners=[control.append])
    assert [e.node_id for e in control if e.kind == ev.STARTED] == ["b1", "b2", "a1", "a2", "order"]


def test_execute_in_order_never_runs_second_when_first_fails(registry):
    wf = Workflow()
    wf.add_node("test.fail", id="first")
    wf.add_node("test.number", id="second")
    wf.add_node("cf.execute_in_order", id="order")
    wf.connect("first", "result", "order", "first")
    wf.connect("second", "value", "order", "second")
    result = run(wf, registry)
    assert result.states == {"first": "failed", "second": "skipped", "order": "skipped"}
    assert CALLS == {}


def test_map_feeding_sum(registry):
    """Map (core.map) over a list, then Sum of the mapped outputs."""
    body = Workflow()
    body.add_node("test.square_offset", id="fn", inputs={"offset": 1})
    wf = Workflow()
    wf.add_node("const.list", {"value": [1, 2, 3]}, id="xs")
    wf.add_node("core.map", {"mapped": ["x"]}, id="map", body=body)
    wf.add_node("cf.sum", id="sum")
    wf.connect("xs", "value", "map", "x")
    wf.connect("map", "y", "sum", "input_list")
    result = run(wf, registry)
    assert result.status == "ok", result.failures
    assert result.outputs["map"]["y"] == [2, 5, 10]
    assert result.outputs["sum"] == {"result": 17}


def test_cartesian_product_feeds_a_vistrails_map_then_sum(registry):
    """The VisTrails idiom: CartesianProduct -> Map(InputPort=[a, b]) -> Sum."""
    body = Workflow()
    body.add_node("test.add", id="fn")
    wf = Workflow()
    wf.add_node("const.list", {"value": [1, 2]}, id="l1")
    wf.add_node("const.list", {"value": [10, 20]}, id="l2")
    wf.add_node("cf.cartesian_product", id="pairs")
    wf.add_node("core.map", {"mode": "vistrails", "input_ports": ["a", "b"], "output_port": "result"},
                id="map", body=body)
    wf.add_node("cf.sum", id="sum")
    wf.connect("l1", "value", "pairs", "list1")
    wf.connect("l2", "value", "pairs", "list2")
    wf.connect("pairs", "result", "map", "input_list")
    wf.connect("map", "result", "sum", "input_list")
    result = run(wf, registry)
    assert result.status == "ok", result.failures
    assert result.outputs["map"] == {"result": [11, 21, 12, 22]}
    assert result.outputs["sum"] == {"result": 66}


def test_map_feeding_and_then_if(registry):
    body = Workflow()
    body.add_node("test.is_even", id="fn")
    wf = Workflow()
    wf.add_node("const.list", {"value": [2, 4, 5]}, id="xs")
    wf.add_node("core.map", {"mapped": ["x"]}, id="map", body=body)
    wf.add_node("cf.and", id="all_even")
    wf.add_node("cf.if", id="if", inputs={"true_value": "all even", "false_value": "not all even"})
    wf.connect("xs", "value", "map", "x")
    wf.connect("map", "result", "all_even", "input_list")
    wf.connect("all_even", "result", "if", "condition")
    result = run(wf, registry)
    assert result.outputs["all_even"] == {"result": False}
    assert result.outputs["if"] == {"result": "not all even"}


def test_fold_expression_syntax_error_is_refused_before_running(registry):
    wf = Workflow()
    wf.add_node("cf.fold", {"operation": "expression", "expression": "acc +"}, id="f", label="Total",
                inputs={"input_list": [1]})
    with pytest.raises(InvalidWorkflow, match=r"node 'Total' \(f\): syntax error in expression at line 1"):
        run(wf, registry)


def test_fold_failure_through_the_executor_names_the_element(registry):
    wf = Workflow()
    wf.add_node("cf.fold", {"operation": "max"}, id="f", inputs={"input_list": [1, "two", 3]})
    [failure] = run(wf, registry).failures
    assert failure.path == ("f",) and "max failed at element 1 ('two')" in failure.message
