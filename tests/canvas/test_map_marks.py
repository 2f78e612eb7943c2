"""A Map's node marks each input mapped ("x [each]") or broadcast ("y [all]"), with a tooltip, and follows
changes of its mapped inputs."""

from __future__ import annotations

from pflow_studio.canvas.viewer import port_label_item
from pflow_studio.runtime.model import Workflow
from pflow_studio.runtime.operations import wrap_in_map
from pflow_studio.runtime.registry import default_registry


def input_labels(canvas, node_id: str) -> dict[str, tuple[str, str]]:
    """{input name: (shown text, tooltip)} read from the node item on the canvas."""
    item = canvas.view_node(node_id).view
    labels = {}
    for name in canvas.view_node(node_id).inputs():
        text = port_label_item(item, "input", name)
        labels[name] = (text.toPlainText(), text.toolTip())
    return labels


def test_mapped_and_broadcast_inputs_are_marked_on_the_map_node(canvas):
    workflow = Workflow()
    workflow.add_node("math.add", id="add", pos=(0, 0))
    wrap_in_map(workflow, "add", mapped=["a"], map_id="map", registry=default_registry())
    canvas.set_workflow(workflow)
    shown = input_labels(canvas, "map")
    assert shown["a"][0] == "a [each]" and "one element per task" in shown["a"][1]
    assert shown["b"][0] == "b [all]" and "same value for every task" in shown["b"][1]
    assert "mapped" in canvas.view_node("map").inputs()["a"].view.toolTip()
    canvas.set_property("map", "mapped", ["a", "b"])
    assert [text for text, _ in input_labels(canvas, "map").values()] == ["a [each]", "b [each]"]
    canvas.undo_stack.undo()
    assert [text for text, _ in input_labels(canvas, "map").values()] == ["a [each]", "b [all]"]
    canvas.set_property("map", "mode", "vistrails")
    canvas.set_property("map", "input_ports", ["a"])
    assert [text for text, _ in input_labels(canvas, "map").values()] == ["input_list [each]", "b [all]"]


def test_plain_nodes_and_groups_are_not_marked(canvas):
    add = canvas.add_node("math.add", (0, 0))
    assert [text for text, _ in input_labels(canvas, add).values()] == ["a", "b"]
