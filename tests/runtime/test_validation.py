"""Validation names the node and port of every problem, at every nesting level."""

from __future__ import annotations

from pflow_studio.runtime.model import BoundaryInput, BoundaryOutput, Edge, PortRef, Workflow
from pflow_studio.runtime.validation import validate


def messages(wf: Workflow, registry) -> list[str]:
    return [str(p) for p in validate(wf, registry)]


def test_valid_workflow_has_no_problems(registry):
    wf = Workflow()
    wf.add_node("test.number", id="a")
    wf.add_node("test.add", id="s")
    wf.connect("a", "value", "s", "a")
    assert messages(wf, registry) == []


def test_unknown_node_type(registry):
    wf = Workflow()
    wf.add_node("nope.thing", id="x", label="Thing")
    assert messages(wf, registry) == ["node 'Thing' (x): unknown node type 'nope.thing': not installed, so it "
                                      "cannot run (install the plug-in that provides it)"]


def test_cycle_names_the_nodes(registry):
    wf = Workflow()
    wf.add_node("test.add", id="p", inputs={"b": 1})
    wf.add_node("test.add", id="q", inputs={"b": 1})
    wf.connect("p", "result", "q", "a")
    wf.connect("q", "result", "p", "a")
    [problem] = messages(wf, registry)
    assert "cycle: p -> q -> p" in problem or "cycle: q -> p -> q" in problem


def test_type_mismatch_names_both_ends(registry):
    wf = Workflow()
    wf.add_node("test.text", id="t", label="Name")
    wf.add_node("test.add", id="s", label="Sum")
    wf.connect("t", "value", "s", "a")
    assert messages(wf, registry) == [
        "node 'Sum' (s), port 'a': type mismatch: output 'value' of 'Name' is str, this input takes float"]


def test_missing_required_input_and_bad_constant(registry):
    wf = Workflow()
    wf.add_node("test.add", id="s", inputs={"b": "seven"})
    assert messages(wf, registry) == [
        "node 's', port 'a': required input has no value or edge",
        "node 's', port 'b': value 'seven' does not fit type float",
    ]


def test_unknown_ports_and_double_edges(registry):
    wf = Workflow()
    wf.add_node("test.number", id="a")
    wf.add_node("test.add", id="s")
    wf.edges.append(Edge.of("a", "nope", "s", "a"))
    wf.edges.append(Edge.of("a", "value", "s", "a"))
    wf.edges.append(Edge.of("a", "value", "s", "zzz"))
    found = messages(wf, registry)
    assert "node 'a', port 'nope': no such output (outputs: ['value'])" in found
    assert any("port 'a': input has two edges" in m for m in found)
    assert "node 's', port 'zzz': no such input (inputs: ['a', 'b'])" in found


def test_dangling_boundary_ports(registry):
    body = Workflow()
    body.add_node("test.add", id="inner", inputs={"a": 1})
    body.inputs.append(BoundaryInput("x", [PortRef("gone", "a")]))
    body.inputs.append(BoundaryInput("y", [PortRef("inner", "nope")]))
    body.outputs.append(BoundaryOutput("out", PortRef("inner", "missing")))
    wf = Workflow()
    wf.add_node("core.group", id="g", body=body)
    found = messages(wf, registry)
    assert "node 'g', port 'x': boundary input is dangling: inner node 'gone' does not exist" in found
    assert "node 'g', port 'y': boundary input is dangling: inner node 'inner' has no input 'nope'" in found
    assert "node 'g', port 'out': boundary output is dangling: inner node 'inner' has no output 'missing'" in found


def test_problems_inside_bodies_carry_the_nested_path(registry):
    body = Workflow()
    body.add_node("test.add", id="inner")
    body.add_node("nope.x", id="bad")
    wf = Workflow()
    wf.add_node("core.group", id="g", body=body)
    assert any(m.startswith("node 'bad' inside 'g': unknown node type 'nope.x'") for m in messages(wf, registry))


def test_map_configuration_problems(registry):
    body = Workflow()
    body.add_node("test.add", id="fn")
    wf = Workflow()
    wf.add_node("core.map", {"mapped": ["nope"], "combine": "zipper"}, id="m")
    wf.nodes["m"].body = body
    found = messages(wf, registry)
    assert any("'combine' must be one of ['zip', 'product']" in m for m in found)
    assert any("'nope' is not an input of the function node" in m for m in found)


def test_map_function_inputs_are_fed_by_the_map(registry):
    body = Workflow()
    body.add_node("test.add", id="fn")  # 'a' required, fed by the Map
    wf = Workflow()
    wf.add_node("core.map", {"mapped": ["a"]}, id="m", body=body, inputs={"a": [1, 2]})
    assert messages(wf, registry) == []
