"""One element of a Map run again with every inner node's outputs kept (`runtime.element_trace`)."""

from __future__ import annotations

import pytest

from pflow_studio.runtime.body_task import BodyTask
from pflow_studio.runtime.element_trace import TracingTask
from pflow_studio.runtime.errors import ElementFailed
from pflow_studio.runtime.model import BoundaryOutput, PortRef
from tests.support.workflows import map_over, square_plus_half


def _task(registry) -> BodyTask:
    workflow = map_over("core.group", {}, {"x": [1, 2, 3]}, function_body=square_plus_half())
    return BodyTask(workflow.nodes["map"].body, "fn", registry)


def test_every_inner_node_of_the_element_has_its_outputs(registry):
    task = _task(registry)
    tracing = TracingTask(task, 4, "sig")
    assert tracing({"x": 3.0}) == task({"x": 3.0}) == {"out": 9.5}
    trace = tracing.trace
    assert (trace.index, trace.signature, trace.inputs, trace.failures) == (4, "sig", {"x": 3.0}, {})
    assert trace.outputs_at(("fn",)) == {"out": 9.5}
    assert trace.outputs_at(("fn", "sq")) == {"y": 9.0, "x": 3.0}
    assert trace.outputs_at(("fn", "plus")) == {"result": 9.5}
    assert trace.outputs_at(("fn", "nowhere")) is None


def test_a_failing_element_keeps_what_ran_before_the_failure(registry):
    body = square_plus_half()
    body.add_node("test.fail", id="boom")
    body.connect("plus", "result", "boom", "a")
    body.outputs[0] = BoundaryOutput("out", PortRef("boom", "result"))
    workflow = map_over("core.group", {}, {"x": [1, 2, 3]}, function_body=body)
    tracing = TracingTask(BodyTask(workflow.nodes["map"].body, "fn", registry), 0, "sig")
    with pytest.raises(ElementFailed, match="boom"):
        tracing({"x": 2.0})
    assert tracing.trace.outputs_at(("fn", "sq")) == {"y": 4.0, "x": 2.0}
    assert "boom" in tracing.trace.failures[("fn", "boom")]
    assert tracing.trace.outputs_at(("fn", "boom")) is None
