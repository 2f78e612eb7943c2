"""The workflow model: plain Python objects that are saved, validated, executed and shipped.

- `Node`: an id (unique in the whole project, nested bodies included), a type name, its property
  values, the constant values of its unconnected inputs, UI hints that execution ignores (`label`,
  `pos`, `color`), an `is_output` mark, a `bypassed` mark (it does not run: `runtime.bypass`), and for
  containers (Group, Map, Filter) a `body` workflow.
- `Edge`: from one node's output port to another node's input port; an input takes one edge.
- `Workflow`: nodes (in insertion order) and edges. A workflow used as a Group body also has
  boundary ports: each `BoundaryInput` feeds one outer value to one or more inner inputs, each
  `BoundaryOutput` exposes one inner output.

Nothing here knows about node types; `runtime.graph` and `runtime.validation` bring them in.
"""

from __future__ import annotations

import copy
import dataclasses
import itertools
import uuid
from collections.abc import Iterable, Iterator
from typing import Any


class ModelError(ValueError):
    """An operation on the model that cannot be done (its message says why and names the item)."""


@dataclasses.dataclass(frozen=True, order=True)
class PortRef:
    """A port of a node: (node id, port name)."""

    node: str
    port: str

    def __str__(self) -> str:
        return f"{self.node}.{self.port}"


@dataclasses.dataclass(frozen=True, order=True)
class Edge:
    """A connection from `source` (an output port) to `target` (an input port)."""

    source: PortRef
    target: PortRef

    @classmethod
    def of(cls, source: str, source_port: str, target: str, target_port: str) -> Edge:
        return cls(PortRef(source, source_port), PortRef(target, target_port))

    def __str__(self) -> str:
        return f"{self.source} -> {self.target}"


@dataclasses.dataclass
class BoundaryInput:
    """A Group input port: the outer value goes to every inner input in `targets`."""

    name: str
    targets: list[PortRef]


@dataclasses.dataclass
class BoundaryOutput:
    """A Group output port: exposes the inner output `source`."""

    name: str
    source: PortRef


@dataclasses.dataclass
class Node:
    """One node of a workflow. See the module docstring."""

    id: str
    type_name: str
    properties: dict[str, Any] = dataclasses.field(default_factory=dict)
    input_values: dict[str, Any] = dataclasses.field(default_factory=dict)
    ui: dict[str, Any] = dataclasses.field(default_factory=dict)
    is_output: bool = False
    body: Workflow | None = None
    bypassed: bool = False

    @property
    def label(self) -> str:
        """The name users see: the UI label when set, else the id."""
        return str(self.ui.get("label") or self.id)

    @property
    def position(self) -> tuple[float, float]:
        x, y = self.ui.get("pos", (0.0, 0.0))
        return float(x), float(y)


def new_id(prefix: str = "n") -> str:
    """A fresh node id, unique for practical purposes across projects and pastes."""
    return f"{prefix}{uuid.uuid4().hex[:10]}"


@dataclasses.dataclass
class Workflow:
    """Nodes and edges, plus boundary ports when used as a Group body."""

    nodes: dict[str, Node] = dataclasses.field(default_factory=dict)
    edges: list[Edge] = dataclasses.field(default_factory=list)
    inputs: list[BoundaryInput] = dataclasses.field(default_factory=list)
    outputs: list[BoundaryOutput] = dataclasses.field(default_factory=list)

    # -- nodes -------------------------------------------------------------------------------

    def add(self, node: Node) -> Node:
        """Add a node; its id must be unique in this workflow and its nested bodies."""
        if node.id in self.all_ids():
            raise ModelError(f"a node with id '{node.id}' already exists")
        self.nodes[node.id] = node
        return node

    def add_node(
        self,
        type_name: str,
        properties: dict[str, Any] | None = None,
        *,
        inputs: dict[str, Any] | None = None,
        id: str | None = None,
        label: str | None = None,
        pos: tuple[float, float] | None = None,
        body: Workflow | None = None,
        is_output: bool = False,
    ) -> Node:
        """Create and add a node; returns it."""
        ui: dict[str, Any] = {}
        if label:
            ui["label"] = label
        if pos is not None:
            ui["pos"] = [float(pos[0]), float(pos[1])]
        node = Node(id or new_id(), type_name, dict(properties or {}), dict(inputs or {}), ui, is_output, body)
        return self.add(node)

    def remove_node(self, node_id: str) -> Node:
        """Remove a node and every edge touching it; returns the node."""
        node = self.node(node_id)
        del self.nodes[node_id]
        self.edges = [e for e in self.edges if node_id not in (e.source.node, e.target.node)]
        for boundary_input in self.inputs:
            boundary_input.targets = [t for t in boundary_input.targets if t.node != node_id]
        return node

    def node(self, node_id: str) -> Node:
        try:
            return self.nodes[node_id]
        except KeyError:
            raise ModelError(f"no node with id '{node_id}'") from None

    def all_ids(self) -> set[str]:
        """Ids of every node here and in nested bodies."""
        return {node.id for node, _ in self.walk()}

    def walk(self, path: tuple[str, ...] = ()) -> Iterator[tuple[Node, tuple[str, ...]]]:
        """Every node, depth first, with the path of container ids that holds it."""
        for node in self.nodes.values():
            yield node, path
            if node.body is not None:
                yield from node.body.walk((*path, node.id))

    # -- edges -------------------------------------------------------------------------------

    def connect(self, source: str, source_port: str, target: str, target_port: str) -> Edge:
        """Add an edge. Both nodes must exist and the input must be free (an input takes one edge).
        Port names and types are checked by `runtime.validation`, which knows the node types."""
        self.node(source)
        self.node(target)
        edge = Edge.of(source, source_port, target, target_port)
        taken = self.edge_into(edge.target)
        if taken is not None:
            raise ModelError(f"input {edge.target} is already connected from {taken.source}")
        self.edges.append(edge)
        return edge

    def disconnect(self, edge: Edge) -> None:
        try:
            self.edges.remove(edge)
        except ValueError:
            raise ModelError(f"no edge {edge}") from None

    def edge_into(self, target: PortRef) -> Edge | None:
        return next((e for e in self.edges if e.target == target), None)

    def incoming(self, node_id: str) -> list[Edge]:
        return [e for e in self.edges if e.target.node == node_id]

    def fed_inputs(self, node_id: str) -> list[str]:
        """The inputs of a node that this workflow feeds: by an edge (in edge order), then by a boundary input."""
        fed = [e.target.port for e in self.incoming(node_id)]
        return fed + [t.port for b in self.inputs for t in b.targets if t.node == node_id]

    def outgoing(self, node_id: str) -> list[Edge]:
        return [e for e in self.edges if e.source.node == node_id]

    def sinks(self) -> list[str]:
        """Ids of nodes whose outputs nothing in this workflow consumes, in node order."""
        used = {e.source.node for e in self.edges}
        used.update(o.source.node for o in self.outputs)
        return [n for n in self.nodes if n not in used]

    def output_nodes(self) -> list[str]:
        """The workflow's result nodes: those marked `is_output`, else the sinks."""
        marked = [n.id for n in self.nodes.values() if n.is_output]
        return marked or self.sinks()

    # -- whole-graph helpers -----------------------------------------------------------------

    def copy(self) -> Workflow:
        return copy.deepcopy(self)

    def __deepcopy__(self, memo: dict[int, Any]) -> Workflow:
        """A deep copy whose nested bodies are copied level by level, not recursively: the default deep copy
        uses about nine Python frames per level (it failed at about 99 levels), so how deep a workflow can be
        copied (undo snapshots, the clipboard, the app's run) no longer depends on the stack. Edges and port
        references are immutable and shared."""
        root = memo[id(self)] = Workflow()
        pending: list[tuple[Workflow, Workflow]] = [(self, root)]
        while pending:
            source, target = pending.pop()
            for key, node in source.nodes.items():
                copied = Node(node.id, node.type_name, copy.deepcopy(node.properties, memo),
                              copy.deepcopy(node.input_values, memo), copy.deepcopy(node.ui, memo), node.is_output,
                              bypassed=node.bypassed)
                if node.body is not None and id(node.body) in memo:  # a body met before (shared): shared again
                    copied.body = memo[id(node.body)]
                elif node.body is not None:
                    copied.body = memo[id(node.body)] = Workflow()
                    pending.append((node.body, copied.body))
                target.nodes[key] = copied
            target.edges = list(source.edges)
            target.inputs = [BoundaryInput(b.name, list(b.targets)) for b in source.inputs]
            target.outputs = [BoundaryOutput(b.name, b.source) for b in source.outputs]
        return root

    def canonical(self) -> dict[str, Any]:
        """An order-insensitive description for equality checks of what executes: node order,
        edge order and UI hints (positions, labels' placement, colours) do not matter."""
        return {
            "nodes": {
                node.id: (
                    node.type_name,
                    _freeze(node.properties),
                    _freeze(node.input_values),
                    node.is_output,
                    node.body.canonical() if node.body is not None else None,
                ) + (("bypassed",) if node.bypassed else ())
                for node in self.nodes.values()
            },
            "edges": sorted(self.edges),
            "inputs": sorted((b.name, tuple(sorted(b.targets))) for b in self.inputs),
            "outputs": sorted((b.name, b.source) for b in self.outputs),
        }

    def boundary_input(self, name: str) -> BoundaryInput | None:
        return next((b for b in self.inputs if b.name == name), None)

    def boundary_output(self, name: str) -> BoundaryOutput | None:
        return next((b for b in self.outputs if b.name == name), None)


def _freeze(value: Any) -> Any:
    if isinstance(value, dict):
        return tuple(sorted((k, _freeze(v)) for k, v in value.items()))
    if isinstance(value, (list, tuple)):
        return tuple(_freeze(v) for v in value)
    return value


def level_at(root: Workflow, path: tuple[str, ...]) -> Workflow:
    """The workflow at `path` (container ids from `root`); raises `ModelError` when a step is missing or
    not a container."""
    level = root
    for container_id in path:
        node = level.node(container_id)
        if node.body is None:
            raise ModelError(f"node '{node.label}' is not a container")
        level = node.body
    return level


def node_at(root: Workflow, path: tuple[str, ...]) -> Node:
    """The node at a node path (container ids, then its id); raises `ModelError` when missing."""
    if not path:
        raise ModelError("an empty path names no node")
    return level_at(root, path[:-1]).node(path[-1])


def unique_name(wanted: str, taken: Iterable[str]) -> str:
    """`wanted`, or `wanted_2`, `wanted_3`... whichever is not in `taken`."""
    taken = set(taken)
    if wanted not in taken:
        return wanted
    for i in itertools.count(2):
        candidate = f"{wanted}_{i}"
        if candidate not in taken:
            return candidate
    raise AssertionError("unreachable")
