"""The window's backdrop actions (canvas/backdrops.py): Edit > Add Backdrop (Ctrl+Shift+B: around the selected
nodes, asking for its text), and for a backdrop (the selected one, or the one right-clicked) Edit Backdrop
Text… (also a double-click on it) and Remove Backdrop (the nodes on it stay). Registered in `window.actions` as
"add_backdrop", "edit_backdrop", "remove_backdrop"; the canvas context menu offers them."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QInputDialog

from pflow_studio.app.actions import ActionSpec, create_actions

SPECS = [
    ActionSpec("add_backdrop", "Add &Backdrop…", "Ctrl+Shift+B", tip="Frame the selected nodes, with a text"),
    ActionSpec("edit_backdrop", "Edit Backdrop &Text…", tip="Change the selected backdrop's text (or double-click it)"),
    ActionSpec("remove_backdrop", "Remove Backdrop", tip="Remove the selected backdrop; the nodes on it stay"),
]


class BackdropActions(QObject):
    """See the module docstring; `window` is the MainWindow (canvas, actions, menus)."""

    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.window = window
        self.backdrops = window.canvas.backdrops
        handlers = {"add_backdrop": self.add, "edit_backdrop": self.edit, "remove_backdrop": self.remove}
        window.actions.update(create_actions(window, handlers, SPECS))
        window.menus["edit"].addSeparator()
        window.menus["edit"].addActions([window.actions[spec.name] for spec in SPECS])
        self.backdrops.edit_requested.connect(self.edit)

    def ask(self, title: str, text: str) -> str | None:
        """The backdrop text the user typed (the first line is its title), None when cancelled."""
        answer, ok = QInputDialog.getMultiLineText(self.window, title, "Text (the first line is the title):", text)
        return answer.strip() if ok and answer.strip() else None

    def add(self) -> str | None:
        """A backdrop around the selected nodes (none: in the middle of the view), after asking its text."""
        text = self.ask("Add backdrop", "Notes")
        return self.backdrops.add(self.window.canvas.selected_node_ids(), text) if text is not None else None

    def target(self, backdrop_id: str | None = None) -> str | None:
        chosen = backdrop_id or next(iter(self.backdrops.selected()), None)
        if chosen is None:
            self.window.statusBar().showMessage("Select a backdrop first (click its title bar)", 5000)
        return chosen

    def edit(self, backdrop_id: str | None = None) -> None:
        chosen = self.target(backdrop_id)
        if chosen is not None:
            text = self.ask("Backdrop text", self.backdrops.backdrop(chosen).text)
            if text is not None:
                self.backdrops.set_text(chosen, text)

    def remove(self, backdrop_id: str | None = None) -> None:
        chosen = self.target(backdrop_id)
        if chosen is not None:
            self.backdrops.remove([chosen])
