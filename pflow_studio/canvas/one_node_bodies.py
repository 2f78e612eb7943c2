"""Adding nodes to the body of a Map, Filter, For or While, which runs exactly one node (a node or a Group).

When the nodes added (by the palette, Tab, a drop or a paste) would leave such a body with more than one
node, `add_to_one_node_body` keeps the body one node, as one undo step, and says so in `document.message`:
- the body's node is a Group: the new nodes go into that Group;
- else: the body's node and the new ones are collapsed into a new Group, which exposes what they leave
  open (`runtime.group_ports.expose_open_ports`). The old node's ports keep their names on the Group, so
  the container keeps its ports, wires and settings.
Either way the edit is announced at the Group's level, so a canvas shows it with the new nodes selected.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pflow_studio.canvas import labels, levels
from pflow_studio.canvas.commands import NestedSnapshotCommand, snapshot
from pflow_studio.runtime import operations
from pflow_studio.runtime.container_types import GROUP_TYPE, ONE_NODE_BODY_TYPES
from pflow_studio.runtime.model import Edge, Node, Workflow

if TYPE_CHECKING:
    from pflow_studio.canvas.document import Path, WorkflowDocument


def needs_a_group(document: WorkflowDocument, path: Path, added: int) -> bool:
    """Whether adding `added` nodes to the level at `path` would give a one-node body more than one node."""
    return bool(path) and document.node_at(path).type_name in ONE_NODE_BODY_TYPES and \
        len(document.level(path).nodes) + added > 1


def add_to_one_node_body(document: WorkflowDocument, path: Path, nodes: list[Node], edges: list[Edge],
                         text: str) -> None:
    """Add the nodes to the one-node body at `path`, keeping it one node (see the module docstring)."""
    holder = levels.display_label(document.node_at(path), document.registry)
    body = document.level(path)
    names = ", ".join(f"'{levels.display_label(n, document.registry)}'" for n in nodes)
    existing = list(body.nodes.values())
    if len(existing) == 1 and existing[0].type_name == GROUP_TYPE:
        group = existing[0]
        inner = group.body
        labels.make_unique(Workflow(nodes={**inner.nodes, **{n.id: n for n in nodes}}), [n.id for n in nodes],
                           document.registry)
        document.add_nodes((*path, group.id), nodes, edges, text)
        document.message.emit(f"'{holder}' runs one node: {names} went into its Group "
                              f"'{levels.display_label(group, document.registry)}'")
        return
    before = snapshot(body)
    for node in nodes:
        body.add(node)
    body.edges.extend(edges)
    ids = list(body.nodes)
    group = operations.collapse(body, ids, label=labels.fresh_label(body, "Group", document.registry, ids))
    operations.expose_open_ports(group, document.registry)
    labels.make_unique(group.body, [n.id for n in nodes], document.registry)
    document.undo_stack.push(NestedSnapshotCommand(document, (*path, group.id), path, f"{text} (into a Group)",
                                                   before, snapshot(body), [n.id for n in nodes]))
    document.message.emit(f"'{holder}' runs one node: its node and {names} are now in the Group "
                          f"'{group.label}' inside it (Ctrl+Z undoes)")
