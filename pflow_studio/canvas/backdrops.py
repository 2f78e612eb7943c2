"""Backdrops: coloured frames with a text, drawn behind nodes to document a pipeline. They are not part of the
workflow (nothing runs them): each level keeps its own list, saved in the project's `meta.ui.backdrops`
(`saved()` / `set_all()`, docs/file-format.md), keyed by the level's path ("" for the top level, "group/map"
inside).

`Backdrops(canvas)` shows the shown level's backdrops as NodeGraphQt `BackdropNode`s (the first line of the
text is the title, the rest is drawn inside) and makes every change an undo step on the canvas's undo stack:
`add(node_ids, text)` frames nodes, `set_text`, `remove`, `move` (the canvas's move gesture hands over the
backdrops it moved; NodeGraphQt moves the nodes standing on a dragged backdrop along) and resizing by the
corner handle. A double-click on a backdrop emits `edit_requested(id)`.
"""

from __future__ import annotations

import contextlib
import dataclasses
import itertools
from collections.abc import Iterator, Mapping
from typing import Any

from NodeGraphQt import BackdropNode, NodeGraph
from PySide6.QtCore import QObject, QRectF, Qt, Signal
from PySide6.QtGui import QFont, QFontMetricsF, QUndoCommand, QUndoStack

from pflow_studio.canvas.contrast import node_text_color
from pflow_studio.canvas.node_classes import attach

Rect = tuple[float, float, float, float]  # x, y, width, height (scene units)
BACKDROP_COLOR = (58, 74, 96)
PADDING = 40.0
TITLE_HEIGHT = 26.0  # NodeGraphQt's backdrop title bar
DEFAULT_SIZE = (320.0, 200.0)
ID_PREFIX = "backdrop-"


@dataclasses.dataclass(frozen=True)
class Backdrop:
    id: str
    text: str
    rect: Rect

    @property
    def title(self) -> str:
        return self.text.split("\n", 1)[0]

    @property
    def body(self) -> str:
        return self.text.split("\n", 1)[1] if "\n" in self.text else ""

    def to_plain(self) -> dict[str, Any]:
        return {"id": self.id, "text": self.text, "rect": [round(v, 2) for v in self.rect]}


def from_plain(data: Any) -> Backdrop | None:
    """A backdrop from its saved form; None for an entry that is not one (meta is free-form: never fatal)."""
    try:
        rect = tuple(float(v) for v in data["rect"])
        if len(rect) != 4 or not isinstance(data["id"], str) or not isinstance(data.get("text", ""), str):
            return None
        return Backdrop(data["id"], data.get("text", ""), rect)  # type: ignore[arg-type]
    except (TypeError, KeyError, ValueError):
        return None


def in_meta(meta: Mapping[str, Any]) -> Any:
    """The saved backdrops of a project's `meta` (its `ui.backdrops`), None when it has none."""
    ui = meta.get("ui")
    return ui.get("backdrops") if isinstance(ui, Mapping) else None


def with_backdrops(meta: Mapping[str, Any], saved: dict[str, Any]) -> dict[str, Any]:
    """`meta` with `ui.backdrops` set to `saved` (left out when empty: a project without backdrops is saved as
    it was read)."""
    own = isinstance(meta.get("ui"), Mapping)
    ui = {k: v for k, v in meta["ui"].items() if k != "backdrops"} if own else {}
    if saved:
        ui["backdrops"] = saved
    result = {k: v for k, v in meta.items() if k != "ui"}
    if ui or "ui" in meta:
        result["ui"] = ui if own or saved else meta["ui"]
    return result


def level_key(path: tuple[str, ...]) -> str:
    return "/".join(path)


class _Edit(QUndoCommand):
    """One change of a level's backdrops: its list before and after."""

    def __init__(self, owner: Backdrops, key: str, before: list[Backdrop], after: list[Backdrop], text: str) -> None:
        super().__init__(text)
        self.owner, self.key, self.before, self.after = owner, key, before, after

    def redo(self) -> None:
        self.owner._set_level(self.key, self.after)

    def undo(self) -> None:
        self.owner._set_level(self.key, self.before)


class Backdrops(QObject):
    """See the module docstring; `canvas` is the Canvas (graph, widget, undo_stack, level_path)."""

    edit_requested = Signal(str)
    changed = Signal()

    def __init__(self, canvas: Any) -> None:
        super().__init__(canvas)
        self.canvas = canvas
        self.graph: NodeGraph = canvas.graph
        self.undo_stack: QUndoStack = canvas.undo_stack
        self.levels: dict[str, list[Backdrop]] = {}
        self.items: dict[str, BackdropNode] = {}  # the shown level's, by id
        self._shown_key = ""
        viewer = self.graph.viewer()
        viewer.node_backdrop_updated.disconnect()
        viewer.node_backdrop_updated.connect(self._resized)
        viewer.node_double_clicked.connect(self._double_clicked)

    # -- the document's backdrops ---------------------------------------------------------------------------

    def saved(self) -> dict[str, list[dict[str, Any]]]:
        """Every level's backdrops in their saved form (levels without any left out)."""
        return {key: [b.to_plain() for b in found] for key, found in sorted(self.levels.items()) if found}

    def set_all(self, section: Any) -> None:
        """Replace every backdrop by those of a saved `section` (bad entries skipped); not an undo step, and
        shown when the canvas next shows a level (`show_level`)."""
        levels: dict[str, list[Backdrop]] = {}
        if isinstance(section, Mapping):
            for key, entries in section.items():
                found = [b for b in map(from_plain, entries if isinstance(entries, list) else []) if b]
                if found and isinstance(key, str):
                    levels[key] = found
        self.levels = levels

    def level(self, path: tuple[str, ...] | None = None) -> list[Backdrop]:
        """The backdrops of the level at `path` (the shown one by default)."""
        return list(self.levels.get(level_key(self.canvas.level_path() if path is None else path), []))

    def backdrop(self, backdrop_id: str) -> Backdrop:
        return next(b for b in self.level() if b.id == backdrop_id)

    # -- edits (each one undo step) ----------------------------------------------------------------------------

    def add(self, node_ids: list[str], text: str = "Notes") -> str:
        """A backdrop around the shown level's nodes `node_ids` (none: in the middle of the view); its id."""
        used = {b.id for found in self.levels.values() for b in found}
        backdrop_id = next(f"{ID_PREFIX}{n}" for n in itertools.count(1) if f"{ID_PREFIX}{n}" not in used)
        backdrop = Backdrop(backdrop_id, text, self._frame(node_ids, text))
        self._change([*self.level(), backdrop], "add backdrop")
        return backdrop_id

    def set_text(self, backdrop_id: str, text: str) -> None:
        self._replace(backdrop_id, "edit backdrop text", {"text": text})

    def set_rect(self, backdrop_id: str, rect: Rect) -> None:
        self._replace(backdrop_id, "resize backdrop", {"rect": rect})

    def move(self, positions: Mapping[str, list[float]]) -> None:
        """Record backdrops moved on the view (id -> new top-left)."""
        moved = [dataclasses.replace(b, rect=(*positions[b.id], *b.rect[2:])) if b.id in positions else b
                 for b in self.level()]
        self._change(moved, "move backdrop")

    def remove(self, backdrop_ids: list[str]) -> None:
        if backdrop_ids:
            self._change([b for b in self.level() if b.id not in backdrop_ids], "remove backdrop")

    def selected(self) -> list[str]:
        """The shown level's selected backdrops."""
        return [i for i, item in self.items.items() if item.view.isSelected()]

    def select_only(self, backdrop_id: str) -> None:
        """Make the backdrop the whole selection."""
        self.canvas.select([])
        self.items[backdrop_id].view.setSelected(True)

    def at(self, scene_x: float, scene_y: float) -> str | None:
        """The backdrop under a scene point (the topmost), or None."""
        inside = [b.id for b in self.level() if QRectF(*b.rect).contains(scene_x, scene_y)]
        return inside[-1] if inside else None

    @contextlib.contextmanager
    def one_step(self, text: str, needed: bool = True) -> Iterator[None]:
        """Undo steps pushed inside this block make one (when `needed`)."""
        if needed:
            self.undo_stack.beginMacro(text)
        try:
            yield
        finally:
            if needed:
                self.undo_stack.endMacro()

    def _replace(self, backdrop_id: str, what: str, changes: dict[str, Any]) -> None:
        self._change([dataclasses.replace(b, **changes) if b.id == backdrop_id else b for b in self.level()], what)

    def _change(self, after: list[Backdrop], text: str) -> None:
        key = level_key(self.canvas.level_path())
        before = self.level()
        if after != before:
            self.undo_stack.push(_Edit(self, key, before, after, text))

    def _set_level(self, key: str, backdrops: list[Backdrop]) -> None:
        if backdrops:
            self.levels[key] = list(backdrops)
        else:
            self.levels.pop(key, None)
        if key == level_key(self.canvas.level_path()):
            self.show_level()
        self.changed.emit()

    def _frame(self, node_ids: list[str], text: str) -> Rect:
        """Around the nodes, with room above them for the title bar and the text."""
        views = [self.canvas.view_node(n).view for n in node_ids if self.canvas.view_node(n) is not None]
        if not views:
            viewer = self.graph.viewer()
            centre = viewer.mapToScene(viewer.viewport().rect().center())
            width, height = DEFAULT_SIZE
            return (centre.x() - width / 2, centre.y() - height / 2, width, height)
        rect = views[0].sceneBoundingRect()
        for view in views[1:]:
            rect = rect.united(view.sceneBoundingRect())
        rect = rect.adjusted(-PADDING, -PADDING, PADDING, PADDING)
        body = Backdrop("", text, (0, 0, 0, 0)).body
        room = QFontMetricsF(QFont()).boundingRect(QRectF(0, 0, rect.width() - 10, 10_000),
                                                   Qt.TextFlag.TextWordWrap, body).height() if body else 0.0
        rect.setTop(rect.top() - TITLE_HEIGHT - room)
        return (rect.x(), rect.y(), rect.width(), rect.height())

    # -- the view ------------------------------------------------------------------------------------------------

    def show_level(self) -> None:
        """Make the view show the shown level's backdrops (call after the canvas shows another level)."""
        key = level_key(self.canvas.level_path())
        wanted = {b.id: b for b in self.levels.get(key, [])}
        for backdrop_id in [i for i in self.items if key != self._shown_key or i not in wanted]:
            item = self.items.pop(backdrop_id)
            self.graph.model.nodes.pop(backdrop_id, None)
            item.view.delete()
        self._shown_key = key
        for backdrop in wanted.values():
            item = self.items.get(backdrop.id)
            if item is None:
                item = self.items[backdrop.id] = _make_item(self.graph, backdrop)
            _update_item(item, backdrop)

    def _resized(self, backdrop_id: str, _what: str, value: dict[str, Any]) -> None:
        if backdrop_id in self.items:
            self.set_rect(backdrop_id, (*map(float, value["pos"]), float(value["width"]), float(value["height"])))

    def _double_clicked(self, item_id: str) -> None:
        if item_id in self.items:
            self.edit_requested.emit(item_id)


def _make_item(graph: NodeGraph, backdrop: Backdrop) -> BackdropNode:
    node = BackdropNode()
    node.model.id = node.view.id = backdrop.id
    node.model.color = (*BACKDROP_COLOR, 255)
    node.model.text_color = (*node_text_color(BACKDROP_COLOR), 255)
    attach(graph, node, backdrop.rect[:2])
    return node


def _update_item(item: BackdropNode, backdrop: Backdrop) -> None:
    """Make the item look as `backdrop` says (title, text, place, size)."""
    view = item.view
    x, y, width, height = backdrop.rect
    if item.model.name != backdrop.title:
        item.model.name = backdrop.title
        view.name = backdrop.title
    view.backdrop_text = backdrop.body
    if abs(view.xy_pos[0] - x) > 0.01 or abs(view.xy_pos[1] - y) > 0.01:
        view.xy_pos = [x, y]
        item.model.pos = [x, y]
    if abs(view.width - width) > 0.01 or abs(view.height - height) > 0.01:
        view.width, view.height = width, height
        item.model.width, item.model.height = width, height
    view.update()
