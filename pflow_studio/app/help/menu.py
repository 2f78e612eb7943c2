"""The window's help: the Help menu (Keyboard Shortcuts, Node Help (F1), Examples), File > Examples…, and the
empty canvas's hint.

`HelpMenu(window)` (a MainWindow: canvas, registry, files, menus, actions, statusBar) adds the actions (also to
`window.actions`: "shortcuts", "node_help", "examples") and makes each dialog on first use."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject
from PySide6.QtGui import QKeySequence

from pflow_studio.app.actions import ActionSpec, create_actions
from pflow_studio.app.help.empty_hint import EmptyCanvasHint
from pflow_studio.app.help.examples import ExamplesDialog
from pflow_studio.app.help.node_help import NodeHelpDialog
from pflow_studio.app.help.shortcuts import ShortcutsDialog
from pflow_studio.runtime.graph import instantiate

SPECS = [
    ActionSpec("shortcuts", "&Keyboard Shortcuts…", "Ctrl+/", tip="Every keyboard shortcut of the window"),
    ActionSpec("node_help", "&Node Help…", QKeySequence.StandardKey.HelpContents,
               tip="What the selected node does: its inputs, outputs and properties (F1); all node types without a "
                   "selection"),
    ActionSpec("examples", "E&xamples…", tip="Open one of the bundled example projects as a new project"),
]


class HelpMenu(QObject):
    """See the module docstring; `node_help`, `shortcuts_dialog`, `examples_dialog` are None until first shown."""

    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.window = window
        self.node_help: NodeHelpDialog | None = None
        self.shortcuts_dialog: ShortcutsDialog | None = None
        self.examples_dialog: ExamplesDialog | None = None
        handlers = {"shortcuts": self.show_shortcuts, "node_help": self.show_node_help, "examples": self.show_examples}
        window.actions.update(create_actions(window, handlers, SPECS))
        menu = window.menus["help"] = window.menuBar().addMenu("&Help")
        menu.addActions([window.actions[name] for name in ("node_help", "shortcuts", "examples")])
        file_menu = window.menus["file"]
        after_recent = file_menu.actions().index(window.menus["recent"].menuAction()) + 1
        file_menu.insertAction(file_menu.actions()[after_recent], window.actions["examples"])
        self.hint = EmptyCanvasHint(window.canvas)

    def show_shortcuts(self) -> ShortcutsDialog:
        """The shortcuts dialog, filled from the window's actions as they are now."""
        if self.shortcuts_dialog is None:
            self.shortcuts_dialog = ShortcutsDialog(self.window)
        else:
            self.shortcuts_dialog.fill(self.window)
        self.shortcuts_dialog.show()
        self.shortcuts_dialog.raise_()
        return self.shortcuts_dialog

    def show_node_help(self) -> NodeHelpDialog:
        """The selected node's page (its own ports), or the index of node types when not one node is selected."""
        if self.node_help is None:
            self.node_help = NodeHelpDialog(self.window.registry, self.window)
        canvas = self.window.canvas
        ids = canvas.selected_node_ids()
        node = canvas.node_at((*canvas.level_path(), ids[0])) if len(ids) == 1 else None
        registry = self.window.registry
        if node is not None and node.type_name in registry:
            self.node_help.show_type(registry.get(node.type_name), instantiate(node, registry))
        else:
            if node is not None:
                self.window.statusBar().showMessage(f"No help for '{node.type_name}': its plug-in is not installed",
                                                    8000)
            self.node_help.show_index()
        self.node_help.show()
        self.node_help.raise_()
        return self.node_help

    def show_examples(self) -> ExamplesDialog:
        """The examples gallery; the chosen example opens as an untitled copy (after the unsaved-changes prompt)."""
        if self.examples_dialog is None:
            self.examples_dialog = ExamplesDialog(self.window)
            self.examples_dialog.chosen.connect(self.open_example)
        self.examples_dialog.show()
        self.examples_dialog.raise_()
        return self.examples_dialog

    def open_example(self, path: str) -> bool:
        files = self.window.files
        return files.maybe_save("open an example") and files.load(path, as_copy=True)
