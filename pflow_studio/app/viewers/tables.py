"""Lazy tables: a model that reads a cell only when the view asks for it (a list of a million rows or an array of
ten million elements opens at once), and the table viewers for lists, tuples and lists of records.

The row header is the index column. Double-clicking a cell emits `open_value(title, value)`: the cell's value
gets its own viewer."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QHeaderView, QTableView, QVBoxLayout, QWidget

from pflow_studio.app.viewers.text import short_repr

CELL_CHARS = 200
STRETCHED_COLUMNS = 64  # up to this many columns the last one stretches (Qt re-measures them all to stretch it:
# seconds with a million columns, e.g. a 10 x 1,000,000 array)
RECORD_KEYS_SCANNED = 200  # records whose keys make the columns (a key only in later records is not a column)
_Index = QModelIndex | QPersistentModelIndex


def cell_text(value: Any) -> str:
    """A cell's text: texts as they are, numpy scalars as numbers, other values as a short repr."""
    numpy_scalar = getattr(value, "ndim", None) == 0 and hasattr(value, "dtype")
    text = value if isinstance(value, str) else str(value) if numpy_scalar else short_repr(value)
    return text if len(text) <= CELL_CHARS else text[:CELL_CHARS] + "…"


class LazyTableModel(QAbstractTableModel):
    """`rows` x `columns` cells, each read by `cell(row, column)` when shown; `cells_read` counts the reads."""

    def __init__(self, rows: int, columns: Sequence[str], cell: Callable[[int, int], Any],
                 row_name: Callable[[int], str] = str, parent: Any = None) -> None:
        super().__init__(parent)
        self.rows, self.columns, self.cell, self.row_name = rows, columns, cell, row_name  # columns may be a range
        self.cells_read = 0

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else self.rows

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def value(self, row: int, column: int) -> Any:
        self.cells_read += 1
        return self.cell(row, column)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        return cell_text(self.value(index.row(), index.column()))

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return str(self.columns[section]) if 0 <= section < len(self.columns) else None
        return self.row_name(section)


class LazyTableView(QTableView):
    """A table view of fixed-height rows (Qt then never measures all of them) over a `LazyTableModel`."""

    open_value = Signal(str, object)

    def __init__(self, model: LazyTableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        rows = self.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(self.fontMetrics().height() + 6)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.horizontalHeader().setDefaultSectionSize(160)
        self.horizontalHeader().setStretchLastSection(len(model.columns) <= STRETCHED_COLUMNS)
        self.setModel(model)
        self.doubleClicked.connect(self._open)

    def _open(self, index: QModelIndex) -> None:
        model = self.model()
        title = f"[{model.row_name(index.row())}]"
        if len(model.columns) > 1:
            title += f"[{str(model.columns[index.column()]).split(chr(10))[0]}]"  # a frame's header ends in its dtype
        self.open_value.emit(title, model.value(index.row(), index.column()))


def record_columns(records: Sequence[dict]) -> list[Any]:
    """The keys of the first records, in the order first seen."""
    keys: dict[Any, None] = {}
    for record in itertools.islice(records, RECORD_KEYS_SCANNED):
        keys.update(dict.fromkeys(record))
    return list(keys)


class SequenceViewer(QWidget):
    """A list or tuple: index and value; a list of records: index and one column per key."""

    def __init__(self, value: Sequence[Any], parent: QWidget | None = None, records: bool = False) -> None:
        super().__init__(parent)
        self.value = value
        if records:
            keys = record_columns(value)
            model = LazyTableModel(len(value), [str(key) for key in keys],
                                   lambda row, column: value[row].get(keys[column], ""), parent=self)
        else:
            model = LazyTableModel(len(value), ["value"], lambda row, _column: value[row], parent=self)
        self.model = model
        self.table = LazyTableView(model, self)
        self.open_value = self.table.open_value
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)
