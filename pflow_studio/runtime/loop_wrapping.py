"""Wrap a node (or a Group) in a For or a While, as `map_wrapping` wraps one in a Map.

The loop keeps the node's port names (`runtime.loops`), so wrapping moves the node into the loop's body and
points every edge and boundary ref of the enclosing body at the loop (`map_wrapping.enclose`); the node keeps
its own input values. What the loop is set to:
- For: `index_port` is the node's first input (in port order) that nothing is connected to; a node whose every
  input is connected is refused (one of them must take the index). `higher` is left for the user to give.
- While: `state_ports` are the names that are both an input and an output of the node, in input order;
  `condition_port` is its one bool output when it has exactly one, else empty (the loop then runs
  `max_iterations` times).
Undo restores the workflow as it was (the edit layer's snapshot); there is no unwrap.
"""

from __future__ import annotations

from pflow_studio.nodes.registry import Registry
from pflow_studio.runtime.container_types import FOR_TYPE, WHILE_TYPE
from pflow_studio.runtime.graph import instantiate
from pflow_studio.runtime.map_wrapping import enclose
from pflow_studio.runtime.model import ModelError, Node, Workflow, new_id

LOOP_TYPES = (FOR_TYPE, WHILE_TYPE)


def wrap_in_loop(workflow: Workflow, node_id: str, loop_type: str, registry: Registry, *,
                 loop_id: str | None = None) -> Node:
    """Put the node as the function of a new For or While (`loop_type`) in its place; return the loop."""
    if loop_type not in LOOP_TYPES:
        raise ModelError(f"cannot wrap in a {loop_type}: not a For or a While")
    node = workflow.node(node_id)
    loop_id = loop_id or new_id("l")
    if loop_id in workflow.all_ids():
        raise ModelError(f"cannot wrap '{node.label}': a node with id '{loop_id}' already exists")
    function = instantiate(node, registry)
    inputs = [port.name for port in function.input_ports()]
    outputs = function.output_ports()
    if loop_type == FOR_TYPE:
        connected = set(workflow.fed_inputs(node_id))
        free = [name for name in inputs if name not in connected]
        if not free:
            raise ModelError(f"cannot wrap '{node.label}' in a For: every input is connected, and one must take "
                             f"the loop index (disconnect it first)")
        properties = {"index_port": free[0]}
    else:
        conditions = [port.name for port in outputs if port.type == "bool"]
        properties = {"condition_port": conditions[0] if len(conditions) == 1 else "",
                      "state_ports": [name for name in inputs if name in {port.name for port in outputs}]}
    return enclose(workflow, node_id, Node(loop_id, loop_type, properties))
