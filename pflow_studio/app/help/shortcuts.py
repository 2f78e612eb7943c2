"""The keyboard shortcuts dialog, built from the window's actions each time it opens (an action added or
re-keyed later shows up), plus the keys the canvas handles itself."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QHeaderView, QMainWindow, QMenu, QTableWidget, QTableWidgetItem, QVBoxLayout

CANVAS_KEYS = [
    ("Canvas", "Add a node (search by name)", "Tab"),
    ("Canvas", "Open a Group or Map / edit a node's properties", "Double-click"),
    ("Canvas", "Node and canvas menu", "Right-click"),
    ("Canvas", "Zoom", "Mouse wheel"),
    ("Canvas", "Pan", "Middle drag or Alt+drag"),
]


@dataclass(frozen=True)
class Shortcut:
    where: str  # the menu holding the action (or "Canvas", "Window")
    what: str
    keys: str


def plain(text: str) -> str:
    """An action's text without its mnemonic '&' and trailing '…'."""
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&").rstrip("…").rstrip(".")


def menu_titles(window: QMainWindow) -> dict[QAction, str]:
    """Each action of the window's menus (submenus included) -> its menu's title."""
    titles: dict[QAction, str] = {}

    def walk(menu: QMenu, title: str) -> None:
        for action in menu.actions():
            if action.menu() is not None:
                walk(action.menu(), f"{title} > {plain(action.text())}")
            else:
                titles.setdefault(action, title)

    for action in window.menuBar().actions():
        if action.menu() is not None:
            walk(action.menu(), plain(action.text()))
    return titles


def shortcuts(window: QMainWindow) -> list[Shortcut]:
    """Every action of the window with a shortcut (by menu order), then the canvas's own keys."""
    titles = menu_titles(window)
    seen: set[int] = set()
    found: list[Shortcut] = []
    actions = [*titles, *window.findChildren(QAction)]
    for action in actions:
        keys = [key for key in action.shortcuts() if not key.isEmpty()]
        if not keys or id(action) in seen:
            continue
        seen.add(id(action))
        text = ", ".join(key.toString(QKeySequence.SequenceFormat.NativeText) for key in keys)
        found.append(Shortcut(titles.get(action, "Window"), plain(action.text()), text))
    return found + [Shortcut(*row) for row in CANVAS_KEYS]


class ShortcutsDialog(QDialog):
    """A table of `shortcuts(window)`: menu, action, keys."""

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self.setObjectName("shortcuts_dialog")
        self.setWindowTitle("Keyboard shortcuts")
        self.table = QTableWidget(0, 3, self)
        self.table.setHorizontalHeaderLabels(["Menu", "Action", "Keys"])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        self.resize(560, 600)
        self.fill(window)

    def fill(self, window: QMainWindow) -> None:
        rows = shortcuts(window)
        self.table.setRowCount(len(rows))
        for row, shortcut in enumerate(rows):
            for column, text in enumerate((shortcut.where, shortcut.what, shortcut.keys)):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self.table.resizeColumnToContents(0)
        self.table.resizeColumnToContents(2)

    def rows(self) -> list[tuple[str, str, str]]:
        return [tuple(self.table.item(r, c).text() for c in range(3)) for r in range(self.table.rowCount())]
