"""The Work items dock's widget: the last run of one Map, one row per element, and the selected one's detail.

`WorkItemsPanel(worker)`: a header line (the Map, its last run's state and counts), a status filter (ok,
failed, from store, not run), a search box (inputs, outputs, errors), the actions (Re-run failed, Re-run
selected, Run element here: buttons and the table's context menu, emitted as requests for the session to
carry out), the table (`WorkItemsModel`; a header click sorts) or the contact sheet (`ContactSheet`: a tile per
element of the same rows, thumbnails of picture outputs; a click makes that element current in the table), and
the detail pane of the current row.
`follow(store, scope, path, label)` shows a Map's last run; `refresh()` reads it again (after a run).
"""

from __future__ import annotations

import dataclasses
from typing import Any

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QPoint, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QSplitter,
    QTableView,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from pflow_studio.app.work_items.background import StoreWorker
from pflow_studio.app.work_items.contact_sheet import ContactSheet
from pflow_studio.app.work_items.detail import ElementDetailPane
from pflow_studio.app.work_items.item_model import WorkItemsModel
from pflow_studio.app.work_items.texts import STATUS_FILTERS, run_header, status_color
from pflow_studio.runtime.element_store.records import STATUS_NAMES, ItemRow, RunInfo
from pflow_studio.runtime.element_store.store import ElementStore

COLUMN_WIDTHS = (44, 84, 90, 160, 64, 52)  # the last column stretches
PICTURE_ICON = QSize(48, 36)  # a thumbnail in the table
WIDE = 1.6  # a panel this much wider than high shows the detail beside the table, else below it
TABLE_SHARE, SHEET_SHARE = 0.55, 0.62  # of the splitter, beside (or above) the detail
SEARCH_DELAY_MS = 250
ACTIONS = [("rerun_failed", "Re-run failed", "Run the Map again: its failed elements (and those that did not run) "
            "run, the others come from the element store"),
           ("rerun_selected", "Re-run selected", "Compute the selected elements again (although stored); the "
            "others come from the element store"),
           ("run_here", "Run here", "Run the current element in this process with the Map's current "
            "body (an edit can be tried); shows its result or traceback and stores nothing")]


class WorkItemsPanel(QWidget):
    """See the module docstring."""

    rerun_failed_requested = Signal(tuple)  # the Map path
    rerun_selected_requested = Signal(tuple, list)  # the Map path, element indices
    run_here_requested = Signal(tuple, object)  # the Map path, the ItemRow

    def __init__(self, worker: StoreWorker, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store: ElementStore | None = None
        self.scope = ""
        self.path: tuple[str, ...] = ()
        self.label = ""
        self.kept = True
        self.run: RunInfo | None = None
        self.running = False
        self._broadcast: tuple[int, dict[str, Any] | None] | None = None
        self._place: tuple[int, int] | None = None  # (current row, scroll position) kept across a refresh
        self._split: Qt.Orientation | None = None  # the splitter's orientation last set
        self.model = WorkItemsModel(worker, self)
        self.header = QLabel("Select a Map to see its elements.", self)
        self.header.setObjectName("work_items_header")
        self.header.setWordWrap(True)
        self.filters = {code: self._filter_box(code, label) for code, label in STATUS_FILTERS}
        self.search = QLineEdit(self)
        self.search.setPlaceholderText("Search inputs, outputs, errors")
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(80)
        self.actions = {name: self._action(name, text, tip) for name, text, tip in ACTIONS}
        self.table = self._table()
        self.sheet = ContactSheet(self.model, self)
        self.views = QTabWidget(self)
        self.views.setObjectName("work_items_views")
        self.views.setDocumentMode(True)
        self.views.addTab(self.table, "Table")
        self.views.addTab(self.sheet, "Contact sheet")
        self.views.setTabToolTip(1, "A tile per element: its plot or image output (a thumbnail), framed in its "
                                 "status colour; click a tile to see the element")
        self.detail = ElementDetailPane(self)
        self._search_timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._layout()
        self._connect()
        self._update_actions()

    # -- construction ----------------------------------------------------------------------------

    def _filter_box(self, code: int, label: str) -> QCheckBox:
        box = QCheckBox(label, self)
        box.setChecked(True)
        box.setStyleSheet(f"QCheckBox {{ color: rgb{status_color(STATUS_NAMES[code])}; }}")
        box.setToolTip(f"Show the elements whose status is '{label}'")
        return box

    def _action(self, name: str, text: str, tip: str) -> QAction:
        action = QAction(text, self)
        action.setObjectName(f"action_work_items_{name}")
        action.setToolTip(tip)
        action.setStatusTip(tip)
        return action

    def _table(self) -> QTableView:
        table = QTableView(self)
        table.setObjectName("work_items_table")
        table.setModel(self.model)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        table.setAlternatingRowColors(True)
        table.setWordWrap(False)
        table.verticalHeader().hide()
        table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 6)
        header = table.horizontalHeader()
        header.setStretchLastSection(True)
        header.setSortIndicator(0, Qt.SortOrder.AscendingOrder)
        for column, width in enumerate(COLUMN_WIDTHS):
            table.setColumnWidth(column, width)
        table.setSortingEnabled(True)
        table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        return table

    def _layout(self) -> None:
        top = QHBoxLayout()
        top.addWidget(self.header, 1)
        for action in self.actions.values():
            button = QToolButton(self)
            button.setDefaultAction(action)
            top.addWidget(button, 0, Qt.AlignmentFlag.AlignTop)
        bar = QHBoxLayout()
        for box in self.filters.values():
            bar.addWidget(box)
        bar.addWidget(self.search, 1)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(self.views)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 11)
        splitter.setStretchFactor(1, 9)
        splitter.setChildrenCollapsible(False)
        self.splitter = splitter
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(4)
        layout.addLayout(top)
        layout.addLayout(bar)
        layout.addWidget(splitter, 1)

    def _connect(self) -> None:
        for box in self.filters.values():
            box.toggled.connect(lambda _on: self._query_changed())
        self.search.textChanged.connect(lambda _text: self._search_timer.start())
        self._search_timer.timeout.connect(self._query_changed)
        self.actions["rerun_failed"].triggered.connect(lambda: self.rerun_failed_requested.emit(self.path))
        self.actions["rerun_selected"].triggered.connect(self._rerun_selected)
        self.actions["run_here"].triggered.connect(self._run_here)
        self.table.selectionModel().currentRowChanged.connect(lambda current, _old: self._show_detail(current))
        self.table.selectionModel().currentRowChanged.connect(lambda current, _old: self.sheet.show_row(current.row()))
        self.sheet.element_activated.connect(self._tile_chosen)
        self.views.currentChanged.connect(lambda _index: self._share_view())
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_actions())
        self.table.customContextMenuRequested.connect(self._context_menu)
        self.model.listed.connect(self._listed)
        self.model.pictures_found.connect(lambda: self._picture_rows(True))
        self.model.loading_changed.connect(lambda _loading: self._update_header())

    def resizeEvent(self, event: QResizeEvent) -> None:
        """The detail goes beside the table in a wide panel (the bottom of the window), below it in a tall one."""
        super().resizeEvent(event)
        wide = event.size().width() > WIDE * event.size().height()
        orientation = Qt.Orientation.Horizontal if wide else Qt.Orientation.Vertical
        if self._split != orientation:  # the first time, or turned: 55% for the table (later, the user's)
            self._split = orientation
            self.splitter.setOrientation(orientation)
            self._share_view()

    def _share_view(self) -> None:
        """The table gets 55% of the splitter, the contact sheet 62% (its tiles need room more than the detail)."""
        share = SHEET_SHARE if self.views.currentWidget() is self.sheet else TABLE_SHARE
        total = sum(self.splitter.sizes()) or (self.splitter.width() if self._split == Qt.Orientation.Horizontal
                                               else self.splitter.height())
        self.splitter.setSizes([int(total * share), total - int(total * share)])

    # -- what is shown ---------------------------------------------------------------------------

    def follow(self, store: ElementStore | None, scope: str, path: tuple[str, ...], label: str, *,
               kept: bool = True, again: bool = False) -> None:
        """Show the last run of the Map at `path` (its `label` in the header; `kept` False when its elements
        are never stored) in `scope` of `store`; read again only when that is another Map (or `again`)."""
        same = (store, scope, tuple(path)) == (self.store, self.scope, self.path)
        if not same:
            self._picture_rows(False)
        self.store, self.scope, self.path, self.label, self.kept = store, scope, tuple(path), label, kept
        if again or not same:
            self.refresh(keep_place=same)
        else:
            self._update_header()

    def refresh(self, keep_place: bool = True) -> None:
        """Read the Map's last run again (a run may have changed it or made a new one); the current row and the
        scroll position stay where they were (with `keep_place`)."""
        current = self.table.currentIndex().row()
        self._place = (current, self.table.verticalScrollBar().value()) if keep_place and current >= 0 else None
        run = self.store.last_run(self.scope, self.path) if self.store is not None and self.path else None
        self.run = run
        self.model.show_run(self.store, run.id if run is not None else None)
        self._update_header()

    def _picture_rows(self, on: bool) -> None:
        """Rows tall enough for a thumbnail once the shown Map's outputs are pictures, one line of text before."""
        self.table.setIconSize(PICTURE_ICON if on else QSize())
        self.table.verticalHeader().setDefaultSectionSize(PICTURE_ICON.height() + 4 if on
                                                         else self.table.fontMetrics().height() + 6)

    def show_only(self, codes: list[int]) -> None:
        """List only the elements of these status codes (the status filters set so)."""
        for code, box in self.filters.items():
            box.setChecked(code in codes)

    def set_running(self, running: bool) -> None:
        """A run is going on (the actions wait for it)."""
        self.running = running
        self._update_actions()
        self._update_header()

    def selected_items(self) -> list[ItemRow]:
        rows = sorted(index.row() for index in self.table.selectionModel().selectedRows())
        return self.model.items(rows)

    def current_item(self) -> ItemRow | None:
        current = self.table.currentIndex()
        return self.model.item(current.row()) if current.isValid() else None

    def select_rows(self, rows: list[int]) -> None:
        """Select these rows (the first one becomes current)."""
        selection = self.table.selectionModel()
        selection.clearSelection()
        flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
        for row in rows:
            selection.select(self.model.index(row, 0), flags)
        if rows:
            selection.setCurrentIndex(self.model.index(rows[0], 0), QItemSelectionModel.SelectionFlag.NoUpdate)
            self._show_detail(self.model.index(rows[0], 0))

    def _query_changed(self) -> None:
        checked = tuple(code for code, box in self.filters.items() if box.isChecked())
        statuses = () if len(checked) == len(self.filters) else checked or (-1,)  # none checked: none shown
        search = self.search.text().strip()
        self.model.set_query(dataclasses.replace(self.model.wanted, statuses=statuses, search=search))

    def _listed(self) -> None:
        self._update_header()
        place, self._place = self._place, None
        if place is not None and 0 <= place[0] < self.model.rowCount():
            self.select_rows([place[0]])
            self.table.verticalScrollBar().setValue(place[1])
        else:
            self.table.scrollToTop()
            self.detail.show_nothing()
        self._update_actions()

    def _update_header(self) -> None:
        if not self.path:
            self.header.setText("Select a Map to see its elements.")
            return
        text = run_header(self.label, self.run, self.kept)
        if self.store is not None and self.store.disabled:
            text += f" (the element store is off: {self.store.disabled})"
        shown = self.model.listing.count
        if self.run is not None and shown != self.run.total:
            text += f" Showing {shown:,}."
        if self.model.loading:
            text += " Sorting…"
        if self.running:
            text += " (A run is going on: this is read again when it ends.)"
        self.header.setText(text)

    def _update_actions(self) -> None:
        has_run = self.run is not None and not self.running
        self.actions["rerun_failed"].setEnabled(has_run and self._failed_or_not_run() > 0)
        selected = bool(self.table.selectionModel().hasSelection())
        self.actions["rerun_selected"].setEnabled(has_run and selected)
        self.actions["run_here"].setEnabled(has_run and self.table.currentIndex().isValid())

    def _failed_or_not_run(self) -> int:
        counts = self.run.counts if self.run is not None else {}
        return counts.get("failed", 0) + counts.get("not_run", 0)

    # -- detail and actions ----------------------------------------------------------------------

    def _show_detail(self, current: QModelIndex) -> None:
        self._update_actions()
        item = self.model.item(current.row()) if current.isValid() else None
        if item is None or self.store is None or self.run is None:
            self.detail.show_nothing()
            return
        detail = self.store.element(item) if item.stored else None
        self.detail.show_element(item, detail, self._run_broadcast(), f"Map '{self.label}'")

    def _tile_chosen(self, row: int) -> None:
        self.select_rows([row])
        self.table.scrollTo(self.model.index(row, 0))

    def _run_broadcast(self) -> dict[str, Any] | None:
        run = self.run.id if self.run is not None else None
        if self._broadcast is None or self._broadcast[0] != run:
            self._broadcast = (run, self.store.run_broadcast(run) if self.store and run is not None else None)
        return self._broadcast[1]

    def _rerun_selected(self) -> None:
        indices = [item.index for item in self.selected_items()]
        if indices:
            self.rerun_selected_requested.emit(self.path, indices)

    def _run_here(self) -> None:
        item = self.current_item()
        if item is not None:
            self.run_here_requested.emit(self.path, item)

    def _context_menu(self, pos: QPoint) -> QMenu:
        menu = QMenu(self)
        menu.setObjectName("work_items_menu")
        menu.addActions(list(self.actions.values()))
        menu.addSeparator()
        menu.addAction(self.detail.console_action)
        menu.popup(self.table.viewport().mapToGlobal(pos))
        self.last_menu = menu
        return menu
