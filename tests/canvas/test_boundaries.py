"""Deleting nodes inside a Group keeps the Group valid: boundary ports whose inner end is gone go,
with the outer edges and Map (or loop) settings that named them, as one undoable step."""

from __future__ import annotations

from pflow_studio.runtime.model import BoundaryInput, BoundaryOutput, PortRef, Workflow
from pflow_studio.runtime.operations import wrap_in_map
from pflow_studio.runtime.registry import default_registry
from pflow_studio.runtime.validation import validate
from tests.support.workflows import sample


def with_consumer() -> Workflow:
    """sample() (two, three -> add -> mul) plus 'neg' fed by mul.result."""
    workflow = sample()
    workflow.add_node("math.negate", id="neg", label="neg", pos=(900, 100))
    workflow.connect("mul", "result", "neg", "value")
    return workflow


def dangling(workflow: Workflow) -> list[str]:
    return [str(p) for p in validate(workflow, default_registry()) if "dangling" in p.message]


def delete_inside(canvas, path: tuple[str, ...], node_ids: list[str]) -> None:
    canvas.go_to(path)
    canvas.select(node_ids)
    canvas.delete_selected()


def test_deleting_the_source_of_a_group_output_removes_the_output_and_its_outer_edges(canvas):
    canvas.set_workflow(with_consumer())
    canvas.select(["add", "mul"])
    group = canvas.collapse_selection()
    body = canvas.node_at((group,)).body
    [output] = body.outputs
    assert output.source == PortRef("mul", "result")
    before = canvas.workflow().canonical()
    steps = canvas.undo_stack.count()

    delete_inside(canvas, (group,), ["mul"])

    root = canvas.workflow()
    assert canvas.node_at((group,)).body.outputs == []
    assert not [e for e in root.edges if e.source.node == group]
    assert dangling(root) == []
    assert canvas.level_path() == (group,)
    assert canvas.undo_stack.count() == steps + 1  # one undoable step
    after = root.canonical()
    canvas.undo_stack.undo()
    assert canvas.workflow().canonical() == before
    assert canvas.level_path() == (group,)
    assert set(canvas._view.nodes) >= {"add", "mul"}
    canvas.undo_stack.redo()
    assert canvas.workflow().canonical() == after


def test_deleting_every_target_of_a_group_input_removes_the_input_and_the_outer_edge(canvas):
    workflow = with_consumer()
    workflow.add_node("math.negate", id="neg2", label="neg2", pos=(300, 300))
    workflow.connect("three", "value", "neg2", "value")
    canvas.set_workflow(workflow)
    canvas.select(["add", "mul", "neg2"])
    group = canvas.collapse_selection()
    body = canvas.node_at((group,)).body
    fed_by_three = [b.name for b in body.inputs if PortRef("neg2", "value") in b.targets]
    assert fed_by_three  # three feeds add.b and neg2.value, through one or two boundary inputs
    before = canvas.workflow().canonical()

    delete_inside(canvas, (group,), ["add", "neg2"])

    root = canvas.workflow()
    body = canvas.node_at((group,)).body
    assert [t.node for b in body.inputs for t in b.targets] == ["mul"]  # only mul.b's own input is left
    assert not [e for e in root.edges if e.target.node == group]
    assert body.outputs and dangling(root) == []  # mul.result still leaves the group
    canvas.undo_stack.undo()
    assert canvas.workflow().canonical() == before


def test_an_input_that_still_feeds_a_node_stays(canvas):
    canvas.set_workflow(with_consumer())
    canvas.select(["add", "mul"])
    group = canvas.collapse_selection()
    body = canvas.node_at((group,)).body
    body.inputs[0].targets.append(PortRef("mul", "b"))  # input 'a' feeds add.a and mul.b
    name = body.inputs[0].name
    delete_inside(canvas, (group,), ["add"])
    body = canvas.node_at((group,)).body
    assert (name, [PortRef("mul", "b")]) in [(b.name, b.targets) for b in body.inputs]
    assert any(e.target == PortRef(group, name) for e in canvas.workflow().edges)


def test_nested_group_outputs_vanish_up_the_levels(canvas):
    canvas.set_workflow(with_consumer())
    canvas.select(["add", "mul"])
    inner = canvas.collapse_selection()
    canvas.select([inner])
    outer = canvas.collapse_selection()
    before = canvas.workflow().canonical()

    delete_inside(canvas, (outer, inner), ["mul"])

    root = canvas.workflow()
    assert canvas.node_at((outer, inner)).body.outputs == []
    assert canvas.node_at((outer,)).body.outputs == []
    assert not [e for e in root.edges if e.source.node == outer]
    assert dangling(root) == []
    canvas.undo_stack.undo()
    assert canvas.workflow().canonical() == before


def map_over_a_group(canvas, *, counted: bool) -> str:
    """numbers -> Map 'map' over a Group of add (a + 1) -> neg (with `counted`, the Map's output feeds
    'count'), shown on the canvas; returns the Group's id."""
    workflow = Workflow()
    workflow.add_node("list.range", id="numbers", inputs={"start": 0, "stop": 3}, pos=(0, 0))
    workflow.add_node("math.add", id="add", inputs={"b": 1}, pos=(250, 0))
    workflow.add_node("math.negate", id="neg", pos=(500, 0))
    workflow.connect("numbers", "result", "add", "a")
    workflow.connect("add", "result", "neg", "value")
    if counted:
        workflow.add_node("list.length", id="count", pos=(750, 0))
        workflow.connect("neg", "result", "count", "list")
    canvas.set_workflow(workflow)
    canvas.select(["add", "neg"])
    group = canvas.collapse_selection()
    wrap_in_map(canvas.workflow(), group, mapped=["a"], map_id="map", registry=default_registry())
    canvas.set_workflow(canvas.workflow())
    return group


def test_a_map_over_a_group_forgets_a_vanished_mapped_input(canvas):
    group = map_over_a_group(canvas, counted=False)
    assert [e.target for e in canvas.workflow().edges] == [PortRef("map", "a")]
    before = canvas.workflow().canonical()

    delete_inside(canvas, ("map", group), ["add"])

    root = canvas.workflow()
    assert canvas.node_at(("map", group)).body.inputs == []
    assert root.nodes["map"].properties["mapped"] == []
    assert root.edges == []  # numbers -> map.a named a port that is gone
    assert dangling(root) == []
    canvas.undo_stack.undo()
    assert canvas.workflow().canonical() == before


def test_a_map_over_a_group_loses_the_output_whose_source_was_deleted(canvas):
    group = map_over_a_group(canvas, counted=True)
    assert [e.source.node for e in canvas.workflow().edges if e.target.node == "count"] == ["map"]
    before = canvas.workflow().canonical()

    delete_inside(canvas, ("map", group), ["neg"])  # only an output goes: no input of the function is lost

    root = canvas.workflow()
    assert canvas.node_at(("map", group)).body.outputs == []
    assert root.nodes["map"].properties["mapped"] == ["a"]
    assert [e.target for e in root.edges] == [PortRef("map", "a")]  # map -> count named the vanished output
    assert dangling(root) == []
    canvas.undo_stack.undo()
    assert canvas.workflow().canonical() == before


def test_a_while_over_a_group_forgets_a_vanished_condition_and_state(canvas):
    group = Workflow()
    group.add_node("math.add", id="add", inputs={"b": 1.0}, pos=(0, 0))
    group.add_node("math.compare", {"op": "<"}, id="cmp", inputs={"b": 10.0}, pos=(200, 0))
    group.connect("add", "result", "cmp", "a")
    group.inputs.append(BoundaryInput("x", [PortRef("add", "a")]))
    group.outputs += [BoundaryOutput("x", PortRef("add", "result")), BoundaryOutput("go_on", PortRef("cmp", "result"))]
    body = Workflow()
    body.add_node("core.group", id="fn", body=group, pos=(0, 0))
    workflow = Workflow()
    workflow.add_node("core.while", {"condition_port": "go_on", "state_ports": ["x"]}, id="loop", body=body,
                      inputs={"x": 0.0}, pos=(0, 0))
    canvas.set_workflow(workflow)
    assert validate(canvas.workflow(), default_registry()) == []

    delete_inside(canvas, ("loop", "fn"), ["cmp"])
    assert canvas.workflow().nodes["loop"].properties == {"condition_port": "", "state_ports": ["x"]}
    delete_inside(canvas, ("loop", "fn"), ["add"])
    assert canvas.workflow().nodes["loop"].properties == {"condition_port": "", "state_ports": []}
    assert "x" not in canvas.workflow().nodes["loop"].input_values
    assert [p.message for p in validate(canvas.workflow(), default_registry())] == []
