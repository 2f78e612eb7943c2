"""Keep Group boundaries valid when inner nodes go away. No Qt here.

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
from pflow_studio.runtime.model import Node, Workflow


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
