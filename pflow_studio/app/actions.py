"""The window's actions (with icons and shortcuts) and the menus and toolbar built from them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtGui import QAction, QIcon, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu, QToolBar

from pflow_studio.app.resources import icon

Key = QKeySequence.StandardKey


@dataclass(frozen=True)
class ActionSpec:
    name: str
    text: str
    shortcut: QKeySequence.StandardKey | str | None = None
    icon: str = ""
    tip: str = ""


SPECS = [
    ActionSpec("new", "&New", Key.New, "new", "Start a new project"),
    ActionSpec("open", "&Open…", Key.Open, "open", "Open a project file"),
    ActionSpec("save", "&Save", Key.Save, "save", "Save the project"),
    ActionSpec("save_as", "Save &As…", Key.SaveAs, "", "Save the project under a new name"),
    ActionSpec("revert", "&Revert", None, "", "Reload the project file, dropping unsaved changes"),
    ActionSpec("quit", "&Quit", Key.Quit),
    ActionSpec("cut", "Cu&t", Key.Cut, "cut"),
    ActionSpec("copy", "&Copy", Key.Copy, "copy"),
    ActionSpec("paste", "&Paste", Key.Paste, "paste"),
    ActionSpec("delete", "&Delete", Key.Delete, "delete", "Delete the selected nodes"),
    ActionSpec("select_all", "Select &All", Key.SelectAll),
    ActionSpec("frame_all", "&Frame All", "Ctrl+0", "frame", "Show the whole graph"),
    ActionSpec("rename", "Re&name…", "F2", "", "Rename the selected node"),
    ActionSpec("quick_add", "Add &Node…", None, "add", "Search node types and add one (Tab on the canvas)"),
    ActionSpec("group", "&Group", "Ctrl+G", "group", "Collapse the selection into a Group"),
    ActionSpec("ungroup", "&Ungroup", "Ctrl+Shift+G", "ungroup", "Put a Group's nodes back in its place"),
    ActionSpec("wrap_map", "&Wrap in Map", "Ctrl+M", "map", "Run the selected node once per list element"),
    ActionSpec("unwrap_map", "Unwra&p Map", "Ctrl+Shift+M", "", "Put a Map's node back in its place"),
    ActionSpec("wrap_for", "Wrap in &For", None, "", "Run the selected node once per index of a range"),
    ActionSpec("wrap_while", "Wrap in W&hile", None, "", "Run the selected node again and again while its "
               "condition is true, passing its state along"),
    ActionSpec("bypass", "&Bypass", "Ctrl+B", "", "Bypass the selected nodes: they do not run and pass their "
               "inputs through (again: run them)"),
    ActionSpec("go_up", "Go &Up a Level", "Alt+Up", "up", "Leave the open Group or Map"),
    ActionSpec("run", "&Run", "F5", "run", "Run the workflow (F5)"),
    ActionSpec("run_selected", "Run &Selected", "Shift+F5", "run_selected",
               "Run the selected node and what it needs (Shift+F5)"),
    ActionSpec("stop", "S&top", "Esc", "stop", "Stop the run (Esc)"),
    ActionSpec("cluster_panel", "&Cluster Panel", None, "cluster", "Show or hide the cluster panel"),
]


def create_actions(window: QMainWindow, handlers: dict[str, Callable[[], object]],
                   specs: list[ActionSpec] = SPECS) -> dict[str, QAction]:
    """One QAction per spec (the window's SPECS by default), parented to `window`, triggering `handlers[name]`
    when present."""
    actions = {}
    for spec in specs:
        action = QAction(icon(spec.icon) if spec.icon else QIcon(), spec.text, window)
        action.setObjectName(f"action_{spec.name}")
        if spec.shortcut is not None:
            action.setShortcut(QKeySequence(spec.shortcut))
        if spec.tip:
            action.setToolTip(spec.tip)
            action.setStatusTip(spec.tip)
        handler = handlers.get(spec.name)
        if handler is not None:
            action.triggered.connect(lambda _checked=False, handler=handler: handler())
        window.addAction(action)
        actions[spec.name] = action
    return actions


def build_menus(window: QMainWindow, actions: dict[str, QAction], undo: QAction, redo: QAction) -> dict[str, QMenu]:
    """File / Edit / View / Run / Cluster menus; returns them by name (plus "recent")."""
    bar = window.menuBar()
    menus: dict[str, QMenu] = {}
    file_menu = menus["file"] = bar.addMenu("&File")
    file_menu.addActions([actions["new"], actions["open"]])
    menus["recent"] = file_menu.addMenu("Open &Recent")
    file_menu.addSeparator()
    file_menu.addActions([actions["save"], actions["save_as"], actions["revert"]])
    file_menu.addSeparator()
    file_menu.addAction(actions["quit"])
    edit = menus["edit"] = bar.addMenu("&Edit")
    edit.addActions([undo, redo])
    edit.addSeparator()
    edit.addActions([actions[n] for n in ("cut", "copy", "paste", "delete")])
    edit.addSeparator()
    edit.addActions([actions[n] for n in ("select_all", "frame_all", "rename", "quick_add")])
    edit.addSeparator()
    edit.addActions([actions[n] for n in ("group", "ungroup", "wrap_map", "unwrap_map", "wrap_for", "wrap_while")])
    edit.addSeparator()
    edit.addAction(actions["bypass"])
    menus["view"] = bar.addMenu("&View")
    menus["view"].addAction(actions["go_up"])
    menus["view"].addAction(actions["frame_all"])
    menus["view"].addSeparator()
    menus["run"] = bar.addMenu("&Run")
    menus["run"].addActions([actions["run"], actions["run_selected"], actions["stop"]])
    menus["cluster"] = bar.addMenu("&Cluster")
    menus["cluster"].addAction(actions["cluster_panel"])
    return menus


def build_toolbar(window: QMainWindow, actions: dict[str, QAction], undo: QAction, redo: QAction) -> QToolBar:
    toolbar = window.addToolBar("Main")
    toolbar.setObjectName("toolbar_main")
    toolbar.setMovable(False)
    toolbar.addActions([actions["new"], actions["open"], actions["save"]])
    toolbar.addSeparator()
    toolbar.addActions([undo, redo])
    toolbar.addSeparator()
    toolbar.addActions([actions[n] for n in ("quick_add", "group", "ungroup", "wrap_map", "go_up", "frame_all")])
    toolbar.addSeparator()
    toolbar.addActions([actions["run"], actions["run_selected"], actions["stop"]])
    return toolbar
