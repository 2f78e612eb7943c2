"""Wrapping a node in a For or a While: the node becomes the loop's body, the loop takes its place, ports, edges
and output mark; the index goes to its first free input, the state to the names it has on both sides."""

from __future__ import annotations

import pytest

from pflow_studio.runtime.executor import Executor
from pflow_studio.runtime.model import Edge, ModelError, Workflow
from pflow_studio.runtime.operations import wrap_in_loop
from pflow_studio.runtime.validation import validate


def feeding(function_type: str, **inputs) -> Workflow:
    """`function_type` node 'fn' at (50, 60), marked as an output, its input 'a' fed by a number node."""
    wf = Workflow()
    wf.add_node("test.number", {"value": 100}, id="number")
    wf.add_node(function_type, id="fn", inputs=inputs, pos=(50, 60), is_output=True)
    wf.connect("number", "value", "fn", "a")
    return wf


def test_a_for_takes_the_nodes_place_and_feeds_the_index_to_its_first_free_input(registry):
    wf = feeding("test.add")
    loop = wrap_in_loop(wf, "fn", "core.for", registry, loop_id="loop")
    assert list(wf.nodes) == ["number", "loop"] and loop.body.nodes["fn"].type_name == "test.add"
    assert loop.properties == {"index_port": "b"} and loop.position == (50.0, 60.0) and loop.is_output
    assert wf.edges == [Edge.of("number", "value", "loop", "a")]
    wf.nodes["loop"].input_values["higher"] = 3
    assert validate(wf, registry) == []
    assert Executor(registry, cache=False).run(wf).outputs["loop"] == {"result": [100, 101, 102]}


def test_a_for_around_a_node_whose_inputs_are_all_connected_is_refused(registry):
    wf = feeding("test.add")
    wf.add_node("test.number", {"value": 1}, id="one")
    wf.connect("one", "value", "fn", "b")
    before = wf.canonical()
    with pytest.raises(ModelError, match="every input is connected"):
        wrap_in_loop(wf, "fn", "core.for", registry)
    assert wf.canonical() == before


def test_a_while_passes_the_names_on_both_sides_and_stops_on_the_one_bool_output(registry):
    wf = Workflow()
    wf.add_node("test.step", id="fn", inputs={"x": 0.0})
    loop = wrap_in_loop(wf, "fn", "core.while", registry, loop_id="loop")
    assert loop.properties == {"condition_port": "go_on", "state_ports": ["x"]}
    assert Executor(registry, cache=False).run(wf).outputs["loop"] == {"x": 10.0, "go_on": False, "iterations": 10}


def test_only_loops_are_wrapped_and_ids_stay_unique(registry):
    with pytest.raises(ModelError, match="not a For or a While"):
        wrap_in_loop(feeding("test.add"), "fn", "core.map", registry)
    with pytest.raises(ModelError, match="already exists"):
        wrap_in_loop(feeding("test.add"), "fn", "core.while", registry, loop_id="number")
