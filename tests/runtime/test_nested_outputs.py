"""Outputs of nodes inside Group bodies are kept by path (also from the cache); Map bodies are not."""

from __future__ import annotations

from pflow_studio.runtime.executor import Executor
from pflow_studio.runtime.model import BoundaryOutput, PortRef, Workflow
from pflow_studio.runtime.operations import wrap_in_map
from tests.support.workflows import nested_groups, plus_group

EXPECTED = {
    ("outer", "inner"): {"out": 6},
    ("outer", "inner", "i_add"): {"result": 5},
    ("outer", "inner", "i_one"): {"result": 6},
}


def test_group_body_outputs_are_kept_by_path(registry):
    result = Executor(registry, cache=False).run(nested_groups())
    assert result.outputs["outer"] == {"out": 6}
    assert result.nested_outputs == EXPECTED
    assert "i_add" not in result.outputs  # the root level's outputs stay the root level's


def test_nested_outputs_survive_a_cached_group(registry):
    executor = Executor(registry)
    executor.run(nested_groups())
    again = executor.run(nested_groups())
    assert again.states["outer"] == "cached"
    assert again.nested_outputs == EXPECTED


def test_a_partly_failed_group_keeps_what_ran(registry):
    body = Workflow()
    body.add_node("test.number", {"value": 3}, id="three")
    body.add_node("test.fail", id="bad")
    body.outputs.append(BoundaryOutput("out", PortRef("bad", "result")))
    body.outputs.append(BoundaryOutput("three", PortRef("three", "value")))
    wf = Workflow()
    wf.add_node("core.group", id="g", body=body)
    result = Executor(registry).run(wf)
    assert result.status == "failed"
    assert result.nested_outputs == {("g", "three"): {"value": 3}}


def test_map_bodies_are_not_kept(registry):
    wf = Workflow()
    wf.add_node("core.group", id="g", body=plus_group("i"))
    wrap_in_map(wf, "g", mapped=["x"], map_id="map", registry=registry)
    wf.nodes["map"].input_values["x"] = [1, 2]
    result = Executor(registry).run(wf)
    assert result.outputs["map"] == {"out": [2, 3]}
    assert result.nested_outputs == {}
