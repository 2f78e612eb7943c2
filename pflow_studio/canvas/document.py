"""The edited document: the root workflow, its levels, and the undo stack every edit goes through.

`WorkflowDocument` owns the model a canvas shows. Its edit methods name the level they change by its path
(container ids from the root, see `canvas.levels`), check the change against the model, make it, and push
it on `undo_stack` as one command (`canvas.commands`). Each command, when pushed and on every undo and
redo, ends with `level_edited(path, select)`: the level at `path` changed; `select` lists the nodes the
edit made (a view selects them) or is empty (a view keeps the selection of the nodes that still exist).
A refused edit changes nothing, pushes nothing and emits `message(why)`. `set_workflow` replaces the whole
model (undo history cleared) and emits `replaced()`. No view here: views re-sync from these signals.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from pflow_studio.canvas import boundaries, connection_rules, deletion_report, labels, levels, one_node_bodies
from pflow_studio.canvas.commands import (
    UNSET,
    AddNodesCommand,
    EdgesCommand,
    FieldCommand,
    MoveCommand,
    NestedSnapshotCommand,
    SnapshotCommand,
    restore,
    snapshot,
)
from pflow_studio.nodes.registry import Registry
from pflow_studio.runtime import operations
from pflow_studio.runtime.container_types import CONTAINER_TYPES
from pflow_studio.runtime.graph import find_cycle
from pflow_studio.runtime.model import Edge, ModelError, Node, PortRef, Workflow, new_id
from pflow_studio.runtime.nesting import nesting_problem

Path = tuple[str, ...]
Pair = tuple[PortRef, PortRef]  # (output port, input port)


class WorkflowDocument(QObject):
    """See the module docstring. `workflow()` is the LIVE root: read it, save it, run a copy of it, but
    change it only through these methods (or replace it with `set_workflow`)."""

    level_edited = Signal(object, list)  # (path, node ids to select)
    replaced = Signal()
    message = Signal(str)

    def __init__(self, registry: Registry, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.registry = registry
        self.undo_stack = QUndoStack(self)
        self._root = Workflow()

    # -- the model ----------------------------------------------------------------------------

    def set_workflow(self, workflow: Workflow) -> None:
        """Edit `workflow` from now on (this very object); clears the undo history."""
        self.undo_stack.clear()
        self._root = workflow
        self.replaced.emit()

    def workflow(self) -> Workflow:
        """The LIVE root workflow (see the class docstring)."""
        return self._root

    def level(self, path: Iterable[str]) -> Workflow:
        """The workflow at `path` (raises `ModelError` when the path leads nowhere)."""
        return levels.level_at(self._root, tuple(path))

    def node_at(self, path: Iterable[str]) -> Node:
        """The node at a node path (container ids, then its id); raises `ModelError` when missing."""
        return levels.node_at(self._root, tuple(path))

    def is_group_level(self, path: Iterable[str]) -> bool:
        """Whether `path` is the inside of a Group (whose boundary ports are edited like nodes)."""
        return levels.is_group_level(self._root, tuple(path))

    def announce_edit(self, path: Iterable[str], select: list[str] | None = None) -> None:
        """Emit `level_edited`: called by the commands after they changed the level at `path`."""
        self.level_edited.emit(tuple(path), list(select or []))

    # -- edits --------------------------------------------------------------------------------

    def add_node(self, path: Path, type_name: str, pos: tuple[float, float]) -> str:
        """Add a node of `type_name` at scene position `pos`, labelled uniquely on its level; its id. A container
        (Group, Map, For...) starts with an empty body, to open and fill."""
        node_type = self.registry.get(type_name)
        label = labels.fresh_label(self.level(path), node_type.display_name(), self.registry)
        node = Node(new_id(), type_name, ui={"label": label, "pos": [float(pos[0]), float(pos[1])]},
                    body=Workflow() if type_name in CONTAINER_TYPES else None)
        self.add_nodes(path, [node], [], f"add {label}")
        return node.id

    def add_nodes(self, path: Path, nodes: list[Node], edges: list[Edge], text: str) -> None:
        """Add `nodes` (ids not on the level yet) and the `edges` among them, as one step. A body that runs one
        node (a Map's...) stays one node: see `canvas.one_node_bodies`."""
        if one_node_bodies.needs_a_group(self, path, len(nodes)):
            one_node_bodies.add_to_one_node_body(self, path, nodes, edges, text)
            return
        level = self.level(path)
        for node in nodes:
            level.add(node)
        level.edges.extend(edges)
        self.undo_stack.push(AddNodesCommand(self, path, text, nodes, edges))

    def set_field(self, path: Path, node_id: str, field: str, key: str, value: Any, text: str) -> None:
        """Set `key` of a node's `field` dict ("properties", "input_values" or "ui") to `value` (`UNSET`
        removes it); nothing happens when it already holds that value."""
        values = getattr(self.level(path).node(node_id), field)
        old = values.get(key, UNSET)
        if old is not UNSET and value is not UNSET and old == value and type(old) is type(value):
            return
        if old is UNSET and value is UNSET:
            return
        if value is UNSET:
            values.pop(key, None)
        else:
            values[key] = copy.deepcopy(value)
        self.undo_stack.push(FieldCommand(self, path, text, node_id, field, key, old, value))

    def move_nodes(self, path: Path, positions: dict[str, list[float]]) -> None:
        """Record the nodes' new scene positions {node id: [x, y]} (ids not on the level are ignored)."""
        level = self.level(path)
        moves = {}
        for node_id, new in positions.items():
            node = level.nodes.get(node_id)
            if node is None:
                continue
            old = list(node.ui["pos"]) if "pos" in node.ui else None
            node.ui["pos"] = list(new)
            moves[node_id] = (old, list(new))
        if moves:
            self.undo_stack.push(MoveCommand(self, path, moves))

    def change_edges(self, path: Path, disconnect: list[Pair], connect: list[Pair], text: str) -> bool:
        """Remove the `disconnect` edges, then add the `connect` ones (an input keeps one feed), as one
        step; inside a Group either end may be a boundary pseudo node, and a Group input left feeding nothing
        goes when nothing outside uses it (`boundaries.drop_unused_inputs`). False (and a message) when refused."""
        level = self.level(path)
        group = self.is_group_level(path)
        for out, inp in connect:
            problem = connection_rules.connection_problem(level, out, inp, group, self.registry)
            if problem:
                self.message.emit(problem)
                return False
        if group:
            before = snapshot(level)
            problem = connection_rules.change_group_edges(level, disconnect, connect, self.registry)
            if problem:
                restore(level, before)
                self.message.emit(problem)
                return False
            boundaries.drop_unused_inputs(self._root, path, before)
            if level.canonical() != before.canonical():
                self.undo_stack.push(SnapshotCommand(self, path, text, before, snapshot(level)))
            return True
        removed, added, edges = connection_rules.plan_edges(level, disconnect, connect)
        cycle = find_cycle(Workflow(nodes=level.nodes, edges=edges))
        if cycle:
            self.message.emit(connection_rules.cycle_message(level, cycle, self.registry))
            return False
        if set(removed) == set(added):
            return True
        level.edges = edges
        self.undo_stack.push(EdgesCommand(self, path, text, removed, added))
        return True

    def delete_nodes(self, path: Path, node_ids: list[str]) -> None:
        """Delete nodes of the level at `path`, as one step. Inside a Group, boundary ports that lose
        their inner end go too, and with them what named them on the levels above (`boundaries.prune`).
        The message says what went with the nodes (`canvas.deletion_report`)."""
        text = f"delete {len(node_ids)} node(s)"
        level = self.level(path)
        names = [levels.display_label(level.node(n), self.registry) for n in node_ids]
        gone = set(node_ids)
        reaches_up = self.is_group_level(path) and (
            any(b.source.node in gone for b in level.outputs)
            or any(b.targets and all(t.node in gone for t in b.targets) for b in level.inputs))
        if not reaches_up:
            shallow = Workflow(nodes=dict(level.nodes), edges=list(level.edges))

            def remove(edited: Workflow) -> list[str]:
                for node_id in node_ids:
                    edited.remove_node(node_id)
                return []

            if self.edit_level(path, text, remove) is not None:
                lost = deletion_report.plain_losses(shallow, level, path, self._root, self.registry)
                self.message.emit(deletion_report.message(names, lost))
            return
        root_before = snapshot(self._root)
        for node_id in node_ids:
            level.remove_node(node_id)
        top = boundaries.prune(self._root, path, levels.level_at(root_before, path))
        top = path if top is None else top
        self.undo_stack.push(NestedSnapshotCommand(self, path, top, text, levels.level_at(root_before, top),
                                                   snapshot(self.level(top)), []))
        lost = deletion_report.losses(root_before, self._root, path, top, self.registry)
        self.message.emit(deletion_report.message(names, lost))

    def rename_port(self, path: Path, node_id: str, side: str, old: str, new: str) -> bool:
        """Rename the port `old` (an "input" or "output" of the view node) of the node `node_id` shown at `path`: a
        Group, a Group's boundary pseudo node (`path` is the Group), or a Map / Filter over a Group (its
        port is the Group's), as one step that also renames what names it above (`operations.rename_port`).
        False (and a message) when refused."""
        try:
            group_path, group_side = boundaries.port_owner(self._root, path, node_id, side, old)
            if old == new:
                return True
            root_before = snapshot(self._root)
            top = operations.rename_port(self._root, group_path, group_side, old, new)
        except ModelError as exc:
            self.message.emit(str(exc))
            return False
        self.undo_stack.push(NestedSnapshotCommand(self, path, top, f"rename port {old} to {new}",
                                                   levels.level_at(root_before, top), snapshot(self.level(top)), []))
        return True

    def edit_level(self, path: Path, text: str, edit: Callable[[Workflow], list[str]]) -> list[str] | None:
        """Run `edit` on the level at `path` as one step; it returns the ids to select. A `ModelError`
        from it, or bodies nested deeper than `runtime.nesting.MAX_NESTING` after it, undoes its changes,
        is reported as a message, and gives None."""
        level = self.level(path)
        before = snapshot(level)
        try:
            select = edit(level)
            too_deep = nesting_problem(level, tuple(path))
            if too_deep:
                raise ModelError(f"cannot {text}: {too_deep}")
        except ModelError as exc:
            restore(level, before)
            self.message.emit(str(exc))
            return None
        self.undo_stack.push(SnapshotCommand(self, path, text, before, snapshot(level), select))
        return select
