"""Model operations by example: collapse, ungroup, extract, wrap in a Map, unwrap."""

from __future__ import annotations

import pytest

from pflow_studio.runtime.executor import Executor
from pflow_studio.runtime.model import BoundaryInput, BoundaryOutput, Edge, ModelError, PortRef, Workflow
from pflow_studio.runtime.operations import collapse, extract, ungroup, unwrap_map, wrap_in_map
from pflow_studio.runtime.validation import validate


def sample() -> Workflow:
    """a=2, b=3; s=a+b; t=s+b; u=mix(a=t, b=s) marked as output; v=u.sum+0."""
    wf = Workflow()
    wf.add_node("test.number", {"value": 2}, id="a", pos=(0, 0))
    wf.add_node("test.number", {"value": 3}, id="b", pos=(0, 100))
    wf.add_node("test.add", id="s", pos=(100, 0))
    wf.add_node("test.add", id="t", pos=(200, 50), inputs={"a": 7})
    wf.add_node("test.mix", id="u", pos=(300, 0), is_output=True)
    wf.add_node("test.add", id="v", pos=(400, 0))
    wf.connect("a", "value", "s", "a")
    wf.connect("b", "value", "s", "b")
    wf.connect("s", "result", "t", "a")
    wf.connect("b", "value", "t", "b")
    wf.connect("t", "result", "u", "a")
    wf.connect("s", "result", "u", "b")
    wf.connect("u", "sum", "v", "a")
    return wf


def run(wf: Workflow, registry):
    result = Executor(registry, cache=False).run(wf)
    assert result.status == "ok", result.failures
    return result.outputs


# -- collapse ---------------------------------------------------------------------------------


def test_collapse_builds_boundary_ports_for_every_crossing_edge(registry):
    wf = sample()
    group = collapse(wf, ["s", "t"], group_id="g", label="Sum twice")
    body = group.body
    assert list(body.nodes) == ["s", "t"] and group.type_name == "core.group"
    assert body.edges == [Edge.of("s", "result", "t", "a")]
    # One boundary input per distinct outer source: b.value fed two inner inputs.
    assert [(b.name, b.targets) for b in body.inputs] == [
        ("a", [PortRef("s", "a")]),
        ("b", [PortRef("s", "b"), PortRef("t", "b")]),
    ]
    assert [(b.name, b.source) for b in body.outputs] == [
        ("result", PortRef("t", "result")),
        ("result_2", PortRef("s", "result")),
    ]
    assert sorted(wf.edges) == sorted([
        Edge.of("a", "value", "g", "a"),
        Edge.of("b", "value", "g", "b"),
        Edge.of("g", "result", "u", "a"),
        Edge.of("g", "result_2", "u", "b"),
        Edge.of("u", "sum", "v", "a"),
    ])
    assert list(wf.nodes) == ["a", "b", "g", "u", "v"]  # the group takes the first selected node's place
    assert group.ui == {"pos": [150.0, 25.0], "label": "Sum twice"}
    assert body.nodes["t"].input_values == {"a": 7}  # constants stay on the inner nodes
    assert validate(wf, registry) == []


def test_collapsed_graph_computes_the_same_outputs(registry):
    before = run(sample(), registry)
    wf = sample()
    collapse(wf, ["s", "t"], group_id="g")
    after = run(wf, registry)
    for node_id in ("a", "b", "u", "v"):
        assert after[node_id] == before[node_id]
    assert after["g"] == {"result": before["t"]["result"], "result_2": before["s"]["result"]}


def test_output_marks_stay_inside_and_mark_the_group():
    wf = sample()
    group = collapse(wf, ["u", "v"])
    assert group.is_output and group.body.nodes["u"].is_output and not group.body.nodes["v"].is_output
    single = collapse(wf, "a")  # one id given as a string is a selection of one
    assert list(single.body.nodes) == ["a"] and not single.is_output


def test_collapse_errors_name_the_node_and_change_nothing():
    wf = sample()
    before = wf.canonical()
    with pytest.raises(ModelError, match="empty"):
        collapse(wf, [])
    with pytest.raises(ModelError, match="'nope'"):
        collapse(wf, ["s", "nope"])
    with pytest.raises(ModelError, match="'a' already exists"):
        collapse(wf, ["s"], group_id="a")
    # s -> t -> u and s -> u: collapsing s and u around t would put the group in a cycle.
    with pytest.raises(ModelError, match="node 't' outside the selection"):
        collapse(wf, ["s", "u"])
    assert wf.canonical() == before


def test_collapse_inside_a_group_body_rewires_its_boundary_ports(registry):
    outer = sample()
    collapse(outer, ["s", "t", "u"], group_id="outer")
    before = run(outer, registry)
    body = outer.nodes["outer"].body
    snapshot = outer.canonical()
    inner = collapse(body, ["s", "t"], group_id="inner")
    # The outer group's input "b" fed s.b and t.b: it now feeds the inner group's single input.
    assert [(b.name, b.targets) for b in body.inputs] == [("a", [PortRef("inner", "a")]),
                                                         ("b", [PortRef("inner", "b")])]
    assert [b.targets for b in inner.body.inputs] == [[PortRef("s", "a")], [PortRef("s", "b"), PortRef("t", "b")]]
    assert validate(outer, registry) == []
    assert run(outer, registry) == before
    assert ungroup(body, "inner") == ["s", "t"]
    assert outer.canonical() == snapshot


def test_collapse_exposes_an_inner_output_once_for_edges_and_parent_outputs():
    body = Workflow()
    body.add_node("test.add", id="x")
    body.add_node("test.add", id="y")
    body.connect("x", "result", "y", "a")
    body.outputs.append(BoundaryOutput("out", PortRef("x", "result")))
    group = collapse(body, ["x"], group_id="g")
    assert [(b.name, b.source) for b in group.body.outputs] == [("result", PortRef("x", "result"))]
    assert body.outputs[0].source == PortRef("g", "result")
    assert body.edges == [Edge.of("g", "result", "y", "a")]


# -- ungroup ----------------------------------------------------------------------------------


def test_ungroup_restores_nodes_edges_and_order():
    wf = sample()
    original = wf.canonical()
    collapse(wf, ["s", "t"], group_id="g")
    assert ungroup(wf, "g") == ["s", "t"]
    assert wf.canonical() == original
    assert list(wf.nodes) == ["a", "b", "s", "t", "u", "v"]
    assert wf.nodes["t"].position == (200.0, 50.0)


def test_ungroup_moves_the_groups_own_input_values_to_the_inner_targets():
    wf = sample()
    collapse(wf, ["s", "t"], group_id="g")
    wf.disconnect(Edge.of("b", "value", "g", "b"))
    wf.nodes["g"].input_values = {"b": 10, "a": 99}
    wf.nodes["g"].body.nodes["s"].input_values = {"a": 1}
    ungroup(wf, "g")
    # Unconnected input b: its value ran, so it overrides. Connected input a: kept only where none.
    assert wf.nodes["s"].input_values == {"a": 1, "b": 10}
    assert wf.nodes["t"].input_values == {"a": 7, "b": 10}
    assert Edge.of("b", "value", "s", "b") not in wf.edges


def test_ungroup_passes_a_groups_own_output_mark_to_its_exposed_nodes():
    wf = sample()
    wf.nodes["u"].is_output = False
    group = collapse(wf, ["s", "t"], group_id="g")
    group.is_output = True
    ungroup(wf, "g")
    assert wf.nodes["t"].is_output and wf.nodes["s"].is_output


def test_ungroup_drops_edges_of_an_output_whose_inner_node_is_gone():
    wf = sample()
    group = collapse(wf, ["s", "t"], group_id="g")
    group.body.remove_node("t")  # Workflow.remove_node keeps the boundary output 'result'
    ungroup(wf, "g")
    assert wf.incoming("u") == [Edge.of("s", "result", "u", "b")]


def test_ungroup_errors():
    wf = sample()
    with pytest.raises(ModelError, match=r"'s': it is a test\.add, not a Group"):
        ungroup(wf, "s")
    with pytest.raises(ModelError, match="no node with id 'zz'"):
        ungroup(wf, "zz")
    group = collapse(wf, ["s", "t"], group_id="g")
    group.body.inputs.append(BoundaryInput("again", [PortRef("t", "a")]))
    with pytest.raises(ModelError, match=r"inner input t\.a is fed both by group input 'again'"):
        ungroup(wf, "g")
    group.body.inputs.pop()
    group.body.add_node("test.number", id="dup")
    wf.add_node("test.number", id="dup2")
    wf.nodes["dup"] = wf.nodes.pop("dup2")
    wf.nodes["dup"].id = "dup"
    with pytest.raises(ModelError, match="inner node 'dup' clashes"):
        ungroup(wf, "g")


# -- extract ----------------------------------------------------------------------------------


def test_extract_copies_a_selection_with_its_internal_edges():
    wf = sample()
    part = extract(wf, ["t", "s", "u"])
    assert list(part.nodes) == ["s", "t", "u"]
    assert sorted(part.edges) == sorted([Edge.of("s", "result", "t", "a"), Edge.of("t", "result", "u", "a"),
                                         Edge.of("s", "result", "u", "b")])
    part.nodes["t"].input_values["a"] = 0
    assert wf.nodes["t"].input_values == {"a": 7}
    with pytest.raises(ModelError, match="'nope'"):
        extract(wf, ["nope"])


# -- wrap in a Map / unwrap -------------------------------------------------------------------


def list_graph() -> Workflow:
    """items [1, 2, 3] -> fn (pass through) -> after (pass through); ten -> mix.b."""
    wf = Workflow()
    wf.add_node("test.items", {"value": [1, 2, 3]}, id="items")
    wf.add_node("test.number", {"value": 10}, id="ten")
    wf.add_node("test.slow", {"seconds": 0}, id="fn", pos=(50, 60), is_output=True)
    wf.add_node("test.slow", {"seconds": 0}, id="after")
    wf.add_node("test.mix", id="mix", inputs={"a": 1, "c": 5})
    wf.connect("items", "value", "fn", "a")
    wf.connect("fn", "result", "after", "a")
    wf.connect("ten", "value", "mix", "b")
    return wf


def test_wrap_in_map_retargets_edges_to_ports_of_the_same_name(registry):
    wf = list_graph()
    original = wf.canonical()
    map_node = wrap_in_map(wf, "fn", map_id="map", registry=registry)
    assert list(wf.nodes) == ["items", "ten", "map", "after", "mix"]
    assert map_node.properties == {"mode": "ports", "mapped": ["a"]}
    assert map_node.ui == {"pos": [50.0, 60.0]} and map_node.is_output
    assert list(map_node.body.nodes) == ["fn"]
    assert Edge.of("items", "value", "map", "a") in wf.edges and Edge.of("map", "result", "after", "a") in wf.edges
    assert validate(wf, registry) == []
    outputs = run(wf, registry)
    assert outputs["map"] == {"result": [1, 2, 3]} and outputs["after"] == {"result": [1, 2, 3]}
    assert unwrap_map(wf, "map").id == "fn"
    assert wf.canonical() == original
    assert list(wf.nodes) == ["items", "ten", "fn", "after", "mix"]


def test_default_mapped_input_is_the_first_connected_one():
    wf = sample()
    assert wrap_in_map(wf, "u").properties["mapped"] == ["a"]  # edge order without a registry
    wf = sample()
    wf.add_node("test.mix", id="m")
    wf.connect("b", "value", "m", "c")
    assert wrap_in_map(wf, "m").properties["mapped"] == ["c"]


def test_default_mapped_uses_port_order_with_a_registry(registry):
    wf = Workflow()
    wf.add_node("test.number", id="n")
    wf.add_node("test.mix", id="m")
    wf.add_node("test.add", id="free")
    wf.connect("n", "value", "m", "c")
    wf.connect("n", "value", "m", "b")
    assert wrap_in_map(wf, "m", registry=registry).properties["mapped"] == ["b"]
    assert wrap_in_map(wf, "free", registry=registry).properties["mapped"] == ["a"]  # none connected: first input


def test_wrap_a_group_in_a_map_runs_it_per_element(registry):
    wf = Workflow()
    wf.add_node("test.items", {"value": [1, 2, 3]}, id="items")
    wf.add_node("test.add", id="plus", inputs={"b": 100})
    wf.add_node("test.add", id="twice")
    wf.connect("plus", "result", "twice", "a")
    wf.connect("plus", "result", "twice", "b")
    wf.connect("items", "value", "plus", "a")
    wf.add_node("test.slow", {"seconds": 0}, id="after")
    wf.connect("twice", "result", "after", "a")
    group = collapse(wf, ["plus", "twice"], group_id="g")
    map_node = wrap_in_map(wf, "g", map_id="map")
    assert map_node.properties["mapped"] == [group.body.inputs[0].name] == ["a"]
    assert wf.edges == [Edge.of("items", "value", "map", "a"), Edge.of("map", "result", "after", "a")]
    assert validate(wf, registry) == []
    outputs = run(wf, registry)
    assert outputs["map"] == {"result": [202, 204, 206]} and outputs["after"] == {"result": [202, 204, 206]}


def test_wrap_inside_a_group_body_rewires_its_boundary_ports():
    body = Workflow()
    body.add_node("test.add", id="x")
    body.inputs.append(BoundaryInput("in", [PortRef("x", "a")]))
    body.outputs.append(BoundaryOutput("out", PortRef("x", "result")))
    wrap_in_map(body, "x", map_id="map")
    assert body.inputs[0].targets == [PortRef("map", "a")] and body.outputs[0].source == PortRef("map", "result")
    unwrap_map(body, "map")
    assert body.inputs[0].targets == [PortRef("x", "a")] and body.outputs[0].source == PortRef("x", "result")


def test_wrap_errors(registry):
    wf = list_graph()
    with pytest.raises(ModelError, match="cannot map 'b': it is not an input of 'fn'"):
        wrap_in_map(wf, "fn", mapped=["b"], registry=registry)
    with pytest.raises(ModelError, match="'mix' already exists"):
        wrap_in_map(wf, "fn", map_id="mix")
    with pytest.raises(ModelError, match="no node with id 'nope'"):
        wrap_in_map(wf, "nope")


def test_unwrap_moves_broadcast_values_and_drops_mapped_lists():
    wf = list_graph()
    map_node = wrap_in_map(wf, "mix", map_id="map", mapped=["a"])
    map_node.input_values = {"a": [1, 2], "b": 50, "c": 6}
    fn = unwrap_map(wf, "map")
    # a is mapped: its list is dropped. b is connected and the function has no value of its own,
    # so it takes the Map's; c is unconnected: the Map's value ran, so it overrides.
    assert fn.input_values == {"a": 1, "b": 50, "c": 6}


def test_unwrap_errors():
    wf = list_graph()
    with pytest.raises(ModelError, match=r"'fn': it is a test\.slow, not a Map"):
        unwrap_map(wf, "fn")
    map_node = wrap_in_map(wf, "fn", map_id="map")
    map_node.properties["mode"] = "vistrails"
    with pytest.raises(ModelError, match="only a ports-mode Map"):
        unwrap_map(wf, "map")
    map_node.properties["mode"] = "ports"
    map_node.body.add_node("test.number", id="extra")
    with pytest.raises(ModelError, match="holds 2 nodes, not 1"):
        unwrap_map(wf, "map")
