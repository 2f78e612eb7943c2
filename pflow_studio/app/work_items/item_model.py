"""The work-item table's model: one row per element of a Map run, read from the element store page by page.

`WorkItemsModel(worker)` shows one run (`show_run(store, run)`) filtered and sorted by an `ItemQuery`
(`set_query`; a click on a column header sorts by it, in SQL). It never holds a Python object per element:
`rowCount` is the store's count, rows are read in pages of `PAGE_ROWS` when the view asks for them, and at
most `KEPT_PAGES` pages are kept (least recently used dropped). In index order without a search, pages are
read by position (quick at any size). Any other order, or a search, needs the whole order once: the
`StoreWorker` computes it off the GUI thread (an array of element indices, 8 bytes each) while the rows
shown so far stay on screen (`loading_changed(True)`), then the model switches to it and reads its pages by
index. `pages_read` counts the pages read since the run was shown (tests and benchmarks read it).

The output column is the preview column: beside the text, a thumbnail of an element whose output is a picture (a
figure, PNG/JPEG bytes, a 2-D array; `previews`), asked of the `ThumbnailCache` only when the view paints that
row (so only for visible rows), drawn a few at a time and kept; `pictures_found` is emitted when the first one of
the shown run is made (the panel makes its rows taller then).
"""

from __future__ import annotations

import array
import collections
import dataclasses
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, QSize, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QPixmap

from pflow_studio.app.previews import ThumbnailCache
from pflow_studio.app.work_items.background import StoreWorker
from pflow_studio.app.work_items.texts import STATUS_LABELS, duration_text, status_color
from pflow_studio.runtime.element_store.records import ItemRow
from pflow_studio.runtime.element_store.store import ElementStore

PAGE_ROWS = 256
KEPT_PAGES = 12
COLUMNS = [("#", "idx"), ("Status", "status"), ("Inputs", "input"), ("Output / error", "output"),
           ("Duration", "duration"), ("Engine", "engine"), ("Host", "host")]
"""(header, store order) per column."""
OUTPUT_COLUMN = [order for _, order in COLUMNS].index("output")
ITEM_ROLE = Qt.ItemDataRole.UserRole
THUMBNAIL_SIZE = QSize(112, 84)  # what the cache keeps (the contact sheet's tiles; the table scales it down)
PICTURED = ("ok", "cached")  # statuses whose outputs may be pictures
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_Index = QModelIndex | QPersistentModelIndex


@dataclasses.dataclass(frozen=True)
class ItemQuery:
    """Which elements, in which order: status codes (empty: all), a search text, a store order."""

    statuses: tuple[int, ...] = ()
    search: str = ""
    order: str = "idx"
    descending: bool = False


@dataclasses.dataclass
class _Listing:
    """What the table shows: a run's elements under one query; `order` None when read by position."""

    store: ElementStore | None = None
    run: int | None = None
    query: ItemQuery = ItemQuery()
    count: int = 0
    order: array.array | None = None

    def read(self, page: int) -> list[ItemRow]:
        if self.store is None or self.run is None:
            return []
        start = page * PAGE_ROWS
        if self.order is not None:
            return self.store.items_at(self.run, self.order[start:start + PAGE_ROWS])
        query = self.query
        return self.store.run_items(self.run, statuses=query.statuses, order=query.order,
                                    descending=query.descending, offset=start, limit=PAGE_ROWS)


class WorkItemsModel(QAbstractTableModel):
    """See the module docstring."""

    loading_changed = Signal(bool)
    listed = Signal()  # a new listing is shown (its rows were reset)
    pictures_found = Signal()  # the first thumbnail of the shown run was made

    def __init__(self, worker: StoreWorker, parent: QObject | None = None,
                 thumbnails: ThumbnailCache | None = None) -> None:
        super().__init__(parent)
        self.worker = worker
        self.thumbnails = thumbnails if thumbnails is not None else ThumbnailCache(THUMBNAIL_SIZE, self)
        self.thumbnails.ready.connect(self._thumbnail_ready)
        self.pictures = False  # a thumbnail of the shown run was made
        self._asked: dict[tuple, int] = {}  # thumbnail key -> the row that asked for it
        self.listing = _Listing()
        self.wanted = ItemQuery()
        self.pages_read = 0
        self.loading = False
        self._pages: collections.OrderedDict[int, list[ItemRow]] = collections.OrderedDict()
        self._request = 0  # the latest order asked of the worker (older answers are dropped)
        self._swatches = {status: _swatch(status_color(status)) for status in STATUS_LABELS}

    # -- what is shown -------------------------------------------------------------------------

    def show_run(self, store: ElementStore | None, run: int | None) -> None:
        """List the run `run` of `store` (None: nothing) under the current query; reads it again."""
        self.pages_read = 0
        self._list(store, run, self.wanted)

    def set_query(self, query: ItemQuery) -> None:
        """Filter and sort the shown run by `query`."""
        if query != self.wanted:
            self._list(self.listing.store, self.listing.run, query)

    def refresh(self) -> None:
        """Read the shown run again (it changed in the store)."""
        self._list(self.listing.store, self.listing.run, self.wanted)

    def _list(self, store: ElementStore | None, run: int | None, query: ItemQuery) -> None:
        self.wanted = query
        self._request += 1
        if store is None or run is None:
            self._switch(_Listing(store, run, query))
        elif query.order == "idx" and not query.search:
            self._switch(_Listing(store, run, query, store.count_items(run, statuses=query.statuses)))
        else:
            request = self._request
            self._set_loading(True)
            self.worker.submit(store, lambda s: s.item_order(run, statuses=query.statuses, search=query.search,
                                                             order=query.order, descending=query.descending),
                               lambda order: self._order_ready(request, _Listing(store, run, query, len(order), order)),
                               lambda _message: self._order_ready(request, _Listing(store, run, query)))

    def _order_ready(self, request: int, listing: _Listing) -> None:
        if request == self._request:
            self._switch(listing)

    def _switch(self, listing: _Listing) -> None:
        self.beginResetModel()
        if (listing.store, listing.run) != (self.listing.store, self.listing.run):
            self.pictures = False
        self.listing = listing
        self._pages.clear()
        self._asked.clear()
        self.thumbnails.forget()
        self.endResetModel()
        self._set_loading(False)
        self.listed.emit()

    def _set_loading(self, loading: bool) -> None:
        if loading != self.loading:
            self.loading = loading
            self.loading_changed.emit(loading)

    # -- rows ----------------------------------------------------------------------------------

    def item(self, row: int) -> ItemRow | None:
        """The element shown in `row` (its page is read when not kept)."""
        if not 0 <= row < self.listing.count:
            return None
        page_number, offset = divmod(row, PAGE_ROWS)
        page = self._pages.get(page_number)
        if page is None:
            page = self.listing.read(page_number)
            self.pages_read += 1
            self._pages[page_number] = page
            while len(self._pages) > KEPT_PAGES:
                self._pages.popitem(last=False)
        else:
            self._pages.move_to_end(page_number)
        return page[offset] if offset < len(page) else None

    def items(self, rows: Sequence[int]) -> list[ItemRow]:
        return [item for item in (self.item(row) for row in rows) if item is not None]

    @property
    def kept_pages(self) -> int:
        return len(self._pages)

    # -- QAbstractTableModel -------------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else self.listing.count

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section][0]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        item = self.item(index.row()) if index.isValid() else None
        if item is None:
            return None
        column = COLUMNS[index.column()][1]
        if role == Qt.ItemDataRole.DisplayRole:
            return cell_text(item, column)
        if role == Qt.ItemDataRole.ToolTipRole and column in ("input", "output"):
            return cell_text(item, column) or None
        if role == Qt.ItemDataRole.DecorationRole and column == "status":
            return self._swatches.get(item.status)
        if role == Qt.ItemDataRole.DecorationRole and column == "output":
            return self.thumbnail(item, index.row())
        if role == Qt.ItemDataRole.ForegroundRole and column == "output" and item.status == "failed":
            return QColor(*status_color("failed"))
        if role == Qt.ItemDataRole.TextAlignmentRole and column in ("idx", "engine", "duration"):
            return int(_RIGHT.value)
        if role == ITEM_ROLE:
            return item
        return None

    def thumbnail(self, item: ItemRow, row: int) -> QIcon | None:
        """The thumbnail of `item`'s output when made (else it is asked for; `dataChanged` follows)."""
        if item.status not in PICTURED or not item.stored or self.listing.store is None:
            return None
        key = self.thumbnail_key(item)
        store = self.listing.store
        icon = self.thumbnails.icon(key, lambda: _outputs(store, item))
        if icon is None and not self.thumbnails.known(key):
            self._asked[key] = row
        return icon

    def thumbnail_key(self, item: ItemRow) -> tuple:
        return (id(self.listing.store), self.listing.run, item.index)

    def _thumbnail_ready(self, key: tuple) -> None:
        row = self._asked.pop(key, None)
        if row is None or not self.thumbnails.is_picture(key):
            return
        cell = self.index(row, OUTPUT_COLUMN)
        self.dataChanged.emit(cell, cell, [Qt.ItemDataRole.DecorationRole])
        if not self.pictures:
            self.pictures = True
            self.pictures_found.emit()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort by a column (the view calls this when its header is clicked)."""
        descending = order == Qt.SortOrder.DescendingOrder
        self.set_query(dataclasses.replace(self.wanted, order=COLUMNS[column][1], descending=descending))


def cell_text(item: ItemRow, column: str) -> str:
    """What the table shows of `item` in the column of store order `column`."""
    if column == "idx":
        return str(item.index)
    if column == "input":
        return item.input_text
    if column == "status":
        return STATUS_LABELS.get(item.status, item.status)
    if column == "engine":
        return "" if item.engine is None else str(item.engine)
    if column == "host":
        return item.host
    if column == "duration":
        return duration_text(item.duration)
    return item.error if item.status == "failed" else item.preview


def _outputs(store: ElementStore, item: ItemRow) -> Any:
    detail = store.element(item)
    return detail.outputs if detail is not None else None


def _swatch(color: tuple[int, int, int]) -> QPixmap:
    pixmap = QPixmap(10, 10)
    pixmap.fill(QColor(*color))
    return pixmap
