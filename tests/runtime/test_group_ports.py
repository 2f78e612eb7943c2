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
