"""pandas DataFrame and Series (only when pandas is installed: it is not a dependency): a lazy table whose row
header is the index and whose column headers give each column's dtype; "describe()" opens the summary as a
value of its own (`open_value`)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from pflow_studio.app.viewers.tables import LazyTableModel, LazyTableView


def frame_model(value: Any, parent: Any = None) -> LazyTableModel:
    """A lazy table of a DataFrame (or a Series, as one column) with the index as row names."""
    frame = value.to_frame() if value.ndim == 1 else value
    columns = [f"{name}\n{dtype}" for name, dtype in zip(frame.columns, frame.dtypes, strict=True)]
    return LazyTableModel(len(frame), columns, lambda row, column: frame.iat[row, column],
                          row_name=lambda row: str(frame.index[row]), parent=parent)


class FrameViewer(QWidget):
    """See the module docstring."""

    open_value = Signal(str, object)

    def __init__(self, value: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.value = value
        self.model = frame_model(value, self)
        self.table = LazyTableView(self.model, self)
        self.table.horizontalHeader().setMinimumHeight(self.fontMetrics().height() * 2 + 8)
        self.table.open_value.connect(self.open_value)
        describe = QPushButton("describe()", self)
        describe.setToolTip("Summary statistics of each column (pandas' describe())")
        describe.clicked.connect(lambda: self.open_value.emit("describe()", self.value.describe()))
        bar = QHBoxLayout()
        bar.addWidget(describe)
        bar.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
