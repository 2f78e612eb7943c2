"""Workflows the tests build again and again (pure model: no Qt, runnable on engines)."""

from __future__ import annotations

from pflow_studio.runtime.executor import Executor, RunResult
from pflow_studio.runtime.model import BoundaryInput, BoundaryOutput, PortRef, Workflow


def sample() -> Workflow:
    """two (2.0) + three (3.0) -> add -> mul (b = 10): the canvas tests' four-node chain."""
    workflow = Workflow()
    workflow.add_node("const.float", {"value": 2.0}, id="two", label="two", pos=(0, 0))
    workflow.add_node("const.float", {"value": 3.0}, id="three", label="three", pos=(0, 200))
    workflow.add_node("math.add", id="add", label="add", pos=(300, 100))
    workflow.add_node("math.multiply", id="mul", label="mul", pos=(600, 100), inputs={"b": 10.0})
    workflow.connect("two", "value", "add", "a")
    workflow.connect("three", "value", "add", "b")
    workflow.connect("add", "result", "mul", "a")
    return workflow


def map_over(function_type: str, properties: dict, lists: dict, *, kind: str = "core.map",
             function_inputs: dict | None = None, function_body: Workflow | None = None) -> Workflow:
    """A Map (or `kind`) 'map' over one `function_type` node 'fn', each list in `lists` fed by a test.items node."""
    body = Workflow()
    body.add_node(function_type, id="fn", inputs=function_inputs or {}, body=function_body)
    wf = Workflow()
    wf.add_node(kind, properties, id="map", body=body)
    for name, values in lists.items():
        wf.add_node("test.items", {"value": values}, id=f"list_{name}")
        wf.connect(f"list_{name}", "value", "map", name)
    return wf


def run(wf: Workflow, registry, **kwargs) -> RunResult:
    """Run `wf` once without a cache."""
    return Executor(registry, cache=False).run(wf, **kwargs)


def plus_group(group_id: str = "g", inner_body: Workflow | None = None) -> Workflow:
    """A group computing (x + y) + 1 with y optional (inner default 0)."""
    body = Workflow()
    body.add_node("test.add", id=f"{group_id}_add")
    body.add_node("test.add", id=f"{group_id}_one", inputs={"b": 1})
    body.connect(f"{group_id}_add", "result", f"{group_id}_one", "a")
    body.inputs.append(BoundaryInput("x", [PortRef(f"{group_id}_add", "a")]))
    body.inputs.append(BoundaryInput("y", [PortRef(f"{group_id}_add", "b")]))
    body.outputs.append(BoundaryOutput("out", PortRef(f"{group_id}_one", "result")))
    return body


def nested_groups(value: int = 5) -> Workflow:
    """A number node 'number' (`value`) -> outer Group { inner Group plus_group("i"): (x + y) + 1 }:
    outer.out = value + 1."""
    outer_body = Workflow()
    outer_body.add_node("core.group", id="inner", body=plus_group("i"))
    outer_body.inputs.append(BoundaryInput("x", [PortRef("inner", "x")]))
    outer_body.outputs.append(BoundaryOutput("out", PortRef("inner", "out")))
    wf = Workflow()
    wf.add_node("test.number", {"value": value}, id="number")
    wf.add_node("core.group", id="outer", body=outer_body)
    wf.connect("number", "value", "outer", "x")
    return wf


def square_plus_half() -> Workflow:
    """A Group body: x -> test.square_offset 'sq' -> test.add 'plus' (+ 0.5) -> out (x * x + 0.5 by default)."""
    inner = Workflow()
    inner.add_node("test.square_offset", id="sq")
    inner.add_node("test.add", id="plus", inputs={"b": 0.5})
    inner.connect("sq", "y", "plus", "a")
    inner.inputs.append(BoundaryInput("x", [PortRef("sq", "x")]))
    inner.outputs.append(BoundaryOutput("out", PortRef("plus", "result")))
    return inner
