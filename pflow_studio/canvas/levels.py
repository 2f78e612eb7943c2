"""Levels of a workflow: the root, or the body of a container reached by a path of container ids.

The canvas shows one level at a time. Inside a Group the boundary ports show as two pseudo nodes,
`INPUTS_NODE` (one output per group input) and `OUTPUTS_NODE` (one input per group output), each
with an extra `NEW_PORT` to make a new boundary port by connecting to it. No Qt here.
"""

from __future__ import annotations

from pflow_studio.nodes.api import NodeType
from pflow_studio.nodes.registry import Registry
from pflow_studio.runtime.container_types import GROUP_TYPE
from pflow_studio.runtime.graph import instantiate
from pflow_studio.runtime.model import Node, Workflow, level_at, node_at  # noqa: F401 (level_at: re-exported)

INPUTS_NODE = "__inputs__"
OUTPUTS_NODE = "__outputs__"
PSEUDO_NODES = (INPUTS_NODE, OUTPUTS_NODE)
NEW_PORT = "+"


def breadcrumb(root: Workflow, path: tuple[str, ...]) -> list[tuple[str, str]]:
    """[(container id, label), ...] from the root to `path`."""
    crumbs, level = [], root
    for container_id in path:
        node = level.node(container_id)
        crumbs.append((container_id, display_label(node)))
        level = node.body
    return crumbs


def display_label(node: Node, registry: Registry | None = None) -> str:
    """The UI label, else the type's display name, else the id."""
    label = node.ui.get("label")
    if label:
        return str(label)
    if registry is not None and node.type_name in registry:
        return registry.get(node.type_name).display_name()
    return node.id


def is_group_level(root: Workflow, path: tuple[str, ...]) -> bool:
    """True when `path` is the inside of a Group (which shows boundary pseudo nodes)."""
    return bool(path) and node_at(root, path).type_name == GROUP_TYPE


def safe_instance(node: Node, registry: Registry) -> NodeType | None:
    """The node type instance, or None when the type is unknown or cannot list its ports."""
    try:
        instance = instantiate(node, registry)
        instance.input_ports()
        instance.output_ports()
        return instance
    except Exception:
        return None


def port_types(level: Workflow, node_id: str, registry: Registry, *, group_level: bool) -> tuple[dict, dict]:
    """({input name: type}, {output name: type}) of a node of `level`, pseudo nodes included."""
    if node_id == INPUTS_NODE and group_level:
        outs = {b.name: _boundary_input_type(level, b.targets, registry) for b in level.inputs}
        outs[NEW_PORT] = "any"
        return {}, outs
    if node_id == OUTPUTS_NODE and group_level:
        ins = {b.name: "any" for b in level.outputs}
        ins[NEW_PORT] = "any"
        return ins, {}
    node = level.node(node_id)
    instance = safe_instance(node, registry)
    if instance is None:
        return placeholder_ports(level, node)
    return ({p.name: p.type for p in instance.input_ports()}, {p.name: p.type for p in instance.output_ports()})


def placeholder_ports(level: Workflow, node: Node) -> tuple[dict[str, str], dict[str, str]]:
    """The ports of a node whose type is not installed, as far as `level` shows them: the inputs its
    wires, values and boundary inputs use, the outputs its wires and boundary outputs use (all "any")."""
    ins = dict.fromkeys([*node.input_values, *level.fed_inputs(node.id)], "any")
    outs = dict.fromkeys((e.source.port for e in level.outgoing(node.id)), "any")
    outs.update(dict.fromkeys((b.source.port for b in level.outputs if b.source.node == node.id), "any"))
    return ins, outs


def _boundary_input_type(level: Workflow, targets: list, registry: Registry) -> str:
    for target in targets:
        node = level.nodes.get(target.node)
        instance = safe_instance(node, registry) if node is not None else None
        port = instance.input_port(target.port) if instance is not None else None
        if port is not None:
            return port.type
    return "any"
