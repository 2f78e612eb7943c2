"""Quick add: a search box over the node types, shown on the canvas by Tab; Enter adds the choice."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import QFrame, QLineEdit, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from pflow_studio.nodes.registry import Registry


class QuickAdd(QFrame):
    """A small floating panel (a child of the view): filter box + list of `label  (type.name)`.

    `chosen(type_name)` is emitted on Enter or a double-click; Escape or focus loss hides it."""

    chosen = Signal(str)

    def __init__(self, registry: Registry, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("quickAdd")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        self.registry = registry
        self.filter = QLineEdit(self)
        self.filter.setPlaceholderText("Add node: type to search, Enter to add")
        self.list = QListWidget(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.filter)
        layout.addWidget(self.list)
        self.resize(320, 300)
        self.filter.textChanged.connect(self._refilter)
        self.filter.returnPressed.connect(self._accept)
        self.list.itemActivated.connect(lambda item: self._accept())
        self.filter.installEventFilter(self)
        self.hide()

    def popup(self, x: int, y: int) -> None:
        """Show at widget position (x, y), kept inside the parent, with an empty filter."""
        parent = self.parentWidget()
        x = max(0, min(x, parent.width() - self.width()))
        y = max(0, min(y, parent.height() - self.height()))
        self.move(x, y)
        self.filter.clear()
        self._refilter("")
        self.show()
        self.raise_()
        self.filter.setFocus()

    def _refilter(self, text: str) -> None:
        words = text.lower().split()
        self.list.clear()
        for node_type in self.registry:
            label = node_type.display_name()
            haystack = f"{label} {node_type.type_name} {node_type.category}".lower()
            if all(word in haystack for word in words):
                item = QListWidgetItem(f"{label}  ({node_type.type_name})")
                item.setData(Qt.ItemDataRole.UserRole, node_type.type_name)
                item.setToolTip(node_type.description())
                self.list.addItem(item)
        if self.list.count():
            self.list.setCurrentRow(0)

    def _accept(self) -> None:
        item = self.list.currentItem()
        if item is None:
            return
        self.hide()
        self.chosen.emit(item.data(Qt.ItemDataRole.UserRole))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.filter and event.type() == QEvent.Type.KeyPress:
            key = event.key()
            if key == Qt.Key.Key_Escape:
                self.hide()
                return True
            if key in (Qt.Key.Key_Down, Qt.Key.Key_Up):
                row = self.list.currentRow() + (1 if key == Qt.Key.Key_Down else -1)
                if 0 <= row < self.list.count():
                    self.list.setCurrentRow(row)
                return True
        return super().eventFilter(watched, event)
