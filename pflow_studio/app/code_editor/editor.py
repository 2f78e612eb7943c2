"""`CodeEditor`: a Python code editor for the properties panel and the larger editor window.

Pygments highlighting, a line-number gutter, four-space indentation (Tab, Shift+Tab on a selection's
lines, Enter keeping the indent (+4 after ':'), Backspace in leading spaces back to a multiple of four).
`commit(text)` is called once the user has finished an edit that changed the text: Ctrl+Enter or focus
out (a compact editor, for one-line expressions, also commits on Enter; Shift+Enter breaks the line).
Ctrl+Z undoes within the editor. `set_error(line, message)` marks the line a run failed on (background,
gutter mark, tooltip); editing the text clears the mark. The corner button (shown, in a strip right of the
text, once `set_detachable(True)`) emits `detach_requested`. A compact editor wraps its lines and shows
no gutter while it holds one line.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, QPoint, QRect, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFocusEvent, QFontDatabase, QHelpEvent, QKeyEvent, QResizeEvent, QTextCharFormat
from PySide6.QtWidgets import QPlainTextEdit, QTextEdit, QToolButton, QToolTip, QWidget

from pflow_studio.app.code_editor import indent
from pflow_studio.app.code_editor.gutter import LineGutter
from pflow_studio.app.code_editor.highlighter import PythonHighlighter
from pflow_studio.app.resources import icon

ERROR_BACKGROUND = QColor("#43262b")
CURRENT_LINE = QColor("#262a31")
DETACH_SHORTCUT = "Ctrl+Shift+E"
_ENTER = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


class CodeEditor(QPlainTextEdit):
    """See the module docstring."""

    detach_requested = Signal()
    applied_from_keyboard = Signal()  # Ctrl+Enter committed the text (the focus was meant to stay)
    error_changed = Signal()  # the error mark was set or cleared

    def __init__(self, value: Any, commit: Callable[[str], None], *, compact: bool = False,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._value = "" if value is None else str(value)
        self._commit = commit
        self._loading = False
        self.compact = compact
        self._detachable = False
        self.error_line: int | None = None
        self.error_message = ""
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        self.setFont(font)
        self.setTabChangesFocus(False)
        if compact:  # a short expression: wrapped, never scrolled sideways
            self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
            self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        else:
            self.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.setTabStopDistance(self.fontMetrics().horizontalAdvance(" ") * indent.INDENT)
        self.highlighter = PythonHighlighter(self.document())
        self.gutter = LineGutter(self)
        self.detach_button = self._make_detach_button()
        self.setMinimumHeight(self._height_for(2 if compact else 6))
        self.blockCountChanged.connect(self._fit_gutter)
        self.updateRequest.connect(self._scroll_gutter)
        self.cursorPositionChanged.connect(self._show_lines)
        self.textChanged.connect(self._edited)
        self.load(self._value)
        self._fit_gutter()

    def _height_for(self, lines: int) -> int:
        """The editor's height showing `lines` lines."""
        margins = self.contentsMargins()
        return self.fontMetrics().lineSpacing() * lines + 2 * round(self.document().documentMargin()) + \
            margins.top() + margins.bottom()

    def sizeHint(self) -> QSize:
        """Three lines when compact; else the text's lines and one more, 6 to 18 of them."""
        lines = 3 if self.compact else min(max(self.blockCount() + 1, 6), 18)
        scroll_bar = 0 if self.compact else self.horizontalScrollBar().sizeHint().height()
        return QSize(super().sizeHint().width(), self._height_for(lines) + scroll_bar)

    def _make_detach_button(self) -> QToolButton:
        button = QToolButton(self)
        button.setObjectName("code_detach")
        button.setIcon(icon("detach"))
        button.setStyleSheet("QToolButton { background: #2b2e35; border: 1px solid #3b4252; border-radius: 4px; }"
                             "QToolButton:hover { background: #3b4252; border-color: #5e81ac; }")
        button.setCursor(Qt.CursorShape.ArrowCursor)
        button.setToolTip(f"Edit in a larger window ({DETACH_SHORTCUT})")
        button.clicked.connect(self.detach_requested.emit)
        button.hide()
        return button

    # -- value and commits -----------------------------------------------------------------------

    @property
    def value(self) -> str:
        """The text last committed (or loaded)."""
        return self._value

    def load(self, text: str) -> None:
        """Show `text` as the committed value (the cursor keeps its place where it can); no commit. The same
        text as shown keeps the editor's undo history."""
        if text == self.toPlainText():
            self._value = text
            return
        position = self.textCursor().position()
        self._loading = True
        try:
            self._value = text
            self.setPlainText(text)
        finally:
            self._loading = False
        cursor = self.textCursor()
        cursor.setPosition(min(position, len(text)))
        self.setTextCursor(cursor)
        self._fit_gutter()

    def is_modified(self) -> bool:
        """True when the text differs from the committed value."""
        return self.toPlainText() != self._value

    def finish(self) -> bool:
        """Commit the text when it changed; True when it did."""
        text = self.toPlainText()
        if text == self._value:
            return False
        self._value = text
        self._commit(text)
        return True

    def set_detachable(self, detachable: bool) -> None:
        """Show (or hide) the corner button that asks for the larger editor."""
        self._detachable = detachable
        self.detach_button.setVisible(detachable)
        self._fit_gutter()

    # -- the error mark ----------------------------------------------------------------------------

    def set_error(self, line: int | None, message: str = "") -> None:
        """Mark line `line` (1-based) as the one a run failed on, `message` its tooltip; None clears."""
        if line is not None and not 1 <= line <= self.blockCount():
            line = None
        self.error_line = line
        self.error_message = message if line is not None else ""
        self._show_lines()
        self.gutter.update()
        self.error_changed.emit()

    def line_at(self, y: int) -> int | None:
        """The 1-based line shown at height `y` of the viewport (None below the text)."""
        block = self.cursorForPosition(QPoint(0, y)).block()
        geometry = self.blockBoundingGeometry(block).translated(self.contentOffset())
        return block.blockNumber() + 1 if geometry.top() <= y <= geometry.bottom() else None

    def _edited(self) -> None:
        if not self._loading and self.error_line is not None:
            self.set_error(None)

    def _show_lines(self) -> None:
        """The extra selections: the current line (when focused) and the error line."""
        selections = []
        if self.hasFocus():
            selections.append(self._line_selection(self.textCursor().blockNumber(), CURRENT_LINE))
        if self.error_line is not None:
            selections.append(self._line_selection(self.error_line - 1, ERROR_BACKGROUND))
        self.setExtraSelections(selections)

    def _line_selection(self, block_number: int, colour: QColor) -> QTextEdit.ExtraSelection:
        selection = QTextEdit.ExtraSelection()
        fmt = QTextCharFormat()
        fmt.setBackground(colour)
        fmt.setProperty(QTextCharFormat.Property.FullWidthSelection, True)
        selection.format = fmt
        cursor = self.textCursor()
        cursor.setPosition(self.document().findBlockByNumber(block_number).position())
        selection.cursor = cursor
        return selection

    # -- gutter and layout -------------------------------------------------------------------------

    def _gutter_width(self) -> int:
        """The gutter's width for the text (none for a compact editor's single line)."""
        return 0 if self.compact and self.blockCount() == 1 else self.gutter.width_for(self.blockCount())

    def _fit_gutter(self, _count: int = 0) -> None:
        """Margins around the text: the gutter on the left, the corner button's strip on the right."""
        self.updateGeometry()  # the size hint follows the line count
        right = self.detach_button.sizeHint().width() + 4 if self._detachable else 0
        self.setViewportMargins(self._gutter_width(), 0, right, 0)
        self._place_children()

    def _scroll_gutter(self, rect: QRect, dy: int) -> None:
        if dy:
            self.gutter.scroll(0, dy)
        else:
            self.gutter.update(0, rect.y(), self.gutter.width(), rect.height())

    def _place_children(self) -> None:
        area = self.contentsRect()
        width = self._gutter_width()
        self.gutter.setVisible(width > 0)
        self.gutter.setGeometry(area.left(), area.top(), width, area.height())
        viewport = self.viewport().geometry()
        size = self.detach_button.sizeHint()
        self.detach_button.setGeometry(viewport.right() + 3, viewport.top() + 1, size.width(), size.height())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._place_children()

    # -- events -----------------------------------------------------------------------------------

    def viewportEvent(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            line = self.line_at(event.pos().y())
            if line is not None and line == self.error_line:
                QToolTip.showText(event.globalPos(), self.error_message, self.viewport())
            else:
                QToolTip.hideText()
            return True
        return super().viewportEvent(event)

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        self._show_lines()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        if event.reason() != Qt.FocusReason.PopupFocusReason:  # not for the editor's own context menu
            self.finish()
        super().focusOutEvent(event)
        self._show_lines()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if not self._indentation_key(event):
            super().keyPressEvent(event)

    def _indentation_key(self, event: QKeyEvent) -> bool:
        """Handle Ctrl+Enter, Enter, Tab, Shift+Tab and Backspace; False leaves the key to Qt."""
        key, modifiers = event.key(), event.modifiers()
        cursor = self.textCursor()
        control = modifiers & Qt.KeyboardModifier.ControlModifier
        if key in _ENTER and (control or (self.compact and not modifiers & Qt.KeyboardModifier.ShiftModifier)):
            if self.finish():
                self.applied_from_keyboard.emit()
        elif key in _ENTER:
            before = cursor.block().text()[: cursor.positionInBlock()]
            cursor.insertText("\n" + indent.next_line_indent(before))
        elif key == Qt.Key.Key_Tab and indent.spans_lines(cursor):
            indent.shift_lines(cursor, dedent=False)
        elif key == Qt.Key.Key_Tab:
            cursor.insertText(indent.tab_spaces(cursor.positionInBlock()))
        elif key == Qt.Key.Key_Backtab:
            indent.shift_lines(cursor, dedent=True)
        elif key == Qt.Key.Key_Backspace and not cursor.hasSelection() and cursor.positionInBlock() > 0:
            before = cursor.block().text()[: cursor.positionInBlock()]
            cursor.movePosition(cursor.MoveOperation.Left, cursor.MoveMode.KeepAnchor,
                                indent.spaces_to_delete(before))
            cursor.removeSelectedText()
        else:
            return False
        self.setTextCursor(cursor)
        self.ensureCursorVisible()
        return True
