"""The engine table of the Cluster dock: engines grouped by host (a row per host says how many engines it
has, how many are ours and its load, then a row per engine; no host rows when all run on this machine),
busy engines highlighted."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem, QWidget

from pflow_studio.cluster_panel.model import EngineInfo, HostSummary, host_summaries
from pflow_studio.cluster_panel.where import engines_text

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
        "yes" if engine.ours else UNKNOWN if engine.pid is None else "no",
    ]


def host_text(host: HostSummary) -> str:
    """The text of a host's row: its name, its engines and how many are ours, its load."""
    engines = engines_text(host.engines)
    load = f", load {host.load:.2f}" if host.load is not None else ""
    return f"{host.host or 'host not known yet'}: {engines}, {host.ours} ours{load}"


def host_tip(host: HostSummary) -> str:
    """The tooltip of a host's row: where it is and how its engines' figures are measured."""
    if not host.host:
        return "Engines that have not answered yet (busy with a task?)"
    where = ("this machine: CPU and memory measured here" if host.local
             else "another machine: CPU, memory and load as its engines report them")
    return f"{host_text(host)}\n{host.host} is {where}"


def ours_tip(engine: EngineInfo) -> str:
    """The tooltip of an engine's `ours` cell: whose it is."""
    if engine.ours:
        return f"Ours: {engine.owner or 'this session'}"
    if engine.pid is None:
        return "Not known yet: the engine has not answered (busy?)"
    return "Not ours: no session of pflow-studio in this profile started it"


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
        self._rows: list[int | None] = []  # the engine id of each row; None for a host's row
        self._hosts: dict[str, int] = {}  # host -> its row

    @property
    def engine_ids(self) -> list[int]:
        """The engine ids shown, top to bottom."""
        return [eid for eid in self._rows if eid is not None]

    @property
    def busy_engines(self) -> set[int]:
        return set(self._busy)

    def show_engines(self, engines: list[EngineInfo]) -> None:
        """Replace the rows with `engines`, grouped by host (this machine first). Host rows are left out when
        every engine runs on this machine (the status line says how many are ours)."""
        self.clearSpans()
        rows: list[EngineInfo | HostSummary] = []
        hosts = host_summaries(engines)
        for host in hosts:
            if len(hosts) > 1 or not host.local:
                rows.append(host)
            rows.extend(sorted((e for e in engines if e.host == host.host), key=lambda e: e.id))
        self.setRowCount(len(rows))
        self._rows = [row.id if isinstance(row, EngineInfo) else None for row in rows]
        self._hosts = {row.host: n for n, row in enumerate(rows) if isinstance(row, HostSummary)}
        for n, row in enumerate(rows):
            if isinstance(row, HostSummary):
                self._show_host(n, row)
            else:
                self._show_engine(n, row)
            self._paint_row(n)

    def _item(self, row: int, column: int) -> QTableWidgetItem:
        item = self.item(row, column)
        if item is None:
            item = QTableWidgetItem()
            self.setItem(row, column, item)
        return item

    def _show_host(self, row: int, host: HostSummary) -> None:
        for column in range(1, self.columnCount()):
            self.takeItem(row, column)
        item = self._item(row, 0)
        item.setText(host_text(host))
        item.setToolTip(host_tip(host))
        font = item.font()
        font.setBold(True)
        item.setFont(font)
        item.setFlags(Qt.ItemFlag.ItemIsEnabled)
        self.setSpan(row, 0, 1, self.columnCount())

    def _show_engine(self, row: int, engine: EngineInfo) -> None:
        for column, text in enumerate(engine_cells(engine)):
            item = self._item(row, column)
            item.setText(text)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
            font = item.font()
            font.setBold(False)
            item.setFont(font)
        self._item(row, COLUMNS.index("ours")).setToolTip(ours_tip(engine))

    def host_row(self, host: str) -> QTableWidgetItem | None:
        """The item of `host`'s row (None when there is none)."""
        return self.item(self._hosts[host], 0) if host in self._hosts else None

    def host_row_text(self, host: str) -> str:
        """The text of `host`'s row ("" when there is none)."""
        item = self.host_row(host)
        return item.text() if item is not None else ""

    def cell(self, engine_id: int, column: str) -> QTableWidgetItem | None:
        """The item of `engine_id` in `column` (one of COLUMNS)."""
        return self.item(self._rows.index(engine_id), COLUMNS.index(column))

    def cell_text(self, engine_id: int, column: str) -> str:
        """The text shown for `engine_id` in `column` (one of COLUMNS)."""
        item = self.cell(engine_id, column)
        return item.text() if item is not None else ""

    def set_activity(self, engine_id: int, busy: bool) -> None:
        """Highlight (busy) or un-highlight an engine's row; kept when the rows are refreshed."""
        (self._busy.add if busy else self._busy.discard)(engine_id)
        if engine_id in self._rows:
            self._paint_row(self._rows.index(engine_id))

    def is_highlighted(self, engine_id: int) -> bool:
        item = self.item(self._rows.index(engine_id), 0) if engine_id in self._rows else None
        return item is not None and item.background().color() == BUSY_COLOUR

    def _paint_row(self, row: int) -> None:
        engine = self._rows[row]
        brush = QBrush(BUSY_COLOUR) if engine is not None and engine in self._busy else QBrush()
        for column in range(self.columnCount()):
            item = self.item(row, column)
            if item is not None:
                item.setBackground(brush)
