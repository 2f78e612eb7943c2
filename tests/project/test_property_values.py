"""Property values of the wrong type (issue 11, point 3): a Map's `"mapped": 5`, `"mapped": "x"` and, in VisTrails
mode, `"input_ports": 3` are refused at load, reported by validation and refused at save, each naming the node,
the property and what it takes; `pflow-studio run` says so in one line (exit 2)."""

from __future__ import annotations

import json
import pathlib
import subprocess
import sys

import pytest

from pflow_studio.project.file_format import Project, ProjectFileError, dumps, loads
from pflow_studio.runtime.model import Workflow
from pflow_studio.runtime.registry import default_registry
from pflow_studio.runtime.validation import validate

pytestmark = pytest.mark.fault

CASES = [
    ({"mapped": 5}, "property 'mapped' must be a list of input names, got 5"),
    ({"mapped": "x"}, "property 'mapped' must be a list of input names, got 'x'"),
    ({"mode": "vistrails", "input_ports": 3}, "property 'input_ports' must be a list of input names, got 3"),
]


def map_workflow(properties: dict) -> Workflow:
    """A Map labelled 'Map 1' over math.add (inputs a, b) fed by a list constant."""
    body = Workflow()
    body.add_node("math.add", id="fn")
    wf = Workflow()
    wf.add_node("const.list", {"value": [1, 2]}, id="items")
    wf.add_node("core.map", properties, id="m", label="Map 1", body=body, is_output=True)
    wf.connect("items", "value", "m", "a")
    return wf


def map_text(properties: dict) -> str:
    """The project file of `map_workflow(properties)`, written by hand (save refuses it)."""
    fn = {"id": "fn", "type": "math.add", "properties": {}}
    nodes = [{"id": "items", "type": "const.list", "properties": {"value": [1, 2]}},
             {"id": "m", "type": "core.map", "properties": properties, "ui": {"label": "Map 1"}, "is_output": True,
              "body": {"nodes": [fn], "edges": []}}]
    edges = [{"source": "items", "source_port": "value", "target": "m", "target_port": "a"}]
    return json.dumps({"format": "pflow-studio", "version": 1, "workflow": {"nodes": nodes, "edges": edges}})


@pytest.mark.parametrize(("properties", "message"), CASES)
def test_load_refuses_naming_node_and_property(properties, message):
    with pytest.raises(ProjectFileError) as info:
        loads(map_text(properties), source="m.pflow")
    assert str(info.value) == f"m.pflow: node 'm': {message}"


@pytest.mark.parametrize(("properties", "message"), CASES)
def test_validation_reports_it_first(properties, message):
    problems = [str(p) for p in validate(map_workflow(properties), default_registry())]
    assert problems[0] == f"node 'Map 1' (m): {message}"
    assert not any("port 'a'" in p for p in problems)  # the Map's ports are not guessed from a bad value


@pytest.mark.parametrize(("properties", "message"), CASES)
def test_save_refuses_what_load_would_refuse(properties, message):
    with pytest.raises(ProjectFileError, match=f"node 'm': {message}"):
        dumps(Project(map_workflow(properties)))


def test_good_values_load_and_run_clean():
    project = loads(map_text({"mapped": ["a"]}))
    assert validate(project.workflow, default_registry()) == []


def test_unknown_property_is_refused():
    with pytest.raises(ProjectFileError, match=r"node 'm': unknown property 'maped' \(properties: \["):
        loads(map_text({"maped": ["a"]}))
    problems = [str(p) for p in validate(map_workflow({"maped": ["a"]}), default_registry())]
    assert problems[0].startswith("node 'Map 1' (m): unknown property 'maped' (properties: ['combine', ")


def test_cli_run_says_it_in_one_line(tmp_path: pathlib.Path):
    path = tmp_path / "bad.pflow"
    path.write_text(map_text({"mapped": 5}), encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "pflow_studio", "run", "--serial", str(path)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr == f"pflow-studio: error: {path}: node 'm': {CASES[0][1]}\n"
