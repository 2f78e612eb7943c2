"""Sample projects and a registry for the project-file tests (test node types + constants + containers)."""

from __future__ import annotations

from pflow_studio.nodes.library import constants
from pflow_studio.nodes.registry import Registry
from pflow_studio.project.file_format import Project
from pflow_studio.runtime.model import BoundaryInput, BoundaryOutput, PortRef, Workflow
from tests.support.nodes import make_registry


def sample_registry() -> Registry:
    registry = make_registry()
    registry.register_module(constants)
    return registry


def flat_workflow() -> Workflow:
    """two = 2 (int), half = 0.5 (float), total = two + half, marked as the output."""
    wf = Workflow()
    wf.add_node("const.int", {"value": 2}, id="two", label="Two", pos=(10, -20.5))
    half = wf.add_node("const.float", {"value": 0.5}, id="half", pos=(10, 80))
    half.ui["color"] = [200, 120, 0]
    wf.add_node("test.add", id="total", label="Total", pos=(300, 30), is_output=True)
    wf.connect("two", "value", "total", "a")
    wf.connect("half", "value", "total", "b")
    return wf


def plus_one_group(prefix: str) -> Workflow:
    """A Group body computing x + y + 1; boundary inputs x (two targets order kept) and y, output out."""
    body = Workflow()
    body.add_node("test.add", id=f"{prefix}_add", pos=(0, 0))
    body.add_node("test.add", id=f"{prefix}_one", inputs={"b": 1}, label="plus one", pos=(200, 0))
    body.connect(f"{prefix}_add", "result", f"{prefix}_one", "a")
    body.inputs.append(BoundaryInput("x", [PortRef(f"{prefix}_add", "a")]))
    body.inputs.append(BoundaryInput("y", [PortRef(f"{prefix}_add", "b")]))
    body.outputs.append(BoundaryOutput("out", PortRef(f"{prefix}_one", "result")))
    return body


def nested_workflow() -> Workflow:
    """A Group holding a Group, and a Map whose function is a Group; runs to outer.out == 12 and
    map.out == [2, 3, 4]."""
    outer_body = Workflow()
    outer_body.add_node("core.group", id="inner", body=plus_one_group("i"), label="Inner", pos=(5, 5))
    outer_body.add_node("test.number", {"value": 10}, id="ten")
    outer_body.connect("ten", "value", "inner", "y")
    outer_body.inputs.append(BoundaryInput("x", [PortRef("inner", "x")]))
    outer_body.outputs.append(BoundaryOutput("out", PortRef("inner", "out")))
    map_body = Workflow()
    map_body.add_node("core.group", id="fn", body=plus_one_group("m"), pos=(0, 0))
    wf = Workflow()
    wf.add_node("test.number", {"value": 1}, id="one")
    wf.add_node("core.group", id="outer", body=outer_body, label="Outer", pos=(100, 0), is_output=True)
    wf.connect("one", "value", "outer", "x")
    wf.add_node("test.items", {"value": [1, 2, 3]}, id="items")
    wf.add_node("core.map", {"mapped": ["x"], "combine": "zip"}, id="map", body=map_body, is_output=True,
                label="Map", pos=(100, 200))
    wf.connect("items", "value", "map", "x")
    return wf


def sample_project() -> Project:
    return Project(nested_workflow(), {"name": "sample", "view": {"zoom": 1.25, "center": [3.5, -2]}})
