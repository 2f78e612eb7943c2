"""What a deletion took with it, in words for the status bar ("Deleted 'Multiply'; with it: 2 wires, input
'x' of 'Group', 1 wire at the top level, 'Map' mapped input 'x'"). No Qt here.

`losses` compares the levels from the edited one up to the highest one changed, before and after: the wires
gone on each, the Group ports gone, and what the containers on the way forgot about their function's ports
(a Map's mapped inputs, a loop's index / condition / state ports, a constant value on a vanished port).
"""

from __future__ import annotations

from pflow_studio.canvas import levels
from pflow_studio.nodes.registry import Registry
from pflow_studio.runtime.container_types import ONE_NODE_BODY_TYPES
from pflow_studio.runtime.model import Node, Workflow

_LISTS = {"mapped": "mapped input", "input_ports": "element input", "state_ports": "state port"}
_NAMES = {"output_port": "output port", "condition_port": "condition port", "index_port": "index port"}


def message(labels: list[str], lost: list[str]) -> str:
    """The status bar text of a deletion of the nodes labelled `labels`."""
    text = "Deleted " + ", ".join(f"'{label}'" for label in labels)
    return f"{text}; with it: {', '.join(lost)}" if lost else text


def losses(root_before: Workflow, root: Workflow, path: tuple[str, ...], top: tuple[str, ...],
           registry: Registry) -> list[str]:
    """What went besides the deleted nodes of the level at `path`, on it and up to the level at `top`."""
    found: list[str] = []
    for depth in range(len(path), len(top) - 1, -1):
        level_path = path[:depth]
        before, after = levels.level_at(root_before, level_path), levels.level_at(root, level_path)
        wires = len(set(before.edges) - set(after.edges))
        if wires:
            found.append(_wires(wires) + ("" if depth == len(path) else f" {_where(root, level_path, registry)}"))
        if level_path:
            holder = _label(levels.node_at(root, level_path), registry)
            for side, old, new in (("input", before.inputs, after.inputs), ("output", before.outputs, after.outputs)):
                kept = {port.name for port in new}
                found.extend(f"{side} '{port.name}' of '{holder}'" for port in old if port.name not in kept)
        if depth < len(path):
            found.extend(forgotten(before.node(path[depth]), after.node(path[depth]), registry))
    return found


def forgotten(before: Node, after: Node, registry: Registry) -> list[str]:
    """What the container `after` no longer names that it did as `before` (settings and constant values)."""
    label = _label(after, registry)
    found = []
    for key, what in _LISTS.items():
        kept = set(after.properties.get(key) or [])
        found.extend(f"'{label}' {what} '{name}'" for name in before.properties.get(key) or [] if name not in kept)
    for key, what in _NAMES.items():
        old = before.properties.get(key)
        if old and after.properties.get(key) != old:
            found.append(f"'{label}' {what} '{old}'")
    found.extend(f"the value of '{label}' input '{port}'" for port in before.input_values
                 if port not in after.input_values)
    return found


def plain_losses(level_before: Workflow, level: Workflow, path: tuple[str, ...], root: Workflow,
                 registry: Registry) -> list[str]:
    """What went besides the deleted nodes when nothing above the level at `path` changed: its wires, and a
    one-node body left empty (its container's ports wait for a new node)."""
    found = []
    wires = len(set(level_before.edges) - set(level.edges))
    if wires:
        found.append(_wires(wires))
    if path and not level.nodes and level_before.nodes:
        holder = levels.node_at(root, path)
        if holder.type_name in ONE_NODE_BODY_TYPES:
            found.append(f"the ports of '{_label(holder, registry)}' (its body is empty: add a node to it)")
    return found


def _wires(count: int) -> str:
    return f"{count} wire" + ("" if count == 1 else "s")


def _where(root: Workflow, level_path: tuple[str, ...], registry: Registry) -> str:
    return f"inside '{_label(levels.node_at(root, level_path), registry)}'" if level_path else "at the top level"


def _label(node: Node, registry: Registry) -> str:
    return levels.display_label(node, registry)
