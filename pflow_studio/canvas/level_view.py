"""Keep a NodeGraphQt graph showing one model level: a diff, so small edits touch few items.

`LevelView.sync(level, group_level)` makes the graph show exactly the level's nodes (recreating a
node whose look - type, label, ports - changed), positions and edges; inside a Group it also shows
the boundary pseudo nodes (`levels.INPUTS_NODE` / `OUTPUTS_NODE`) and their edges. Never pushes
NodeGraphQt undo commands or emits its signals.
"""

from __future__ import annotations

from NodeGraphQt import NodeGraph
from NodeGraphQt.base.commands import PortConnectedCmd, PortDisconnectedCmd

from pflow_studio.canvas import levels, map_marks
from pflow_studio.canvas.node_classes import (
    CATEGORY_COLORS,
    DEFAULT_COLOR,
    PSEUDO_COLOR,
    UNKNOWN_COLOR,
    PflowViewNode,
    ViewSpec,
    attach,
    create_view_node,
    detach,
)
from pflow_studio.nodes.registry import Registry
from pflow_studio.runtime.graph import topological_order
from pflow_studio.runtime.model import Node, PortRef, Workflow

COLUMN_WIDTH, ROW_HEIGHT = 240.0, 130.0


class LevelView:
    """The view nodes and drawn edges of the shown level."""

    def __init__(self, graph: NodeGraph, registry: Registry) -> None:
        self.graph = graph
        self.registry = registry
        self.nodes: dict[str, PflowViewNode] = {}
        self.specs: dict[str, ViewSpec] = {}
        self.shown: dict[PortRef, PortRef] = {}  # drawn edges: input -> source
        self._spec_cache: dict[str, tuple[tuple, ViewSpec]] = {}  # plain nodes: (type, label, props) -> look

    # -- whole level ---------------------------------------------------------------------------

    def clear(self) -> None:
        for node in list(self.nodes.values()):
            detach(self.graph, node)
        self.nodes.clear()
        self.specs.clear()
        self.shown.clear()
        self._spec_cache.clear()

    def sync(self, level: Workflow, group_level: bool) -> None:
        """Make the graph show `level` (see the module docstring)."""
        wanted = {node_id: self.spec(node, level) for node_id, node in level.nodes.items()}
        if group_level:
            wanted.update(self._pseudo_specs(level))
        removed = [n for n, spec in self.specs.items() if wanted.get(n) != spec]
        for node_id in removed:
            detach(self.graph, self.nodes.pop(node_id))
            del self.specs[node_id]
        if removed:
            gone = set(removed)
            self.shown = {t: s for t, s in self.shown.items() if t.node not in gone and s.node not in gone}
        auto = _auto_layout(level) if any("pos" not in n.ui for n in level.nodes.values()) else {}
        for node_id, spec in wanted.items():
            node = level.nodes.get(node_id)
            view = self.nodes.get(node_id)
            if view is None:
                view = create_view_node(spec, node_id)
                attach(self.graph, view, self._position(level, node_id, node, auto))
                self.nodes[node_id] = view
                self.specs[node_id] = spec
            elif node is not None and "pos" in node.ui:
                x, y = node.position
                current = view.view.scenePos()
                if abs(current.x() - x) > 0.01 or abs(current.y() - y) > 0.01:
                    view.view.xy_pos = [x, y]
                    view.model.pos = [x, y]
        self._sync_edges(self._wanted_edges(level, group_level))

    def spec(self, node: Node, level: Workflow) -> ViewSpec:
        """The look of a model node of `level` (cached for plain nodes of known types: it depends on type,
        label and properties; a placeholder's ports come from its wires and values in `level`)."""
        if node.type_name not in self.registry:
            return _placeholder_spec(node, level)
        if node.body is not None:
            return self._make_spec(node)
        key = (node.type_name, node.ui.get("label"), repr(node.properties), node.bypassed)
        cached = self._spec_cache.get(node.id)
        if cached is None or cached[0] != key:
            cached = self._spec_cache[node.id] = (key, self._make_spec(node))
        return cached[1]

    def _make_spec(self, node: Node) -> ViewSpec:
        node_type = self.registry.get(node.type_name)
        instance = levels.safe_instance(node, self.registry)
        if instance is None:
            ins, outs = {}, {}
            color = UNKNOWN_COLOR
        else:
            ins = {p.name: p.type for p in instance.input_ports()}
            outs = {p.name: p.type for p in instance.output_ports()}
            color = CATEGORY_COLORS.get(node_type.category, DEFAULT_COLOR)
        return ViewSpec(node.type_name, levels.display_label(node, self.registry), tuple(ins.items()),
                        tuple(outs.items()), color, node.body is not None, node.bypassed,
                        map_marks.input_marks(instance))

    def _pseudo_specs(self, level: Workflow) -> dict[str, ViewSpec]:
        ins, outs = levels.port_types(level, levels.INPUTS_NODE, self.registry, group_level=True)
        specs = {levels.INPUTS_NODE: ViewSpec("pflow.group_inputs", "Group inputs", (), tuple(outs.items()),
                                              PSEUDO_COLOR)}
        ins, outs = levels.port_types(level, levels.OUTPUTS_NODE, self.registry, group_level=True)
        specs[levels.OUTPUTS_NODE] = ViewSpec("pflow.group_outputs", "Group outputs", tuple(ins.items()), (),
                                              PSEUDO_COLOR)
        return specs

    def _position(self, level: Workflow, node_id: str, node: Node | None, auto: dict) -> tuple[float, float]:
        if node is not None:
            return auto.get(node_id) or node.position
        positions = [auto.get(n.id) or n.position for n in level.nodes.values()]
        xs = [p[0] for p in positions] or [0.0]
        ys = [p[1] for p in positions] or [0.0]
        y = sum(ys) / len(ys)
        if node_id == levels.INPUTS_NODE:
            return min(xs) - COLUMN_WIDTH, y
        return max(xs) + COLUMN_WIDTH, y

    # -- edges ---------------------------------------------------------------------------------

    def _wanted_edges(self, level: Workflow, group_level: bool) -> dict[PortRef, PortRef]:
        wanted = {e.target: e.source for e in level.edges}
        if group_level:
            for boundary in level.inputs:
                for target in boundary.targets:
                    wanted[target] = PortRef(levels.INPUTS_NODE, boundary.name)
            for boundary in level.outputs:
                wanted[PortRef(levels.OUTPUTS_NODE, boundary.name)] = boundary.source
        return {t: s for t, s in wanted.items() if self._input(t) is not None and self._output(s) is not None}

    def _sync_edges(self, wanted: dict[PortRef, PortRef]) -> None:
        for target in set(self.shown) | set(wanted):
            if self.shown.get(target) != wanted.get(target):
                self.set_input(target, wanted.get(target))

    def set_input(self, target: PortRef, source: PortRef | None) -> None:
        """Draw exactly one edge (or none) into the input `target`, repairing stray pipes."""
        in_port = self._input(target)
        if in_port is None:
            self.shown.pop(target, None)
            return
        for other in list(in_port.connected_ports()):
            PortDisconnectedCmd(in_port, other, False).redo()
        for pipe in list(in_port.view.connected_pipes):
            pipe.delete()
        out_port = self._output(source) if source is not None else None
        if out_port is None:
            self.shown.pop(target, None)
            return
        PortConnectedCmd(out_port, in_port, False).redo()
        self.shown[target] = source

    def repair(self, targets: list[PortRef]) -> None:
        """Redraw the given inputs as recorded (after a mouse gesture moved pipes around)."""
        for target in targets:
            self.set_input(target, self.shown.get(target))

    def _input(self, ref: PortRef):
        node = self.nodes.get(ref.node)
        return node.inputs().get(ref.port) if node is not None else None

    def _output(self, ref: PortRef):
        node = self.nodes.get(ref.node)
        return node.outputs().get(ref.port) if node is not None else None


def _placeholder_spec(node: Node, level: Workflow) -> ViewSpec:
    """The look of a node whose type is not installed: marked "(missing)", dark red, the ports `level` uses."""
    ins, outs = levels.placeholder_ports(level, node)
    label = f"{node.ui.get('label') or node.type_name} (missing)"
    return ViewSpec(node.type_name, label, tuple(ins.items()), tuple(outs.items()), UNKNOWN_COLOR,
                    node.body is not None)


def _auto_layout(level: Workflow) -> dict[str, tuple[float, float]]:
    """Columns by longest path from a source, for nodes without a saved position."""
    depth = dict.fromkeys(level.nodes, 0)
    try:
        order = topological_order(level)
    except ValueError:
        order = []
    incoming: dict[str, list[str]] = {}
    for edge in level.edges:
        incoming.setdefault(edge.target.node, []).append(edge.source.node)
    for node_id in order:
        depth[node_id] = max((depth.get(s, 0) + 1 for s in incoming.get(node_id, ())), default=0)
    rows: dict[int, int] = {}
    positions = {}
    for node_id, node in level.nodes.items():
        if "pos" in node.ui:
            continue
        column = depth[node_id]
        row = rows.get(column, 0)
        rows[column] = row + 1
        positions[node_id] = (column * COLUMN_WIDTH, row * ROW_HEIGHT)
    return positions
