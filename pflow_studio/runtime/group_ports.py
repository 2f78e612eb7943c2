"""A Group's boundary ports as the user edits them: exposed on collapse, and renamed.

- `expose_open_ports(group, registry)`: after a collapse, each inner input that nothing feeds (no inner
  edge, no group input) becomes a group input of its own name, and each output of a sink (an inner node
  whose outputs feed nothing inside) that no group output shows yet becomes a group output; names are made
  unique with `unique_name`. Inner constant values stay where they are (left unconnected outside, a group
  input leaves them in force), so `ungroup` still gives back the workflow as it was.
- `rename_port(root, path, side, old, new)`: renames the port `old` of the Group at node path `path` and
  whatever names it on the levels above: edges to it and its own constant value beside it, the enclosing
  Group body's boundary refs, and where the Group is the function of a Map, Filter, For or While, the
  container's settings naming it (`mapped`, `input_ports`, `output_port`, `index_port`, `condition_port`,
  `state_ports`) and the container's own port of that name, on up.
"""

from __future__ import annotations

from pflow_studio.nodes.registry import Registry
from pflow_studio.runtime.container_types import FILTER_TYPE, GROUP_TYPE, ONE_NODE_BODY_TYPES
from pflow_studio.runtime.graph import instantiate
from pflow_studio.runtime.model import (
    BoundaryInput,
    BoundaryOutput,
    Edge,
    ModelError,
    Node,
    PortRef,
    Workflow,
    level_at,
    node_at,
    unique_name,
)

INPUT, OUTPUT = "input", "output"
RESERVED = "+"
"""The canvas's "new port" handle on a Group's boundary nodes: no port may take its name."""


def expose_open_ports(group: Node, registry: Registry) -> None:
    """Add the group inputs and outputs the body leaves open (see the module docstring)."""
    body = group.body
    if body is None:
        raise ModelError(f"'{group.label}' has no body")
    fed = {e.target for e in body.edges} | {t for b in body.inputs for t in b.targets}
    feeding = {e.source.node for e in body.edges}
    shown = {b.source for b in body.outputs}
    for node_id, node in body.nodes.items():
        try:
            instance = instantiate(node, registry)
            instance.input_ports()
        except Exception:  # an unknown type (a placeholder) or ports it cannot list: nothing to expose
            continue
        for port in instance.input_ports():
            ref = PortRef(node_id, port.name)
            if ref not in fed:
                body.inputs.append(BoundaryInput(unique_name(port.name, _names(body.inputs)), [ref]))
        if node_id in feeding:
            continue
        for port in instance.output_ports():
            ref = PortRef(node_id, port.name)
            if ref not in shown:
                body.outputs.append(BoundaryOutput(unique_name(port.name, _names(body.outputs)), ref))


def port_name_problem(body: Workflow, side: str, old: str, new: str) -> str:
    """Why the Group port `old` cannot be called `new` ("" when it can)."""
    ports = body.inputs if side == INPUT else body.outputs
    names = _names(ports)
    if old not in names:
        return f"the Group has no {side} '{old}'"
    if not new or new != new.strip() or new == RESERVED:
        return f"'{new}' cannot name a port (a name without spaces at its ends, not '{RESERVED}')"
    if new != old and new in names:
        return f"the Group already has an {side} '{new}'"
    return ""


def rename_port(root: Workflow, path: tuple[str, ...], side: str, old: str, new: str) -> tuple[str, ...]:
    """Rename the port (see the module docstring); returns the path of the highest level changed.
    Raises `ModelError` (changing nothing) when the node is not a Group or the name is refused."""
    group = node_at(root, path)
    if group.type_name != GROUP_TYPE or group.body is None:
        raise ModelError(f"'{group.label}' is not a Group: only a Group's ports can be renamed")
    problem = port_name_problem(group.body, side, old, new)
    if problem:
        raise ModelError(f"cannot rename: {problem}")
    for boundary in group.body.inputs if side == INPUT else group.body.outputs:
        if boundary.name == old:
            boundary.name = new
    top = path[:-1]
    names = {old: new}
    while names:
        top = path[:-1]
        names = _rename_beside(root, path, side, names)
        path = top
    return top


def _rename_beside(root: Workflow, path: tuple[str, ...], side: str, names: dict[str, str]) -> dict[str, str]:
    """Rename the ports `names` of the node at `path` on its level; the ports of the level's container
    that are renamed in turn (a Map's or Filter's, when the node is its function)."""
    level, node_id = level_at(root, path[:-1]), path[-1]

    def ref(port: PortRef) -> PortRef:
        return PortRef(node_id, names[port.port]) if port.node == node_id and port.port in names else port

    if side == INPUT:
        level.edges = [Edge(e.source, ref(e.target)) for e in level.edges]
        values = level.node(node_id).input_values
        for old, new in names.items():
            if old in values:
                values[new] = values.pop(old)
        for boundary in level.inputs:
            boundary.targets = [ref(t) for t in boundary.targets]
    else:
        level.edges = [Edge(ref(e.source), e.target) for e in level.edges]
        for boundary in level.outputs:
            boundary.source = ref(boundary.source)
    if len(path) < 2:
        return {}
    holder = node_at(root, path[:-1])
    return _function_renamed(holder, side, names) if holder.type_name in ONE_NODE_BODY_TYPES else {}


def _function_renamed(holder: Node, side: str, names: dict[str, str]) -> dict[str, str]:
    """A Map / Filter / For / While whose function's ports `names` were renamed: rename them in its settings;
    return its own ports renamed with them (none for the collected `result` of a Filter or vistrails Map)."""
    props = holder.properties
    for key in ("mapped", "input_ports", "state_ports") if side == INPUT else ("state_ports",):
        if isinstance(props.get(key), list):
            props[key] = [names.get(name, name) for name in props[key]]
    for key in ("index_port",) if side == INPUT else ("output_port", "condition_port"):
        if props.get(key) in names:
            props[key] = names[props[key]]
    collected = holder.type_name == FILTER_TYPE or props.get("mode") == "vistrails"
    return {} if side == OUTPUT and collected else dict(names)


def _names(ports: list) -> list[str]:
    return [port.name for port in ports]

