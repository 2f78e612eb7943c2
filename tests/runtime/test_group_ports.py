"""A Group port renamed deep inside: a Map over it and the Group holding that Map follow, and the run too."""

from __future__ import annotations

import pytest

from pflow_studio.runtime.executor import Executor
from pflow_studio.runtime.model import BoundaryInput, BoundaryOutput, ModelError, PortRef, Workflow
from pflow_studio.runtime.operations import rename_port, wrap_in_map
from pflow_studio.runtime.registry import default_registry
from pflow_studio.runtime.validation import validate


def outer_group_around_a_map_over_a_group() -> Workflow:
    """numbers range(1, 3) -> outer Group { Map (x mapped) over fn Group { add: x + y } }, y = 10 on the Map."""
    fn_body = Workflow()
    fn_body.add_node("math.add", id="add")
    fn_body.inputs = [BoundaryInput("x", [PortRef("add", "a")]), BoundaryInput("y", [PortRef("add", "b")])]
    fn_body.outputs = [BoundaryOutput("sum", PortRef("add", "result"))]
    outer_body = Workflow()
    outer_body.add_node("core.group", id="fn", body=fn_body)
    wrap_in_map(outer_body, "fn", mapped=["x"], map_id="map")
    outer_body.nodes["map"].input_values["y"] = 10
    outer_body.inputs = [BoundaryInput("items", [PortRef("map", "x")])]
    outer_body.outputs = [BoundaryOutput("sums", PortRef("map", "sum"))]
    workflow = Workflow()
    workflow.add_node("list.range", id="numbers", inputs={"start": 1, "stop": 3})
    workflow.add_node("core.group", id="outer", body=outer_body)
    workflow.connect("numbers", "result", "outer", "items")
    return workflow


def test_a_rename_follows_a_map_and_the_group_holding_it():
    workflow = outer_group_around_a_map_over_a_group()
    registry = default_registry()
    assert Executor(registry, cache=False).run(workflow).outputs["outer"]["sums"] == [11, 12]
    assert rename_port(workflow, ("outer", "map", "fn"), "input", "x", "element") == ("outer",)
    assert rename_port(workflow, ("outer", "map", "fn"), "input", "y", "offset") == ("outer",)
    assert rename_port(workflow, ("outer", "map", "fn"), "output", "sum", "total") == ("outer",)
    outer_body = workflow.nodes["outer"].body
    map_node = outer_body.nodes["map"]
    assert map_node.properties["mapped"] == ["element"]
    assert map_node.input_values == {"offset": 10}
    assert outer_body.inputs[0].targets == [PortRef("map", "element")]
    assert outer_body.outputs[0].source == PortRef("map", "total")
    assert validate(workflow, registry) == []
    assert Executor(registry, cache=False).run(workflow).outputs["outer"]["sums"] == [11, 12]


def test_a_refused_rename_changes_nothing():
    workflow = outer_group_around_a_map_over_a_group()
    before = workflow.canonical()
    for path, old, new in [(("outer", "map", "fn"), "x", "y"), (("outer", "map", "fn"), "x", "+"),
                           (("outer", "map", "fn"), "nope", "z"), (("outer", "map"), "x", "z")]:
        with pytest.raises(ModelError):
            rename_port(workflow, path, "input", old, new)
    assert workflow.canonical() == before


def test_a_loop_over_a_group_follows_renames_of_its_index_state_and_condition():
    fn_body = Workflow()
    fn_body.add_node("math.add", id="add")
    fn_body.inputs = [BoundaryInput("i", [PortRef("add", "a")]), BoundaryInput("n", [PortRef("add", "b")])]
    fn_body.outputs = [BoundaryOutput("n", PortRef("add", "result")), BoundaryOutput("go", PortRef("add", "result"))]
    workflow = Workflow()
    body = Workflow()
    body.add_node("core.group", id="fn", body=fn_body)
    workflow.add_node("core.for", {"index_port": "i"}, id="for", body=body)
    assert rename_port(workflow, ("for", "fn"), "input", "i", "k") == ()
    assert workflow.nodes["for"].properties == {"index_port": "k"}
    loop_body = Workflow()
    loop_body.add_node("core.group", id="fn", body=workflow.nodes.pop("for").body.nodes.pop("fn").body)
    workflow.add_node("core.while", {"condition_port": "go", "state_ports": ["n"]}, id="while", body=loop_body)
    rename_port(workflow, ("while", "fn"), "output", "go", "again")
    rename_port(workflow, ("while", "fn"), "input", "n", "total")
    assert workflow.nodes["while"].properties == {"condition_port": "again", "state_ports": ["total"]}
