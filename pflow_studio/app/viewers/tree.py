"""Nested lists and dicts as a tree: key, what the value is, a preview. Children are made when their parent is
expanded (a deep or wide value opens at once); double-clicking an entry emits `open_value(path, value)`."""

from __future__ import annotations

import itertools
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from pflow_studio.app.viewers.kinds import summary
from pflow_studio.app.viewers.tables import cell_text

SHOWN_CHILDREN = 1_000  # children listed under one entry; the rest are counted in a last entry
ENTRY_ROLE = Qt.ItemDataRole.UserRole  # the entry's index in `TreeViewer.entries` (Qt would convert a dict)


def children(value: Any) -> list[tuple[str, Any]]:
    """(key text, child) of a dict, list or tuple, at most SHOWN_CHILDREN."""
    if isinstance(value, dict):
        return [(repr(key), child) for key, child in itertools.islice(value.items(), SHOWN_CHILDREN)]
    if isinstance(value, (list, tuple)):
        return [(str(index), child) for index, child in enumerate(value[:SHOWN_CHILDREN])]
    return []


class TreeViewer(QWidget):
    """See the module docstring."""

    open_value = Signal(str, object)

    def __init__(self, value: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.value = value
        self.entries: list[tuple[str, Any]] = []  # (path, value) of every entry made so far
        self.tree = QTreeWidget(self)
        self.tree.setHeaderLabels(["key", "type", "value"])
        self.tree.setColumnWidth(0, 180)
        self.tree.setColumnWidth(1, 160)
        self.tree.itemExpanded.connect(self._fill)
        self.tree.itemDoubleClicked.connect(self._open)
        self._add_children(self.tree.invisibleRootItem(), value, "")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tree)

    def _add_children(self, parent: QTreeWidgetItem, value: Any, path: str) -> None:
        for key, child in children(value):
            item = QTreeWidgetItem([key, summary(child), "" if isinstance(child, (dict, list, tuple))
                                    else cell_text(child)])
            item.setData(0, ENTRY_ROLE, len(self.entries))
            self.entries.append((f"{path}[{key}]", child))
            if children(child[:1] if isinstance(child, (list, tuple)) else child):
                item.setChildIndicatorPolicy(QTreeWidgetItem.ChildIndicatorPolicy.ShowIndicator)
            parent.addChild(item)
        if len(value) > SHOWN_CHILDREN:
            parent.addChild(QTreeWidgetItem([f"… {len(value) - SHOWN_CHILDREN:,} more", "", ""]))

    def _fill(self, item: QTreeWidgetItem) -> None:
        entry = item.data(0, ENTRY_ROLE)
        if item.childCount() == 0 and entry is not None:
            path, value = self.entries[entry]
            self._add_children(item, value, path)

    def _open(self, item: QTreeWidgetItem, _column: int) -> None:
        entry = item.data(0, ENTRY_ROLE)
        if entry is not None:
            self.open_value.emit(*self.entries[entry])
