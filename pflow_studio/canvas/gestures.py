"""What the user does on the canvas's viewer, turned into edits of the shown level.

`ViewerGestures(canvas, viewer, view)` takes over the NodeGraphQt viewer's gesture signals (NodeGraphQt's own
handlers would edit its model, not ours): wire drags and slices become connection edits (a refused one is
redrawn as the model has it), a move records the positions, a rename in place renames (a blank or pseudo
node name is put back), a double-click opens a container or emits `canvas.node_activated` (on a boundary
port's name it renames the port in place, `canvas.port_rename`), a right-click
emits `canvas.context_menu_requested`, and a drop adds the dragged node type (or emits
`canvas.files_dropped` for files). Edits go through the canvas's public API and its document.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QMimeData, QObject, QPoint

from pflow_studio.canvas import levels
from pflow_studio.canvas.level_view import LevelView
from pflow_studio.canvas.port_rename import PortNameEditor
from pflow_studio.canvas.viewer import CanvasViewer, port_pair

if TYPE_CHECKING:
    from pflow_studio.canvas.canvas import Canvas

NODE_TYPE_MIME = "application/x-pflow-node-type"
"""Drag a node type onto the canvas: this MIME type (or plain text) holding its type name."""


class ViewerGestures(QObject):
    """See the module docstring; `view` is the canvas's `LevelView` of the shown level."""

    def __init__(self, canvas: Canvas, viewer: CanvasViewer, view: LevelView) -> None:
        super().__init__(canvas)
        self._canvas = canvas
        self._viewer = viewer
        self._view = view
        for signal in (viewer.connection_changed, viewer.connection_sliced, viewer.moved_nodes,
                       viewer.node_name_changed, viewer.insert_node, viewer.search_triggered,
                       viewer.data_dropped, viewer.node_double_clicked):
            signal.disconnect()
        viewer.connection_changed.connect(self._on_connection_changed)
        viewer.connection_sliced.connect(self._on_connection_sliced)
        viewer.moved_nodes.connect(self._on_moved)
        viewer.node_name_changed.connect(self._on_name_changed)
        viewer.data_dropped.connect(self._on_dropped)
        viewer.node_double_clicked.connect(self._on_double_clicked)
        viewer.context_requested.connect(self._on_context_requested)
        self._port_names = PortNameEditor(canvas, viewer)
        viewer.port_name_double_clicked.connect(self._on_port_name_double_clicked)

    def _on_connection_changed(self, disconnected: list, connected: list) -> None:
        disconnect = [port_pair(a, b) for a, b in disconnected]
        connect = [port_pair(a, b) for a, b in connected]
        if disconnect or connect:
            self._canvas.document.change_edges(self._canvas.level_path(), disconnect, connect,
                                               "connect" if connect else "disconnect")
        self._view.repair([inp for _, inp in disconnect + connect])

    def _on_connection_sliced(self, ports: list) -> None:
        pairs = [port_pair(a, b) for a, b in ports]
        if pairs:
            self._canvas.document.change_edges(self._canvas.level_path(), pairs, [], "cut connections")
        self._view.repair([inp for _, inp in pairs])

    def _on_moved(self, node_data: dict) -> None:
        positions = {item.id: [float(v) for v in item.xy_pos] for item in node_data}
        backdrops = self._canvas.backdrops
        moved = {n: p for n, p in positions.items() if n in backdrops.items}
        nodes = {n: p for n, p in positions.items() if n not in moved}
        with backdrops.one_step("move", bool(moved and nodes)):  # a backdrop and the nodes on it: one step
            if nodes:
                self._canvas.document.move_nodes(self._canvas.level_path(), nodes)
            if moved:
                backdrops.move(moved)

    def _on_name_changed(self, node_id: str, name: str) -> None:
        if node_id in levels.PSEUDO_NODES or not name.strip():
            self._view.nodes[node_id].view.name = self._view.specs[node_id].label
            return
        self._canvas.rename(node_id, name.strip())

    def _on_double_clicked(self, node_id: str) -> None:
        if node_id in levels.PSEUDO_NODES:
            return
        node = self._canvas.document.level(self._canvas.level_path()).nodes.get(node_id)
        if node is None:
            return
        if node.body is not None:
            self._canvas.open_container(node_id)
        else:
            self._canvas.node_activated.emit(node_id)

    def _on_port_name_double_clicked(self, node_id: str, side: str, port: str) -> None:
        if not self._port_names.start(node_id, side, port):
            self._on_double_clicked(node_id)

    def _on_context_requested(self, pos: QPoint, from_keyboard: bool) -> None:
        """Right-click at viewport `pos`: select the node under it (keeping a selection it is part of),
        then emit `context_menu_requested` (the Menu key keeps the selection wherever the point is)."""
        canvas = self._canvas
        node_id = canvas.node_id_at(pos)
        if node_id is not None and node_id not in canvas.selected_node_ids():
            canvas.select([node_id])
        ids = canvas.selected_node_ids() if node_id is not None or from_keyboard else []
        canvas.context_menu_requested.emit(self._viewer.viewport().mapToGlobal(pos), ids)

    def _on_dropped(self, mime: QMimeData, pos: QPoint) -> None:
        registry = self._canvas.registry
        type_name = ""
        if mime.hasFormat(NODE_TYPE_MIME):
            type_name = bytes(mime.data(NODE_TYPE_MIME)).decode().strip()
        elif mime.hasText() and mime.text().strip() in registry:
            type_name = mime.text().strip()
        if type_name in registry:
            self._canvas.select([self._canvas.add_node(type_name, (pos.x(), pos.y()))])
        elif mime.hasUrls():
            self._canvas.files_dropped.emit([url.toLocalFile() for url in mime.urls() if url.isLocalFile()])
