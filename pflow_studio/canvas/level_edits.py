"""The clipboard and restructuring edits of one level of a `WorkflowDocument` (copy, paste, collapse to
Group, ungroup, wrap in / unwrap Map), on the document's public API. Each edit takes the level's path and
the ids it acts on (the canvas's selection), is one undoable step, and reports through `document.message`
why it did nothing (nothing fitting selected, or the model refused it)."""

from __future__ import annotations

from PySide6.QtCore import QMimeData
from PySide6.QtGui import QGuiApplication

from pflow_studio.canvas import clipboard, clipboard_guard, labels, levels
from pflow_studio.canvas.document import Path, WorkflowDocument
from pflow_studio.nodes.registry import Registry
from pflow_studio.runtime import operations
from pflow_studio.runtime.container_types import GROUP_TYPE, MAP_TYPE
from pflow_studio.runtime.model import Node, Workflow
from pflow_studio.runtime.nesting import nesting_problem

PASTE_OFFSET = 40.0


def copy(document: WorkflowDocument, path: Path, node_ids: list[str]) -> None:
    """Put the nodes `node_ids` of the level at `path` (and the edges among them) on the clipboard."""
    if not node_ids:
        document.message.emit("nothing selected to copy")
        return
    text = clipboard.dumps(operations.extract(document.level(path), node_ids))
    mime = QMimeData()
    mime.setData(clipboard.MIME_TYPE, text.encode())
    mime.setText(text)
    clipboard_guard.put(mime, clipboard.MIME_TYPE)
    document.message.emit(f"copied {len(node_ids)} node(s)")


def paste(document: WorkflowDocument, path: Path) -> None:
    """Add the clipboard's nodes to the level at `path`, with fresh ids, a little offset."""
    mime = QGuiApplication.clipboard().mimeData()
    if mime is None:
        return
    text = bytes(mime.data(clipboard.MIME_TYPE)).decode() if mime.hasFormat(clipboard.MIME_TYPE) else mime.text()
    try:
        pasted = clipboard.with_new_ids(clipboard.loads(text, document.registry), (PASTE_OFFSET, PASTE_OFFSET))
    except ValueError as exc:
        document.message.emit(f"cannot paste: {exc}")
        return
    too_deep = nesting_problem(pasted, path)
    if too_deep:
        document.message.emit(f"cannot paste: {too_deep}")
        return
    nodes = list(pasted.nodes.values())
    level = document.level(path)
    with_them = Workflow(nodes={**level.nodes, **pasted.nodes})
    labels.make_unique(with_them, pasted.nodes, document.registry)
    document.add_nodes(path, nodes, pasted.edges, f"paste {len(nodes)} node(s)")


def collapse(document: WorkflowDocument, path: Path, node_ids: list[str]) -> str | None:
    """Collapse the nodes into a new Group; its id (None when refused). Besides the ports of the wires
    crossing its edge, the Group gets the inputs nothing feeds inside and the outputs of its sinks."""
    ids = [n for n in node_ids if n not in levels.PSEUDO_NODES]
    if not ids:
        document.message.emit("select the nodes to collapse into a Group")
        return None
    made = document.edit_level(path, "collapse to group",
                               lambda level: [_collapse(level, ids, document.registry).id])
    return made[0] if made else None


def _collapse(level: Workflow, ids: list[str], registry: Registry) -> Node:
    """Collapse `ids` into a new Group labelled for `level`, whose ports show what its body leaves open."""
    group = operations.collapse(level, ids, label=labels.fresh_label(level, "Group", registry, ids))
    operations.expose_open_ports(group, registry)
    return group


def ungroup(document: WorkflowDocument, path: Path, node_ids: list[str]) -> None:
    """Put the inside of each Group among `node_ids` back in its place."""
    groups = [n for n in node_ids if _type_of(document, path, n) == GROUP_TYPE]
    if not groups:
        document.message.emit("select a Group to ungroup")
        return
    def ungroup_all(level: Workflow) -> list[str]:
        back = [i for g in groups for i in operations.ungroup(level, g)]
        labels.make_unique(level, back, document.registry)
        return back

    document.edit_level(path, "ungroup", ungroup_all)


def wrap_in_map(document: WorkflowDocument, path: Path, node_ids: list[str]) -> str | None:
    """Wrap the one node (or a Group collapsed from several) in a new Map; its id (None when refused)."""
    return wrap_in(document, path, node_ids, MAP_TYPE)


def wrap_in(document: WorkflowDocument, path: Path, node_ids: list[str], type_name: str) -> str | None:
    """Wrap the one node (or a Group collapsed from several) in a new Map, For or While (`type_name`); its id
    (None when refused)."""
    ids = [n for n in node_ids if n not in levels.PSEUDO_NODES]
    registry = document.registry
    kind = registry.get(type_name).display_name()
    if not ids:
        document.message.emit(f"select a node or a Group to wrap in a {kind}")
        return None

    def wrap(level: Workflow) -> list[str]:
        target = ids[0] if len(ids) == 1 else _collapse(level, ids, registry).id
        label = labels.fresh_label(level, kind, registry, [target])
        if type_name == MAP_TYPE:
            made = operations.wrap_in_map(level, target, registry=registry)
        else:
            made = operations.wrap_in_loop(level, target, type_name, registry)
        made.ui["label"] = label
        return [made.id]

    made = document.edit_level(path, f"wrap in {kind}", wrap)
    return made[0] if made else None


def unwrap(document: WorkflowDocument, path: Path, node_ids: list[str]) -> None:
    """Put the function node of each Map among `node_ids` back in its place."""
    maps = [n for n in node_ids if _type_of(document, path, n) == MAP_TYPE]
    if not maps:
        document.message.emit("select a Map to unwrap")
        return
    def unwrap_all(level: Workflow) -> list[str]:
        back = [operations.unwrap_map(level, m).id for m in maps]
        labels.make_unique(level, back, document.registry)
        return back

    document.edit_level(path, "unwrap Map", unwrap_all)


def toggle_bypass(document: WorkflowDocument, path: Path, node_ids: list[str]) -> None:
    """Bypass the nodes `node_ids` (pseudo nodes left out), or, when all of them are bypassed already, run
    them again; one undoable step."""
    ids = [n for n in node_ids if n not in levels.PSEUDO_NODES]
    if not ids:
        document.message.emit("select the nodes to bypass")
        return
    level = document.level(path)
    on = not all(level.node(n).bypassed for n in ids)
    names = ", ".join(f"'{level.node(n).label}'" for n in ids[:3])
    if len(ids) > 3:
        names += f" and {len(ids) - 3} more"

    def mark(edited: Workflow) -> list[str]:
        for node_id in ids:
            edited.node(node_id).bypassed = on
        return ids

    if document.edit_level(path, "bypass" if on else "stop bypassing", mark) is not None:
        document.message.emit(f"Bypassed {names}: they pass their inputs through" if on else f"{names} run again")


def _type_of(document: WorkflowDocument, path: Path, node_id: str) -> str:
    return document.node_at((*path, node_id)).type_name

