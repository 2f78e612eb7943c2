"""The canvas: a NodeGraphQt view over one level of a `WorkflowDocument`, and the edits of that level.

The model is the truth, owned by `document` (see `canvas.document`). `workflow()` returns the LIVE root
workflow: read it, save it, run it (copy it first when another thread runs it), but change it only
through the Canvas API, the document, or `set_workflow`. Every edit - by API or by a mouse gesture the
canvas intercepts (wire drag, move, rename in place, drop) - goes to the document, which checks it,
applies it and pushes it on `undo_stack`; the document's `level_edited(path, select)` then brings the
view in line by a diff (`LevelView`), showing that level. NodeGraphQt's own undo stack, sessions,
groups and connection rules are never the truth.
"""

from __future__ import annotations

from typing import Any

import shiboken6
from NodeGraphQt import NodeGraph
from NodeGraphQt.qgraphics.node_abstract import AbstractNodeItem
from PySide6.QtCore import QObject, QPoint, QTimer, Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QWidget

from pflow_studio.canvas import compat, framing, level_edits, levels, run_state, store_badge
from pflow_studio.canvas.backdrops import Backdrops
from pflow_studio.canvas.document import Path, WorkflowDocument
from pflow_studio.canvas.gestures import ViewerGestures
from pflow_studio.canvas.level_view import LevelView
from pflow_studio.canvas.problem_marks import ProblemMarks, problem_text
from pflow_studio.canvas.quick_add import QuickAdd
from pflow_studio.canvas.run_state_memory import RunStates
from pflow_studio.canvas.viewer import CanvasViewer
from pflow_studio.nodes.registry import Registry
from pflow_studio.runtime.model import ModelError, Node, PortRef, Workflow
from pflow_studio.runtime.registry import default_registry


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
    store_badge_clicked = Signal(tuple)
    """(node path): a click on a Map's work-items badge (`set_store_badge`)."""

    def __init__(self, registry: Registry | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        compat.apply()
        self.registry = registry or default_registry()
        self.document = WorkflowDocument(self.registry, self)
        self.undo_stack = self.document.undo_stack
        self._viewer = CanvasViewer(undo_stack=None)  # no NodeGraphQt undo actions / shortcuts
        self.graph = NodeGraph(self, viewer=self._viewer, undo_stack=QUndoStack(self))
        self.graph.set_acyclic(False)  # cycles are refused by our model check, with a message
        self.widget: QWidget = self._viewer
        self._path: Path = ()
        self._view = LevelView(self.graph, self.registry)
        self._run_states = RunStates(self._view, self.level_path, self.workflow)
        self._problems = ProblemMarks(self._view, self.level_path, self._label_at)
        self._gestures = ViewerGestures(self, self._viewer, self._view)
        self.backdrops = Backdrops(self)  # after the gestures: they take the viewer's signals over first
        self._quick_add = QuickAdd(self.registry, self._viewer)
        self._quick_add.chosen.connect(self._on_quick_add_chosen)
        self._quick_add_pos: tuple[float, float] = (0.0, 0.0)
        self._viewer.tab_pressed.connect(self.show_quick_add)
        self._viewer.badge_clicked.connect(self.store_badge_clicked)
        self._selection_timer = QTimer(self)
        self._selection_timer.setSingleShot(True)
        self._selection_timer.setInterval(0)
        self._selection_timer.timeout.connect(self._emit_selection)
        self.graph.scene().selectionChanged.connect(self._selection_timer.start)
        self.document.level_edited.connect(self._on_level_edited)
        self.document.replaced.connect(self._on_replaced)
        self.document.message.connect(self.message)

    # -- model and levels ----------------------------------------------------------------------

    def set_workflow(self, workflow: Workflow, backdrops: Any = None) -> None:
        """Show `workflow` (the canvas edits this object from now on); clears undo and run state. `backdrops`:
        the project's saved backdrops (`Backdrops.saved()` form; none by default)."""
        self.backdrops.set_all(backdrops)
        self.document.set_workflow(workflow)

    def workflow(self) -> Workflow:
        """The LIVE root workflow (see the module docstring)."""
        return self.document.workflow()

    def level_path(self) -> Path:
        """The path of the shown level (() for the root)."""
        return self._path

    def open_container(self, node_id: str) -> None:
        """Show the inside of the Group / Map / Filter `node_id` of the shown level (else a message)."""
        node = self.document.level(self._path).node(node_id)
        if node.body is None:
            self.message.emit(f"'{levels.display_label(node, self.registry)}' is not a Group, Map or Filter")
            return
        self.go_to((*self._path, node_id))

    def go_up(self) -> None:
        """Show the level that holds the shown one (nothing at the root)."""
        if self._path:
            self.go_to(self._path[:-1])

    def go_to(self, path: Path) -> None:
        """Show the level at `path`, framed (raises `ModelError` for a bad path)."""
        path = tuple(path)
        self.document.level(path)  # raises ModelError for a bad path
        if path != self._path:
            self._show(path)
            self.frame_all()

    def node_at(self, path: Path) -> Node:
        """The model node at a node path (container ids, then its id)."""
        return self.document.node_at(path)

    def view_node(self, node_id: str):
        """The NodeGraphQt node showing `node_id` on the shown level (None when not shown)."""
        return self._view.nodes.get(node_id)

    def _show(self, path: Path) -> None:
        self._path = path
        self._view.clear()
        self._sync()
        self.backdrops.show_level()
        self.level_changed.emit(levels.breadcrumb(self.workflow(), path))

    def _sync(self) -> None:
        self._view.sync(self.document.level(self._path), self.document.is_group_level(self._path))
        self._run_states.apply()
        self._problems.apply()

    def _on_replaced(self) -> None:
        self._run_states.forget()
        self._show(())
        self.frame_all()
        self.changed.emit()

    def _on_level_edited(self, path: Path, select: list[str]) -> None:
        """Show the edited level as it is now. `select` (when not empty) becomes the selection; else the
        selected nodes that still exist stay selected (view nodes recreated by the diff included)."""
        try:
            kept = self.selected_node_ids() if shiboken6.isValid(self._viewer) else []
        except ModelError:  # the shown level itself is gone (undo of the Group's creation)
            kept = []
        if path != self._path:
            while True:
                try:
                    self._show(path)
                    break
                except ModelError:  # show the deepest level of `path` that still exists
                    path = path[:-1]
        else:
            self._sync()
        wanted = select if select else [n for n in kept if n in self._view.nodes]
        if wanted or kept:
            self.select(wanted)
        self.changed.emit()

    # -- selection and navigation --------------------------------------------------------------

    def selected_node_ids(self) -> list[str]:
        """The selected model nodes of the shown level, in level order (boundary pseudo nodes left out)."""
        selected = {item.id for item in self._viewer.selected_nodes()}
        return [n for n in self.document.level(self._path).nodes if n in selected]

    def select(self, node_ids: list[str]) -> None:
        """Make exactly the shown ones of `node_ids` selected; emits `selection_changed`."""
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
        """Select every node of the shown level."""
        self.select([n for n in self._view.nodes if n not in levels.PSEUDO_NODES])

    def _emit_selection(self) -> None:
        self._selection_timer.stop()
        if not shiboken6.isValid(self._viewer):  # the view was closed and deleted before the canvas
            return
        self.selection_changed.emit(self.selected_node_ids())

    def reveal(self, path: Path) -> None:
        """Show the level holding the node at `path`, select the node and centre it."""
        path = tuple(path)
        self.go_to(path[:-1])
        self.select([path[-1]])
        view = self._view.nodes.get(path[-1])
        if view is not None:
            self._viewer.centerOn(view.view)

    def frame_all(self) -> None:
        """Zoom the view to show every node of the shown level, with port labels readable (canvas/framing.py)."""
        items = [n.view for n in self._view.nodes.values()] + [b.view for b in self.backdrops.items.values()]
        if items:
            framing.frame_nodes(self._viewer, items)

    def node_id_at(self, pos: QPoint) -> str | None:
        """The id of the model node drawn at viewport `pos` on the shown level (None: empty canvas,
        a wire, or a Group's boundary node)."""
        for item in self._viewer.items(pos):
            top = item.topLevelItem()
            node_id = getattr(top, "id", None)
            if isinstance(top, AbstractNodeItem) and node_id in self._view.nodes:
                return None if node_id in levels.PSEUDO_NODES else node_id
        return None

    # -- edits of the shown level (each one undo step; refusals emit `message`) ----------------

    def add_node(self, type_name: str, pos: tuple[float, float] | None = None) -> str:
        """Add a node of `type_name` at scene `pos` (default: the middle of the view); its id."""
        if pos is None:
            center = self._viewer.mapToScene(self._viewer.viewport().rect().center())
            pos = (center.x(), center.y())
        return self.document.add_node(self._path, type_name, pos)

    def connect(self, source: str, source_port: str, target: str, target_port: str) -> bool:
        """Add the edge source.source_port -> target.target_port (replacing the input's feed); False
        when refused."""
        pair = (PortRef(source, source_port), PortRef(target, target_port))
        return self.document.change_edges(self._path, [], [pair], "connect")

    def disconnect_ports(self, source: str, source_port: str, target: str, target_port: str) -> bool:
        """Remove the edge source.source_port -> target.target_port."""
        pair = (PortRef(source, source_port), PortRef(target, target_port))
        return self.document.change_edges(self._path, [pair], [], "disconnect")

    def set_property(self, node_id: str, name: str, value: Any) -> None:
        """Set a node's property (`UNSET`: back to the type's default)."""
        self.document.set_field(self._path, node_id, "properties", name, value, f"set {name}")

    def set_input_value(self, node_id: str, port: str, value: Any) -> None:
        """Set the value of an unconnected input (`UNSET`: back to the port's default)."""
        self.document.set_field(self._path, node_id, "input_values", port, value, f"set input {port}")

    def rename(self, node_id: str, label: str) -> None:
        """Set a node's label."""
        self.document.set_field(self._path, node_id, "ui", "label", label, f"rename to {label}")

    def rename_port(self, node_id: str, side: str, old: str, new: str) -> bool:
        """Rename a Group's boundary port shown as the `side` ("input" / "output") port `old` of `node_id`
        (a Group, its boundary node inside, or a Map over a Group); False (and a message) when refused."""
        return self.document.rename_port(self._path, node_id, side, old, new)

    def delete_selected(self) -> None:
        """Delete the selected nodes (see `WorkflowDocument.delete_nodes`) and backdrops."""
        ids = [n for n in self.selected_node_ids() if n not in levels.PSEUDO_NODES]
        backdrops = self.backdrops.selected()
        with self.backdrops.one_step("delete", bool(ids and backdrops)):
            if ids:
                self.document.delete_nodes(self._path, ids)
            self.backdrops.remove(backdrops)

    def copy(self) -> None:
        """Put the selected nodes on the clipboard."""
        level_edits.copy(self.document, self._path, self.selected_node_ids())

    def cut(self) -> None:
        """Copy, then delete, the selected nodes."""
        if self.selected_node_ids():
            self.copy()
            self.delete_selected()

    def paste(self) -> None:
        """Add the clipboard's nodes to the shown level."""
        level_edits.paste(self.document, self._path)

    def collapse_selection(self) -> str | None:
        """Collapse the selected nodes into a Group; its id (None when refused)."""
        return level_edits.collapse(self.document, self._path, self.selected_node_ids())

    def ungroup_selected(self) -> None:
        """Put the inside of each selected Group back in its place."""
        level_edits.ungroup(self.document, self._path, self.selected_node_ids())

    def wrap_selected_in_map(self) -> str | None:
        """Wrap the selected node (or a Group of the selected nodes) in a Map; its id (None when refused)."""
        return level_edits.wrap_in_map(self.document, self._path, self.selected_node_ids())

    def wrap_selected_in(self, type_name: str) -> str | None:
        """Wrap the selected node (or a Group of the selected nodes) in a For or While (`type_name`); its id."""
        return level_edits.wrap_in(self.document, self._path, self.selected_node_ids(), type_name)

    def unwrap_selected(self) -> None:
        """Put the function node of each selected Map back in its place."""
        level_edits.unwrap(self.document, self._path, self.selected_node_ids())

    def toggle_bypass_selected(self) -> None:
        """Bypass the selected nodes, or run them again when all are bypassed (`runtime.bypass`)."""
        level_edits.toggle_bypass(self.document, self._path, self.selected_node_ids())

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

    def set_node_state(self, path: Path, state: str, message: str = "") -> None:
        """Show a node's run state (remembered per path, also while another level is shown)."""
        self._run_states.set_node_state(path, state, message)

    def set_progress(self, path: Path, done: int, total: int) -> None:
        """Show `done/total` on a Map (or Filter)."""
        self._run_states.set_progress(path, done, total)

    def set_will_run(self, path: Path, to_run: int, total: int) -> None:
        """Show "`to_run` of `total` will run" on a Map about to run its elements (until its next progress)."""
        self._run_states.set_progress(path, to_run, total, will_run=True)

    def set_store_badge(self, path: Path, text: str, failed: bool = False) -> None:
        """Show a clickable badge on a Map (`text`: what its last run left in the element store; failure colour
        when `failed`; "" hides it). A click emits `store_badge_clicked(path)`."""
        self._run_states.set_store_badge(path, text, failed)

    def store_badge_text(self, node_id: str) -> str:
        """The work-items badge text shown on a node of the shown level ("" for none)."""
        view = self._view.nodes.get(node_id)
        return store_badge.store_badge_text(view) if view is not None else ""

    def set_item_failures(self, path: Path, failed: int, total: int) -> None:
        """Show `failed of total failed` (warning colour) on a Map whose elements partly failed."""
        self._run_states.set_item_failures(path, failed, total)

    def clear_run_state(self) -> None:
        """Forget every run state and clear it from the view."""
        self._run_states.clear()

    def set_stale(self, paths: set[Path]) -> None:
        """Show the run states of the nodes at `paths` as from before an edit (all others as current)."""
        self._run_states.set_stale(paths)

    def stale_paths(self) -> set[Path]:
        """The paths of the nodes whose run state is shown as from before an edit."""
        return self._run_states.stale()

    def is_stale(self, node_id: str) -> bool:
        """Whether a node of the shown level shows its run state as from before an edit."""
        view = self._view.nodes.get(node_id)
        return run_state.is_stale(view) if view is not None else False

    def set_problems(self, problems: dict[Path, str]) -> None:
        """Mark the nodes at fault (node path -> the problems' text; a container shows those inside it too)."""
        self._problems.set_problems(problems)

    def problem_text(self, node_id: str) -> str:
        """The problems marked on a node of the shown level ("" for none)."""
        view = self._view.nodes.get(node_id)
        return problem_text(view) if view is not None else ""

    def _label_at(self, path: Path) -> str:
        try:
            return self.document.node_at(path).label
        except ModelError:
            return path[-1]

    def node_state(self, node_id: str) -> str:
        """The run state shown on a node of the shown level ("" for none)."""
        view = self._view.nodes.get(node_id)
        return run_state.shown_state(view) if view is not None else ""

    def progress_text(self, node_id: str) -> str:
        """The `n/N` (or `k of N failed`) text shown on a node of the shown level ("" for none)."""
        view = self._view.nodes.get(node_id)
        return run_state.progress_text(view) if view is not None else ""
