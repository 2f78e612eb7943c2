"""Keep Group boundaries valid when inner nodes go away, and find the Group whose port a view port
shows (`port_owner`, for renaming). No Qt here.

After nodes of the body at `path` were removed, `prune(root, path, before)` drops:
- boundary input targets on the removed nodes, and a boundary input whose targets were all on
  removed nodes (it fed only them);
- a boundary output whose source was a removed node;
and then, one level up at a time, whatever named the ports that vanished: edges into / out of
the container's port at its parent level, the parent Group's own boundary refs to them (which may
vanish in turn), and a Map's, Filter's, For's or While's settings naming a vanished function input or output.
"""

from __future__ import annotations

from pflow_studio.canvas import levels
from pflow_studio.runtime.container_types import FILTER_TYPE, GROUP_TYPE, ONE_NODE_BODY_TYPES
from pflow_studio.runtime.group_ports import INPUT, OUTPUT
from pflow_studio.runtime.model import ModelError, Node, Workflow


def port_owner(root: Workflow, path: tuple[str, ...], node_id: str, side: str,
               port: str) -> tuple[tuple[str, ...], str]:
    """(path of the Group, its side) whose boundary port the view port `port` ("input" / "output" of the
    node `node_id` shown at `path`) is: a Group's own, a boundary pseudo node's, or that of a Map, Filter,
    For or While over a Group. Raises `ModelError` saying why when the port cannot be renamed."""
    if node_id in levels.PSEUDO_NODES:
        if port == levels.NEW_PORT:
            raise ModelError(f"'{port}' makes a new Group port: drag a wire to it")
        return path, INPUT if node_id == levels.INPUTS_NODE else OUTPUT
    node = levels.node_at(root, (*path, node_id))
    label = levels.display_label(node)
    if node.type_name == GROUP_TYPE:
        return (*path, node_id), side
    if node.type_name not in ONE_NODE_BODY_TYPES:
        raise ModelError(f"the ports of '{label}' are its type's: only a Group's ports (and those of a Map, "
                         f"Filter, For or While over a Group) can be renamed")
    function = next(iter(node.body.nodes.values())) if node.body is not None and len(node.body.nodes) == 1 else None
    if function is None:
        raise ModelError(f"the port '{port}' of '{label}' cannot be renamed: its body is not one node")
    if function.type_name != GROUP_TYPE:
        raise ModelError(f"the ports of '{label}' are those of its node '{levels.display_label(function)}': "
                         f"collapse that node into a Group inside (Ctrl+G) to name them")
    boundary = function.body.inputs if side == INPUT else function.body.outputs
    if port not in {b.name for b in boundary}:
        raise ModelError(f"the port '{port}' is {label}'s own: it cannot be renamed")
    return (*path, node_id, function.id), side


def drop_unused_inputs(root: Workflow, path: tuple[str, ...], before: Workflow) -> None:
    """Remove the inputs of the Group body at `path` that fed inner inputs in `before` and feed none now, when
    nothing outside uses the Group's port (`port_used`): an input collapse made, wired inside instead."""
    level = levels.level_at(root, path)
    fed_before = {b.name for b in before.inputs if b.targets}
    emptied = [b.name for b in level.inputs if not b.targets and b.name in fed_before]
    unused = {name for name in emptied if not port_used(root, path, name)}
    level.inputs = [b for b in level.inputs if b.name not in unused]


def port_used(root: Workflow, node_path: tuple[str, ...], name: str) -> bool:
    """Whether the input `name` of the node at `node_path` takes something: a wire, a value of its own, its
    level's Group input, or, when the node is the function of a Map, Filter, For or While, that container's
    setting naming it or the container's own port of that name."""
    node, level = levels.node_at(root, node_path), levels.level_at(root, node_path[:-1])
    ref = (node_path[-1], name)
    if name in node.input_values or any((e.target.node, e.target.port) == ref for e in level.edges):
        return True
    if any((t.node, t.port) == ref for b in level.inputs for t in b.targets):
        return True
    if len(node_path) < 2:
        return False
    holder = levels.node_at(root, node_path[:-1])
    if holder.type_name not in ONE_NODE_BODY_TYPES:
        return False
    props = holder.properties
    named = [n for key in ("mapped", "input_ports", "state_ports") for n in props.get(key) or []]
    return name in named or name == props.get("index_port") or port_used(root, node_path[:-1], name)


def prune(root: Workflow, path: tuple[str, ...], before: Workflow) -> tuple[str, ...] | None:
    """Clean up after a removal in the body at `path` (`before`: that body as it was).
    Returns the path of the highest level changed, or None when nothing needed a change."""
    if not path or not levels.is_group_level(root, path):
        return None
    level = levels.level_at(root, path)
    gone_in = {b.name for b in level.inputs if not b.targets and _targets(before, b.name)}
    gone_out = {b.name for b in level.outputs if b.source.node not in level.nodes}
    if not gone_in and not gone_out:
        return None
    level.inputs = [b for b in level.inputs if b.name not in gone_in]
    level.outputs = [b for b in level.outputs if b.name not in gone_out]
    top = path
    while path and (gone_in or gone_out):
        container, parent_path = path[-1], path[:-1]
        parent = levels.level_at(root, parent_path)
        top = parent_path
        for name in gone_in:
            parent.node(container).input_values.pop(name, None)
        parent.edges = [e for e in parent.edges
                        if not (e.target.node == container and e.target.port in gone_in)
                        and not (e.source.node == container and e.source.port in gone_out)]
        gone_in, gone_out = _parent_ports_gone(root, parent_path, parent, container, gone_in, gone_out)
        path = parent_path
    return top


def _targets(workflow: Workflow, name: str) -> list:
    boundary = workflow.boundary_input(name)
    return list(boundary.targets) if boundary is not None else []


def _parent_ports_gone(root: Workflow, parent_path: tuple[str, ...], parent: Workflow, container: str,
                       gone_in: set[str], gone_out: set[str]) -> tuple[set[str], set[str]]:
    """Drop the parent level's own references to the container's vanished ports; return the ports
    of the parent's container that vanish in turn (none at the root)."""
    if not parent_path:
        return set(), set()
    holder = levels.node_at(root, parent_path)
    if holder.type_name == GROUP_TYPE:
        next_in: set[str] = set()
        for boundary in parent.inputs:
            kept = [t for t in boundary.targets if not (t.node == container and t.port in gone_in)]
            if boundary.targets and not kept:
                next_in.add(boundary.name)
            boundary.targets = kept
        next_out = {b.name for b in parent.outputs if b.source.node == container and b.source.port in gone_out}
        parent.inputs = [b for b in parent.inputs if b.name not in next_in]
        parent.outputs = [b for b in parent.outputs if b.name not in next_out]
        return next_in, next_out
    if holder.type_name in ONE_NODE_BODY_TYPES:
        return _function_ports_gone(holder, gone_in, gone_out)
    return set(), set()


def _function_ports_gone(holder: Node, gone_in: set[str], gone_out: set[str]) -> tuple[set[str], set[str]]:
    """A Map / Filter / For / While whose function lost inputs / outputs: forget them in its settings; return
    the container's own ports that vanish with them."""
    props = holder.properties
    vistrails = props.get("mode") == "vistrails"
    fed = list(props.get("input_ports" if vistrails else "mapped") or [])
    for key, gone in (("mapped", gone_in), ("input_ports", gone_in), ("state_ports", gone_in | gone_out)):
        if isinstance(props.get(key), list):
            props[key] = [name for name in props[key] if name not in gone]
    for key, gone in (("output_port", gone_out), ("condition_port", gone_out), ("index_port", gone_in)):
        if props.get(key) in gone:
            props[key] = ""
    lost_in = {name for name in gone_in if not (vistrails and name in fed)}
    lost_out = set() if vistrails or holder.type_name == FILTER_TYPE else set(gone_out)
    return lost_in, lost_out
