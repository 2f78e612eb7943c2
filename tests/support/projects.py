"""Sample projects, a registry (test node types + constants + containers) and document builders for the
project-file tests."""

from __future__ import annotations

import json
import pathlib

import pytest

from pflow_studio.nodes.library import constants
from pflow_studio.nodes.registry import Registry
from pflow_studio.project.file_format import Project, ProjectFileError, load, save
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


REGISTRY = sample_registry()


def file_error(tmp_path: pathlib.Path, content: str | bytes, name: str = "p.pflow") -> ProjectFileError:
    """Write `content` to a file, load it, and return the ProjectFileError (which must name that file)."""
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(ProjectFileError) as info:
        load(path, registry=REGISTRY)
    assert info.value.path == str(path)
    assert str(info.value) == f"{path}: {info.value.problem}"
    return info.value


def document(nodes: list, edges: list | None = None, **workflow_extra) -> str:
    """The text of a version-1 project file with these nodes and edges."""
    workflow = {"nodes": nodes, "edges": edges or [], **workflow_extra}
    return json.dumps({"format": "pflow-studio", "version": 1, "workflow": workflow})


def group(node_id: str, nodes: list, **extra) -> dict:
    """A Group node (file format) whose body holds `nodes`."""
    return {"id": node_id, "type": "core.group", "body": {"nodes": nodes, "edges": [], **extra}}


def const(node_id: str, value: int = 1) -> dict:
    """A const.int node (file format)."""
    return {"id": node_id, "type": "const.int", "properties": {"value": value}}


def expression_map_file(path: pathlib.Path, values: list, expression: str, *, on_error: str = "fail",
                        label: str = "Map") -> pathlib.Path:
    """Save at `path` a project: const.list `values` -> Map `label` (`on_error`) of the Python expression
    `expression` of x (a py.expression node 'fn'); returns `path`."""
    body = Workflow()
    body.add_node("py.expression", {"expression": expression, "inputs": ["x"]}, id="fn")
    wf = Workflow()
    wf.add_node("const.list", {"value": values}, id="numbers")
    wf.add_node("core.map", {"mapped": ["x"], "on_error": on_error}, id="map", label=label, body=body)
    wf.connect("numbers", "value", "map", "x")
    save(Project(wf, {}), path)
    return path
