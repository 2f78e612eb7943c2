"""The contact sheet: the shown Map run's elements as a grid of tiles, each a thumbnail of its picture output.

`ContactSheetModel(items)` lays the rows of the work-item model `items` (the same filter and order: tile k is the
table's row k) out in `columns` columns, row by row: `cell(k)` is tile k's index, `element_row(index)` the
reverse, `count` the number of tiles. A tile is the element's index (and its output's text when that is no
picture) under the thumbnail that `items.thumbnail` asks of the shared cache when the tile is painted (so only
tiles on screen are drawn); until it is drawn, or when there is none, a tinted placeholder says why (failed, not
run, no picture).

`ContactSheet(items)` shows it in a table view without headers whose columns follow its width: a view of
uniform rows and columns never asks every tile for anything, so a million elements lay out at once (an icon-mode
list view lays out every item: seconds for a million). Each tile is framed in its status colour;
`element_activated(row)` is emitted when a tile is clicked or made current by the keyboard; `show_row(row)` makes
a row the current tile without emitting it.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, QSize, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QPainter, QPen, QPixmap, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from pflow_studio.app.work_items.item_model import ITEM_ROLE, PICTURED, THUMBNAIL_SIZE, WorkItemsModel
from pflow_studio.app.work_items.texts import STATUS_LABELS, status_color
from pflow_studio.runtime.element_store.records import ItemRow

TILE = QSize(THUMBNAIL_SIZE.width() + 16, THUMBNAIL_SIZE.height() + 36)  # the thumbnail, a line of text, margins
FRAME = 3
_Index = QModelIndex | QPersistentModelIndex


class ContactSheetModel(QAbstractTableModel):
    """See the module docstring."""

    def __init__(self, items: WorkItemsModel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.items = items
        self.columns = 1
        self._placeholders: dict[tuple[str, str], QIcon] = {}
        items.modelAboutToBeReset.connect(self.beginResetModel)
        items.modelReset.connect(self.endResetModel)
        items.dataChanged.connect(self._items_changed)

    @property
    def count(self) -> int:
        return self.items.rowCount()

    def set_columns(self, columns: int) -> None:
        if columns != self.columns:
            self.beginResetModel()
            self.columns = columns
            self.endResetModel()

    def cell(self, row: int) -> QModelIndex:
        """The index of tile `row` (invalid when there is no such tile)."""
        return self.index(*divmod(row, self.columns)) if 0 <= row < self.count else QModelIndex()

    def element_row(self, index: _Index) -> int:
        """The work-item row of the tile at `index` (-1: an empty cell after the last tile)."""
        row = index.row() * self.columns + index.column() if index.isValid() else -1
        return row if row < self.count else -1

    def _items_changed(self, top: QModelIndex, bottom: QModelIndex, _roles: Any = ()) -> None:
        for row in range(top.row(), bottom.row() + 1):
            cell = self.cell(row)
            self.dataChanged.emit(cell, cell, [Qt.ItemDataRole.DecorationRole, Qt.ItemDataRole.DisplayRole])

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else -(-self.count // self.columns)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self.columns

    def flags(self, index: _Index) -> Qt.ItemFlag:
        return super().flags(index) if self.element_row(index) >= 0 else Qt.ItemFlag.NoItemFlags

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = self.element_row(index)
        item = self.items.item(row) if row >= 0 else None
        if item is None:
            return None
        if role == Qt.ItemDataRole.DecorationRole:
            return self.items.thumbnail(item, row) or self._placeholder(item)
        if role == Qt.ItemDataRole.DisplayRole:
            if item.status not in PICTURED or not item.preview:
                return str(item.index)
            key = self.items.thumbnail_key(item)
            return str(item.index) if self.items.thumbnails.is_picture(key) else f"{item.index}  {item.preview}"
        if role == Qt.ItemDataRole.ToolTipRole:
            state = STATUS_LABELS.get(item.status, item.status)
            return f"Element {item.index} ({state}): {item.error if item.status == 'failed' else item.preview}"
        if role == ITEM_ROLE:
            return item
        return None

    def _placeholder(self, item: ItemRow) -> QIcon:
        if item.status not in PICTURED:
            note = STATUS_LABELS.get(item.status, item.status)
        elif not item.stored:
            note = "not stored"
        else:
            note = "no picture" if self.items.thumbnails.known(self.items.thumbnail_key(item)) else ""
        key = (item.status, note)
        if key not in self._placeholders:
            self._placeholders[key] = _placeholder(status_color(item.status), note)
        return self._placeholders[key]


def _placeholder(color: tuple[int, int, int], note: str) -> QIcon:
    """A tile's picture when there is none: tinted in the status colour, `note` in the middle."""
    pixmap = QPixmap(THUMBNAIL_SIZE)
    pixmap.fill(QColor(*color, 28))
    if note:
        painter = QPainter(pixmap)
        painter.setPen(QColor(*color))
        painter.drawText(pixmap.rect(), Qt.AlignmentFlag.AlignCenter, note)
        painter.end()
    return QIcon(pixmap)


class _TileDelegate(QStyledItemDelegate):
    """A tile: the picture above its line of text, framed in its element's status colour."""

    def initStyleOption(self, option: QStyleOptionViewItem, index: _Index) -> None:
        super().initStyleOption(option, index)
        option.decorationPosition = QStyleOptionViewItem.Position.Top
        option.decorationAlignment = Qt.AlignmentFlag.AlignHCenter
        option.displayAlignment = Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom
        option.decorationSize = THUMBNAIL_SIZE
        option.textElideMode = Qt.TextElideMode.ElideRight

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
        item = index.data(ITEM_ROLE)
        if item is None:
            return
        inner = QStyleOptionViewItem(option)
        margin = FRAME + 3
        inner.rect = option.rect.adjusted(margin, margin, -margin, -margin + 1)  # the frame stays clear
        super().paint(painter, inner, index)
        painter.save()
        painter.setPen(QPen(QColor(*status_color(item.status)), FRAME))
        inset = FRAME // 2 + 1
        painter.drawRect(option.rect.adjusted(inset, inset, -inset, -inset))
        painter.restore()


class ContactSheet(QTableView):
    """See the module docstring."""

    element_activated = Signal(int)  # the work-item row of the tile clicked or made current

    def __init__(self, items: WorkItemsModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("contact_sheet")
        self.sheet = ContactSheetModel(items, self)
        self.setModel(self.sheet)
        self.setItemDelegate(_TileDelegate(self))
        self.setShowGrid(False)
        self.setIconSize(THUMBNAIL_SIZE)
        self.setWordWrap(False)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)  # the columns follow the width
        for header, size in ((self.horizontalHeader(), TILE.width()), (self.verticalHeader(), TILE.height())):
            header.hide()
            header.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
            header.setMinimumSectionSize(1)
            header.setDefaultSectionSize(size)
        self._showing = False
        self.selectionModel().currentChanged.connect(self._current_changed)

    def current_row(self) -> int:
        """The work-item row of the current tile (-1: none)."""
        return self.sheet.element_row(self.currentIndex())

    def show_row(self, row: int) -> None:
        """Make `row` the current tile and scroll to it (without `element_activated`)."""
        cell = self.sheet.cell(row)
        if not cell.isValid() or cell == self.currentIndex():
            return
        self._showing = True
        try:
            self.setCurrentIndex(cell)
            self.scrollTo(cell)
        finally:
            self._showing = False

    def resizeEvent(self, event: QResizeEvent) -> None:
        """As many columns of tiles as the width holds (the current tile stays current)."""
        super().resizeEvent(event)
        current = self.current_row()
        columns = max(1, self.viewport().width() // TILE.width())
        if columns != self.sheet.columns:
            self.sheet.set_columns(columns)
            if current >= 0:
                self.show_row(current)

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        row = self.sheet.element_row(current)
        if row >= 0 and not self._showing:
            self.element_activated.emit(row)
