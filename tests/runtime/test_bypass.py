"""Bypassed nodes: outputs pass their inputs through where the types allow, else they are empty and what
reads them is skipped; the mark is part of the cache key and of the file; a Map body runs with it."""

from __future__ import annotations

import pytest

from pflow_studio.project.file_format import Project, dumps, load, loads
from pflow_studio.runtime.bypass import bypass_routes
from pflow_studio.runtime.executor import Executor
from pflow_studio.runtime.graph import instantiate
from pflow_studio.runtime.model import Workflow
from pflow_studio.runtime.registry import default_registry
from pflow_studio.runtime.results import FINISHED, SKIPPED
from tests.support.nodes import CALLS
from tests.support.paths import EXAMPLES


def chain(bypassed: str = "s") -> Workflow:
    """a=2, b=3 -> s=a+b -> t=s+b, with `bypassed` marked."""
    wf = Workflow()
    wf.add_node("test.number", {"value": 2}, id="a")
    wf.add_node("test.number", {"value": 3}, id="b")
    wf.add_node("test.add", id="s")
    wf.add_node("test.add", id="t")
    wf.connect("a", "value", "s", "a")
    wf.connect("b", "value", "s", "b")
    wf.connect("s", "result", "t", "a")
    wf.connect("b", "value", "t", "b")
    wf.nodes[bypassed].bypassed = True
    return wf


def test_a_bypassed_node_passes_its_first_input_of_the_same_type_through(registry):
    result = Executor(registry).run(chain())
    assert result.status == "ok"
    assert result.outputs["s"] == {"result": 2} and result.outputs["t"] == {"result": 5}
    assert CALLS.get("test.add") == 1  # t ran; s did not
    assert result.states["s"] == FINISHED


def test_outputs_pass_the_input_of_the_same_name_first(registry):
    wf = Workflow()
    wf.add_node("test.number", {"value": 4}, id="x")
    wf.add_node("test.square_offset", id="sq", inputs={"offset": 1.0})
    wf.connect("x", "value", "sq", "x")
    node = wf.nodes["sq"]
    assert bypass_routes(instantiate(node, registry)) == {"y": "x", "x": "x"}
    node.bypassed = True
    assert Executor(registry).run(wf).outputs["sq"] == {"y": 4, "x": 4}


def test_an_output_with_nothing_to_pass_is_empty_and_its_readers_skip_without_failing(registry):
    wf = chain(bypassed="a")  # a number source has no inputs: its output is empty
    result = Executor(registry).run(wf)
    assert result.status == "ok" and not result.failures
    assert result.states["a"] == SKIPPED
    assert result.states["s"] == SKIPPED and result.states["t"] == SKIPPED


def test_a_bypassed_node_needs_no_value_on_its_required_inputs(registry):
    wf = Workflow()
    wf.add_node("test.square_offset", id="lonely")
    wf.nodes["lonely"].bypassed = True
    result = Executor(registry).run(wf)  # validation does not ask for 'x', and nothing fails
    assert result.status == "ok" and result.states["lonely"] == SKIPPED


def test_bypassing_changes_the_cache_key(registry):
    executor = Executor(registry)
    wf = chain()
    wf.nodes["s"].bypassed = False
    assert executor.run(wf).outputs["t"] == {"result": 8}
    wf.nodes["s"].bypassed = True
    assert executor.run(wf).outputs["t"] == {"result": 5}
    wf.nodes["s"].bypassed = False
    assert executor.run(wf).outputs["t"] == {"result": 8}


def example_with_bypassed_square() -> Workflow:
    workflow = load(EXAMPLES / "square_offset_map.pflow").workflow
    workflow.node("map").body.node("square_offset").body.node("square").bypassed = True
    return workflow


def test_a_map_body_runs_with_a_bypassed_inner_node():
    workflow = example_with_bypassed_square()
    result = Executor(default_registry(), cache=False).run(workflow)
    plain = Executor(default_registry(), cache=False).run(load(EXAMPLES / "square_offset_map.pflow").workflow)
    assert result.ok and result.outputs["total"] != plain.outputs["total"]
    offset, bounds = workflow.node("offset").properties["value"], workflow.node("numbers").input_values
    assert result.outputs["map"]["y"] == [x + offset for x in range(bounds["start"], bounds["stop"])]


def test_the_mark_is_saved_only_when_set_and_read_back():
    workflow = example_with_bypassed_square()
    text = dumps(Project(workflow, {}))
    assert text.count('"bypassed": true') == 1
    again = loads(text).workflow
    assert again.node("map").body.node("square_offset").body.node("square").bypassed
    assert '"bypassed"' not in dumps(Project(load(EXAMPLES / "square_offset_map.pflow").workflow, {}))


def test_a_mark_that_is_not_a_bool_is_refused():
    text = dumps(Project(example_with_bypassed_square(), {})).replace('"bypassed": true', '"bypassed": "yes"')
    with pytest.raises(Exception, match="'bypassed' must be true or false"):
        loads(text)
