"""The canvas: a NodeGraphQt view over one level of our `Workflow` model, the only gate for edits.

The model is the truth. `workflow()` returns the LIVE root workflow the canvas edits: read it, save
it, run it (copy it first when another thread runs it), but change it only through the Canvas API
or `set_workflow`. Every edit - by API or by a mouse gesture the canvas intercepts (wire drag,
move, rename in place, drop) - is checked against the model, applied to it, and pushed on
`undo_stack` as a command; the view is then brought in line by a diff (`LevelView`).
NodeGraphQt's own undo stack, sessions, groups and connection rules are never the truth.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import shiboken6
from NodeGraphQt import NodeGraph
from NodeGraphQt.qgraphics.node_abstract import AbstractNodeItem
from PySide6.QtCore import QMimeData, QObject, QPoint, QTimer, Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QWidget

from pflow_studio.canvas import (
    boundaries,
    compat,
    connection_rules,
    level_edits,
    levels,
    run_state,
)
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
from pflow_studio.canvas.level_view import LevelView
from pflow_studio.canvas.quick_add import QuickAdd
from pflow_studio.canvas.run_state_memory import RunStates
from pflow_studio.canvas.viewer import CanvasViewer, port_pair
from pflow_studio.nodes.registry import Registry
from pflow_studio.runtime.graph import find_cycle
from pflow_studio.runtime.model import (
    ModelError,
    Node,
    PortRef,
    Workflow,
    new_id,
    unique_name,
)
from pflow_studio.runtime.registry import default_registry

NODE_TYPE_MIME = "application/x-pflow-node-type"
"""Drag a node type onto the canvas: this MIME type (or plain text) holding its type name."""
Pair = tuple[PortRef, PortRef]  # (output port, input port)


class Canvas(QObject):
    """See the module docstring; the API is what the main window codes against."""

    selection_changed = Signal(list)
    message = Signal(str)
    changed = Signal()
    level_changed = Signal(list)
    node_activated = Signal(str)
    files_dropped = Signal(list)
    context_menu_requested = Signal(QPoint, list)
    """(global pos, node ids): a right-click on the view. On a node it is selected first (unless already
    selected) and the ids are the selection; on empty canvas (or a Group's boundary node) they are []."""

    def __init__(self, registry: Registry | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        compat.apply()
        self.registry = registry or default_registry()
        self.undo_stack = QUndoStack(self)
        self._viewer = CanvasViewer(undo_stack=None)  # no NodeGraphQt undo actions / shortcuts
        self.graph = NodeGraph(self, viewer=self._viewer, undo_stack=QUndoStack(self))
        self.graph.set_acyclic(False)  # cycles are refused by our model check, with a message
        self.widget: QWidget = self._viewer
        self._root = Workflow()
        self._path: tuple[str, ...] = ()
        self._view = LevelView(self.graph, self.registry)
        self._run_states = RunStates(self._view, self.level_path, self.workflow)
        self._quick_add = QuickAdd(self.registry, self._viewer)
        self._quick_add.chosen.connect(self._on_quick_add_chosen)
        self._quick_add_pos: tuple[float, float] = (0.0, 0.0)
        self._selection_timer = QTimer(self)
        self._selection_timer.setSingleShot(True)
        self._selection_timer.setInterval(0)
        self._selection_timer.timeout.connect(self._emit_selection)
        self._wire()

    def _wire(self) -> None:
        viewer = self._viewer
        for signal in (viewer.connection_changed, viewer.connection_sliced, viewer.moved_nodes,
                       viewer.node_name_changed, viewer.insert_node, viewer.search_triggered,
                       viewer.data_dropped, viewer.node_double_clicked):
            signal.disconnect()  # NodeGraphQt's own handlers would edit its model, not ours
        viewer.connection_changed.connect(self._on_connection_changed)
        viewer.connection_sliced.connect(self._on_connection_sliced)
        viewer.moved_nodes.connect(self._on_moved)
        viewer.node_name_changed.connect(self._on_name_changed)
        viewer.data_dropped.connect(self._on_dropped)
        viewer.node_double_clicked.connect(self._on_double_clicked)
        viewer.tab_pressed.connect(self.show_quick_add)
        viewer.context_requested.connect(self._on_context_requested)
        self.graph.scene().selectionChanged.connect(self._selection_timer.start)

    # -- model and levels ----------------------------------------------------------------------

    def set_workflow(self, workflow: Workflow) -> None:
        """Show `workflow` (the canvas edits this object from now on); clears undo and run state."""
        self.undo_stack.clear()
        self._root = workflow
        self._run_states.forget()
        self._show(())
        self.frame_all()
        self.changed.emit()

    def workflow(self) -> Workflow:
        """The LIVE root workflow (see the module docstring)."""
        return self._root

    def level_path(self) -> tuple[str, ...]:
        return self._path

    def open_container(self, node_id: str) -> None:
        node = self._level(self._path).node(node_id)
        if node.body is None:
            self.message.emit(f"'{levels.display_label(node, self.registry)}' is not a Group, Map or Filter")
            return
        self.go_to((*self._path, node_id))

    def go_up(self) -> None:
        if self._path:
            self.go_to(self._path[:-1])

    def go_to(self, path: tuple[str, ...]) -> None:
        path = tuple(path)
        levels.level_at(self._root, path)  # raises ModelError for a bad path
        if path != self._path:
            self._show(path)
            self.frame_all()

    def node_at(self, path: tuple[str, ...]) -> Node:
        return levels.node_at(self._root, tuple(path))

    def view_node(self, node_id: str):
        """The NodeGraphQt node showing `node_id` on the shown level (None when not shown)."""
        return self._view.nodes.get(node_id)

    def _level(self, path: tuple[str, ...]) -> Workflow:
        return levels.level_at(self._root, path)

    def _group_level(self) -> bool:
        return levels.is_group_level(self._root, self._path)

    def _show(self, path: tuple[str, ...]) -> None:
        self._path = path
        self._view.clear()
        self._sync()
        self.level_changed.emit(levels.breadcrumb(self._root, path))

    def _sync(self) -> None:
        self._view.sync(self._level(self._path), self._group_level())
        self._run_states.apply()

    def _refresh(self, path: tuple[str, ...], select: list[str] | None = None) -> None:
        """Called by commands after changing the model at `path`: show that level as it is now.
        `select` (when not empty) becomes the selection; else the selected nodes that still exist
        stay selected (view nodes recreated by the diff included)."""
        try:
            kept = self.selected_node_ids() if shiboken6.isValid(self._viewer) else []
        except ModelError:  # the shown level itself is gone (undo of the Group's creation)
            kept = []
        if path != self._path:
            try:
                self._show(path)
            except ModelError:
                self._show(())
        else:
            self._sync()
        wanted = select if select else [n for n in kept if n in self._view.nodes]
        if wanted or kept:
            self.select(wanted)
        self.changed.emit()

    # -- selection and navigation --------------------------------------------------------------

    def selected_node_ids(self) -> list[str]:
        selected = {item.id for item in self._viewer.selected_nodes()}
        return [n for n in self._level(self._path).nodes if n in selected]

    def select(self, node_ids: list[str]) -> None:
        scene = self.graph.scene()
        blocked = scene.blockSignals(True)
        try:
            with compat.bulk_selection():  # wires restyled once, not per node (select all: 2,000 nodes)
                wanted = {self._view.nodes[n].view for n in node_ids if n in self._view.nodes}
                for item in self._viewer.selected_nodes():
                    if item not in wanted:
                        item.setSelected(False)
                for item in wanted:
                    if not item.isSelected():
                        item.setSelected(True)
        finally:
            scene.blockSignals(blocked)
        self._emit_selection()

    def select_all(self) -> None:
        self.select([n for n in self._view.nodes if n not in levels.PSEUDO_NODES])

    def _emit_selection(self) -> None:
        self._selection_timer.stop()
        if not shiboken6.isValid(self._viewer):  # the view was closed and deleted before the canvas
            return
        self.selection_changed.emit(self.selected_node_ids())

    def reveal(self, path: tuple[str, ...]) -> None:
        path = tuple(path)
        self.go_to(path[:-1])
        self.select([path[-1]])
        view = self._view.nodes.get(path[-1])
        if view is not None:
            self._viewer.centerOn(view.view)

    def frame_all(self) -> None:
        items = [n.view for n in self._view.nodes.values()]
        if items:
            self._viewer.zoom_to_nodes(items)

    # -- edits ---------------------------------------------------------------------------------

    def add_node(self, type_name: str, pos: tuple[float, float] | None = None) -> str:
        node_type = self.registry.get(type_name)
        level = self._level(self._path)
        if pos is None:
            center = self._viewer.mapToScene(self._viewer.viewport().rect().center())
            pos = (center.x(), center.y())
        taken = (levels.display_label(n, self.registry) for n in level.nodes.values())
        label = unique_name(node_type.display_name(), taken)
        node = Node(new_id(), type_name, ui={"label": label, "pos": [float(pos[0]), float(pos[1])]})
        level.add(node)
        self.undo_stack.push(AddNodesCommand(self, self._path, f"add {label}", [node], []))
        return node.id

    def connect(self, source: str, source_port: str, target: str, target_port: str) -> bool:
        pair = (PortRef(source, source_port), PortRef(target, target_port))
        return self._change_edges([], [pair], "connect")

    def disconnect_ports(self, source: str, source_port: str, target: str, target_port: str) -> bool:
        """Remove the edge source.source_port -> target.target_port (undoable)."""
        pair = (PortRef(source, source_port), PortRef(target, target_port))
        return self._change_edges([pair], [], "disconnect")

    def set_property(self, node_id: str, name: str, value: Any) -> None:
        self._set_field(node_id, "properties", name, value, f"set {name}")

    def set_input_value(self, node_id: str, port: str, value: Any) -> None:
        self._set_field(node_id, "input_values", port, value, f"set input {port}")

    def rename(self, node_id: str, label: str) -> None:
        self._set_field(node_id, "ui", "label", label, f"rename to {label}")

    def _set_field(self, node_id: str, field: str, key: str, value: Any, text: str) -> None:
        values = getattr(self._level(self._path).node(node_id), field)
        old = values.get(key, UNSET)
        if old is not UNSET and value is not UNSET and old == value and type(old) is type(value):
            return
        if old is UNSET and value is UNSET:
            return
        if value is UNSET:
            values.pop(key, None)
        else:
            values[key] = copy.deepcopy(value)
        self.undo_stack.push(FieldCommand(self, self._path, text, node_id, field, key, old, value))

    def delete_selected(self) -> None:
        ids = [n for n in self.selected_node_ids() if n not in levels.PSEUDO_NODES]
        if not ids:
            return
        text = f"delete {len(ids)} node(s)"
        level = self._level(self._path)
        gone = set(ids)
        reaches_up = self._group_level() and (
            any(b.source.node in gone for b in level.outputs)
            or any(b.targets and all(t.node in gone for t in b.targets) for b in level.inputs))
        if not reaches_up:
            def remove(edited: Workflow) -> list[str]:
                for node_id in ids:
                    edited.remove_node(node_id)
                return []

            self._snapshot_edit(text, remove)
            return
        # Group boundary ports lose their inner ends: they go, and so does what named them above
        root_before = snapshot(self._root)
        for node_id in ids:
            level.remove_node(node_id)
        top = boundaries.prune(self._root, self._path, levels.level_at(root_before, self._path))
        top = self._path if top is None else top
        self.undo_stack.push(NestedSnapshotCommand(self, self._path, top, text, levels.level_at(root_before, top),
                                                   snapshot(self._level(top)), []))

    def copy(self) -> None:
        level_edits.copy(self)

    def cut(self) -> None:
        if self.selected_node_ids():
            self.copy()
            self.delete_selected()

    def paste(self) -> None:
        level_edits.paste(self)

    def collapse_selection(self) -> str | None:
        return level_edits.collapse_selection(self)

    def ungroup_selected(self) -> None:
        level_edits.ungroup_selected(self)

    def wrap_selected_in_map(self) -> str | None:
        return level_edits.wrap_selected_in_map(self)

    def unwrap_selected(self) -> None:
        level_edits.unwrap_selected(self)

    def _snapshot_edit(self, text: str, edit: Callable[[Workflow], list[str]]) -> list[str] | None:
        """Run `edit` on the shown level as one undoable step; a ModelError undoes it and is reported."""
        level = self._level(self._path)
        before = snapshot(level)
        try:
            select = edit(level)
        except ModelError as exc:
            restore(level, before)
            self.message.emit(str(exc))
            return None
        self.undo_stack.push(SnapshotCommand(self, self._path, text, before, snapshot(level), select))
        return select

    # -- connections ---------------------------------------------------------------------------

    def _change_edges(self, disconnect: list[Pair], connect: list[Pair], text: str) -> bool:
        """Apply a connection gesture or call atomically; False (and a message) when refused."""
        level = self._level(self._path)
        group = self._group_level()
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
            if level.canonical() != before.canonical():
                self.undo_stack.push(SnapshotCommand(self, self._path, text, before, snapshot(level)))
            return True
        removed, added, edges = connection_rules.plan_edges(level, disconnect, connect)
        cycle = find_cycle(Workflow(nodes=level.nodes, edges=edges))
        if cycle:
            self.message.emit(connection_rules.cycle_message(level, cycle, self.registry))
            return False
        if set(removed) == set(added):
            return True
        level.edges = edges
        self.undo_stack.push(EdgesCommand(self, self._path, text, removed, added))
        return True

    # -- gestures from the view ----------------------------------------------------------------

    def _on_connection_changed(self, disconnected: list, connected: list) -> None:
        disconnect = [port_pair(a, b) for a, b in disconnected]
        connect = [port_pair(a, b) for a, b in connected]
        if disconnect or connect:
            self._change_edges(disconnect, connect, "connect" if connect else "disconnect")
        self._view.repair([inp for _, inp in disconnect + connect])

    def _on_connection_sliced(self, ports: list) -> None:
        pairs = [port_pair(a, b) for a, b in ports]
        if pairs:
            self._change_edges(pairs, [], "cut connections")
        self._view.repair([inp for _, inp in pairs])

    def _on_moved(self, node_data: dict) -> None:
        level = self._level(self._path)
        moves = {}
        for item in node_data:
            node = level.nodes.get(item.id)
            if node is None:
                continue
            new = [float(v) for v in item.xy_pos]
            old = list(node.ui["pos"]) if "pos" in node.ui else None
            node.ui["pos"] = new
            moves[item.id] = (old, new)
        if moves:
            self.undo_stack.push(MoveCommand(self, self._path, moves))

    def _on_name_changed(self, node_id: str, name: str) -> None:
        if node_id in levels.PSEUDO_NODES or not name.strip():
            self._view.nodes[node_id].view.name = self._view.specs[node_id].label
            return
        self.rename(node_id, name.strip())

    def _on_double_clicked(self, node_id: str) -> None:
        if node_id in levels.PSEUDO_NODES:
            return
        node = self._level(self._path).nodes.get(node_id)
        if node is None:
            return
        if node.body is not None:
            self.open_container(node_id)
        else:
            self.node_activated.emit(node_id)

    def _on_context_requested(self, pos: QPoint, from_keyboard: bool) -> None:
        """Right-click at viewport `pos`: select the node under it (keeping a selection it is part of),
        then emit `context_menu_requested` (the Menu key keeps the selection wherever the point is)."""
        node_id = self.node_id_at(pos)
        if node_id is not None and node_id not in self.selected_node_ids():
            self.select([node_id])
        ids = self.selected_node_ids() if node_id is not None or from_keyboard else []
        self.context_menu_requested.emit(self._viewer.viewport().mapToGlobal(pos), ids)

    def node_id_at(self, pos: QPoint) -> str | None:
        """The id of the model node drawn at viewport `pos` on the shown level (None: empty canvas,
        a wire, or a Group's boundary node)."""
        for item in self._viewer.items(pos):
            top = item.topLevelItem()
            node_id = getattr(top, "id", None)
            if isinstance(top, AbstractNodeItem) and node_id in self._view.nodes:
                return None if node_id in levels.PSEUDO_NODES else node_id
        return None

    def _on_dropped(self, mime: QMimeData, pos: QPoint) -> None:
        type_name = ""
        if mime.hasFormat(NODE_TYPE_MIME):
            type_name = bytes(mime.data(NODE_TYPE_MIME)).decode().strip()
        elif mime.hasText() and mime.text().strip() in self.registry:
            type_name = mime.text().strip()
        if type_name in self.registry:
            self.select([self.add_node(type_name, (pos.x(), pos.y()))])
        elif mime.hasUrls():
            self.files_dropped.emit([url.toLocalFile() for url in mime.urls() if url.isLocalFile()])

    # -- quick add -----------------------------------------------------------------------------

    def show_quick_add(self, at: QPoint | None = None) -> None:
        """Open the quick-add search; the node goes to `at` (a viewport position), by default the
        mouse cursor (the middle of the view when the cursor is outside)."""
        viewer = self._viewer
        cursor = at if at is not None else viewer.mapFromGlobal(viewer.cursor().pos())
        if not viewer.rect().contains(cursor):
            cursor = viewer.rect().center()
        scene = viewer.mapToScene(cursor)
        self._quick_add_pos = (scene.x(), scene.y())
        self._quick_add.popup(cursor.x(), cursor.y())

    def _on_quick_add_chosen(self, type_name: str) -> None:
        self.select([self.add_node(type_name, self._quick_add_pos)])
        self._viewer.setFocus()

    # -- run state -----------------------------------------------------------------------------

    def set_node_state(self, path: tuple[str, ...], state: str, message: str = "") -> None:
        self._run_states.set_node_state(path, state, message)

    def set_progress(self, path: tuple[str, ...], done: int, total: int) -> None:
        self._run_states.set_progress(path, done, total)

    def set_item_failures(self, path: tuple[str, ...], failed: int, total: int) -> None:
        """Show `failed of total failed` (warning colour) on a Map whose elements partly failed."""
        self._run_states.set_item_failures(path, failed, total)

    def clear_run_state(self) -> None:
        self._run_states.clear()

    def node_state(self, node_id: str) -> str:
        """The run state shown on a node of the shown level ("" for none)."""
        view = self._view.nodes.get(node_id)
        return run_state.shown_state(view) if view is not None else ""

    def progress_text(self, node_id: str) -> str:
        """The `n/N` (or `k of N failed`) text shown on a node of the shown level ("" for none)."""
        view = self._view.nodes.get(node_id)
        return run_state.progress_text(view) if view is not None else ""
