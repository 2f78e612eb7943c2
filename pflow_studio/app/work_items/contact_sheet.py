"""The contact sheet: the shown Map run's elements as a grid of tiles, each a thumbnail of its picture output.

`ContactSheetModel(items)` lists the rows of the work-item model `items` (the same filter and order: a tile's row
is the table's row): a tile is the element's index (and its output's text when that is no picture, "failed" when
it failed) under the thumbnail that `items.thumbnail` asks of the shared cache when the tile is painted (so only
tiles on screen are drawn); until it is drawn, or when there is none, a tinted placeholder saying why (failed, not
run, no picture). `ContactSheet(items)` shows it: a list view in icon mode with tiles of one size (its
layout never asks every tile for its size), each framed in its status colour; `element_activated(row)` is
emitted when a tile is clicked or becomes current by the keyboard; `show_row(row)` makes a row the current tile
without emitting it.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QIcon, QPainter, QPen, QPixmap
from PySide6.QtWidgets import QAbstractItemView, QListView, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from pflow_studio.app.work_items.item_model import ITEM_ROLE, PICTURED, THUMBNAIL_SIZE, WorkItemsModel
from pflow_studio.app.work_items.texts import STATUS_LABELS, status_color
from pflow_studio.runtime.element_store.records import ItemRow

TILE = QSize(THUMBNAIL_SIZE.width() + 10, THUMBNAIL_SIZE.height() + 28)  # the thumbnail, a line of text, margins
FRAME = 3
_Index = QModelIndex | QPersistentModelIndex


class ContactSheetModel(QAbstractListModel):
    """See the module docstring."""

    def __init__(self, items: WorkItemsModel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.items = items
        self._placeholders: dict[tuple[str, str], QIcon] = {}
        items.modelAboutToBeReset.connect(self.beginResetModel)
        items.modelReset.connect(self.endResetModel)
        items.dataChanged.connect(lambda top, bottom, _roles=(): self.dataChanged.emit(
            self.index(top.row()), self.index(bottom.row()), [Qt.ItemDataRole.DecorationRole]))

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else self.items.rowCount()

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        item = self.items.item(index.row()) if index.isValid() else None
        if item is None:
            return None
        if role == Qt.ItemDataRole.DecorationRole:
            return self.items.thumbnail(item, index.row()) or self._placeholder(item)
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
    """A tile as the style draws it, framed in its element's status colour."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
        super().paint(painter, option, index)
        item = index.data(ITEM_ROLE)
        if item is None:
            return
        painter.save()
        painter.setPen(QPen(QColor(*status_color(item.status)), FRAME))
        rect: QRect = option.rect.adjusted(FRAME // 2 + 1, FRAME // 2 + 1, -FRAME // 2 - 1, -FRAME // 2 - 1)
        painter.drawRect(rect)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: _Index) -> QSize:
        return TILE


class ContactSheet(QListView):
    """See the module docstring."""

    element_activated = Signal(int)  # the row of the tile clicked or made current

    def __init__(self, items: WorkItemsModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("contact_sheet")
        self.sheet = ContactSheetModel(items, self)
        self.setModel(self.sheet)
        self.setItemDelegate(_TileDelegate(self))
        self.setViewMode(QListView.ViewMode.IconMode)
        self.setMovement(QListView.Movement.Static)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setUniformItemSizes(True)
        self.setIconSize(THUMBNAIL_SIZE)
        self.setGridSize(TILE + QSize(4, 4))
        self.setWordWrap(False)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self._showing = False
        self.selectionModel().currentChanged.connect(self._current_changed)

    def show_row(self, row: int) -> None:
        """Make `row` the current tile and scroll to it (without `element_activated`)."""
        index = self.sheet.index(row)
        if not index.isValid() or index == self.currentIndex():
            return
        self._showing = True
        try:
            self.selectionModel().setCurrentIndex(index, QItemSelectionModel.SelectionFlag.ClearAndSelect)
            self.scrollTo(index)
        finally:
            self._showing = False

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid() and not self._showing:
            self.element_activated.emit(current.row())
