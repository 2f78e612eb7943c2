"""Undo commands of a `WorkflowDocument`: each changes the model of one level, then announces it.

Every command is pushed after the document made and checked its change (the first `redo` only announces
it); later `redo`/`undo` calls re-apply or revert it on `document.level(path)`. Each call ends with
`document.announce_edit(path, select)`: on redo `select` is what the edit made, on undo it is empty.
Structural edits store deep-copied snapshots of the level; frequent small edits (move, add, a field,
edges) store just what they changed.
"""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QUndoCommand

from pflow_studio.runtime.model import Edge, Node, Workflow

if TYPE_CHECKING:
    from pflow_studio.canvas.document import WorkflowDocument


class _Unset:
    """The type of `UNSET` (one instance, survives copying)."""

    def __repr__(self) -> str:
        return "UNSET"

    def __copy__(self) -> _Unset:
        return self

    def __deepcopy__(self, memo: dict) -> _Unset:
        return self


UNSET: Any = _Unset()
"""Pass as a value to remove a property or an input value (back to the type's default)."""


class _LevelCommand(QUndoCommand):
    """An edit shown at `path`; `apply`/`revert` change the level at `edited_path` (`path` itself unless
    a subclass says otherwise)."""

    def __init__(self, document: WorkflowDocument, path: tuple[str, ...], text: str,
                 select: list[str] | None = None) -> None:
        super().__init__(text)
        self.document = document
        self.path = tuple(path)
        self.edited_path = self.path
        self.select = select
        self._first = True

    def redo(self) -> None:
        if self._first:
            self._first = False
        else:
            self.apply(self.document.level(self.edited_path))
        self.document.announce_edit(self.path, self.select)

    def undo(self) -> None:
        self.revert(self.document.level(self.edited_path))
        self.document.announce_edit(self.path, [])

    def apply(self, level: Workflow) -> None:
        raise NotImplementedError

    def revert(self, level: Workflow) -> None:
        raise NotImplementedError


def snapshot(level: Workflow) -> Workflow:
    """A deep copy of `level` to restore later."""
    return copy.deepcopy(level)


def restore(level: Workflow, saved: Workflow) -> None:
    """Make `level` (in place, so its container keeps it) equal to `saved`."""
    fresh = copy.deepcopy(saved)
    level.nodes, level.edges, level.inputs, level.outputs = fresh.nodes, fresh.edges, fresh.inputs, fresh.outputs


class SnapshotCommand(_LevelCommand):
    """Any edit of a level, as before/after copies (delete, paste with boundaries, collapse...)."""

    def __init__(self, document: WorkflowDocument, path: tuple[str, ...], text: str, before: Workflow,
                 after: Workflow, select: list[str] | None = None) -> None:
        super().__init__(document, path, text, select)
        self.before, self.after = before, after

    def apply(self, level: Workflow) -> None:
        restore(level, self.after)

    def revert(self, level: Workflow) -> None:
        restore(level, self.before)


class AddNodesCommand(_LevelCommand):
    """Nodes (with nested bodies) and edges added to a level: add, paste."""

    def __init__(self, document: WorkflowDocument, path: tuple[str, ...], text: str, nodes: list[Node],
                 edges: list[Edge]) -> None:
        super().__init__(document, path, text, [n.id for n in nodes])
        self.nodes = copy.deepcopy(nodes)
        self.edges = list(edges)

    def apply(self, level: Workflow) -> None:
        for node in copy.deepcopy(self.nodes):
            level.add(node)
        level.edges.extend(self.edges)

    def revert(self, level: Workflow) -> None:
        for node in self.nodes:
            level.remove_node(node.id)


class MoveCommand(_LevelCommand):
    """Nodes moved: {node id: (old position or None, new position)}."""

    def __init__(self, document: WorkflowDocument, path: tuple[str, ...],
                 moves: dict[str, tuple[Any, list[float]]]) -> None:
        super().__init__(document, path, f"move {len(moves)} node(s)", None)
        self.moves = moves

    def apply(self, level: Workflow) -> None:
        for node_id, (_, new) in self.moves.items():
            level.node(node_id).ui["pos"] = list(new)

    def revert(self, level: Workflow) -> None:
        for node_id, (old, _) in self.moves.items():
            ui = level.node(node_id).ui
            if old is None:
                ui.pop("pos", None)
            else:
                ui["pos"] = list(old)


class FieldCommand(_LevelCommand):
    """One entry of a node's `properties`, `input_values` or `ui` dict set (or removed: `UNSET`)."""

    def __init__(self, document: WorkflowDocument, path: tuple[str, ...], text: str, node_id: str, field: str,
                 key: str, old: Any, new: Any) -> None:
        super().__init__(document, path, text, None)
        self.node_id, self.field, self.key = node_id, field, key
        self.old, self.new = copy.deepcopy(old), copy.deepcopy(new)

    def _set(self, level: Workflow, value: Any) -> None:
        values = getattr(level.node(self.node_id), self.field)
        if value is UNSET:
            values.pop(self.key, None)
        else:
            values[self.key] = copy.deepcopy(value)

    def apply(self, level: Workflow) -> None:
        self._set(level, self.new)

    def revert(self, level: Workflow) -> None:
        self._set(level, self.old)


class EdgesCommand(_LevelCommand):
    """Plain edges removed and added (connect, replace an input's edge, disconnect)."""

    def __init__(self, document: WorkflowDocument, path: tuple[str, ...], text: str, removed: list[Edge],
                 added: list[Edge]) -> None:
        super().__init__(document, path, text, None)
        self.removed, self.added = list(removed), list(added)

    def apply(self, level: Workflow) -> None:
        level.edges = [e for e in level.edges if e not in self.removed] + self.added

    def revert(self, level: Workflow) -> None:
        level.edges = [e for e in level.edges if e not in self.added] + self.removed


class NestedSnapshotCommand(SnapshotCommand):
    """An edit shown at `path` that also changed levels above it: the level at `top` (a prefix of
    `path`) is saved before/after (deleting inner nodes that Group boundary ports referred to)."""

    def __init__(self, document: WorkflowDocument, path: tuple[str, ...], top: tuple[str, ...], text: str,
                 before: Workflow, after: Workflow, select: list[str] | None = None) -> None:
        super().__init__(document, path, text, before, after, select)
        self.edited_path = tuple(top)
