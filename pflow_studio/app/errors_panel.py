"""The errors panel: one row per failed node (or validation problem) with its traceback.

Validation problems (`set_problems`) are kept up to date while the user edits: each call replaces the problem
rows of the call before (they come first), and leaves the rows of the last run's failures alone.

Clicking a row emits `reveal_requested(path)` (the window asks the canvas to show the node); the
selected row's message shows beside the list, with the line of the user's code that raised it and the
traceback, pflow-studio's own frames folded ("Show all frames" unfolds them; `traceback_view.TracebackView`).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QCheckBox, QSplitter, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from pflow_studio.app.traceback_view import TracebackView

PATH_ROLE = Qt.ItemDataRole.UserRole
TRACE_ROLE = Qt.ItemDataRole.UserRole + 1
WARNING_ROLE = Qt.ItemDataRole.UserRole + 2
PROBLEM_ROLE = Qt.ItemDataRole.UserRole + 3
WARNING_COLOR = (230, 140, 20)


class ErrorsPanel(QWidget):
    """A list of errors (node, message) above the selected one's traceback."""

    reveal_requested = Signal(tuple)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.list = QTreeWidget(self)
        self.list.setHeaderLabels(["Node", "Problem"])
        self.list.setRootIsDecorated(False)
        self.list.setColumnWidth(0, 180)
        self.trace = TracebackView(self)
        self.trace.setPlaceholderText("Select an error to see its traceback.")
        self.show_all = QCheckBox("Show all frames", self)
        self.show_all.setToolTip("Show the frames of pflow-studio's own code in tracebacks (folded into one line)")
        self.show_all.toggled.connect(self.trace.set_show_all)
        right = QWidget(self)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.setSpacing(2)
        right_layout.addWidget(self.trace, 1)
        right_layout.addWidget(self.show_all)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)  # the list keeps the bottom dock's height
        splitter.addWidget(self.list)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)  # the traceback's lines are the longer ones
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)
        self.list.currentItemChanged.connect(self._show_trace)
        self.list.itemClicked.connect(self._clicked)

    def clear(self) -> None:
        self.list.clear()
        self.trace.show_error("", "")

    def add_error(self, path: tuple[str, ...], where: str, message: str, trace: str = "") -> None:
        """Add a row: `where` names the node for people, `path` finds it on the canvas."""
        item = QTreeWidgetItem(self.list, [where, message.splitlines()[0] if message else ""])
        item.setToolTip(1, message)
        item.setData(0, PATH_ROLE, list(path))
        item.setData(0, TRACE_ROLE, trace)
        if self.list.topLevelItemCount() == 1:
            self.list.setCurrentItem(item)

    def set_problems(self, rows: list[tuple[tuple[str, ...], str, str]]) -> None:
        """Show these validation problems (node path, where, message), instead of the ones shown before."""
        for index in reversed(range(self.count())):
            if self.row(index).data(0, PROBLEM_ROLE):
                self.list.takeTopLevelItem(index)
        for position, (path, where, message) in enumerate(rows):
            item = QTreeWidgetItem([where, message])
            item.setToolTip(1, message)
            item.setData(0, PATH_ROLE, list(path))
            item.setData(0, TRACE_ROLE, "")
            item.setData(0, PROBLEM_ROLE, True)
            self.list.insertTopLevelItem(position, item)
        if self.list.currentItem() is None and self.count():
            self.list.setCurrentItem(self.row(0))

    def problems(self) -> list[str]:
        """The messages of the validation problems shown."""
        return [self.row(i).text(1) for i in range(self.count()) if self.row(i).data(0, PROBLEM_ROLE)]

    def add_warning(self, path: tuple[str, ...], where: str, message: str, trace: str = "") -> None:
        """Add a row shown in the warning colour (something failed but the run went on)."""
        self.add_error(path, where, message, trace)
        item = self.list.topLevelItem(self.list.topLevelItemCount() - 1)
        item.setData(0, WARNING_ROLE, True)
        for column in (0, 1):
            item.setForeground(column, QBrush(QColor(*WARNING_COLOR)))

    def is_warning(self, index: int) -> bool:
        return bool(self.row(index).data(0, WARNING_ROLE))

    def count(self) -> int:
        return self.list.topLevelItemCount()

    def row(self, index: int) -> QTreeWidgetItem:
        return self.list.topLevelItem(index)

    def _show_trace(self, current: QTreeWidgetItem | None, _previous: QTreeWidgetItem | None) -> None:
        if current is None:
            self.trace.show_error("", "")
        else:
            self.trace.show_error(current.toolTip(1), str(current.data(0, TRACE_ROLE) or ""))

    def _clicked(self, item: QTreeWidgetItem, _column: int) -> None:
        path = item.data(0, PATH_ROLE)
        if path:
            self.reveal_requested.emit(tuple(path))
