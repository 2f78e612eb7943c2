"""The node palette: node types in a tree by category, a filter box, drag or double-click to add.

Dragging an item carries the type name as `NODE_TYPE_MIME` (the canvas adds it at the drop point);
double-clicking one emits `add_requested(type_name)`.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QMimeData, Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QLineEdit, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from pflow_studio.canvas import NODE_TYPE_MIME
from pflow_studio.nodes.registry import Registry

TYPE_ROLE = Qt.ItemDataRole.UserRole


class PaletteTree(QTreeWidget):
    """The tree itself; its drag data is the node type name."""

    def mimeTypes(self) -> list[str]:
        return [NODE_TYPE_MIME]

    def mimeData(self, items: Sequence[QTreeWidgetItem]) -> QMimeData:
        data = QMimeData()
        names = [item.data(0, TYPE_ROLE) for item in items if item.data(0, TYPE_ROLE)]
        if names:
            data.setData(NODE_TYPE_MIME, names[0].encode("utf-8"))
            data.setText(names[0])
        return data


class Palette(QWidget):
    """Filter box + tree of node types from `registry`, grouped by category."""

    add_requested = Signal(str)

    def __init__(self, registry: Registry, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.filter_box = QLineEdit(self)
        self.filter_box.setPlaceholderText("Filter nodes…")
        self.filter_box.setClearButtonEnabled(True)
        self.tree = PaletteTree(self)
        self.tree.setHeaderHidden(True)
        self.tree.setDragEnabled(True)
        self.tree.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.filter_box)
        layout.addWidget(self.tree)
        self._fill(registry)
        self.filter_box.textChanged.connect(self.set_filter)
        self.tree.itemDoubleClicked.connect(self._double_clicked)

    def _fill(self, registry: Registry) -> None:
        categories: dict[str, QTreeWidgetItem] = {}
        for node_type in registry:
            parent = categories.get(node_type.category)
            if parent is None:
                parent = categories[node_type.category] = QTreeWidgetItem(self.tree, [node_type.category])
                parent.setFlags(Qt.ItemFlag.ItemIsEnabled)
            item = QTreeWidgetItem(parent, [node_type.display_name()])
            item.setData(0, TYPE_ROLE, node_type.type_name)
            item.setToolTip(0, f"{node_type.description()}\n{node_type.type_name}".strip())
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsDragEnabled)
        self.tree.expandAll()

    def item_for(self, type_name: str) -> QTreeWidgetItem | None:
        """The tree item of a node type (tests, keyboard navigation)."""
        for category in range(self.tree.topLevelItemCount()):
            parent = self.tree.topLevelItem(category)
            for index in range(parent.childCount()):
                if parent.child(index).data(0, TYPE_ROLE) == type_name:
                    return parent.child(index)
        return None

    def visible_type_names(self) -> list[str]:
        """Type names the filter currently shows."""
        names = []
        for category in range(self.tree.topLevelItemCount()):
            parent = self.tree.topLevelItem(category)
            names += [parent.child(i).data(0, TYPE_ROLE) for i in range(parent.childCount())
                      if not parent.child(i).isHidden()]
        return names

    def set_filter(self, text: str) -> None:
        """Show only node types whose name, type name or category contains `text` (any case)."""
        needle = text.strip().lower()
        for category in range(self.tree.topLevelItemCount()):
            parent = self.tree.topLevelItem(category)
            category_hit = needle in parent.text(0).lower()
            shown = 0
            for index in range(parent.childCount()):
                child = parent.child(index)
                hit = not needle or category_hit or needle in child.text(0).lower() \
                    or needle in str(child.data(0, TYPE_ROLE)).lower()
                child.setHidden(not hit)
                shown += hit
            parent.setHidden(shown == 0)
            parent.setExpanded(True)

    def _double_clicked(self, item: QTreeWidgetItem, _column: int) -> None:
        type_name = item.data(0, TYPE_ROLE)
        if type_name:
            self.add_requested.emit(str(type_name))
