"""Collapse a selection into a Group, ungroup it again, and extract a selection as a copy.

Pure operations on the model: they mutate the workflow in place, check everything before changing
anything (a `ModelError` leaves the workflow untouched) and return what an undo command needs.

Contract of `collapse` / `ungroup` (tests prove `ungroup(collapse(wf, S))` equals `wf` by
`Workflow.canonical()`, nested and inside Group bodies too):
- Every connection crossing the selection goes through a boundary port: one `BoundaryInput` per
  distinct outer source (an output port outside, or a boundary input of the enclosing body) with
  all the inner inputs it fed as targets; one `BoundaryOutput` per inner output port consumed
  outside (by edges or by the enclosing body's boundary outputs). Names are the inner port names,
  made unique with `unique_name`.
- A selection that something outside both depends on and feeds cannot be collapsed: the Group
  would be in a cycle. The error names that outside node.
- Constant input values stay on the inner nodes. The Group sits at the centroid of the selection.
- `is_output`: inner nodes keep their marks, and the Group is marked when any selected node is, so
  the parent still has a result where it had one. On ungroup the Group's own mark is dropped,
  except that a marked Group with no marked inner node passes its mark to the inner nodes its
  boundary outputs expose (a mark set on the Group after collapsing is not lost).
"""

from __future__ import annotations

import copy
from collections.abc import Iterable

from pflow_studio.runtime.container_types import GROUP_TYPE
from pflow_studio.runtime.model import (
    BoundaryInput,
    BoundaryOutput,
    Edge,
    ModelError,
    Node,
    PortRef,
    Workflow,
    new_id,
    unique_name,
)


def extract(workflow: Workflow, node_ids: Iterable[str]) -> Workflow:
    """A deep copy of the selected nodes (in workflow order) and the edges among them."""
    selected = _selection(workflow, node_ids)
    return copy.deepcopy(Workflow(
        nodes={n: workflow.nodes[n] for n in workflow.nodes if n in selected},
        edges=[e for e in workflow.edges if e.source.node in selected and e.target.node in selected],
    ))


def collapse(workflow: Workflow, node_ids: Iterable[str], *, group_id: str | None = None,
             label: str | None = None) -> Node:
    """Move the selected nodes of `workflow` into a new Group node and return it (see module doc)."""
    selected = _selection(workflow, node_ids)
    group_id = group_id or new_id("g")
    if group_id in workflow.all_ids():
        raise ModelError(f"cannot collapse: a node with id '{group_id}' already exists")
    _check_no_cycle_through(workflow, selected)

    body = Workflow(nodes={n: workflow.nodes[n] for n in workflow.nodes if n in selected})
    boundary = _Boundary(group_id, body)
    outer_edges: list[Edge] = []
    for edge in workflow.edges:
        inside_source, inside_target = edge.source.node in selected, edge.target.node in selected
        if inside_source and inside_target:
            body.edges.append(edge)
        elif inside_target:
            port = boundary.feed(edge.source, edge.target)
            if port is not None:
                outer_edges.append(Edge(edge.source, port))
        elif inside_source:
            outer_edges.append(Edge(boundary.expose(edge.source), edge.target))
        else:
            outer_edges.append(edge)
    parent_targets = []
    for index, parent_input in enumerate(workflow.inputs):
        targets = []
        for target in parent_input.targets:
            port = boundary.feed(index, target) if target.node in selected else target
            if port is not None:
                targets.append(port)
        parent_targets.append(targets)
    parent_sources = [boundary.expose(b.source) if b.source.node in selected else b.source for b in workflow.outputs]

    xs, ys = zip(*(node.position for node in body.nodes.values()), strict=True)
    group = Node(group_id, GROUP_TYPE, ui={"pos": [sum(xs) / len(xs), sum(ys) / len(ys)]},
                 is_output=any(node.is_output for node in body.nodes.values()), body=body)
    if label:
        group.ui["label"] = label
    # Mutate only now that nothing can fail.
    first = next(iter(body.nodes))
    workflow.nodes = _replace_in_order(workflow.nodes, first, [group], drop=selected)
    workflow.edges = outer_edges
    for parent_input, targets in zip(workflow.inputs, parent_targets, strict=True):
        parent_input.targets = targets
    for parent_output, source in zip(workflow.outputs, parent_sources, strict=True):
        parent_output.source = source
    return group


class _Boundary:
    """The boundary ports of a new Group's body, added as the crossing connections are found."""

    def __init__(self, group_id: str, body: Workflow) -> None:
        self.group_id = group_id
        self.body = body
        self.feeds: dict[PortRef | int, BoundaryInput] = {}  # outer source port, or index of a parent boundary input
        self.exposed: dict[PortRef, BoundaryOutput] = {}  # inner source port -> its boundary output

    def feed(self, key: PortRef | int, target: PortRef) -> PortRef | None:
        """Add `target` to the boundary input of `key`; the group's port when it is new."""
        boundary = self.feeds.get(key)
        if boundary is not None:
            boundary.targets.append(target)
            return None
        name = unique_name(target.port, (b.name for b in self.body.inputs))
        boundary = self.feeds[key] = BoundaryInput(name, [target])
        self.body.inputs.append(boundary)
        return PortRef(self.group_id, name)

    def expose(self, source: PortRef) -> PortRef:
        """The group's output port exposing inner output `source` (made on first use)."""
        boundary = self.exposed.get(source)
        if boundary is None:
            name = unique_name(source.port, (b.name for b in self.body.outputs))
            boundary = self.exposed[source] = BoundaryOutput(name, source)
            self.body.outputs.append(boundary)
        return PortRef(self.group_id, boundary.name)


def ungroup(workflow: Workflow, group_id: str) -> list[str]:
    """Put a Group's inner nodes and edges back in `workflow`, turning every boundary connection
    into direct edges (and the enclosing body's boundary refs back to the inner ports); returns
    the restored node ids in body order.

    A group input unconnected outside disappears; a constant value the Group holds on it moves to
    the inner targets (overriding theirs, as it did when running; when the input is connected, the
    value is kept only on targets without one). A boundary output whose inner source is gone takes
    its outer edges with it (they carried nothing). Raises `ModelError` when the node is not a
    Group, an inner id is already used beside it, or an inner input is fed twice."""
    group = workflow.node(group_id)
    if group.type_name != GROUP_TYPE or group.body is None:
        raise ModelError(f"cannot ungroup '{group.label}': it is a {group.type_name}, not a Group")
    body = group.body
    clash = next((n for n in body.nodes if n in workflow.nodes), None)
    if clash is not None:
        raise ModelError(f"cannot ungroup '{group.label}': its inner node '{clash}' clashes with a node beside it")
    _check_single_feeds(group)

    targets_of = {PortRef(group_id, b.name): [t for t in b.targets if t.node in body.nodes] for b in body.inputs}
    source_of = {PortRef(group_id, b.name): b.source for b in body.outputs if b.source.node in body.nodes}
    edges = []
    for edge in workflow.edges:
        if edge.target.node == group_id:
            edges.extend(Edge(edge.source, target) for target in targets_of.get(edge.target, ()))
        elif edge.source.node == group_id:
            if edge.source in source_of:
                edges.append(Edge(source_of[edge.source], edge.target))
        else:
            edges.append(edge)
    connected = {e.target for e in workflow.edges} | {t for b in workflow.inputs for t in b.targets}
    _move_group_values(group, targets_of, connected)
    if group.is_output and not any(node.is_output for node in body.nodes.values()):
        for source in source_of.values():
            body.nodes[source.node].is_output = True

    workflow.nodes = _replace_in_order(workflow.nodes, group_id, list(body.nodes.values()), drop={group_id})
    workflow.edges = edges + body.edges
    for parent_input in workflow.inputs:
        parent_input.targets = [
            inner for target in parent_input.targets
            for inner in (targets_of.get(target, []) if target.node == group_id else [target])
        ]
    for parent_output in workflow.outputs:
        parent_output.source = source_of.get(parent_output.source, parent_output.source)
    return list(body.nodes)


# -- helpers ---------------------------------------------------------------------------------


def _selection(workflow: Workflow, node_ids: Iterable[str]) -> set[str]:
    selected = {node_ids} if isinstance(node_ids, str) else set(node_ids)
    if not selected:
        raise ModelError("the selection is empty")
    missing = sorted(n for n in selected if n not in workflow.nodes)
    if missing:
        raise ModelError(f"node '{missing[0]}' is not in this workflow")
    return selected


def _check_no_cycle_through(workflow: Workflow, selected: set[str]) -> None:
    """Raise when a node outside the selection is both downstream and upstream of it."""
    successors: dict[str, list[str]] = {}
    predecessors: dict[str, list[str]] = {}
    for edge in workflow.edges:
        successors.setdefault(edge.source.node, []).append(edge.target.node)
        predecessors.setdefault(edge.target.node, []).append(edge.source.node)
    downstream = _reach(selected, successors) - selected
    upstream = _reach(selected, predecessors) - selected
    between = [n for n in workflow.nodes if n in downstream and n in upstream]
    if between:
        node = workflow.nodes[between[0]]
        raise ModelError(f"cannot collapse: node '{node.label}' outside the selection takes a value from it "
                         f"and feeds it, so the group would be in a cycle (select it too)")


def _reach(start: set[str], neighbours: dict[str, list[str]]) -> set[str]:
    seen = set(start)
    stack = list(start)
    while stack:
        for nxt in neighbours.get(stack.pop(), ()):
            if nxt not in seen:
                seen.add(nxt)
                stack.append(nxt)
    return seen


def _check_single_feeds(group: Node) -> None:
    """An inner input may be fed by one inner edge or one boundary input, not more."""
    fed: dict[PortRef, str] = {e.target: f"edge from {e.source}" for e in group.body.edges}
    for boundary in group.body.inputs:
        for target in boundary.targets:
            if target in fed:
                raise ModelError(f"cannot ungroup '{group.label}': inner input {target} is fed both by "
                                 f"group input '{boundary.name}' and by {fed[target]}")
            fed[target] = f"group input '{boundary.name}'"


def _move_group_values(group: Node, targets_of: dict[PortRef, list[PortRef]], connected: set[PortRef]) -> None:
    for ref, targets in targets_of.items():
        if ref.port not in group.input_values:
            continue
        value = group.input_values[ref.port]
        for target in targets:
            inner = group.body.nodes[target.node]
            if ref not in connected or target.port not in inner.input_values:
                inner.input_values[target.port] = copy.deepcopy(value)


def _replace_in_order(nodes: dict[str, Node], anchor: str, replacement: list[Node], drop: set[str]) -> dict[str, Node]:
    """`nodes` without `drop`, with `replacement` where `anchor` was."""
    result: dict[str, Node] = {}
    for node_id, node in nodes.items():
        if node_id == anchor:
            result.update((new.id, new) for new in replacement)
        if node_id not in drop:
            result[node_id] = node
    return result
