"""A Map's run record in the app: where it is saved, and a dialog listing its elements.

`record_path(project)` is `NAME.run.json` next to `NAME.pflow` (as the CLI writes it).
`saved_entry(project, map_path)` finds a Map's entry in that file (None when missing or unreadable).
`RunRecordDialog(entry, title, parent)` shows one Map run: a summary line and a table with one row per
element (index, engine, host, start, duration, status, error), and under it the selected element's whole error
(as every error pane shows errors: `traceback_view.TracebackView`); with `entry=None` it says there is none.
The table reads the record's columns row by row as it is scrolled (`RecordModel`), so a Map of a million
elements opens at once.
"""

from __future__ import annotations

import datetime
import os
import pathlib
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from pflow_studio.app.traceback_view import TracebackView
from pflow_studio.app.work_items.texts import duration_text
from pflow_studio.runtime import run_record

COLUMNS = ("index", "engine", "host", "start", "duration", "status", "error")


def record_path(project: str | os.PathLike[str]) -> pathlib.Path:
    """The run record file of a project: `NAME.run.json` beside `NAME.pflow`."""
    return pathlib.Path(project).with_suffix(".run.json")


def saved_entry(project: str | os.PathLike[str] | None, map_path: tuple[str, ...]) -> dict[str, Any] | None:
    """The last entry for `map_path` in the project's saved run record, or None."""
    if not project:
        return None
    try:
        data = run_record.read(record_path(project))
    except (OSError, ValueError):
        return None
    found = None
    for entry in data.get("maps", []):
        if isinstance(entry, dict) and tuple(entry.get("path", ())) == tuple(map_path):
            found = entry
    return found


def _clock(seconds: Any) -> str:
    if not isinstance(seconds, (int, float)) or seconds <= 0:
        return "-"
    return datetime.datetime.fromtimestamp(seconds).strftime("%H:%M:%S.%f")[:-3]


def _duration(item: dict[str, Any]) -> str:
    start, end = item.get("started"), item.get("finished")
    if not isinstance(start, (int, float)) or not isinstance(end, (int, float)) or start <= 0:
        return "-"
    return duration_text(end - start) or "0 µs"


def item_cells(item: dict[str, Any]) -> list[str]:
    """The texts of one element's row, in COLUMNS order."""
    engine = item.get("engine")
    error = str(item.get("error") or "").strip()
    return [str(item.get("index", "")), "in-process" if engine is None else str(engine), item.get("host") or "-",
            _clock(item.get("started")), _duration(item), str(item.get("status", "")),
            error.splitlines()[-1] if error else ""]


def summary(entry: dict[str, Any]) -> str:
    """One line about a Map run: elements, failures, runner, when and how long."""
    total, failed = entry.get("total", 0), entry.get("failed", 0)
    when = _clock(entry.get("started"))
    took = _duration(entry)
    engines = run_record.RecordColumns(entry).engines()
    where = f"{len(engines)} engine(s)" if engines else "in this process"
    return (f"{total:,} element(s), {failed:,} failed - runner '{entry.get('runner', '?')}' ({where}) - "
            f"started {when}, took {took}")


class RecordModel(QAbstractTableModel):
    """The elements of a record entry as table rows (COLUMNS), each read when shown."""

    def __init__(self, entry: dict[str, Any] | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.columns = run_record.RecordColumns(entry or {})

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return item_cells(self.columns.item(index.row()))[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole and COLUMNS[index.column()] == "error":
            return str(self.columns.item(index.row()).get("error") or "") or None
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return COLUMNS[section]
        return None


class RunRecordDialog(QDialog):
    """One Map run's elements (see the module docstring)."""

    def __init__(self, entry: dict[str, Any] | None, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("run_record_dialog")
        self.setWindowTitle(f"Run record - {title}")
        self.resize(760, 420)
        self.entry = entry
        self.summary = QLabel(summary(entry) if entry else
                              "This Map has no run record yet: run it (a cached result is not re-run).", self)
        self.summary.setWordWrap(True)
        self.model = RecordModel(entry, self)
        self.table = QTableView(self)
        self.table.setObjectName("run_record_table")
        self.table.setModel(self.model)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 6)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in enumerate((70, 80, 120, 110, 90, 70)):
            self.table.setColumnWidth(column, width)
        self.error = TracebackView(self)
        self.error.setPlaceholderText("Select a failed element to see its error.")
        self.error.setMaximumHeight(self.error.fontMetrics().lineSpacing() * 6 + 12)
        self.table.selectionModel().currentRowChanged.connect(lambda current, _previous: self._show_error(current))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        failed = [int(index) for index in self.model.columns.errors if str(index).isdigit()]
        if failed:
            self.table.selectRow(min(failed))  # the first failed element's error is shown at once

    def _show_error(self, current: QModelIndex) -> None:
        error = str(self.model.columns.item(current.row()).get("error") or "") if current.isValid() else ""
        self.error.show_error(error.strip(), "")

    def cell(self, row: int, column: str) -> str:
        """The text at `row` in `column` (one of COLUMNS)."""
        return str(self.model.data(self.model.index(row, COLUMNS.index(column))) or "")
