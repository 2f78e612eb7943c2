"""The canvas's clipboard and restructuring edits (copy, paste, collapse to Group, ungroup, wrap in /
unwrap Map) on the shown level, each one undoable step. Implementation of the like-named `Canvas`
methods, which delegate here (these functions use the canvas's private edit helpers)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QMimeData
from PySide6.QtGui import QGuiApplication

from pflow_studio.canvas import clipboard, clipboard_guard, levels
from pflow_studio.canvas.commands import AddNodesCommand
from pflow_studio.nodes.registry import Registry
from pflow_studio.runtime import operations
from pflow_studio.runtime.container_types import GROUP_TYPE, MAP_TYPE
from pflow_studio.runtime.model import Workflow, unique_name

if TYPE_CHECKING:
    from pflow_studio.canvas.canvas import Canvas

PASTE_OFFSET = 40.0


def copy(canvas: Canvas) -> None:
    ids = canvas.selected_node_ids()
    if not ids:
        canvas.message.emit("nothing selected to copy")
        return
    text = clipboard.dumps(operations.extract(canvas._level(canvas.level_path()), ids))
    mime = QMimeData()
    mime.setData(clipboard.MIME_TYPE, text.encode())
    mime.setText(text)
    clipboard_guard.put(mime, clipboard.MIME_TYPE)
    canvas.message.emit(f"copied {len(ids)} node(s)")


def paste(canvas: Canvas) -> None:
    mime = QGuiApplication.clipboard().mimeData()
    if mime is None:
        return
    text = bytes(mime.data(clipboard.MIME_TYPE)).decode() if mime.hasFormat(clipboard.MIME_TYPE) else mime.text()
    try:
        pasted = clipboard.with_new_ids(clipboard.loads(text, canvas.registry), (PASTE_OFFSET, PASTE_OFFSET))
    except ValueError as exc:
        canvas.message.emit(f"cannot paste: {exc}")
        return
    path = canvas.level_path()
    level = canvas._level(path)
    nodes = list(pasted.nodes.values())
    for node in nodes:
        level.add(node)
    level.edges.extend(pasted.edges)
    canvas.undo_stack.push(AddNodesCommand(canvas, path, f"paste {len(nodes)} node(s)", nodes, pasted.edges))


def collapse_selection(canvas: Canvas) -> str | None:
    ids = [n for n in canvas.selected_node_ids() if n not in levels.PSEUDO_NODES]
    if not ids:
        canvas.message.emit("select the nodes to collapse into a Group")
        return None
    made = canvas._snapshot_edit("collapse to group", lambda level: [operations.collapse(level, ids, label=_label(
        level, "Group", canvas.registry)).id])
    return made[0] if made else None


def ungroup_selected(canvas: Canvas) -> None:
    groups = [n for n in canvas.selected_node_ids() if _type_of(canvas, n) == GROUP_TYPE]
    if not groups:
        canvas.message.emit("select a Group to ungroup")
        return
    canvas._snapshot_edit("ungroup", lambda level: [i for g in groups for i in operations.ungroup(level, g)])


def wrap_selected_in_map(canvas: Canvas) -> str | None:
    ids = [n for n in canvas.selected_node_ids() if n not in levels.PSEUDO_NODES]
    if not ids:
        canvas.message.emit("select a node or a Group to wrap in a Map")
        return None

    def wrap(level: Workflow) -> list[str]:
        target = ids[0] if len(ids) == 1 else operations.collapse(
            level, ids, label=_label(level, "Group", canvas.registry)).id
        map_node = operations.wrap_in_map(level, target, registry=canvas.registry)
        map_node.ui["label"] = _label(level, "Map", canvas.registry)
        return [map_node.id]

    made = canvas._snapshot_edit("wrap in Map", wrap)
    return made[0] if made else None


def unwrap_selected(canvas: Canvas) -> None:
    maps = [n for n in canvas.selected_node_ids() if _type_of(canvas, n) == MAP_TYPE]
    if not maps:
        canvas.message.emit("select a Map to unwrap")
        return
    canvas._snapshot_edit("unwrap Map", lambda level: [operations.unwrap_map(level, m).id for m in maps])


def _type_of(canvas: Canvas, node_id: str) -> str:
    return canvas._level(canvas.level_path()).node(node_id).type_name


def _label(level: Workflow, wanted: str, registry: Registry) -> str:
    return unique_name(wanted, (levels.display_label(n, registry) for n in level.nodes.values()))
