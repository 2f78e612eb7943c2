"""A Map body runs through its compiled plan (`runtime.compiled_body`) with the executor's outcomes: the same
values, the same failures (message, the node's traceback frames), the same printed output. One-node bodies
here; random bodies in `test_compiled_body_properties`."""

from __future__ import annotations

from typing import Any

import cloudpickle
import pytest

from pflow_studio.nodes.api import In, NodeType, Out
from pflow_studio.runtime.body_task import BodyTask
from pflow_studio.runtime.cancel import Cancelled
from pflow_studio.runtime.compiled_body import CompiledBody
from pflow_studio.runtime.errors import BodyFailed
from pflow_studio.runtime.model import BoundaryInput, BoundaryOutput, PortRef, Workflow
from pflow_studio.runtime.outcomes import ItemOutcome, run_item
from pflow_studio.runtime.registry import default_registry
from tests.support.nodes import control_flow_registry


class Partial(NodeType):
    """Produces only some of its outputs (a plug-in bug the executor reports)."""

    type_name = "test.partial"
    inputs = [In("x", "any")]
    outputs = [Out("kept", "any"), Out("lost", "any")]

    def compute(self, x: Any) -> dict[str, Any]:
        print("partial", x)  # once: the missing output is found without running the node again
        return {"kept": x}


class Raises(NodeType):
    """Raises what its `what` input names."""

    type_name = "test.raises"
    inputs = [In("what", str)]
    outputs = [Out("result", "any")]

    def compute(self, what: str) -> dict[str, Any]:
        if what == "cancelled":
            raise Cancelled("stop")
        if what == "body":
            raise BodyFailed("inner node(s) failed: X")
        if what == "interrupt":
            raise KeyboardInterrupt
        return {"result": 1 / 0}


def registry():
    reg = default_registry()
    reg.register(Partial)
    reg.register(Raises)
    return reg


def one_node(type_name: str, properties: dict | None = None, inputs: dict | None = None) -> Workflow:
    body = Workflow()
    body.add_node(type_name, properties, id="f", inputs=inputs or {})
    return body


def both_ways(body: Workflow, bindings: dict[str, Any]) -> tuple[ItemOutcome, ItemOutcome]:
    """The element run through the executor and through the plan, as a runner runs it (errors and prints captured)."""
    reg = registry()
    through_executor = BodyTask(body, "f", reg)
    through_executor.__dict__["_compiled"] = None  # what the task decides for a body the plan does not take
    compiled = BodyTask(body, "f", reg)
    assert CompiledBody.of(body, "f", reg) is not None
    return run_item(through_executor, 0, bindings), run_item(compiled, 0, bindings)


def _frames_from(trace: str, marker: str) -> list[str]:
    lines = trace.splitlines()
    start = next(i for i, line in enumerate(lines) if marker in line)
    return lines[start:]


CASES = [
    ("math.add", None, {"b": 2}, {"a": 3}),  # a bound input and the node's own value
    ("math.add", None, {}, {"a": 3}),  # the port default
    ("math.divide", None, {}, {"a": 1, "b": 0}),  # a NodeError
    ("py.code", {"code": "print('hi', x)\ny = x * 2", "inputs": ["x"], "outputs": ["y"]}, {}, {"x": 4}),
    ("py.code", {"code": "import sys\nprint('oops', file=sys.stderr)\ny = 1 / x", "inputs": ["x"],
                 "outputs": ["y"]}, {}, {"x": 0}),
    ("py.code", {"code": "z = x", "inputs": ["x"], "outputs": ["y"]}, {}, {"x": 1}),  # never assigned
    ("test.partial", None, {}, {"x": 5}),  # an output missing from the dict
    ("test.partial", None, {}, {}),  # a required input with no value
    ("test.raises", None, {}, {"what": "zero"}),
    ("test.raises", None, {}, {"what": "cancelled"}),
    ("test.raises", None, {}, {"what": "body"}),
    ("py.code", {"code": "y = x", "inputs": ["x"], "outputs": ["y"]}, {}, {"x": 1, "unused": 2}),
]


@pytest.mark.parametrize(("type_name", "properties", "own", "bindings"), CASES)
def test_the_lean_path_gives_what_the_executor_gives(type_name, properties, own, bindings):
    executor, compiled = both_ways(one_node(type_name, properties, own), bindings)
    assert (compiled.ok, compiled.value, compiled.error, compiled.stdout, compiled.stderr) == \
           (executor.ok, executor.value, executor.error, executor.stdout, executor.stderr)
    assert bool(compiled.traceback) == bool(executor.traceback)
    if executor.traceback:  # the same frames from the node's code down (the first, the caller's, differs)
        assert compiled.traceback.splitlines()[-1] == executor.traceback.splitlines()[-1]
        if "in compute" in executor.traceback:
            assert _frames_from(compiled.traceback, "in compute") == _frames_from(executor.traceback, "in compute")


def test_an_interrupt_passes_through_both_ways():
    reg = registry()
    body = one_node("test.raises")
    compiled, through_executor = BodyTask(body, "f", reg), BodyTask(body, "f", reg)
    through_executor.__dict__["_compiled"] = None
    for task in (compiled, through_executor):
        with pytest.raises(KeyboardInterrupt):
            task({"what": "interrupt"})


def test_only_what_a_plan_cannot_express_goes_to_the_executor():
    reg = control_flow_registry()
    reg.register(Raises)
    assert CompiledBody.of(one_node("test.raises"), "f", reg) is not None
    assert CompiledBody.of(one_node("cf.if"), "f", reg) is not None  # lazy inputs
    group = Workflow()
    group.add_node("core.group", id="f", body=one_node("test.raises"))
    assert CompiledBody.of(group, "f", reg) is not None
    nested_map = Workflow()
    nested_map.add_node("core.map", {"mapped": ["what"]}, id="f", body=one_node("test.raises"))
    assert CompiledBody.of(nested_map, "f", reg) is None
    group_of_map = Workflow()
    group_of_map.add_node("core.group", id="f", body=nested_map)
    assert CompiledBody.of(group_of_map, "f", reg) is None  # decided for the whole body
    assert CompiledBody.of(one_node("no.such.type"), "f", reg) is None  # the executor reports it


def test_the_choice_is_not_pickled():
    task = BodyTask(one_node("math.add"), "f", default_registry())
    blob = cloudpickle.dumps(task)
    assert task({"a": 1}) == {"result": 1.0}
    assert cloudpickle.dumps(task) == blob
    assert cloudpickle.loads(blob)({"a": 2, "b": 3}) == {"result": 5}


def _nested_division() -> Workflow:
    """Group 'Outer' (the function) holding Group 'Inner' holding 'Divide' (x / 0) fed by the boundary x."""
    inner = Workflow()
    inner.add_node("math.divide", id="d", label="Divide", inputs={"b": 0})
    inner.inputs.append(BoundaryInput("x", [PortRef("d", "a")]))
    inner.outputs.append(BoundaryOutput("y", PortRef("d", "result")))
    middle = Workflow()
    middle.add_node("core.group", id="g", label="Inner", body=inner)
    middle.inputs.append(BoundaryInput("x", [PortRef("g", "x")]))
    middle.outputs.append(BoundaryOutput("y", PortRef("g", "y")))
    body = Workflow()
    body.add_node("core.group", id="f", label="Outer", body=middle)
    return body


def test_a_failed_element_names_the_node_that_failed_both_ways():
    executor, compiled = both_ways(_nested_division(), {"x": 1})
    assert compiled.error == executor.error
    assert compiled.error.startswith("node 'Outer/Inner/Divide' failed: ")
    assert "division by zero" in compiled.error
    executor, compiled = both_ways(one_node("math.divide"), {"a": 1, "b": 0})
    assert compiled.error == executor.error and compiled.error.startswith("node 'f' failed: ")
