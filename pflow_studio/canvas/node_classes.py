"""NodeGraphQt node classes generated from node definitions, and fast creation of view nodes.

One `PflowViewNode` subclass per registered type name, made on first use (`node_class`); ports are
added per instance from the model node (Python-code nodes, Groups and Maps have instance ports).
No in-node widgets: properties are edited in the app's properties dock. View nodes carry the
model node id as their NodeGraphQt id, so `graph.get_node_by_id(model_id)` works.
`attach` adds a node to the graph without NodeGraphQt's per-node O(n) unique-name scan and undo.
"""

from __future__ import annotations

import dataclasses
import re

from NodeGraphQt import BaseNode, NodeGraph

from pflow_studio.canvas import map_marks
from pflow_studio.canvas.contrast import node_text_color

PORT_COLORS: dict[str, tuple[int, int, int]] = {
    "any": (170, 170, 170),
    "int": (80, 160, 255),
    "float": (60, 200, 200),
    "str": (240, 190, 60),
    "bool": (230, 90, 90),
    "list": (170, 110, 240),
    "dict": (240, 130, 200),
    "path": (120, 210, 100),
    "array": (40, 150, 120),
    "figure": (250, 140, 80),
}
CATEGORY_COLORS: dict[str, tuple[int, int, int]] = {
    "Values": (32, 52, 70),
    "Math": (30, 60, 50),
    "Text": (64, 52, 30),
    "Lists": (52, 40, 70),
    "Control Flow": (70, 40, 40),
    "Structure": (40, 48, 78),
    "Files": (40, 64, 36),
    "Python": (50, 50, 60),
    "Arrays": (30, 58, 60),
    "Plots": (66, 50, 36),
}
DEFAULT_COLOR = (28, 34, 40)
UNKNOWN_COLOR = (110, 30, 30)
PSEUDO_COLOR = (45, 45, 45)
BYPASSED_OPACITY = 0.5

_CLASSES: dict[str, type[PflowViewNode]] = {}


class PflowViewNode(BaseNode):
    """Base of the generated classes; `pflow_type` is the model type name."""

    __identifier__ = "pflow"
    NODE_NAME = "Node"
    pflow_type = ""


def node_class(type_name: str, label: str = "") -> type[PflowViewNode]:
    """The NodeGraphQt class for a model type name (created once per process)."""
    cls = _CLASSES.get(type_name)
    if cls is None:
        class_name = "N_" + re.sub(r"\W", "_", type_name)
        cls = type(class_name, (PflowViewNode,), {"NODE_NAME": label or type_name, "pflow_type": type_name})
        _CLASSES[type_name] = cls
    return cls


@dataclasses.dataclass(frozen=True)
class ViewSpec:
    """What a view node looks like; a node whose spec changes is recreated."""

    type_name: str
    label: str
    inputs: tuple[tuple[str, str], ...]
    outputs: tuple[tuple[str, str], ...]
    color: tuple[int, int, int]
    container: bool = False
    bypassed: bool = False
    marks: tuple[tuple[str, str], ...] = ()
    """A Map's inputs marked mapped or broadcast (`canvas.map_marks`)."""


def create_view_node(spec: ViewSpec, node_id: str) -> PflowViewNode:
    """A view node for `spec`, not yet in a graph."""
    node = node_class(spec.type_name, spec.label)()
    node.model.id = node_id
    node.view.id = node_id
    node.model.name = spec.label
    node.model.color = (*spec.color, 255)
    node.model.text_color = (*node_text_color(spec.color), 255)  # opaque, light or dark by the colour
    node.model.border_color = (150, 170, 200, 255) if spec.container else (74, 84, 85, 255)
    for name, type_name in spec.inputs:
        port = node.add_input(name, multi_input=False, color=PORT_COLORS.get(type_name, PORT_COLORS["any"]))
        port.view.setToolTip(f"{name}: {type_name}")
    for name, type_name in spec.outputs:
        port = node.add_output(name, multi_output=True, color=PORT_COLORS.get(type_name, PORT_COLORS["any"]))
        port.view.setToolTip(f"{name}: {type_name}")
    map_marks.apply(node.view._input_items, spec.marks)
    if spec.bypassed:
        grey = sum(spec.color) // 3
        node.model.color = (grey, grey, grey, 255)
        node.view.setOpacity(BYPASSED_OPACITY)
    return node


BYPASSED_TIP = "Bypassed: it does not run; its outputs pass its inputs through (Ctrl+B runs it again)"


_TEMP_KEYS = ("_TEMP_property_widget_types", "_TEMP_property_attrs",
              "_TEMP_accept_connection_types", "_TEMP_reject_connection_types")


def attach(graph: NodeGraph, node: PflowViewNode, pos: tuple[float, float]) -> None:
    """Add a view node to the graph at scene position `pos` (top-left), without undo or signals."""
    model = node.model
    temp = {key: model.__dict__.pop(key, None) for key in _TEMP_KEYS}
    if graph.model.get_node_common_properties(node.type_) is None:
        widget_types = temp["_TEMP_property_widget_types"] or {}
        graph.model.set_node_common_properties({node.type_: {n: {"widget_type": w} for n, w in widget_types.items()}})
    node._graph = graph
    model._graph_model = graph.model
    model.pos = [float(pos[0]), float(pos[1])]
    node.update()
    graph.model.nodes[node.id] = node
    graph.viewer().add_node(node.view, model.pos)
    model.width = node.view.width
    model.height = node.view.height
    if node.view.opacity() == BYPASSED_OPACITY:  # after update(), which sets NodeGraphQt's own tooltip
        node.view.setToolTip(f"<b>{model.name}</b><br/>{BYPASSED_TIP}")


def detach(graph: NodeGraph, node: PflowViewNode) -> None:
    """Remove a view node and every pipe on its ports from the graph, without undo or signals."""
    for port in (*node.input_ports(), *node.output_ports()):
        for pipe in list(port.view.connected_pipes):
            pipe.delete()
        for other in port.connected_ports():
            other.model.connected_ports.pop(node.id, None)
        port.model.connected_ports.clear()
    graph.model.nodes.pop(node.id, None)
    node.view.delete()
