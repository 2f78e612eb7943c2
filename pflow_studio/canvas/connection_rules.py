"""Qt-free connection rules of the canvas: why an edge is refused, how a cycle is reported, and how
edges are added / removed inside a Group body (where either end may be a boundary pseudo node)."""

from __future__ import annotations

from pflow_studio.canvas import levels
from pflow_studio.nodes.registry import Registry
from pflow_studio.nodes.types import compatible
from pflow_studio.runtime.graph import find_cycle
from pflow_studio.runtime.model import BoundaryInput, BoundaryOutput, Edge, ModelError, PortRef, Workflow, unique_name


def connection_problem(level: Workflow, out: PortRef, inp: PortRef, group: bool, registry: Registry) -> str:
    """Why the edge out -> inp is refused ("" when it is fine): ports, types, self-loops."""
    for ref in (out, inp):
        if ref.node not in level.nodes and not (group and ref.node in levels.PSEUDO_NODES):
            return f"refused: no node '{ref.node}' here"
    if out.node == inp.node:
        return "refused: a node cannot feed itself"
    if out.node in levels.PSEUDO_NODES and inp.node in levels.PSEUDO_NODES:
        return "refused: a group input cannot feed a group output directly"
    _, outs = levels.port_types(level, out.node, registry, group_level=group)
    ins, _ = levels.port_types(level, inp.node, registry, group_level=group)
    source, target = endpoint_label(level, out.node, registry), endpoint_label(level, inp.node, registry)
    if out.port not in outs:
        return f"refused: '{source}' has no output '{out.port}'"
    if inp.port not in ins:
        return f"refused: '{target}' has no input '{inp.port}'"
    if not compatible(outs[out.port], ins[inp.port]):
        return (f"refused: type mismatch: output '{out.port}' of '{source}' is {outs[out.port]}, "
                f"input '{inp.port}' of '{target}' takes {ins[inp.port]}")
    return ""


def cycle_message(level: Workflow, cycle: list[str], registry: Registry) -> str:
    """The refusal message naming the nodes of `cycle` in order."""
    return "refused: the connection would make a cycle: " + " -> ".join(
        endpoint_label(level, n, registry) for n in cycle)


def endpoint_label(level: Workflow, node_id: str, registry: Registry) -> str:
    """The label a message uses for a node of `level` (or a Group's boundary pseudo node)."""
    if node_id == levels.INPUTS_NODE:
        return "Group inputs"
    if node_id == levels.OUTPUTS_NODE:
        return "Group outputs"
    return levels.display_label(level.node(node_id), registry)


def boundary_disconnect(level: Workflow, out: PortRef, inp: PortRef) -> None:
    """Remove out -> inp inside a Group body, where either end may be a boundary pseudo node."""
    if out.node == levels.INPUTS_NODE:
        boundary = level.boundary_input(out.port)
        if boundary is not None and inp in boundary.targets:
            boundary.targets.remove(inp)
    elif inp.node == levels.OUTPUTS_NODE:
        level.outputs = [b for b in level.outputs if not (b.name == inp.port and b.source == out)]
    else:
        edge = Edge(out, inp)
        if edge in level.edges:
            level.edges.remove(edge)


def boundary_connect(level: Workflow, out: PortRef, inp: PortRef) -> None:
    """Add out -> inp inside a Group body; the input loses any other feed (an input takes one)."""
    if inp.node == levels.OUTPUTS_NODE:
        if inp.port == levels.NEW_PORT:
            level.outputs.append(BoundaryOutput(unique_name(out.port, (b.name for b in level.outputs)), out))
        else:
            boundary = level.boundary_output(inp.port)
            if boundary is None:
                raise ModelError(f"no group output '{inp.port}'")
            boundary.source = out
        return
    level.edges = [e for e in level.edges if e.target != inp]
    for boundary in level.inputs:
        boundary.targets = [t for t in boundary.targets if t != inp]
    if out.node == levels.INPUTS_NODE:
        if out.port == levels.NEW_PORT:
            level.inputs.append(BoundaryInput(unique_name(inp.port, (b.name for b in level.inputs)), [inp]))
        else:
            boundary = level.boundary_input(out.port)
            if boundary is None:
                raise ModelError(f"no group input '{out.port}'")
            boundary.targets.append(inp)
    else:
        level.edges.append(Edge(out, inp))


def change_group_edges(level: Workflow, disconnect: list[tuple[PortRef, PortRef]],
                       connect: list[tuple[PortRef, PortRef]], registry: Registry) -> str:
    """Apply the (out, in) pairs of `disconnect` then `connect` to a Group body in place; "" when done,
    else why it is refused (then `level` may be half changed: the caller restores it)."""
    try:
        for out, inp in disconnect:
            boundary_disconnect(level, out, inp)
        for out, inp in connect:
            boundary_connect(level, out, inp)
    except ModelError as exc:
        return str(exc)
    cycle = find_cycle(level)
    return cycle_message(level, cycle, registry) if cycle else ""


def plan_edges(level: Workflow, disconnect: list[tuple[PortRef, PortRef]],
               connect: list[tuple[PortRef, PortRef]]) -> tuple[list[Edge], list[Edge], list[Edge]]:
    """(removed, added, resulting edges) of a gesture on a plain level, without changing it: the
    `disconnect` edges that exist go, and each connected input loses its other feed."""
    removed = [e for e in (Edge(o, i) for o, i in disconnect) if e in level.edges]
    added = []
    for out, inp in connect:
        existing = level.edge_into(inp)
        if existing is not None and existing not in removed:
            removed.append(existing)
        added.append(Edge(out, inp))
    return removed, added, [e for e in level.edges if e not in removed] + added
