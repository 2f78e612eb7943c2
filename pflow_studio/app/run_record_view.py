"""A Map's run record in the app: where it is saved, and a dialog listing its elements.

`record_path(project)` is `NAME.run.json` next to `NAME.pflow` (as the CLI writes it).
`saved_entry(project, map_path)` finds a Map's entry in that file (None when missing or unreadable).
`RunRecordDialog(entry, title, parent)` shows one Map run: a summary line and a table with one row per
element (index, engine, host, start, duration, status, error); with `entry=None` it says there is none.
"""

from __future__ import annotations

import datetime
import os
import pathlib
from typing import Any

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

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
    if not isinstance(start, (int, float)) or not isinstance(end, (int, float)):
        return "-"
    return f"{max(0.0, end - start):.3f} s"


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
    engines = {i.get("engine") for i in entry.get("items", []) if i.get("engine") is not None}
    where = f"{len(engines)} engine(s)" if engines else "in this process"
    return (f"{total} element(s), {failed} failed - runner '{entry.get('runner', '?')}' ({where}) - "
            f"started {when}, took {took}")


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
        items = entry.get("items", []) if entry else []
        self.table = QTableWidget(len(items), len(COLUMNS), self)
        self.table.setObjectName("run_record_table")
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        for row, item in enumerate(items):
            for column, text in enumerate(item_cells(item)):
                cell = QTableWidgetItem(text)
                if column == COLUMNS.index("error") and item.get("error"):
                    cell.setToolTip(str(item["error"]))
                self.table.setItem(row, column, cell)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)

    def cell(self, row: int, column: str) -> str:
        """The text at `row` in `column` (one of COLUMNS)."""
        item = self.table.item(row, COLUMNS.index(column))
        return item.text() if item is not None else ""
