"""The canvas's right-click menu, built from the window's existing QActions (no logic of its own).

`CanvasContextMenu(canvas, actions, selected_map_path, parent)` answers
`Canvas.context_menu_requested(global_pos, node_ids)`:
- on nodes: Open (one Group / Map / Filter: enters it), Rename, Copy, Cut, Delete | Group, Ungroup (a Group
  selected), Wrap in Map, Unwrap Map (a Map selected) | Run This Node, Show Run Record (one Map selected),
  Show Work Items (one Map or Filter selected);
- on empty canvas: Add Node… (quick add at the click point), Paste (disabled when the clipboard holds no
  nodes), Add Backdrop (on a backdrop also Edit Backdrop Text…, Remove Backdrop) | Select All, Frame All |
  Go Up a Level (inside a Group or Map).
`actions` are the window's actions by name (`app.actions`, plus "show_run_record"), `selected_map_path()`
gives the path of the one selected Map (else None), and `parent` is the widget the menus belong to.
Where the wording, the enabled state or the place differs from the window's action, a menu-owned
stand-in shows it and triggers the window's action (or the canvas call that action makes).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QPoint
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import QMenu, QWidget

from pflow_studio.canvas import Canvas, clipboard
from pflow_studio.runtime.container_types import CONTAINER_TYPES, FUNCTION_CONTAINER_TYPES, GROUP_TYPE, MAP_TYPE


class CanvasContextMenu(QObject):
    """Builds and shows the context menu of `canvas`; `last_menu` is the menu shown last."""

    def __init__(self, canvas: Canvas, actions: dict[str, QAction],
                 selected_map_path: Callable[[], tuple[str, ...] | None], parent: QWidget) -> None:
        super().__init__(parent)
        self.canvas = canvas
        self.actions = actions
        self.selected_map_path = selected_map_path
        self._parent = parent
        self.last_menu: QMenu | None = None
        canvas.context_menu_requested.connect(self.popup)

    def popup(self, global_pos: QPoint, node_ids: list[str]) -> QMenu:
        """Show the menu for `node_ids` (empty: the canvas menu) at `global_pos` and return it. Not modal
        (`QMenu.popup`): the chosen action runs from the event loop, not inside the view's mouse handler;
        the menu lives until the next one is shown."""
        menu = self.build(global_pos, node_ids)
        if self.last_menu is not None:
            self.last_menu.deleteLater()
        self.last_menu = menu
        menu.popup(global_pos)
        return menu

    def build(self, global_pos: QPoint, node_ids: list[str]) -> QMenu:
        """The menu for a right-click at `global_pos` on `node_ids` (not shown)."""
        menu = QMenu(self._parent)
        menu.setObjectName("canvas_context_menu")
        if node_ids:
            self._fill_nodes(menu, node_ids)
        else:
            self._fill_canvas(menu, global_pos)
        return menu

    def _fill_nodes(self, menu: QMenu, node_ids: list[str]) -> None:
        canvas, actions = self.canvas, self.actions
        level = canvas.level_path()
        types = [canvas.node_at((*level, n)).type_name for n in node_ids]
        if len(node_ids) == 1 and types[0] in CONTAINER_TYPES:
            node_id = node_ids[0]
            opener = _stand_in(menu, "&Open", lambda: canvas.open_container(node_id), shortcut="Double-click",
                               tip="Open it to edit its inside")
            menu.setDefaultAction(opener)
        _stand_in(menu, actions["rename"], enabled=len(node_ids) == 1)
        menu.addSeparator()
        menu.addActions([actions["copy"], actions["cut"], actions["delete"]])
        menu.addSeparator()
        menu.addAction(actions["group"])
        if GROUP_TYPE in types:
            menu.addAction(actions["ungroup"])
        menu.addAction(actions["wrap_map"])
        if MAP_TYPE in types:
            menu.addAction(actions["unwrap_map"])
        menu.addActions([actions["wrap_for"], actions["wrap_while"]])
        menu.addAction(actions["bypass"])
        if "add_backdrop" in actions:
            menu.addAction(actions["add_backdrop"])
        menu.addSeparator()
        run = actions["run_selected"]
        text = "&Run This Node" if len(node_ids) == 1 else f"&Run These {len(node_ids)} Nodes"
        _stand_in(menu, run, text=text, enabled=run.isEnabled())
        if self.selected_map_path() is not None:
            menu.addAction(actions["show_run_record"])
        if len(node_ids) == 1 and types[0] in FUNCTION_CONTAINER_TYPES and "show_work_items" in actions:
            menu.addAction(actions["show_work_items"])

    def _fill_canvas(self, menu: QMenu, global_pos: QPoint) -> None:
        canvas, actions = self.canvas, self.actions
        at = canvas.widget.viewport().mapFromGlobal(global_pos)
        _stand_in(menu, actions["quick_add"], trigger=lambda: canvas.show_quick_add(at), shortcut="Tab")
        _stand_in(menu, actions["paste"], enabled=clipboard_has_nodes())
        self._fill_backdrop(menu, at)
        menu.addSeparator()
        menu.addActions([actions["select_all"], actions["frame_all"]])
        if canvas.level_path():
            menu.addSeparator()
            menu.addAction(actions["go_up"])


    def _fill_backdrop(self, menu: QMenu, at: QPoint) -> None:
        """Add Backdrop, and for the backdrop under viewport point `at`: Edit Backdrop Text…, Remove Backdrop."""
        if "add_backdrop" not in self.actions:
            return
        menu.addAction(self.actions["add_backdrop"])
        scene = self.canvas.widget.mapToScene(at)
        backdrop = self.canvas.backdrops.at(scene.x(), scene.y())
        if backdrop is not None:
            for name in ("edit_backdrop", "remove_backdrop"):
                _stand_in(menu, self.actions[name], trigger=lambda name=name: self._on_backdrop(name, backdrop))

    def _on_backdrop(self, name: str, backdrop: str) -> None:
        self.canvas.backdrops.select_only(backdrop)
        self.actions[name].trigger()


def clipboard_has_nodes() -> bool:
    """Whether the system clipboard holds pflow nodes (what Paste would paste)."""
    mime = QGuiApplication.clipboard().mimeData()
    if mime is None:
        return False
    if mime.hasFormat(clipboard.MIME_TYPE):
        return True
    return mime.hasText() and f'"{clipboard.FORMAT}"' in mime.text()[:200]


def _stand_in(menu: QMenu, source: QAction | str, trigger: Callable[[], object] | None = None, *,
              text: str = "", enabled: bool = True, shortcut: str = "", tip: str = "") -> QAction:
    """A menu-owned action looking like `source` (a window action, or a text) with its own text / enabled
    state; it triggers `trigger`, by default the window action. The shortcut is shown, not bound."""
    if isinstance(source, QAction):
        label = text or source.text()
        keys = shortcut or source.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        action = QAction(source.icon(), f"{label}\t{keys}" if keys else label, menu)
        action.setToolTip(tip or source.toolTip())
        action.setStatusTip(tip or source.statusTip())
        action.setObjectName(f"{source.objectName()}_context")
        run = trigger or source.trigger
    else:
        action = QAction(f"{source}\t{shortcut}" if shortcut else source, menu)
        action.setToolTip(tip)
        action.setStatusTip(tip)
        action.setObjectName("action_open_context")
        run = trigger or (lambda: None)
    action.setEnabled(enabled)
    action.triggered.connect(lambda _checked=False: run())
    menu.addAction(action)
    return action
