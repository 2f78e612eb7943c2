"""The line-number gutter left of a code editor, with the mark of the line a run failed on."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QRect, QSize, Qt
from PySide6.QtGui import QColor, QHelpEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import QToolTip, QWidget

if TYPE_CHECKING:
    from pflow_studio.app.code_editor.editor import CodeEditor

BACKGROUND = QColor("#1a1d22")
NUMBER = QColor("#6b7280")
CURRENT = QColor("#d8dee9")
ERROR = QColor("#bf616a")
MARK = 10  # px kept left of the numbers for the error mark
PADDING = 12  # px right of the numbers, half of it inside the gutter


class LineGutter(QWidget):
    """Paints the line numbers of `editor`'s visible blocks; its width fits the largest number."""

    def __init__(self, editor: CodeEditor) -> None:
        super().__init__(editor)
        self.editor = editor
        self.setObjectName("code_gutter")

    def width_for(self, lines: int) -> int:
        """The gutter's width for a text of `lines` lines (room for at least two digits)."""
        digits = max(2, len(str(max(lines, 1))))
        return MARK + self.fontMetrics().horizontalAdvance("9") * digits + PADDING

    def sizeHint(self) -> QSize:
        return QSize(self.width_for(self.editor.blockCount()), 0)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(event.rect(), BACKGROUND)
        editor = self.editor
        block = editor.firstVisibleBlock()
        top = round(editor.blockBoundingGeometry(block).translated(editor.contentOffset()).top())
        current = editor.textCursor().blockNumber()
        height = self.fontMetrics().height()
        while block.isValid() and top <= event.rect().bottom():
            bottom = top + round(editor.blockBoundingRect(block).height())
            if block.isVisible() and bottom >= event.rect().top():
                number = block.blockNumber() + 1
                if number == editor.error_line:
                    painter.setBrush(ERROR)
                    painter.setPen(Qt.PenStyle.NoPen)
                    painter.drawEllipse(2, top + (height - 7) // 2, 7, 7)
                painter.setPen(ERROR if number == editor.error_line else
                               CURRENT if block.blockNumber() == current else NUMBER)
                painter.drawText(QRect(0, top, self.width() - PADDING // 2, height),
                                 Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, str(number))
            block = block.next()
            top = bottom

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            line = self.editor.line_at(event.pos().y())
            if line is not None and line == self.editor.error_line:
                QToolTip.showText(event.globalPos(), self.editor.error_message, self)
            else:
                QToolTip.hideText()
            return True
        return super().event(event)
