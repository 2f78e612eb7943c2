"""Wrap a node (or a Group) in a ports-mode Map, and unwrap it again.

A ports-mode Map has the same port names as its function node (`containers.Map`), so wrapping
only moves the node into the Map's body and renames the node of every edge and every boundary
ref of the enclosing body from the node to the Map; unwrapping renames them back. Tests prove
`unwrap_map(wrap_in_map(wf, n))` equals `wf` by `Workflow.canonical()`.

- The function node keeps its constant input values (they are the broadcast defaults) and its
  `is_output` mark; the Map takes its position and its mark.
- On unwrap, the Map's own constant values of broadcast inputs move to the function node
  (overriding its values when the input is unconnected, as they did when running); values of
  mapped inputs are lists of elements that the bare node cannot take, and are dropped.
"""

from __future__ import annotations

import copy

from pflow_studio.nodes.registry import Registry
from pflow_studio.runtime.container_types import GROUP_TYPE, MAP_TYPE
from pflow_studio.runtime.graph import instantiate
from pflow_studio.runtime.model import Edge, ModelError, Node, PortRef, Workflow, new_id


def wrap_in_map(workflow: Workflow, node_id: str, *, mapped: list[str] | None = None, map_id: str | None = None,
                registry: Registry | None = None) -> Node:
    """Put the node as the single function node of a new ports-mode Map in its place; return the Map.

    `mapped` defaults to the node's first connected input (by its type's port order when a
    `registry` is given, else by edge order), else its first input (needs a `registry`, or the
    node is a Group), else none. With a `registry`, `mapped` names are checked against the inputs."""
    node = workflow.node(node_id)
    map_id = map_id or new_id("m")
    if map_id in workflow.all_ids():
        raise ModelError(f"cannot wrap '{node.label}' in a Map: a node with id '{map_id}' already exists")
    inputs = _input_names(node, registry)
    if mapped is None:
        mapped = _default_mapped(workflow, node_id, inputs)
    unknown = [name for name in mapped if inputs is not None and name not in inputs]
    if unknown:
        raise ModelError(f"cannot map '{unknown[0]}': it is not an input of '{node.label}' (inputs: {inputs})")
    return enclose(workflow, node_id, Node(map_id, MAP_TYPE, {"mode": "ports", "mapped": list(mapped)}))


def enclose(workflow: Workflow, node_id: str, container: Node) -> Node:
    """Put the node as the single node of the body of `container` (a new node whose ports keep the node's port
    names), in the node's place: its position, its output mark, every edge and boundary ref; return it."""
    node = workflow.node(node_id)
    container.body = Workflow(nodes={node_id: node})
    container.ui["pos"] = list(node.position)
    container.is_output = node.is_output
    workflow.nodes = {(container.id if k == node_id else k): (container if k == node_id else v)
                      for k, v in workflow.nodes.items()}
    _rename_refs(workflow, node_id, container.id)
    return container


def unwrap_map(workflow: Workflow, map_id: str) -> Node:
    """Replace a ports-mode Map whose body is one node by that node; return the node."""
    map_node = workflow.node(map_id)
    if map_node.type_name != MAP_TYPE or map_node.body is None:
        raise ModelError(f"cannot unwrap '{map_node.label}': it is a {map_node.type_name}, not a Map")
    mode = map_node.properties.get("mode", "ports")
    if mode != "ports":
        raise ModelError(f"cannot unwrap '{map_node.label}': only a ports-mode Map can be unwrapped, not {mode!r}")
    if len(map_node.body.nodes) != 1:
        raise ModelError(f"cannot unwrap '{map_node.label}': its body holds {len(map_node.body.nodes)} nodes, not 1")
    function = next(iter(map_node.body.nodes.values()))
    if function.id in workflow.nodes:
        raise ModelError(f"cannot unwrap '{map_node.label}': its node '{function.id}' clashes with a node beside it")
    mapped = set(map_node.properties.get("mapped") or [])
    connected = set(workflow.fed_inputs(map_id))
    for port, value in map_node.input_values.items():
        if port not in mapped and (port not in connected or port not in function.input_values):
            function.input_values[port] = copy.deepcopy(value)
    if map_node.is_output:
        function.is_output = True
    workflow.nodes = {(function.id if k == map_id else k): (function if k == map_id else v)
                      for k, v in workflow.nodes.items()}
    _rename_refs(workflow, map_id, function.id)
    return function


def _input_names(node: Node, registry: Registry | None) -> list[str] | None:
    """The node's input names in port order, or None when unknown without a registry."""
    if registry is not None:
        return [port.name for port in instantiate(node, registry).input_ports()]
    if node.body is not None and node.type_name == GROUP_TYPE:
        return [boundary.name for boundary in node.body.inputs]
    return None


def _default_mapped(workflow: Workflow, node_id: str, inputs: list[str] | None) -> list[str]:
    connected = workflow.fed_inputs(node_id)
    if inputs is not None:
        ordered = [name for name in inputs if name in connected] or inputs
        return ordered[:1]
    return connected[:1]


def _rename_refs(workflow: Workflow, old: str, new: str) -> None:
    """Point every edge end and boundary ref on node `old` to node `new` (same port names)."""

    def rename(ref: PortRef) -> PortRef:
        return PortRef(new, ref.port) if ref.node == old else ref

    workflow.edges = [Edge(rename(e.source), rename(e.target)) for e in workflow.edges]
    for boundary in workflow.inputs:
        boundary.targets = [rename(t) for t in boundary.targets]
    for boundary in workflow.outputs:
        boundary.source = rename(boundary.source)
