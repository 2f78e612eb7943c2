"""For and While in project files: saved and opened exactly (bodies, properties, values, UI hints, an empty body),
and the opened project runs as the saved one did."""

from __future__ import annotations

import json

from pflow_studio.project.file_format import Project, load, save
from pflow_studio.runtime.executor import Executor
from pflow_studio.runtime.model import BoundaryInput, BoundaryOutput, PortRef, Workflow
from tests.support.projects import REGISTRY


def loops() -> Workflow:
    """A For over a Group (index -> 'i', 'scale' the same for every iteration), a While over test.step, and a
    For just added on the canvas (an empty body)."""
    group = Workflow()
    group.add_node("test.add", id="add", inputs={"b": 0.5}, pos=(0, 0))
    group.inputs += [BoundaryInput("i", [PortRef("add", "a")]), BoundaryInput("scale", [])]
    group.outputs.append(BoundaryOutput("out", PortRef("add", "result")))
    for_body = Workflow()
    for_body.add_node("core.group", id="fn", body=group, label="Half more", pos=(5, 6))
    while_body = Workflow()
    while_body.add_node("test.step", id="step", inputs={"step": 2.0}, pos=(-3.5, 7))
    wf = Workflow()
    wf.add_node("const.int", {"value": 3}, id="three", pos=(0, 0))
    wf.add_node("core.for", {"index_port": "i"}, id="for", body=for_body, label="Every i", pos=(200, 0),
                inputs={"lower": 1})
    wf.connect("three", "value", "for", "higher")
    wf.add_node("core.while", {"condition_port": "go_on", "state_ports": ["x"], "max_iterations": 7, "delay": 0.0},
                id="while", body=while_body, label="Count up", pos=(200, 150), inputs={"x": 1.0}, is_output=True)
    wf.add_node("core.for", id="empty", body=Workflow(), label="For", pos=(400, 0))
    return wf


def test_loops_are_saved_and_opened_exactly_and_run_the_same(tmp_path):
    path = tmp_path / "loops.pflow"
    saved = loops()
    save(Project(saved), path)
    text = json.loads(path.read_text(encoding="utf-8"))
    assert [n["type"] for n in text["workflow"]["nodes"]] == ["const.int", "core.for", "core.while", "core.for"]
    assert text["workflow"]["nodes"][3]["body"] == {"nodes": [], "edges": []}
    opened = load(path, REGISTRY).workflow
    assert opened.canonical() == saved.canonical()
    assert [(n.id, p, n.ui) for n, p in opened.walk()] == [(n.id, p, n.ui) for n, p in saved.walk()]
    assert opened.nodes["empty"].body is not None and not opened.nodes["empty"].body.nodes
    save(Project(opened), tmp_path / "again.pflow")
    assert (tmp_path / "again.pflow").read_bytes() == path.read_bytes()
    del saved.nodes["empty"], opened.nodes["empty"]  # (an empty body is not runnable)
    before = Executor(REGISTRY, cache=False).run(saved)
    after = Executor(REGISTRY, cache=False).run(opened)
    assert before.ok and after.outputs == before.outputs
    assert after.outputs["for"] == {"out": [1.5, 2.5]}
    assert after.outputs["while"] == {"x": 11.0, "go_on": False, "iterations": 5}
