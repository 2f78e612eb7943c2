"""The engine table of the Cluster dock: one row per engine, busy engines highlighted."""

from __future__ import annotations

from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem, QWidget

from pflow_studio.cluster_panel.model import EngineInfo

COLUMNS = ("id", "host", "pid", "CPU %", "memory", "queue", "ours")
BUSY_COLOUR = QColor(196, 140, 40, 120)
UNKNOWN = "-"


def format_memory(rss: int | None) -> str:
    """Resident memory as MiB/GiB text; the unknown mark when None."""
    if rss is None:
        return UNKNOWN
    mib = rss / (1024 * 1024)
    return f"{mib / 1024:.2f} GiB" if mib >= 1024 else f"{mib:.0f} MiB"


def engine_cells(engine: EngineInfo) -> list[str]:
    """The texts of one row, in COLUMNS order."""
    return [
        str(engine.id),
        engine.host or UNKNOWN,
        UNKNOWN if engine.pid is None else str(engine.pid),
        UNKNOWN if engine.cpu_percent is None else f"{engine.cpu_percent:.0f}",
        format_memory(engine.memory_rss),
        str(engine.queue),
        "yes" if engine.ours else "no",
    ]


class EngineTable(QTableWidget):
    """Shows a list of EngineInfo; `set_activity(id, busy)` highlights an engine's row across refreshes."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, len(COLUMNS), parent)
        self.setObjectName("cluster_engine_table")
        self.setHorizontalHeaderLabels(list(COLUMNS))
        self.verticalHeader().setVisible(False)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setStyleSheet("QHeaderView::section { padding: 4px 2px; }")  # seven columns in the 350 px tab
        self._busy: set[int] = set()
        self._ids: list[int] = []

    @property
    def engine_ids(self) -> list[int]:
        """The engine ids shown, top to bottom."""
        return list(self._ids)

    @property
    def busy_engines(self) -> set[int]:
        return set(self._busy)

    def show_engines(self, engines: list[EngineInfo]) -> None:
        """Replace the rows with `engines`."""
        self.setRowCount(len(engines))
        self._ids = [engine.id for engine in engines]
        for row, engine in enumerate(engines):
            for column, text in enumerate(engine_cells(engine)):
                item = self.item(row, column)
                if item is None:
                    item = QTableWidgetItem()
                    self.setItem(row, column, item)
                item.setText(text)
            self._paint_row(row)

    def cell_text(self, engine_id: int, column: str) -> str:
        """The text shown for `engine_id` in `column` (one of COLUMNS)."""
        item = self.item(self._ids.index(engine_id), COLUMNS.index(column))
        return item.text() if item is not None else ""

    def set_activity(self, engine_id: int, busy: bool) -> None:
        """Highlight (busy) or un-highlight an engine's row; kept when the rows are refreshed."""
        (self._busy.add if busy else self._busy.discard)(engine_id)
        if engine_id in self._ids:
            self._paint_row(self._ids.index(engine_id))

    def is_highlighted(self, engine_id: int) -> bool:
        item = self.item(self._ids.index(engine_id), 0) if engine_id in self._ids else None
        return item is not None and item.background().color() == BUSY_COLOUR

    def _paint_row(self, row: int) -> None:
        brush = QBrush(BUSY_COLOUR) if self._ids[row] in self._busy else QBrush()
        for column in range(self.columnCount()):
            item = self.item(row, column)
            if item is not None:
                item.setBackground(brush)
