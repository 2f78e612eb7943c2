"""The executor's node context satisfies `nodes.api.ExecutionContext`, and what it hands out
satisfies the protocols beside it, so node types are written against `nodes.api` alone."""

from __future__ import annotations

import inspect
from typing import Any, ClassVar

from pflow_studio.nodes.api import (
    BodyResult,
    Cancellation,
    ElementOutcome,
    ElementRunner,
    ExecutionContext,
    In,
    NodeType,
    Out,
)
from pflow_studio.runtime.cancel import CancelToken
from pflow_studio.runtime.cluster.runner import ClusterRunner
from pflow_studio.runtime.executor import Executor
from pflow_studio.runtime.level_run import NodeContext
from pflow_studio.runtime.model import PortRef, Workflow
from pflow_studio.runtime.runners import SerialRunner


class Probe(NodeType):
    """Keeps the context it is given and runs its body through it, feeding `a` to the inner add."""

    type_name = "test.probe"
    inputs = [In("a", float), In("b", float, default=1.0)]
    outputs = [Out("result", "any")]
    seen: ClassVar[list[tuple[Any, Any]]] = []

    def execute(self, inputs: dict[str, Any], context: ExecutionContext) -> dict[str, Any]:
        result = context.run_body(self.body, {PortRef("inner", "a"): (inputs["a"], "fed")}, ["inner"])
        self.seen.append((context, result))
        return {"result": result.outputs["inner"]["result"]}


def _run_probe(registry) -> tuple[Any, Any]:
    registry.register(Probe)
    body = Workflow()
    body.add_node("test.add", id="inner", inputs={"a": 0.0, "b": 10.0})  # a: fed by the probe
    wf = Workflow()
    wf.add_node("test.number", {"value": 2.0}, id="two")
    wf.add_node("test.probe", id="probe", body=body)
    wf.connect("two", "value", "probe", "a")
    Probe.seen.clear()
    result = Executor(registry).run(wf)
    assert result.outputs["probe"] == {"result": 12.0}
    (seen,) = Probe.seen
    return seen


def test_a_node_gets_a_context_that_satisfies_the_protocol(registry):
    context, body_result = _run_probe(registry)
    assert isinstance(context, ExecutionContext)
    assert context.path == ("probe",)
    assert context.provided == frozenset({"a"})  # b took its port default
    assert set(context.input_keys) == {"a", "b"}
    assert context.registry is registry
    assert isinstance(context.runner, ElementRunner)
    assert isinstance(context.cancel, Cancellation)
    assert isinstance(body_result, BodyResult)
    assert (body_result.status, body_result.states) == ("ok", {"inner": "finished"})


def test_the_context_methods_take_the_protocols_parameters():
    for name in ("emit", "run_body"):
        wanted = inspect.signature(getattr(ExecutionContext, name)).parameters
        given = inspect.signature(getattr(NodeContext, name)).parameters
        assert [(p.name, p.kind) for p in given.values()] == [(p.name, p.kind) for p in wanted.values()]
    for name in ("registry", "runner", "cancel"):
        assert isinstance(inspect.getattr_static(NodeContext, name), property)


def test_runners_and_their_outcomes_satisfy_the_protocols():
    serial = SerialRunner()
    assert isinstance(serial, ElementRunner)
    assert isinstance(ClusterRunner(lambda: None), ElementRunner)  # no cluster needed until it maps
    outcomes = serial.map(lambda bindings: {"y": bindings["x"]}, [{"x": 1}], progress=lambda done, total: None,
                          cancel=CancelToken())
    assert all(isinstance(outcome, ElementOutcome) for outcome in outcomes)
    assert isinstance(CancelToken(), Cancellation)
